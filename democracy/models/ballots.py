"""Secret ballots for elections and selections.

How secrecy is kept (the design, in one place):

- **Who voted and what was voted live apart.** ``Voter`` rows are the roll of eligible voters,
  all written when the ballot opens, each with a ``has_voted`` flag that a vote turns on; they
  hold no time of voting and no reference to anything voted. What was voted lives only in
  ``Tally``: counters per (candidate, choice) and per written-in name. No row stands for one
  ballot, so there is nothing that could carry a user, a time or a position in a sequence.
- **Counters exist before the first vote.** The rows for every candidate and choice are written
  when the ballot opens, in one transaction, so their ids, SQLite rowids and PostgreSQL ctids
  say nothing about voting order. A vote only adds one to existing counters; a written-in name
  that is new creates its counter then (its primary key a random UUID).
- **Closing rewrites the counters.** Updates leave traces: PostgreSQL writes each updated row
  as a new version at the end of the heap with the voting transaction's id (xmin), and the
  write-in rows were created in the order names first appeared. When the ballot closes, every
  Tally row of it is deleted and written again with its count, in an order fixed by content
  (candidate, choice, written-in name), with fresh random UUIDs, in the closing transaction:
  what remains carries the close's transaction id, a physical order that depends on the
  totals alone, and no id from the voting. On SQLite the connection also
  turns on ``secure_delete`` first so the freed pages are zeroed rather than left readable.
- **One ballot per voter** is the ``has_voted`` flag, set in the same transaction as the
  counting, under a row lock on the voter's row: a second vote is refused, and a failed vote
  leaves both untouched.
- **No history, no log, no notification** is written for a vote: these models have no
  simple-history, votes are not audit-logged, and the voter is not sent a receipt.
- **Sealed until close**: results are read only through ``Ballot.results()``, which refuses
  while the ballot is open, for every user, superusers included (there is no other page or
  API that reads Tally).

What this does not defend against: someone who watches the live database (or its write-ahead
log) while the votes are cast can see counters change one vote at a time; that is an
operator's trust matter, as with a ballot box in the room, and is out of a dump's reach.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from democracy.models.base import DemocracyQuerySet


class BallotKind(models.TextChoices):
    ELECTION = "election", _("选举")
    SELECTION = "selection", _("评选")


class BallotMethod(models.TextChoices):
    APPROVAL = "approval", _("逐一表态（赞成、反对、弃权）")
    CHOOSE = "choose", _("限额选择（最多选应选人数）")


class BallotStatus(models.TextChoices):
    DRAFT = "draft", _("准备中")
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已截止")
    CERTIFIED = "certified", _("已确认")


class Electorate(models.TextChoices):
    MEMBERS = "members", _("本单位全体会员")
    REPRESENTATIVES = "representatives", _("本届代表")


class Mode(models.TextChoices):
    ONLINE = "online", _("网上投票")
    PAPER = "paper", _("纸质选票（双人录入）")


class Choice(models.TextChoices):
    FOR = "for", _("赞成")
    AGAINST = "against", _("反对")
    ABSTAIN = "abstain", _("弃权")
    CHOSEN = "chosen", _("选中")
    WRITE_IN = "write_in", _("另选他人")


class BallotQuerySet(DemocracyQuerySet):
    def readable_condition(self, user):
        """Also the ballots whose roll the person is on: the roll is drawn from the roster, not from
        roles, so a group leader or a care officer whose role has no democracy.propose still votes."""
        condition = super().readable_condition(user)
        if condition is None:
            return None
        return condition | Q(pk__in=Voter.objects.filter(user=user).values("ballot_id"))


class Ballot(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=BallotKind.choices, default=BallotKind.SELECTION)
    method = models.CharField(_("投票方式"), max_length=10, choices=BallotMethod.choices, default=BallotMethod.CHOOSE)
    mode = models.CharField(_("投票形式"), max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    electorate = models.CharField(_("投票人"), max_length=16, choices=Electorate.choices, default=Electorate.MEMBERS)
    congress = models.ForeignKey(
        "democracy.Congress",
        verbose_name=_("代表大会届"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seats = models.PositiveSmallIntegerField(_("应选人数"), default=1)
    min_surplus = models.PositiveSmallIntegerField(
        _("差额人数不少于"), default=0, help_text=_("差额选举时候选人至少比应选人数多几人；等额为 0。")
    )
    allow_write_in = models.BooleanField(_("允许另选他人"), default=False)
    win_numerator = models.PositiveSmallIntegerField(_("当选票数（分子）"), default=1)
    win_denominator = models.PositiveSmallIntegerField(_("当选票数（分母）"), default=2)
    status = models.CharField(_("状态"), max_length=10, choices=BallotStatus.choices, default=BallotStatus.DRAFT)
    scrutineers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("监票人"), blank=True, related_name="+"
    )
    signed_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    opened_at = models.DateTimeField(_("开始投票"), null=True, blank=True)
    closed_at = models.DateTimeField(_("截止投票"), null=True, blank=True)
    eligible_count = models.PositiveIntegerField(_("应投票人数"), default=0)
    cast_count = models.PositiveIntegerField(_("实投票数"), default=0)

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("投票")
        verbose_name_plural = _("投票")
        ordering = ["-pk"]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status == BallotStatus.OPEN

    @property
    def is_sealed(self):
        return self.status in (BallotStatus.DRAFT, BallotStatus.OPEN)

    def choices_for_candidate(self):
        if self.method == BallotMethod.APPROVAL:
            return [Choice.FOR, Choice.AGAINST, Choice.ABSTAIN]
        return [Choice.CHOSEN]


class Candidate(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(_("姓名"), max_length=50)
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("简介"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["ballot", "pk"]

    def __str__(self):
        return self.name


class Voter(models.Model):
    """One eligible voter of a ballot, written when it opens; ``has_voted`` is all a vote changes."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    has_voted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("投票人")
        verbose_name_plural = _("投票人")
        constraints = [models.UniqueConstraint(fields=["ballot", "user"], name="democracy_unique_voter")]

    def __str__(self):
        return str(self.user)


class Tally(models.Model):
    """A counter: how many ballots gave ``choice`` to ``candidate`` (or wrote in ``write_in``).
    Random primary keys, rewritten in canonical order at close: see the module's docstring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="tallies")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    write_in = models.CharField(max_length=50, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("计票")
        verbose_name_plural = _("计票")

    def __str__(self):
        return f"{self.candidate or self.write_in} {self.choice}"


class PaperCount(models.Model):
    """One officer's entry of the paper ballots' counts; two entries by two officers must agree."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="paper_counts")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT)
    returned = models.PositiveIntegerField(_("收回选票"))
    invalid = models.PositiveIntegerField(_("无效票"), default=0)
    counts = models.JSONField(_("计票"), default=dict)  # {"<candidate id>": {"<choice>": n}}
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("纸质选票录入")
        verbose_name_plural = _("纸质选票录入")
        constraints = [models.UniqueConstraint(fields=["ballot", "officer"], name="democracy_unique_paper_entry")]

    def __str__(self):
        return f"{self.ballot} · {self.officer}"
