"""The work that flows between a unit and the one above it.

- ``Filing``: one thing a unit hands to its parent (a plan, a year-end summary, an activity summary,
  a report call's figures, later a self-check), with its state and every filed version kept
  unchanged (``FilingVersion``), each with the parent's decision on it. The workflow is in ``federation.filing``.
- ``FilingCall``: what a parent asks of the units directly below it, with a deadline: "file your
  2026 plan by March 31", or a report call (报表任务) with its fields (``ReportField``).
- ``HandedDownTarget``: a federation's own plan target handed down to the units below
  (a default for all, ``TargetShare`` overrides per unit).
- ``ReminderSent``: one deadline reminder to one unit, so the reminder job can be rerun.
- ``ApiToken``: a personal access token for the JSON API, hashed at rest.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.access import EVERYTHING, UnitScopedQuerySet, scope_paths, subtree_q, units_with
from plans.models import default_plan_year, default_summary_year

REVIEW = "federation.review"  # the issuing unit's side of a call
FILE = "federation.file"  # the side of the units a call asks


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FILED = "filed", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已采纳")


class UnitState(models.TextChoices):
    """What a parent sees per unit below it for one call: the filing's status, or late, or nothing yet."""

    NOT_STARTED = "not_started", _("未开始")
    DRAFT = "draft", _("草稿")
    FILED = "filed", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已采纳")
    LATE = "late", _("逾期未报")
    # Set up after the call was issued and after its deadline: never asked (FilingCall.asks).
    NOT_ASKED = "not_asked", _("无需报送")


class CallKind(models.TextChoices):
    PLAN = "plans.plan", _("年度工作计划")
    SUMMARY = "plans.summary", _("年度工作总结")
    REPORT = "federation.report", _("报表任务")

    def default_year(self, today: datetime.date) -> int:
        """The year a call of this kind asks about unless the county says otherwise: the plan being
        written (next year's from October), the summary being written (the year now ending), and for
        a report the current year. A plan's year is the one the unit's own create page offers."""
        if self == CallKind.PLAN:
            return default_plan_year(today)
        if self == CallKind.SUMMARY:
            return default_summary_year(today)
        return today.year


def _whether(condition):
    """``condition`` read back as a boolean per row: False, not the "0" PostgreSQL returns for a condition
    that matches nothing (a user with no role on that side)."""
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _in_scope(user, permission, path_field):
    """The access rule (orgs.access) as a condition on ``path_field``: it can be combined with another
    side's, or read back as whether a row was let in by this side (an annotation)."""
    paths = scope_paths(user, permission)
    if paths is EVERYTHING:
        return Q(pk__isnull=False)
    return subtree_q(paths, path_field)


class FilingCallQuerySet(UnitScopedQuerySet):
    """Who meets a call: the reviewers of the unit that issued it (``federation.review`` on it, from a
    role there or above) and the filers of each unit it asks (``federation.file`` held on that unit itself:
    a county chair files for the county, not for every union below it)."""

    def visible_to(self, user, permission):
        """With ``federation.file``: the calls addressed to the units where the user files. With any other
        permission (``federation.review``): the calls issued by a unit in the user's scope."""
        if permission == FILE:
            return self.addressed_to(units_with(user, FILE))
        return super().visible_to(user, permission)

    def addressed_to(self, units):
        """Calls that ask one of ``units`` to file (``FilingCall.addresses``, for many calls at once)."""
        return self.filter(_addressed_to(units))

    def reviewed_or_filed_by(self, user):
        """The calls ``user`` reviews or files, each with ``user_reviews``: whether the user meets it as
        its reviewer (a call's page, and the API's one call, open for either side)."""
        reviews = _in_scope(user, REVIEW, "unit__path")
        return self.filter(reviews | _addressed_to(units_with(user, FILE))).annotate(user_reviews=_whether(reviews))


def _addressed_to(units):
    """Issued by the unit directly above one of ``units``, and asking it (FilingCall.asks)."""
    condition = Q(pk__in=[])
    for unit in units:
        if unit.is_active and unit.depth > 1:
            condition |= Q(unit__path=unit.path[: -unit.steplen]) & (
                # set up before the call was issued, or on or before its deadline
                Q(created_at__gte=unit.created_at) | Q(due__gte=timezone.localdate(unit.created_at))
            )
    return condition


class FilingCall(models.Model):
    """A parent unit asks every active unit directly below it to file something by ``due``."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("下达单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=40, choices=CallKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    instructions = models.TextField(_("说明"), blank=True)
    due = models.DateField(_("截止日期"))
    created_at = models.DateTimeField(_("下达时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("下达人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FilingCallQuerySet.as_manager()

    class Meta:
        verbose_name = _("报送任务")
        verbose_name_plural = _("报送任务")
        ordering = ["-due", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_report(self):
        return self.kind == CallKind.REPORT

    def first_day_after_due(self):
        """The moment the deadline has passed (the start of the day after it, in the site's time)."""
        after = self.due + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(after, datetime.time.min))

    def added_too_late(self):
        """The units this call does not ask, though they are below its unit now: added after it was issued
        and after its deadline (a union set up in December was "late" for the plan due in March)."""
        return Q(created_at__gt=self.created_at, created_at__gte=self.first_day_after_due())

    def asks(self, unit) -> bool:
        """Whether ``unit``, directly below the call's unit, is asked to file (added_too_late)."""
        return not (unit.created_at > self.created_at and unit.created_at >= self.first_day_after_due())

    def addresses(self, unit) -> bool:
        """Whether the call asks ``unit`` to file: an active unit directly below the call's, asked (asks).
        ``FilingCall.objects.addressed_to`` is the same question for many calls."""
        return (
            unit.is_active
            and unit.depth == self.unit.depth + 1
            and unit.path.startswith(self.unit.path)
            and self.asks(unit)
        )


class ReportField(models.Model):
    """One column of a report call: filled from a metric of the unit's own data, or typed."""

    call = models.ForeignKey(FilingCall, verbose_name=_("报表任务"), on_delete=models.CASCADE, related_name="fields")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    label = models.CharField(_("栏目"), max_length=100)
    metric = models.CharField(_("取数来源"), max_length=60, blank=True, help_text=_("留空表示由下级填写。"))
    measure = models.CharField(_("计量单位"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("报表栏目")
        verbose_name_plural = _("报表栏目")
        ordering = ["call", "order", "id"]

    def __str__(self):
        return self.label

    @property
    def key(self):
        """The key of this field's value in a filing's data (stable even if the label changes)."""
        return f"f{self.pk}"


class FilingQuerySet(UnitScopedQuerySet):
    """Who meets a filing: the reviewers of the unit it goes to and the filers of the unit that files it,
    each with the permission its kind names (federation.filing.FilingKind: ``federation.review`` and
    ``federation.file`` for plans, summaries and reports; ``activities.manage`` both ways for activity
    summaries). A unit never reviews its own filing: the reviewers' side is the parent's scope."""

    def for_parent(self, unit):
        return self.filter(parent=unit)

    def visible_to(self, user, permission):
        """Filings ``permission`` opens to ``user``: of the kinds reviewed with it, those filed to a unit
        in the user's scope; of the kinds filed with it, those of a unit in the scope. Nothing for a
        permission no kind names."""
        reviews, files = _filing_sides(user, permission)
        return self.filter(reviews | files)

    def reviewed_or_filed_by(self, user):
        """Every filing ``user`` reviews or files, whatever its kind, each with ``user_reviews``: whether
        the user meets it as its reviewer (the filing's page shows the review form then)."""
        reviews, files = _filing_sides(user)
        return self.filter(reviews | files).annotate(user_reviews=_whether(reviews))

    def with_sides(self, user):
        """Each filing with ``user_opens`` (``reviewed_or_filed_by`` lets the user open it) and
        ``user_reviews``: for a list that names filings the user may not open."""
        reviews, files = _filing_sides(user)
        return self.annotate(user_opens=_whether(reviews | files), user_reviews=_whether(reviews))


def _filing_sides(user, permission=None):
    """(reviews, files): the reviewers' side and the filers' side as conditions, for the kinds reviewed
    and filed with ``permission``, or for every kind with its own permissions."""
    from federation.filing import kinds_by_file_permission, kinds_by_review_permission

    def side(kinds_by_permission, path_field):
        condition = Q(pk__in=[])
        for granting, kinds in kinds_by_permission.items():
            if permission in (None, granting):
                condition |= Q(kind__in=kinds) & _in_scope(user, granting, path_field)
        return condition

    return side(kinds_by_review_permission(), "parent__path"), side(kinds_by_file_permission(), "unit__path")


class Filing(models.Model):
    """One thing ``unit`` hands to ``parent``; ``data`` is the current draft, versions are what was filed."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("审阅单位"), on_delete=models.PROTECT, related_name="received_filings"
    )
    kind = models.CharField(_("类型"), max_length=40)  # a key registered in federation.filing
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    call = models.ForeignKey(
        FilingCall, verbose_name=_("报送任务"), null=True, blank=True, on_delete=models.CASCADE, related_name="filings"
    )
    # The record filed, when there is one (a plan, an activity summary); report calls have none.
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    data = models.JSONField(_("内容"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=FilingStatus.choices, default=FilingStatus.DRAFT)
    due = models.DateField(_("截止日期"), null=True, blank=True)
    filed_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审阅人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.CharField(_("审阅意见"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("报备")
        verbose_name_plural = _("报备")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "unit"], name="filing_one_per_call_and_unit"),
            models.UniqueConstraint(fields=["subject_type", "subject_id"], name="filing_one_per_subject"),
        ]
        indexes = [models.Index(fields=["parent", "status"], name="filing_parent_status_idx")]

    def __str__(self):
        return self.title

    @property
    def is_editable(self):
        return self.status in (FilingStatus.DRAFT, FilingStatus.RETURNED)

    def filed_late(self) -> bool:
        # The day it was filed where the union is: 07:00 on the day after the deadline is UTC's deadline day.
        return bool(self.due and self.filed_at and timezone.localdate(self.filed_at) > self.due)

    def unit_state(self, today) -> str:
        """The state its parent sees: a draft is late once the deadline passed; returned work stays
        "returned" (the unit filed, the parent asked for changes), whatever the date."""
        if self.status == FilingStatus.DRAFT and self.due and today > self.due:
            return UnitState.LATE
        return self.status


class ReviewDecision(models.TextChoices):
    RETURNED = FilingStatus.RETURNED.value, _("已退回")
    ACCEPTED = FilingStatus.ACCEPTED.value, _("已采纳")


class FilingVersion(models.Model):
    """Exactly what was filed, once: never changed afterwards, whatever happens to the draft.

    The parent's decision on it is recorded beside it when made: ``Filing.comment`` says only the
    latest, and the reviewer of a version filed again checks it against what was asked of the last.
    """

    filing = models.ForeignKey(Filing, verbose_name=_("报备"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=200)
    data = models.JSONField(_("内容"))
    filed_at = models.DateTimeField(_("报送时间"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(_("审阅结果"), max_length=20, choices=ReviewDecision.choices, blank=True)
    reviewed_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审阅人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.CharField(_("审阅意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("报送版本")
        verbose_name_plural = _("报送版本")
        ordering = ["filing", "-number"]
        constraints = [models.UniqueConstraint(fields=["filing", "number"], name="filing_version_unique_number")]

    def __str__(self):
        return f"{self.title} v{self.number}"


class HandedDownTargetQuerySet(UnitScopedQuerySet):
    pass


class HandedDownTarget(models.Model):
    """A federation's own plan target, handed down to every unit directly below it.

    Each unit's plan for the year gets a target linked to the federation's (plans.Target.parent_target)
    that its officers cannot delete; the value is the default or the unit's own share.
    """

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("下达单位"), on_delete=models.PROTECT, related_name="+")
    target = models.OneToOneField(
        "plans.Target", verbose_name=_("本级目标"), on_delete=models.CASCADE, related_name="handed_down"
    )
    default_value = models.DecimalField(_("默认分解值"), max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(_("下达时间"), auto_now_add=True)

    objects = HandedDownTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("下达目标")
        verbose_name_plural = _("下达目标")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return str(self.target)


class TargetShare(models.Model):
    """One unit's own value of a handed-down target, instead of the default."""

    handed_down = models.ForeignKey(HandedDownTarget, on_delete=models.CASCADE, related_name="shares")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("分解值"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("目标分解值")
        verbose_name_plural = _("目标分解值")
        constraints = [models.UniqueConstraint(fields=["handed_down", "unit"], name="target_share_one_per_unit")]

    def __str__(self):
        return f"{self.unit_id}: {self.value}"


class ReminderSent(models.Model):
    """A deadline reminder already sent to one unit for one call on one day ahead of its deadline."""

    call = models.ForeignKey(FilingCall, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    due = models.DateField()  # the deadline reminded of: a moved deadline is reminded again
    sent_on = models.DateField()
    manual = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "unit", "due", "sent_on"], name="reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.call_id}/{self.unit_id} {self.sent_on}"


class TokenScope(models.TextChoices):
    READ = "read", _("只读")
    WRITE = "write", _("读写")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal access token for the JSON API; only its SHA-256 is stored, shown once at creation."""

    PREFIX = "gh_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=60)
    scope = models.CharField(_("权限"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("末四位"), max_length=4)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], condition=models.Q(revoked_at__isnull=True), name="api_token_active_name"
            )
        ]

    def __str__(self):
        return self.name

    @classmethod
    def new_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
