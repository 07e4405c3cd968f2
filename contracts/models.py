"""Collective contracts (集体合同) of company unions: the bargaining record, signing, filing with the
labour authority, the term and its expiry, and how many workers each covers, so that a federation
sees its rate of coverage and the contracts about to expire."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import term_last_day
from core.files import private_storage
from orgs.access import UnitScopedQuerySet

EXPIRY_NOTICE_DAYS = 60  # a contract this close to its end is renewed now, not after it lapses
LAPSED_RENEWAL_DAYS = 365  # a contract that lapsed unrenewed is still to be renewed for a year after
FILING_DAYS = 10  # 《集体合同规定》第四十二条：签字之日起10日内报送劳动保障行政部门审查


class Kind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合性集体合同")
    WAGES = "wages", _("工资专项集体合同")
    WOMEN = "women", _("女职工权益保护专项集体合同")


class Stage(models.TextChoices):
    BARGAINING = "bargaining", _("协商中")
    SIGNED = "signed", _("已签订")
    FILED = "filed", _("已备案")


class ContractQuerySet(UnitScopedQuerySet):
    def in_force(self, today):
        return self.exclude(stage=Stage.BARGAINING).filter(starts_on__lte=today, ends_on__gte=today)

    def expiring(self, today, days=EXPIRY_NOTICE_DAYS):
        return self.in_force(today).filter(ends_on__lte=today + datetime.timedelta(days=days))

    def due_for_renewal(self, today):
        """Signed contracts ending within the notice period or lapsed within the last year, neither renewed
        nor followed by a later contract of the same kind: a lapsed one is the more urgent, not done."""
        later = Contract.objects.filter(unit=OuterRef("unit"), kind=OuterRef("kind"), ends_on__gt=OuterRef("ends_on"))
        return (
            self.exclude(stage=Stage.BARGAINING)
            .filter(
                ends_on__gte=today - datetime.timedelta(days=LAPSED_RENEWAL_DAYS),
                ends_on__lte=today + datetime.timedelta(days=EXPIRY_NOTICE_DAYS),
                renewed_by__isnull=True,
            )
            .exclude(Exists(later))
        )


def document_path(instance, filename):
    return f"contracts/{instance.unit_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Contract(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("合同类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("合同名称"), max_length=100)
    employer = models.CharField(_("企业方"), max_length=100)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("终止日期"))
    workers_covered = models.PositiveIntegerField(_("覆盖职工人数"))
    stage = models.CharField(_("进展"), max_length=12, choices=Stage.choices, default=Stage.BARGAINING)
    congress_approval = models.CharField(
        _("审议通过的会议"), max_length=100, blank=True, help_text=_("如“第三届职代会第二次会议”。")
    )
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    filed_with = models.CharField(_("备案机关"), max_length=100, blank=True)
    document = models.FileField(
        _("合同文本"), storage=private_storage, upload_to=document_path, blank=True, max_length=300
    )
    renews = models.OneToOneField(
        "self",
        verbose_name=_("续签的合同"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewed_by",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("集体合同")
        verbose_name_plural = _("集体合同")
        ordering = ["-ends_on", "-id"]
        indexes = [models.Index(fields=["unit", "ends_on"], name="contracts_unit_end_idx")]

    def __str__(self):
        return self.title

    def renewal_term(self) -> tuple[datetime.date, datetime.date]:
        """The term a renewal proposes: from the day after this one ends, for as many whole years."""
        years = max(1, round((self.ends_on - self.starts_on).days / 365))
        starts_on = self.ends_on + datetime.timedelta(days=1)
        return starts_on, term_last_day(starts_on, years)

    def filing_due(self) -> datetime.date | None:
        """The last day to file a signed contract with the labour authority; None once filed or unsigned."""
        if self.stage != Stage.SIGNED or self.signed_on is None:
            return None
        return self.signed_on + datetime.timedelta(days=FILING_DAYS)

    def state(self, today) -> str:
        """bargaining, in force, expiring (within the notice period), expired, or not yet started."""
        if self.stage == Stage.BARGAINING:
            return "bargaining"
        if self.ends_on < today:
            return "expired"
        if self.starts_on > today:
            return "upcoming"
        if self.ends_on <= today + datetime.timedelta(days=EXPIRY_NOTICE_DAYS):
            return "expiring"
        return "in_force"


class StepKind(models.TextChoices):
    REQUEST = "request", _("提出协商要约")
    ROUND = "round", _("协商会议")
    CONGRESS = "congress", _("职代会审议")
    SIGNING = "signing", _("签字")
    FILING = "filing", _("报送备案")
    OTHER = "other", _("其他")


class Step(models.Model):
    """One step of the bargaining record: the request to bargain, each round, the congress's vote."""

    contract = models.ForeignKey(Contract, verbose_name=_("集体合同"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=10, choices=StepKind.choices)
    on = models.DateField(_("日期"))
    note = models.TextField(_("记录"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("协商记录")
        verbose_name_plural = _("协商记录")
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_kind_display()}"
