"""Assistance given (帮扶救助): money or goods, what for, from which budget line, approved and signed for."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.files import private_storage
from core.validators import NOT_NEGATIVE
from orgs.access import UnitScopedQuerySet


class AssistanceKind(models.TextChoices):
    MONEY = "money", _("慰问金")
    GOODS = "goods", _("慰问品")


class Purpose(models.TextChoices):
    SONGNUAN = "songnuan", _("送温暖")
    MEDICAL = "medical", _("医疗救助")
    SCHOOL = "school", _("金秋助学")
    FESTIVAL = "festival", _("节日慰问")
    BIRTHDAY = "birthday", _("生日慰问")
    EMERGENCY = "emergency", _("临时救助")
    VISIT = "visit", _("探望慰问")
    COOLING = "cooling", _("夏季送清凉")


class AssistanceStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已发放")
    REJECTED = "rejected", _("未批准")


class AssistanceQuerySet(UnitScopedQuerySet):
    def given(self):
        """What counts as paid: approved (small amounts are approved on entry)."""
        return self.filter(status=AssistanceStatus.APPROVED)

    def not_rejected(self):
        """Paid or waiting for approval: what a cap counts and what shows a household was helped."""
        return self.exclude(status=AssistanceStatus.REJECTED)

    def in_year(self, year):
        return self.filter(given_on__year=year)


def receipt_path(instance, filename):
    return f"care/receipts/{instance.unit_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Assistance(models.Model):
    """One handing-over of money or goods to a person.

    ``budget_line`` is plain text until the finance app lands; the finance engineer connects
    it (see ``finance_payment``, left for that app to add as a one-to-one from its payment).
    """

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("发放单位"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "care.Household",
        verbose_name=_("困难档案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance",
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.CharField(_("受助人"), max_length=50)
    kind = models.CharField(_("形式"), max_length=10, choices=AssistanceKind.choices, default=AssistanceKind.MONEY)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2, help_text=_("慰问品按价值折算。"))
    goods = models.CharField(_("慰问品"), max_length=100, blank=True)
    purpose = models.CharField(_("用途"), max_length=12, choices=Purpose.choices)
    subject = models.CharField(
        _("事由"), max_length=50, blank=True, help_text=_("同一病种、同一子女等；上限按“每人每事由”计时据此区分。")
    )
    given_on = models.DateField(_("发放日期"))
    budget_line = models.CharField(_("经费科目"), max_length=100, blank=True, help_text=_("如“职工活动支出—送温暖”。"))
    campaign = models.ForeignKey(
        "care.Campaign",
        verbose_name=pgettext_lazy("care campaign", "活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    receipt = models.FileField(_("签收单"), storage=private_storage, upload_to=receipt_path, blank=True, max_length=300)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=AssistanceStatus.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Why a pending payment was not approved (a wrong amount, the wrong person): it was never handed over.
    reject_reason = models.CharField(_("未批准原因"), max_length=200, blank=True)

    objects = AssistanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶发放")
        verbose_name_plural = _("帮扶发放")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["unit", "given_on"], name="care_assist_unit_day_idx")]

    def __str__(self):
        return str(_("帮扶发放 %(pk)s") % {"pk": self.pk})

    @property
    def is_pending(self):
        return self.status == AssistanceStatus.PENDING


class AssistanceCap(models.Model):
    """A unit's limit for one purpose and year: how often and how much one person may be helped."""

    class Per(models.TextChoices):
        PERSON = "person", _("每人每年")
        SUBJECT = "subject", _("每人每事由每年")

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("用途"), max_length=12, choices=Purpose.choices)
    per = models.CharField(_("计算方式"), max_length=10, choices=Per.choices, default=Per.PERSON)
    max_times = models.PositiveSmallIntegerField(_("最多次数"), null=True, blank=True)
    max_amount = models.DecimalField(
        _("最高金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[NOT_NEGATIVE]
    )

    class Meta:
        verbose_name = _("帮扶上限")
        verbose_name_plural = _("帮扶上限")
        constraints = [models.UniqueConstraint(fields=["unit", "purpose"], name="care_cap_unit_purpose")]

    def __str__(self):
        return f"{self.get_purpose_display()} {self.get_per_display()}"
