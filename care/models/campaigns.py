"""Campaigns (送温暖, 金秋助学, 夏季送清凉): a list built from rules, split among officers, worked from a phone."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.encryption import EncryptedTextField
from core.language import written_date
from core.pinyin import full_pinyin
from core.validators import NOT_NEGATIVE
from orgs.access import UnitScopedQuerySet


class CampaignKind(models.TextChoices):
    SPRING = "spring", _("春节送温暖")
    MIDAUTUMN = "midautumn", _("中秋送温暖")
    SCHOOL = "school", _("金秋助学")
    COOLING = "cooling", _("夏季送清凉")
    OTHER = "other", _("其他慰问")


class CampaignQuerySet(UnitScopedQuerySet):
    def running(self):
        return self.filter(closed_at__isnull=True)


class Campaign(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=CampaignKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    standard_amount = models.DecimalField(
        _("每人标准（元）"), max_digits=10, decimal_places=2, default=0, validators=[NOT_NEGATIVE]
    )
    budget_line = models.CharField(_("经费科目"), max_length=100, blank=True)
    # The rules the list was built from, kept so the list can be rebuilt and explained.
    levels = models.JSONField(_("困难程度"), default=list, blank=True)
    include_retirees = models.BooleanField(_("退休职工"), default=False)
    include_sick_leave = models.BooleanField(_("长期病休职工"), default=False)
    include_model_workers = models.BooleanField(_("劳模和先进"), default=False)
    include_university = models.BooleanField(_("子女当年考入大学的职工"), default=False)
    schedule_item = models.ForeignKey(
        "plans.ScheduleItem",
        verbose_name=_("对应计划事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(pgettext_lazy("campaign closed", "结束时间"), null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("慰问活动")
        verbose_name_plural = _("慰问活动")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_running(self):
        return self.closed_at is None

    def date_problem(self, day) -> str:
        """Why ``day`` cannot date a visit or payment of the campaign, or "" when it can: one dated outside
        the campaign's period (2020-01-05 for 2027-01-05) would count in the campaign's totals and in
        another year's figures."""
        if not self.starts_on <= day <= self.ends_on:
            return _("日期应在活动期间（%(start)s至%(end)s）内。") % {
                "start": written_date(self.starts_on),
                "end": written_date(self.ends_on),
            }
        return ""


class EntryQuerySet(UnitScopedQuerySet):
    pass


# Why a person is on a list: stored as a code, shown in the reader's language.
ENTRY_REASONS = {
    "deep": _("深度困难"),
    "relative": _("相对困难"),
    "accident": _("意外致困"),
    "university": _("子女考入大学"),
    "retiree": _("退休职工"),
    "sick_leave": _("长期病休"),
    "model_worker": _("劳模或先进"),
}


# What a campaign's list shows beside each name: why the person is on it (深度困难, 长期病休), care data
# whose every read is logged, the rows of a page in one INSERT (core.audit.log_sensitive_reads).
ENTRY_LIST_FIELDS = [_("列入原因")]


class CampaignEntry(models.Model):
    """One person on a campaign's list, the officer who goes, and whether it is done."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("care.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    # Lists are read unit by unit in pinyin order (core.pinyin), as the roster is: kept by save() and by
    # campaign_build_list, which creates entries in bulk.
    name_pinyin = models.CharField(max_length=120, blank=True, editable=False)
    reason = models.CharField(_("列入原因"), max_length=100)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("走访人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    payment = models.OneToOneField(
        "care.Assistance", null=True, blank=True, on_delete=models.SET_NULL, related_name="campaign_entry"
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("慰问名单")
        verbose_name_plural = _("慰问名单")
        ordering = ["unit__path", "name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household"], name="care_entry_household"),
            models.UniqueConstraint(fields=["campaign", "member"], name="care_entry_member"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_pinyin = full_pinyin(self.name)[:120]
        super().save(*args, **kwargs)

    @property
    def reason_label(self):
        return ENTRY_REASONS.get(self.reason, self.reason)


class TagKind(models.TextChoices):
    SICK_LEAVE = "sick_leave", _("长期病休")
    MODEL_WORKER = "model_worker", _("劳模或先进")


class TagQuerySet(UnitScopedQuerySet):
    def active_on(self, day):
        return self.filter(models.Q(until__isnull=True) | models.Q(until__gte=day), since__lte=day)


class CareTag(models.Model):
    """What the roster does not record but campaigns ask: long sick leave, model workers."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", verbose_name=_("会员"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类别"), max_length=15, choices=TagKind.choices)
    since = models.DateField(_("起始日期"))
    until = models.DateField(_("截止日期"), null=True, blank=True)
    # A sick leave's note says why (腰椎手术后休养): health data, encrypted at rest.
    note = EncryptedTextField(_("说明"), max_length=100, blank=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        verbose_name = _("关爱对象标记")
        verbose_name_plural = _("关爱对象标记")

    def __str__(self):
        return self.get_kind_display()
