"""Proposals (提案) of representatives and rationalization suggestions (合理化建议) of any member:
one record and one machine (submit, vet, route, answer, rate), the kind telling them apart."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from democracy.models.base import RemembersLoaded
from orgs.access import EVERYTHING, UnitScopedQuerySet, scope_paths, subtree_q


class Kind(models.TextChoices):
    PROPOSAL = "proposal", _("提案")
    SUGGESTION = "suggestion", _("合理化建议")


class ProposalStatus(models.TextChoices):
    COSIGNING = "cosigning", _("征集附议")
    SUBMITTED = "submitted", _("待审查")
    REJECTED = "rejected", _("不予立案")
    MERGED = "merged", _("已并案")
    ROUTED = "routed", _("办理中")
    ANSWERED = "answered", _("已答复")
    REOPENED = "reopened", _("重新办理")
    CLOSED = "closed", _("已办结")
    # Taken back by its author before the committee vetted it: kept (the co-signers put their names to
    # it, and the committee saw it), counted nowhere.
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = (ProposalStatus.ROUTED, ProposalStatus.REOPENED)
# 立案: accepted by the committee and handed to a department (suggestions: routed).
ACCEPTED = (ProposalStatus.ROUTED, ProposalStatus.ANSWERED, ProposalStatus.REOPENED, ProposalStatus.CLOSED)


class Category(models.TextChoices):
    TEACHING = "teaching", _("教育教学")
    LOGISTICS = "logistics", _("后勤保障")
    WELFARE = "welfare", _("福利待遇")
    SAFETY = "safety", _("安全稳定")
    MANAGEMENT = "management", _("管理制度")
    OTHER = "other", _("其他")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    NOT_SATISFIED = "not_satisfied", _("不满意")


class Outcome(models.TextChoices):
    """What became of a suggestion."""

    ADOPTED = "adopted", pgettext_lazy("proposal outcome", "采纳")
    PARTLY = "partly", _("部分采纳")
    REJECTED = "rejected", _("不予采纳")


ADOPTED = (Outcome.ADOPTED, Outcome.PARTLY)
SATISFIED = (Rating.SATISFIED, Rating.BASICALLY)  # what the satisfaction rate counts as satisfied


class ProposalQuerySet(UnitScopedQuerySet):
    def for_user(self, user):
        """What a person may read: everything of the units they oversee (democracy.view), their
        own, those they co-signed or may co-sign (a representative of the session's term), and
        those routed to them."""
        if not user.is_authenticated:
            return self.none()
        paths = scope_paths(user, "democracy.view")
        if paths is EVERYTHING:
            return self
        personal = (
            Q(author=user)
            | Q(handler=user)
            | Q(co_handlers=user)
            | Q(session__congress__representatives__member__user=user)
        )
        # A withdrawn one is its author's and the committee's only: the representatives who could have
        # co-signed it, and anyone else it names, no longer read it.
        personal = Q(author=user) | (personal & ~Q(status=ProposalStatus.WITHDRAWN))
        ids = self.filter(personal).values("pk")
        return self.filter(subtree_q(paths, "unit__path") | Q(pk__in=ids))

    def received(self):
        """Those the figures count as received: all but the withdrawn."""
        return self.exclude(status=ProposalStatus.WITHDRAWN)

    def overdue(self, today):
        return self.filter(status__in=OPEN_STATUSES, due_on__lt=today)

    def proposals(self):
        return self.filter(kind=Kind.PROPOSAL)

    def suggestions(self):
        return self.filter(kind=Kind.SUGGESTION)


class Proposal(RemembersLoaded, models.Model):
    """A proposal or a suggestion, from its writing to its closing."""

    # The fields the roll-ups count it by (democracy.rollup): a save changing none of them moves no figure.
    COUNTED_FIELDS = ("unit_id", "kind", "status", "submitted_on", "first_answered_on", "answered_on_time", "outcome")

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.PROPOSAL)
    session = models.ForeignKey(
        "democracy.Session",
        verbose_name=_("会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    # The sequence the number was given in; none while unnumbered (see NumberSequence).
    sequence = models.ForeignKey(
        "democracy.NumberSequence", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("案由"), max_length=100)
    reasons = models.TextField(_("理由"))
    measures = models.TextField(_("建议措施"))
    status = models.CharField(_("状态"), max_length=16, choices=ProposalStatus.choices)
    submitted_on = models.DateField(_("提出日期"))
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices, blank=True)
    vetting_reason = models.CharField(_("审查意见"), max_length=300, blank=True)
    from_proposal = models.BooleanField(_("由提案转来"), default=False)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("主办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.CharField(_("主办部门"), max_length=50, blank=True)
    co_handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("协办人"), blank=True, related_name="+"
    )
    routed_on = models.DateField(_("交办日期"), null=True, blank=True)
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    first_answered_on = models.DateField(_("首次答复日期"), null=True, blank=True)
    # Whether the first answer came by the deadline it then had (按期答复); None while unanswered. Kept, not
    # compared later: a "not satisfied" gives the item a new deadline, which the first answer did not have.
    answered_on_time = models.BooleanField(_("按期答复"), null=True, editable=False)
    reopened = models.BooleanField(_("已重新办理"), default=False)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    # Why the chair last changed the handler, department or deadline of a routed item (shown on its page).
    reassign_note = models.CharField(_("改派说明"), max_length=300, blank=True)
    # The deadline each reminder was last sent for, so a daily run reminds once per deadline.
    reminded_soon_for = models.DateField(null=True, blank=True, editable=False)
    reminded_late_for = models.DateField(null=True, blank=True, editable=False)
    # suggestions only
    outcome = models.CharField(_("采纳情况"), max_length=10, choices=Outcome.choices, blank=True)
    implementation = models.TextField(_("落实情况"), blank=True)
    benefit = models.DecimalField(_("经济效益（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    reward = models.DecimalField(_("奖励（元）"), max_digits=10, decimal_places=2, null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("提案和建议")
        verbose_name_plural = _("提案和建议")
        ordering = ["-submitted_on", "-pk"]
        indexes = [models.Index(fields=["unit", "status", "due_on"], name="democracy_proposal_due_idx")]
        constraints = [models.UniqueConstraint(fields=["sequence", "number"], name="democracy_unique_number")]

    def __str__(self):
        return self.title

    @property
    def is_proposal(self):
        return self.kind == Kind.PROPOSAL

    def numbered_within(self) -> dict:
        """The sequence it takes its number in, each kind its own: a proposal's within its congress session,
        a suggestion's within its unit's year, whether written as one or turned from a proposal (such a one
        keeps its session: numbered within the session, it took a number the year's suggestions had too).
        As keyword arguments for NumberSequence."""
        if self.is_proposal and self.session_id:
            return {"unit_id": self.unit_id, "kind": self.kind, "session_id": self.session_id, "year": None}
        return {"unit_id": self.unit_id, "kind": self.kind, "session_id": None, "year": self.submitted_on.year}

    def next_number(self, sequence) -> int:
        """The number after the largest of its ``sequence``: held by an item numbered in it, or by one that
        belongs in it by what it is (numbered before there were sequences, or in another one before an officer
        corrected its unit or year). So a number is never given twice in a sequence, whatever became of its
        item, and none is skipped but one whose item moved away."""
        same = Proposal.objects.filter(unit_id=self.unit_id, kind=self.kind)
        if self.is_proposal and self.session_id:
            same = same.filter(session_id=self.session_id)
        else:
            same = same.filter(submitted_on__year=self.submitted_on.year)
        taken = same | Proposal.objects.filter(sequence=sequence)
        return (taken.aggregate(n=Max("number"))["n"] or 0) + 1

    def is_overdue(self, today):
        return self.status in OPEN_STATUSES and self.due_on is not None and self.due_on < today

    def may_answer(self, user) -> bool:
        """The lead handler answers; co-handlers contribute through the lead."""
        return self.status in OPEN_STATUSES and user.pk == self.handler_id


class NumberSequence(models.Model):
    """A sequence items are numbered in (第N号): a session's proposals, or a unit's suggestions of a year
    (Proposal.numbered_within). Numbering locks its row until the numbering commits, so that two officers
    accepting at the same moment are served one after the other and the second counts the first's number;
    and the database refuses a number given twice in one sequence (Proposal's democracy_unique_number)."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    session = models.ForeignKey("democracy.Session", null=True, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "session"],
                condition=Q(session__isnull=False),
                name="democracy_unique_session_sequence",
            ),
            models.UniqueConstraint(
                fields=["unit", "kind", "year"],
                condition=Q(session__isnull=True),
                name="democracy_unique_year_sequence",
            ),
            models.CheckConstraint(
                condition=Q(session__isnull=False, year__isnull=True) | Q(session__isnull=True, year__isnull=False),
                name="democracy_sequence_session_or_year",
            ),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.kind} {self.session_id or self.year}"


def largest_amount(field_name: str) -> Decimal:
    """The largest amount in yuan that ``field_name`` (benefit, reward) of a proposal stores: what forms
    and services check against, so that a too large figure is refused, never a database error."""
    field = Proposal._meta.get_field(field_name)
    return Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(10) ** -field.decimal_places


class CoSign(models.Model):
    """A representative seconding (附议) a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigns")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signed_on = models.DateField(_("附议日期"))

    class Meta:
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="democracy_unique_cosign")]

    def __str__(self):
        return f"{self.user} · {self.proposal}"


class Answer(RemembersLoaded, models.Model):
    """A handler's answer; a second round exists only when the first was rated not satisfied."""

    COUNTED_FIELDS = ("proposal_id", "round", "rating")  # the first round's rating is the satisfaction rate's

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), on_delete=models.PROTECT)
    text = models.TextField(_("答复内容"))
    answered_on = models.DateField(_("答复日期"))
    rating = models.CharField(_("评价"), max_length=16, choices=Rating.choices, blank=True)
    rated_on = models.DateField(_("评价日期"), null=True, blank=True)
    # Why the proposer was not satisfied: what the handler acts on the second time.
    rating_reason = models.TextField(_("不满意的理由"), blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["proposal", "round"]
        constraints = [models.UniqueConstraint(fields=["proposal", "round"], name="democracy_unique_answer_round")]

    def __str__(self):
        return f"{self.proposal} #{self.round}"
