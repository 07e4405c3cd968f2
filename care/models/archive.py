"""The hardship archive (困难职工档案): one file per household, kept current by reviews."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import idnumber
from core.encryption import EncryptedTextField, blind_index, mask_id_number, mask_phone
from core.files import private_storage
from core.language import written_date
from core.validators import NOT_NEGATIVE, REVIEW_MONTHS
from orgs.access import UnitScopedQuerySet

ID_INDEX_PURPOSE = "care-household-id-number"


def id_number_index(value: str) -> str:
    return blind_index(idnumber.normalize(value), ID_INDEX_PURPOSE)


# The earliest day a file may say it was opened: the unions' hardship files began in the 1990s, so an
# earlier date is a slip (1900-01-01 is what a blank Excel date cell turns into).
EARLIEST_FILE = datetime.date(1990, 1, 1)


def early_date_problem(day, household=None) -> str:
    """Why ``day`` is too early to date a care record (a review, a payment, a visit), or "" when it is not.
    A household's records begin on its file's opening date (建档日期); anyone else's with the hardship
    files themselves (EARLIEST_FILE). An earlier date is a slip: 1900-01-01 from a blank Excel cell, or a
    review on 1800-01-01 that set the next one in 1801, due for ever."""
    if household is not None:
        if day < household.entered_on:
            return _("日期不能早于该户的建档日期（%(date)s）。") % {"date": written_date(household.entered_on)}
        return ""
    if day < EARLIEST_FILE:
        return _("日期不能早于%(date)s。") % {"date": written_date(EARLIEST_FILE)}
    return ""


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


class CareSettings(models.Model):
    """A unit's care rules; a unit without its own uses the nearest unit above, else the defaults."""

    class WomenRetirement(models.IntegerChoices):
        CADRE = 55, _("原55周岁（干部、教师）")
        WORKER = 50, _("原50周岁（工人）")

    unit = models.OneToOneField("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    approval_threshold = models.DecimalField(
        _("需第二人审批的金额"),
        max_digits=10,
        decimal_places=2,
        default=1000,
        help_text=_("单笔帮扶金额超过此数，须由另一位帮扶干部或主席审批后才算发放。"),
    )
    review_months = models.PositiveSmallIntegerField(_("档案复核周期（月）"), default=12, validators=REVIEW_MONTHS)
    pairing_silence_days = models.PositiveSmallIntegerField(_("结对未联系提醒（天）"), default=90)
    archive_years = models.PositiveSmallIntegerField(_("删除档案保留年限"), default=10)
    women_retirement = models.PositiveSmallIntegerField(
        _("女职工原法定退休年龄"), choices=WomenRetirement.choices, default=WomenRetirement.CADRE
    )
    retirement_notice_days = models.PositiveSmallIntegerField(_("退休慰问提前提醒（天）"), default=60)

    class Meta:
        verbose_name = _("帮扶设置")
        verbose_name_plural = _("帮扶设置")

    def __str__(self):
        return str(self.unit)


def settings_for(unit) -> CareSettings:
    """The care settings that apply on ``unit``: its own or the nearest ancestor's (one query)."""
    steplen = type(unit).steplen
    paths = [unit.path[:end] for end in range(steplen, len(unit.path) + 1, steplen)]
    found = CareSettings.objects.filter(unit__path__in=paths).select_related("unit").order_by("-unit__depth").first()
    return found or CareSettings(unit=unit)


class Level(models.TextChoices):
    DEEP = "deep", _("深度困难")
    RELATIVE = "relative", _("相对困难")
    ACCIDENT = "accident", _("意外致困")


class Category(models.TextChoices):
    ILLNESS = "illness", _("大病")
    DISABILITY = "disability", _("残疾")
    SINGLE_PARENT = "single_parent", _("单亲")
    LOW_INCOME = "low_income", _("低收入")
    DISASTER = "disaster", _("意外或灾害")
    OTHER = "other", _("其他")


class FileStatus(models.TextChoices):
    IN_HARDSHIP = "in", _("在档")
    LIFTED = "lifted", _("已脱困")


class HouseholdQuerySet(UnitScopedQuerySet):
    def current(self):
        """Files not deleted (a deleted file is kept, out of sight, for the archive period)."""
        return self.filter(deleted_at__isnull=True)

    def in_hardship(self):
        return self.current().filter(status=FileStatus.IN_HARDSHIP)

    def due_for_review(self, today):
        return self.in_hardship().filter(next_review_on__lte=today)

    def stale(self, today):
        """Not updated in a year: neither reviewed nor changed."""
        return self.in_hardship().filter(updated_at__date__lt=add_months(today, -12))

    def never_helped(self):
        from care.models.assistance import Assistance

        helped = Assistance.objects.not_rejected().filter(household=models.OuterRef("pk"))
        return self.in_hardship().exclude(models.Exists(helped))

    def find(self, query):
        """A full ID number matches by its blind index (the list logs it, members.privacy.ID_SEARCH);
        anything else is a name. Never the number's last four: the mask hides them, and a search by
        them would give them back (core.encryption.mask_id_number)."""
        query = "".join((query or "").split())
        if not query:
            return self
        if idnumber.typed(query):
            return self.filter(id_number_index=id_number_index(query))
        return self.filter(name__contains=query)


class Household(models.Model):
    """One household's hardship file (一户一档)."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("会员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hardship_files",
    )
    name = models.CharField(_("户主姓名"), max_length=50)
    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = models.CharField(max_length=40, editable=False, db_index=True)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    address = EncryptedTextField(_("家庭住址"), blank=True)
    categories = models.JSONField(_("困难类别"), default=list)
    level = models.CharField(_("困难程度"), max_length=10, choices=Level.choices)
    situation = EncryptedTextField(_("困难情况"), help_text=_("致困原因、目前状况，只有帮扶干部能看到。"))
    monthly_income = models.DecimalField(
        _("家庭月收入（元）"), max_digits=10, decimal_places=2, default=0, validators=[NOT_NEGATIVE]
    )
    status = models.CharField(_("状态"), max_length=10, choices=FileStatus.choices, default=FileStatus.IN_HARDSHIP)
    entered_on = models.DateField(_("建档日期"))
    review_months = models.PositiveSmallIntegerField(
        _("复核周期（月）"),
        null=True,
        blank=True,
        validators=REVIEW_MONTHS,
        help_text=_("留空则按本单位设置（默认每年一次）。"),
    )
    next_review_on = models.DateField(_("下次复核"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    delete_reason = models.CharField(_("删除原因"), max_length=200, blank=True)
    keep_until = models.DateField(_("保留至"), null=True, blank=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        ordering = ["next_review_on", "id"]
        constraints = [
            # One file per household: the same ID number is one file wherever in the tree.
            models.UniqueConstraint(
                fields=["id_number_index"], condition=Q(deleted_at__isnull=True), name="care_household_unique_id"
            ),
        ]

    def __str__(self):
        return str(_("困难职工档案 %(pk)s") % {"pk": self.pk})

    def save(self, *args, **kwargs):
        self.id_number = idnumber.normalize(self.id_number)
        self.id_number_index = id_number_index(self.id_number)
        super().save(*args, **kwargs)

    @property
    def id_number_masked(self):
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self):
        return mask_phone(self.phone)

    def category_labels(self):
        labels = dict(Category.choices)
        return [labels.get(c, c) for c in self.categories]

    def cycle_months(self, unit_settings=None) -> int:
        return self.review_months or (unit_settings or settings_for(self.unit)).review_months

    def review_cycle_start(self) -> datetime.date:
        """The day the review cycle runs from: the file's last review, its return into hardship, or its opening
        (the steps that set ``next_review_on`` in care.services; a new level or unit does not restart it)."""
        starts = self.events.filter(kind__in=[EventKind.ENTERED, EventKind.REVIEWED, EventKind.RETURNED])
        return starts.order_by("-on", "-id").values_list("on", flat=True).first() or self.entered_on

    def is_due(self, today):
        return (
            self.status == FileStatus.IN_HARDSHIP and self.next_review_on is not None and self.next_review_on <= today
        )


class FamilyMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="family")
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("与户主关系"), max_length=20)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    occupation = models.CharField(_("职业或就学"), max_length=50, blank=True)
    health = EncryptedTextField(_("健康状况"), max_length=50, blank=True)  # health data: encrypted at rest
    monthly_income = models.DecimalField(
        _("月收入（元）"), max_digits=10, decimal_places=2, default=0, validators=[NOT_NEGATIVE]
    )
    university_year = models.PositiveSmallIntegerField(
        _("考入大学年份"), null=True, blank=True, help_text=_("子女当年考入大学的，金秋助学名单据此生成。")
    )

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["id"]

    def __str__(self):
        return self.name

    def clean(self):
        """Years a person can be born and enter university in (1800 and 2030 were saved as typed)."""
        this_year = timezone.localdate().year
        errors = {}
        if self.birth_year is not None and not this_year - 120 <= self.birth_year <= this_year:
            errors["birth_year"] = _("出生年份应为%(first)s到%(last)s年。") % {
                "first": this_year - 120,
                "last": this_year,
            }
        if self.university_year is not None:
            # A birth year out of range says nothing of when the child could enter university: the
            # bound from it read "3010到2027年".
            born = self.birth_year if "birth_year" not in errors else None
            earliest = max(this_year - 30, (born or 0) + 10)
            if earliest > this_year + 1:
                errors["university_year"] = _("%(year)s年出生的孩子还不到上大学的年龄。") % {"year": born}
            elif not earliest <= self.university_year <= this_year + 1:
                errors["university_year"] = _("考入大学年份应为%(first)s到%(last)s年。") % {
                    "first": earliest,
                    "last": this_year + 1,
                }
        if errors:
            raise ValidationError(errors)


class EventKind(models.TextChoices):
    ENTERED = "entered", _("建档")
    REVIEWED = "reviewed", _("复核")
    LIFTED = "lifted", _("脱困")
    RETURNED = "returned", _("返困")
    LEVEL = "level", _("调整困难程度")
    DELETED = "deleted", pgettext_lazy("archive event", "删除")
    MOVED = "moved", _("随会员转移")
    UNIT = "unit", _("调整所在单位")


class HouseholdEvent(models.Model):
    """A file's life: entered, reviewed, lifted out of hardship, fallen back, each with date and reason."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=10, choices=EventKind.choices)
    on = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=300)
    level = models.CharField(_("困难程度"), max_length=10, choices=Level.choices, blank=True)
    # None: recorded by the system, following the roster (a member's move takes the file along).
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("档案动态")
        verbose_name_plural = _("档案动态")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"


def attachment_path(instance, filename):
    return f"care/households/{instance.household_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Attachment(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("材料名称"), max_length=100)
    file = models.FileField(_("文件"), storage=private_storage, upload_to=attachment_path, max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return str(_("证明材料 %(pk)s") % {"pk": self.pk})
