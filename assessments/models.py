"""Assessments: a federation's schemes (criteria with points), rounds of a scheme for a year, and
each unit's self-check in a round with its scores, evidence, the parent's review and visits."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import private_storage
from orgs.access import EVERYTHING, UnitScopedQuerySet, ancestor_paths, scope_paths, subtree_q


class SchemeQuerySet(UnitScopedQuerySet):
    def visible_to(self, user, permission):
        """A federation's schemes are read by its own officers and by the units below it."""
        paths = scope_paths(user, permission)
        if paths is EVERYTHING:
            return self
        if not paths:
            return self.none()
        return self.filter(subtree_q(paths, "unit__path") | Q(unit__path__in=ancestor_paths(paths)))


class Scheme(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("方案名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    template_key = models.CharField(_("模板"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def total_points(self) -> Decimal:
        return sum((c.points for c in self.criteria.all()), Decimal(0))


class Criterion(models.Model):
    """One line of a scheme; ``rule`` (a key of assessments.rules) scores it from the record."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="criteria")
    group = models.CharField(_("类别"), max_length=60)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("考核内容"), max_length=300)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    evidence = models.CharField(_("佐证材料"), max_length=300, blank=True)
    rule = models.CharField(_("自动评分规则"), max_length=40, blank=True)
    metric = models.CharField(_("统计指标"), max_length=60, blank=True)
    threshold = models.DecimalField(_("达标值"), max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("考核细则")
        verbose_name_plural = _("考核细则")
        ordering = ["scheme", "order", "id"]

    def __str__(self):
        return self.title


class RoundStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    # The ranking is published for a number of working days in which anyone may object; the titles are
    # conferred only after it ends with every objection answered (DOMAIN: a selection's 公示).
    PUBLICIZING = "publicizing", _("结果公示中")
    CLOSED = "closed", _("已结束")


class RoundQuerySet(UnitScopedQuerySet):
    def visible_to(self, user, permission):
        """The federation's officers see its rounds; so do the units below it, which may take part."""
        paths = scope_paths(user, permission)
        if paths is EVERYTHING:
            return self
        if not paths:
            return self.none()
        return self.filter(subtree_q(paths, "unit__path") | Q(unit__path__in=ancestor_paths(paths)))


class Round(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    deadline = models.DateField(_("自评截止日期"))
    award_title = models.CharField(_("授予称号"), max_length=100)
    award_years = models.PositiveSmallIntegerField(_("称号有效期（年）"), default=3)
    award_min_score = models.DecimalField(_("授予称号的最低得分"), max_digits=6, decimal_places=1, default=90)
    invited = models.ManyToManyField("orgs.OrgUnit", verbose_name=_("参评单位"), blank=True, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    publicity_workdays = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    publicity_from = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_until = models.DateField(_("公示截止"), null=True, blank=True)
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核评比")
        verbose_name_plural = _("考核评比")
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status == RoundStatus.OPEN

    @property
    def is_publicizing(self):
        return self.status == RoundStatus.PUBLICIZING

    def publicity_over(self, today: datetime.date) -> bool:
        return self.is_publicizing and today > self.publicity_until

    def may_object(self, today: datetime.date) -> bool:
        return self.is_publicizing and self.publicity_from <= today <= self.publicity_until


class CheckStatus(models.TextChoices):
    DRAFT = "draft", _("自评中")
    SUBMITTED = "submitted", _("待审核")
    REVIEWED = "reviewed", _("已审核")


class SelfCheckQuerySet(UnitScopedQuerySet):
    def visible_to(self, user, permission):
        """A unit's own officers see its self-check at every stage; officers above it only once it
        is submitted (a draft is the unit's own work); siblings never (their scope does not reach)."""
        paths = scope_paths(user, permission)
        if paths is EVERYTHING:
            return self
        if not paths:
            return self.none()
        own = Q(unit__path__in=paths)
        below = subtree_q(paths, "unit__path") & ~Q(status=CheckStatus.DRAFT)
        return self.filter(own | below)

    def ranked(self):
        return self.filter(status=CheckStatus.REVIEWED).order_by("rank", "unit__path")


class SelfCheck(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("考核评比"), on_delete=models.CASCADE, related_name="checks")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("参评单位"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.DRAFT)
    summary = models.TextField(_("自评说明"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    self_total = models.DecimalField(_("自评得分"), max_digits=6, decimal_places=1, null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.DecimalField(_("审核得分"), max_digits=6, decimal_places=1, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    awarded_on = models.DateField(_("授予日期"), null=True, blank=True)
    expires_on = models.DateField(_("称号到期日"), null=True, blank=True)
    # What reminders went out, so that the daily job tells each unit once (a deadline moved is told again).
    reminded_deadline = models.DateField(null=True, blank=True, editable=False)
    reminded_expiry = models.DateField(null=True, blank=True, editable=False)

    objects = SelfCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("自评")
        verbose_name_plural = _("自评")
        ordering = ["round", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="assessments_one_check_per_unit")]

    def __str__(self):
        return f"{self.round} · {self.unit}"

    @property
    def is_draft(self):
        return self.status == CheckStatus.DRAFT

    def title_expired(self, today: datetime.date) -> bool:
        return bool(self.expires_on and self.expires_on < today)


class Score(models.Model):
    """A criterion of one self-check: the unit's score (or the rule's, frozen at submission) and the review."""

    selfcheck = models.ForeignKey(SelfCheck, verbose_name=_("自评"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("考核细则"), on_delete=models.PROTECT, related_name="+")
    claimed = models.DecimalField(_("自评分"), max_digits=5, decimal_places=1, null=True, blank=True)
    note = models.TextField(_("自评说明"), blank=True)
    rule_value = models.CharField(_("记录中的数据"), max_length=200, blank=True)
    rule_evidence = models.JSONField(_("记录中的佐证"), default=list, blank=True)
    agreed = models.BooleanField(_("同意自评分"), null=True)
    reviewed = models.DecimalField(_("审核分"), max_digits=5, decimal_places=1, null=True, blank=True)
    reason = models.CharField(_("调整理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["selfcheck", "criterion__order", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["selfcheck", "criterion"], name="assessments_one_score")]

    def __str__(self):
        return str(self.criterion)

    def final(self) -> Decimal | None:
        """The score that counts: the reviewer's when adjusted, else the claimed one once agreed."""
        if self.agreed is False:
            return self.reviewed
        if self.agreed:
            return self.claimed
        return None


class EvidenceQuerySet(UnitScopedQuerySet):
    pass


def _evidence_path(instance, filename):
    return f"assessments/{instance.selfcheck_id}/{filename}"


class Evidence(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    selfcheck = models.ForeignKey(SelfCheck, verbose_name=_("自评"), on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("考核细则"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("文字说明"), blank=True)
    file = models.FileField(_("文件或照片"), upload_to=_evidence_path, storage=private_storage, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["selfcheck", "criterion_id", "id"]

    def __str__(self):
        return self.text[:40] or self.file.name

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""

    @property
    def is_image(self):
        return self.filename.lower().endswith((".jpg", ".jpeg", ".png", ".webp"))


class Visit(models.Model):
    """An on-site inspection of a unit by the parent while reviewing its self-check."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    selfcheck = models.ForeignKey(SelfCheck, verbose_name=_("自评"), on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("检查日期"))
    visitors = models.CharField(_("检查人员"), max_length=200)
    notes = models.TextField(_("检查情况"))

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("实地检查")
        verbose_name_plural = _("实地检查")
        ordering = ["selfcheck", "visited_on", "id"]

    def __str__(self):
        return f"{self.visited_on} {self.visitors}"


class Objection(models.Model):
    """An objection to a round's published result, raised during its 公示 by an officer of a unit
    that sees the round, and answered by the organizer. An upheld one sends the round back to review."""

    round = models.ForeignKey(Round, verbose_name=_("考核评比"), on_delete=models.CASCADE, related_name="objections")
    selfcheck = models.ForeignKey(
        SelfCheck,
        verbose_name=_("针对的单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objections",
    )
    text = models.TextField(_("异议内容"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("提出人")
    )
    raised_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("提出单位"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_on = models.DateField(_("收到日期"))
    answer = models.TextField(_("答复"), blank=True)
    upheld = models.BooleanField(_("异议成立"), null=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["round", "received_on", "id"]

    def __str__(self):
        return self.text[:30]

    @property
    def is_answered(self):
        return self.answered_on is not None
