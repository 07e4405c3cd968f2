"""The staff congress: a term (届) of a unit's congress, its representatives, its sessions (次)
with check-in, quorum and resolutions."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.officialdoc import chinese_numeral
from democracy.models.base import DemocracyQuerySet


def congress_label(unit) -> str:
    """教代会 for schools and offices, 职代会 for companies: the label follows the unit's type."""
    from plans.plan_templates import suggested_for

    return str(_("职代会")) if suggested_for(unit) == "company" else str(_("教代会"))


def numeral(number: int) -> str:
    """三 in Chinese pages (三届五次, as officers write it), 3 in English ones."""
    return chinese_numeral(number) if (get_language() or "zh").startswith("zh") else str(number)


def share_reached(part: int, whole: int, numerator: int, denominator: int, *, strictly: bool) -> bool:
    """Is part/whole at least (or, strictly, more than) numerator/denominator? Integers only, so
    two thirds of 30 is exactly 20 with no rounding."""
    if whole <= 0:
        return False
    left, right = part * denominator, whole * numerator
    return left > right if strictly else left >= right


class Congress(models.Model):
    """One term (届) of a unit's congress, with its rules: quorum, passing share, quotas."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("届次"))
    starts_on = models.DateField(_("本届开始"))
    ends_on = models.DateField(_("本届结束"), null=True, blank=True)
    quorum_numerator = models.PositiveSmallIntegerField(_("到会比例（分子）"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("到会比例（分母）"), default=3)
    pass_numerator = models.PositiveSmallIntegerField(_("通过比例（分子）"), default=1)
    pass_denominator = models.PositiveSmallIntegerField(_("通过比例（分母）"), default=2)
    women_share = models.PositiveSmallIntegerField(_("女代表不少于（%）"), default=0)
    frontline_share = models.PositiveSmallIntegerField(_("一线教职工代表不少于（%）"), default=0)
    young_share = models.PositiveSmallIntegerField(_("青年代表不少于（%）"), default=0)
    cosigners_required = models.PositiveSmallIntegerField(_("提案需附议人数"), default=2)
    answer_workdays = models.PositiveSmallIntegerField(_("提案办理期限（工作日）"), default=15)

    objects = DemocracyQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表大会届")
        verbose_name_plural = _("代表大会届")
        ordering = ["unit", "-number"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="democracy_unique_congress_term")]

    def __str__(self):
        return _("%(unit)s%(term)s%(label)s") % {
            "unit": self.unit.display_name,
            "term": self.term_label,
            "label": self.label,
        }

    @property
    def label(self):
        return congress_label(self.unit)

    @property
    def term_label(self):
        return _("第%(n)s届") % {"n": numeral(self.number)}


def serving_q(day, prefix=""):
    """In office on ``day``: elected on or before it and not yet left. ``prefix`` reaches representatives
    from another model (``"representatives__"`` from a congress, to count them)."""
    return Q(**{f"{prefix}elected_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


class RepresentativeQuerySet(DemocracyQuerySet):
    def serving(self, day):
        """Those in office on ``day`` (serving_q). A session counts its quorum and its vote among those
        serving on the day it is held, so a representative who leaves mid-term (调离、退休) or one elected
        in a by-election (补选) changes later sessions only."""
        return self.filter(serving_q(day))


class Representative(models.Model):
    """A member elected to a term of the congress, in a delegation (代表团) by sub-union or group."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("届"), on_delete=models.CASCADE, related_name="representatives"
    )
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.PROTECT, related_name="representations"
    )
    delegation = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("代表团"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_frontline = models.BooleanField(_("一线教职工"), default=True)
    token = models.CharField(max_length=32, unique=True, editable=False)
    elected_on = models.DateField(_("当选日期"))
    # The first day no longer in office; the reason as the officers' record says it (调离、退休、辞去代表职务).
    left_on = models.DateField(_("卸任日期"), null=True, blank=True)
    left_reason = models.CharField(_("卸任原因"), max_length=100, blank=True)

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表")
        verbose_name_plural = _("代表")
        ordering = ["congress", "member__name_pinyin"]
        constraints = [models.UniqueConstraint(fields=["congress", "member"], name="democracy_unique_representative")]

    def __str__(self):
        return self.member.name

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(16)
        if self.elected_on is None:
            self.elected_on = self.congress.starts_on  # elected with the term, unless a by-election says when
        super().save(*args, **kwargs)


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    OPEN = "open", _("开会中")
    CLOSED = "closed", _("已闭幕")


class Session(models.Model):
    """A session (次) of a term, written as officers write it: 三届五次."""

    congress = models.ForeignKey(Congress, verbose_name=_("届"), on_delete=models.PROTECT, related_name="sessions")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(pgettext_lazy("session number", "次"))
    held_on = models.DateField(_("开会日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    agenda = models.TextField(_("议程"), blank=True, help_text=_("每行一项。"))
    reports = models.TextField(_("会议报告"), blank=True, help_text=_("每行一个报告的标题。"))
    minutes = models.TextField(_("会议纪要"), blank=True)
    proposals_open_on = models.DateField(_("提案征集开始"))
    proposals_close_on = models.DateField(_("提案征集截止"))
    status = models.CharField(_("状态"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    schedule_item = models.ForeignKey(
        "plans.ScheduleItem",
        verbose_name=_("计划事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("闭幕时间"), null=True, blank=True)

    objects = DemocracyQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表大会会议")
        verbose_name_plural = _("代表大会会议")
        ordering = ["-held_on"]
        constraints = [models.UniqueConstraint(fields=["congress", "number"], name="democracy_unique_session")]

    def __str__(self):
        return self.name

    @property
    def short_name(self):
        """三届五次."""
        return _("%(term)s届%(n)s次") % {"term": numeral(self.congress.number), "n": numeral(self.number)}

    @property
    def name(self):
        return _("%(unit)s%(label)s%(term)s第%(n)s次会议") % {
            "unit": self.unit.display_name,
            "label": self.congress.label,
            "term": self.congress.term_label,
            "n": numeral(self.number),
        }

    def window_open(self, day) -> bool:
        return self.proposals_open_on <= day <= self.proposals_close_on

    def agenda_lines(self):
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    def report_lines(self):
        return [line.strip() for line in self.reports.splitlines() if line.strip()]


class Attendance(models.Model):
    """A representative checked in at a session (scanned or ticked)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    representative = models.ForeignKey(Representative, on_delete=models.CASCADE, related_name="attendances")
    checked_in_at = models.DateTimeField(_("签到时间"))
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("代表签到")
        verbose_name_plural = _("代表签到")
        constraints = [
            models.UniqueConstraint(fields=["session", "representative"], name="democracy_unique_attendance")
        ]

    def __str__(self):
        return f"{self.representative} · {self.session}"


class ResolutionStatus(models.TextChoices):
    DRAFT = "draft", _("待表决")
    VOTING = "voting", _("表决中")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")


class Resolution(models.Model):
    """A matter the session votes on (a report, a plan, a resolution): opened only with a quorum
    present, passed with more than the configured share of all representatives."""

    session = models.ForeignKey(Session, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="resolutions")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("表决事项"), max_length=200)
    text = models.TextField(_("决议内容"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ResolutionStatus.choices, default=ResolutionStatus.DRAFT
    )
    present_when_opened = models.PositiveIntegerField(_("开始表决时到会人数"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("赞成"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("反对"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("弃权"), null=True, blank=True)

    objects = DemocracyQuerySet.as_manager()

    class Meta:
        verbose_name = _("表决事项")
        verbose_name_plural = _("表决事项")
        ordering = ["session", "pk"]

    def __str__(self):
        return self.title
