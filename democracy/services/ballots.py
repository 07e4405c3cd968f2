"""Ballots: open (roll and counters written), vote (one per voter, counted without a trace of
who), close (counters rewritten in canonical order), results (sealed until close), scrutineers' sign-off,
paper ballots entered twice and compared. The secrecy design is in democracy.models.ballots."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import cleaning
from democracy.models import (
    Ballot,
    BallotMethod,
    BallotStatus,
    Candidate,
    Choice,
    Congress,
    Notice,
    PaperCount,
    Representative,
    Tally,
    Voter,
)
from democracy.models.ballots import BallotKind, Electorate, Mode
from democracy.models.congress import share_reached
from democracy.services import DemocracyError
from members.models import Member
from orgs.models import RoleAssignment


def _eligible_members(ballot):
    """The roster of the unit's subtree, or the representatives in office of a congress term."""
    if ballot.electorate == Electorate.REPRESENTATIVES:
        if ballot.congress is None:
            raise DemocracyError(_("由代表投票时请选择代表大会届。"))
        serving = Representative.objects.serving(timezone.localdate()).filter(congress=ballot.congress)
        return Member.objects.filter(pk__in=serving.values("member_id"))
    return Member.objects.in_subtree(ballot.unit).in_union()


def ballot_open(*, ballot, now=None) -> Ballot:
    """Check the candidates (差额 surplus), write the roll of voters and every counter at once."""
    now = now or timezone.now()
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.status != BallotStatus.DRAFT:
            raise DemocracyError(_("投票已经开始或结束。"))
        candidates = list(ballot.candidates.all())
        if len(candidates) < ballot.seats + ballot.min_surplus:
            raise DemocracyError(
                _("候选人%(count)s人，应选%(seats)s人，差额至少%(surplus)s人，候选人不足。")
                % {"count": len(candidates), "seats": ballot.seats, "surplus": ballot.min_surplus}
            )
        if ballot.mode == Mode.PAPER:
            user_ids, eligible = [], _eligible_members(ballot).count()
        else:
            user_ids = list(_eligible_members(ballot).filter(user__isnull=False).values_list("user_id", flat=True))
            eligible = len(user_ids)
        Voter.objects.bulk_create([Voter(ballot=ballot, user_id=uid) for uid in user_ids])
        Tally.objects.bulk_create(
            [
                Tally(ballot=ballot, candidate=c, choice=choice)
                for c in candidates
                for choice in ballot.choices_for_candidate()
            ]
        )
        ballot.status = BallotStatus.OPEN
        ballot.opened_at = now
        ballot.eligible_count = eligible
        ballot.save(update_fields=["status", "opened_at", "eligible_count"])
        return ballot


@dataclass
class BallotPaper:
    """What one voter filled in: per candidate id a choice, and written-in names."""

    choices: dict[int, str] = field(default_factory=dict)
    write_ins: list[str] = field(default_factory=list)


def _check_paper(ballot, paper: BallotPaper, candidates: dict[int, str]):
    """The written-in names, cleaned; a paper that is not one this ballot could be given is refused,
    naming what is wrong, so that no caller counts it as a blank ballot."""
    unknown = sorted(set(paper.choices) - set(candidates))
    if unknown:
        raise DemocracyError(
            _("选票上有不属于本次投票的候选人（编号 %(ids)s）。") % {"ids": "、".join(map(str, unknown))}
        )
    allowed = ballot.choices_for_candidate()
    wrong = [
        _("%(name)s：“%(choice)s”") % {"name": candidates[pk], "choice": choice}
        for pk, choice in paper.choices.items()
        if choice not in allowed
    ]
    if wrong:
        raise DemocracyError(
            _("选票填写有误：%(wrong)s 不是本次投票的选项，只能是%(allowed)s。")
            % {"wrong": "、".join(wrong), "allowed": "、".join(str(Choice(c).label) for c in allowed)}
        )
    try:
        # Cleaned as names are, so that "王　芳" and "王芳" are one person in the tally.
        write_ins = [cleaning.parse_name(name) for name in paper.write_ins if name.strip()]
    except cleaning.CellError as error:
        raise DemocracyError(_("另选的人：%(problem)s") % {"problem": error}) from None
    if write_ins and not ballot.allow_write_in:
        raise DemocracyError(_("本次投票不能另选他人。"))
    if ballot.method == BallotMethod.CHOOSE:
        chosen = len(paper.choices) + len(write_ins)
        if chosen > ballot.seats:
            raise DemocracyError(
                _("本次应选%(seats)s人，您选了%(chosen)s人，多于应选人数，选票无效，请重新选择。")
                % {"seats": ballot.seats, "chosen": chosen}
            )
    else:
        in_favour = sum(1 for choice in paper.choices.values() if choice == Choice.FOR) + len(write_ins)
        if in_favour > ballot.seats:
            raise DemocracyError(
                _("本次应选%(seats)s人，赞成和另选合计%(chosen)s人，多于应选人数，请重新选择。")
                % {"seats": ballot.seats, "chosen": in_favour}
            )
    if len(set(write_ins)) != len(write_ins):
        raise DemocracyError(_("另选的人名重复了。"))
    return write_ins


def ballot_vote(*, ballot, user, paper: BallotPaper) -> None:
    """Count one voter's ballot. Only the voter's flag and the counters change: no row stands for
    the ballot, and nothing written says who chose what (see democracy.models.ballots)."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.status != BallotStatus.OPEN:
            raise DemocracyError(_("投票已经截止，不能再投票。") if not ballot.is_sealed else _("投票还没有开始。"))
        voter = Voter.objects.select_for_update().filter(ballot=ballot, user=user).first()
        if voter is None:
            raise DemocracyError(_("您不在本次投票的投票人名单中。"))
        if voter.has_voted:
            raise DemocracyError(_("您已经投过票了，每人只能投一次。"))
        write_ins = _check_paper(ballot, paper, dict(ballot.candidates.values_list("pk", "name")))
        for candidate_id, choice in paper.choices.items():
            Tally.objects.filter(ballot=ballot, candidate_id=candidate_id, choice=choice).update(count=F("count") + 1)
        for name in write_ins:
            updated = Tally.objects.filter(ballot=ballot, choice=Choice.WRITE_IN, write_in=name).update(
                count=F("count") + 1
            )
            if not updated:
                Tally.objects.create(ballot=ballot, choice=Choice.WRITE_IN, write_in=name, count=1)
        Voter.objects.filter(pk=voter.pk).update(has_voted=True)
        Ballot.objects.filter(pk=ballot.pk).update(cast_count=F("cast_count") + 1)


def has_voted(ballot, user) -> bool:
    return Voter.objects.filter(ballot=ballot, user=user, has_voted=True).exists()


def _rewrite_tallies(ballot):
    """Delete and write again every counter of the ballot in an order fixed by their content
    (candidate, choice, written-in name), with fresh random keys: what remains is a function of
    the totals alone and says nothing of when or in which order votes were counted."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    rows = [
        Tally(ballot=ballot, candidate_id=t.candidate_id, choice=t.choice, write_in=t.write_in, count=t.count)
        for t in Tally.objects.filter(ballot=ballot)
    ]
    rows.sort(key=lambda t: (t.candidate_id or 0, t.choice, t.write_in))
    Tally.objects.filter(ballot=ballot).delete()
    Tally.objects.bulk_create(rows)


def ballot_close(*, ballot, now=None) -> Ballot:
    now = now or timezone.now()
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.status != BallotStatus.OPEN:
            raise DemocracyError(_("只有投票中的投票可以截止。"))
        if ballot.mode == Mode.PAPER and not ballot.cast_count:
            raise DemocracyError(_("纸质选票还没有经两人录入并核对一致，不能截止。"))
        _rewrite_tallies(ballot)
        ballot.status = BallotStatus.CLOSED
        ballot.closed_at = now
        ballot.save(update_fields=["status", "closed_at"])
        return ballot


# --- results


@dataclass(frozen=True)
class CandidateResult:
    name: str
    counts: dict  # choice -> count
    elected: bool
    is_write_in: bool = False

    @property
    def votes(self):
        return self.counts.get(Choice.FOR, 0) + self.counts.get(Choice.CHOSEN, 0) + self.counts.get(Choice.WRITE_IN, 0)


@dataclass(frozen=True)
class Results:
    eligible: int
    cast: int
    rows: list[CandidateResult]

    @property
    def elected(self):
        return [r for r in self.rows if r.elected]


def ballot_results(ballot) -> Results:
    """The count, for everyone only after the ballot closed (superusers included). Winners: the
    most votes among those with more than the configured share of eligible voters, up to the seats."""
    ballot = Ballot.objects.get(pk=ballot.pk)  # the stored state decides, never a stale copy
    if ballot.is_sealed:
        raise DemocracyError(_("投票截止前结果保密，任何人（包括系统管理员）都不能查看。"))
    by_candidate: dict[int, dict] = {}
    write_ins: dict[str, int] = {}
    for tally in Tally.objects.filter(ballot=ballot):
        if tally.candidate_id is None:
            write_ins[tally.write_in] = write_ins.get(tally.write_in, 0) + tally.count
        else:
            by_candidate.setdefault(tally.candidate_id, {})[tally.choice] = tally.count
    entries = [(c.name, by_candidate.get(c.pk, {}), False) for c in ballot.candidates.all()]
    entries += [(name, {Choice.WRITE_IN: count}, True) for name, count in write_ins.items()]

    def votes(counts):
        return counts.get(Choice.FOR, 0) + counts.get(Choice.CHOSEN, 0) + counts.get(Choice.WRITE_IN, 0)

    ranked = sorted(entries, key=lambda e: -votes(e[1]))
    qualifying = [
        position
        for position, (_name, counts, _w) in enumerate(ranked)
        if share_reached(
            votes(counts), ballot.eligible_count, ballot.win_numerator, ballot.win_denominator, strictly=True
        )
    ]
    # A tie for the last seat elects neither: a run-off decides it.
    elected = set()
    for position in qualifying[: ballot.seats]:
        beyond = qualifying[ballot.seats] if len(qualifying) > ballot.seats else None
        if beyond is None or votes(ranked[beyond][1]) != votes(ranked[position][1]):
            elected.add(position)
    rows = [
        CandidateResult(name=name, counts=counts, elected=position in elected, is_write_in=write_in)
        for position, (name, counts, write_in) in enumerate(ranked)
    ]
    return Results(eligible=ballot.eligible_count, cast=ballot.cast_count, rows=rows)


def ballot_sign(*, ballot, user, now=None) -> Ballot:
    """A named scrutineer signs the tally off; when all have, the result is certified."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.status != BallotStatus.CLOSED:
            raise DemocracyError(_("投票截止后监票人才能签字确认计票结果。"))
        if not ballot.scrutineers.filter(pk=user.pk).exists():
            raise DemocracyError(_("只有本次投票的监票人可以签字。"))
        ballot.signed_by.add(user)
        if ballot.signed_by.count() >= ballot.scrutineers.count():
            ballot.status = BallotStatus.CERTIFIED
            ballot.save(update_fields=["status"])
        return ballot


# --- paper ballots, entered twice


def paper_enter(*, ballot, officer, returned: int, invalid: int, counts: dict) -> PaperCount:
    """One officer's entry of the counted paper ballots; a second officer enters them again, and
    when the two agree the counts go into the tally (``paper_compare``)."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.mode != Mode.PAPER or ballot.status != BallotStatus.OPEN:
            raise DemocracyError(_("只有进行中的纸质投票可以录入选票。"))
        if ballot.cast_count:
            raise DemocracyError(_("两次录入已核对一致，计票已完成。"))
        if ballot.paper_counts.filter(officer=officer).exists():
            raise DemocracyError(_("您已录入过一次，第二次须由另一位工作人员录入。"))
        if ballot.paper_counts.count() >= 2:
            raise DemocracyError(_("已有两次录入，请先核对。"))
        if invalid > returned or returned > ballot.eligible_count:
            raise DemocracyError(_("收回选票不能多于应投票人数，无效票不能多于收回选票。"))
        clean = {}
        valid_ids = {str(pk) for pk in ballot.candidates.values_list("pk", flat=True)}
        for candidate_id, by_choice in counts.items():
            if str(candidate_id) not in valid_ids:
                raise DemocracyError(_("录入中有不属于本次投票的候选人。"))
            for choice, n in by_choice.items():
                if choice not in ballot.choices_for_candidate() or int(n) < 0 or int(n) > returned - invalid:
                    raise DemocracyError(_("票数不能是负数，也不能多于有效选票。"))
            clean[str(candidate_id)] = {choice: int(n) for choice, n in by_choice.items()}
        return PaperCount.objects.create(
            ballot=ballot, officer=officer, returned=returned, invalid=invalid, counts=clean
        )


@dataclass(frozen=True)
class PaperComparison:
    agree: bool
    differences: list[str]


def paper_compare(*, ballot) -> PaperComparison:
    """Compare the two entries; when they agree the counts become the tally."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        entries = list(ballot.paper_counts.order_by("pk"))
        if len(entries) != 2:
            raise DemocracyError(_("需要两位工作人员各录入一次才能核对。"))
        first, second = entries
        names = dict(ballot.candidates.values_list("pk", "name"))
        differences = []
        if (first.returned, first.invalid) != (second.returned, second.invalid):
            differences.append(_("收回选票或无效票不一致"))
        for candidate_id, name in names.items():
            for choice in ballot.choices_for_candidate():
                a = first.counts.get(str(candidate_id), {}).get(choice, 0)
                b = second.counts.get(str(candidate_id), {}).get(choice, 0)
                if a != b:
                    differences.append(
                        _("%(name)s（%(choice)s）：%(a)s 与 %(b)s")
                        % {"name": name, "choice": Choice(choice).label, "a": a, "b": b}
                    )
        if differences:
            return PaperComparison(agree=False, differences=differences)
        for candidate_id, by_choice in first.counts.items():
            for choice, n in by_choice.items():
                Tally.objects.filter(ballot=ballot, candidate_id=int(candidate_id), choice=choice).update(count=n)
        ballot.cast_count = first.returned - first.invalid
        ballot.save(update_fields=["cast_count"])
        return PaperComparison(agree=True, differences=[])


def scrutineer_choices(unit):
    """Who may be named a scrutineer of ``unit``'s ballot: those holding a role on the unit itself (its
    officers) and the representatives of its latest congress who have a login, in name order. Not every
    role holder below it, as it once was: at a federation that is every member with a login in its
    subtree, a list a province's page could not hold."""
    officers = RoleAssignment.objects.filter(unit=unit).values("user_id")
    congress = Congress.objects.filter(unit=unit).order_by("-number").values("pk")[:1]
    representatives = (
        Representative.objects.serving(timezone.localdate()).filter(congress__in=congress).values("member__user_id")
    )
    chosen = Q(pk__in=officers) | Q(pk__in=representatives)
    return get_user_model().objects.filter(chosen, is_active=True).in_name_order()


@transaction.atomic
def ballot_create(*, unit, title, kind=BallotKind.SELECTION, candidates=(), scrutineers=(), **fields) -> Ballot:
    ballot = Ballot.objects.create(unit=unit, title=title, kind=kind, **fields)
    Candidate.objects.bulk_create([Candidate(ballot=ballot, name=name) for name in candidates])
    ballot.scrutineers.set(scrutineers)
    return ballot


def ballot_revise(*, ballot, title, candidates=(), scrutineers=(), **fields) -> Ballot:
    """Correct a ballot still being set up (a candidate missing or misspelt, the wrong number of seats): it has no
    voters' roll, no vote and no count yet, so its candidates are written again. Under the row lock that opening it
    takes, so a ballot being opened meanwhile is not changed under its voters."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.status != BallotStatus.DRAFT:
            raise DemocracyError(_("投票已经开始，不能再修改。"))
        if Notice.objects.filter(ballot=ballot).exists():
            raise DemocracyError(_("这项投票已有公示，不能再修改。"))
        ballot.title = title
        for name, value in fields.items():
            setattr(ballot, name, value)
        ballot.save()
        ballot.candidates.all().delete()
        Candidate.objects.bulk_create([Candidate(ballot=ballot, name=name) for name in candidates])
        ballot.scrutineers.set(scrutineers)
        return ballot


def ballot_delete(*, ballot) -> None:
    """Delete a ballot set up by mistake (a candidate missing, the wrong electorate) before voting starts: it
    has no voters' roll, no vote and no count yet; the officer sets it up again. Under the row lock that
    opening it takes, so a ballot being opened meanwhile is not deleted."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.status != BallotStatus.DRAFT:
            raise DemocracyError(_("投票已经开始，不能删除。"))
        if Notice.objects.filter(ballot=ballot).exists():
            raise DemocracyError(_("这项投票已有公示，不能删除。"))
        ballot.delete()
