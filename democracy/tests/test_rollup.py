"""Proposals and suggestions in the roll-ups (democracy.rollup): every change through the services (and
the odd bare save: a move to another unit, a year corrected) keeps the federation's stored figures
exact, accepted (立案), answered on time and rated included; a save that moves no figure marks nothing."""

import contextlib
import datetime
import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from democracy.models import Category, Kind, Proposal, ProposalStatus, Rating
from democracy.models.proposals import OPEN_STATUSES
from democracy.rollup import handling_of
from democracy.services import DemocracyError
from democracy.services import proposals as svc
from democracy.tests.conftest import ROUTE_DAY, WINDOW_DAY
from rollups import read
from rollups.refresh import refresh

CHANGES = 400


class Changes:
    """Random changes to a school's proposals and the county's suggestions, through the services."""

    def __init__(self, rng, *, session, representatives, handler, member, units):
        self.rng, self.session, self.handler, self.member = rng, session, handler, member
        self.representatives, self.units = representatives, units
        self.written = 0
        self.done = {}

    def pick(self, **filters):
        ids = list(Proposal.objects.filter(**filters).values_list("pk", flat=True))
        return Proposal.objects.get(pk=self.rng.choice(ids)) if ids else None

    def text(self):
        self.written += 1
        return {"title": f"第{self.written}件", "reasons": "理由", "measures": "措施"}

    def submit(self):
        author = self.rng.choice(self.representatives)
        svc.proposal_submit(session=self.session, author=author, today=WINDOW_DAY, **self.text())

    def suggest(self):
        day = datetime.date(self.rng.choice([2025, 2026]), self.rng.randint(1, 12), 10)
        svc.suggestion_submit(unit=self.rng.choice(self.units), author=self.member, today=day, **self.text())

    def cosign(self):
        proposal = self.pick(status=ProposalStatus.COSIGNING)
        if proposal:
            svc.proposal_cosign(proposal=proposal, user=self.rng.choice(self.representatives), today=WINDOW_DAY)

    def withdraw(self):
        proposal = self.pick(status__in=[ProposalStatus.COSIGNING, ProposalStatus.SUBMITTED])
        if proposal:
            svc.item_withdraw(proposal=proposal, by=proposal.author, today=ROUTE_DAY)

    def vet(self):
        proposal = self.pick(status=ProposalStatus.SUBMITTED)
        if proposal is None:
            return
        routing = {"category": Category.LOGISTICS, "handler": self.handler, "department": "总务处"}
        if not proposal.is_proposal:
            svc.item_route(proposal=proposal, today=ROUTE_DAY, **routing)
            return
        decision = self.rng.choice([svc.Decision.ACCEPT] * 3 + [svc.Decision.REJECT, svc.Decision.TO_SUGGESTION])
        svc.proposal_vet(
            proposal=proposal, decision=decision, by=None, today=ROUTE_DAY, reason="审查意见", routing=routing
        )

    def answer(self):
        proposal = self.pick(status__in=OPEN_STATUSES)
        if proposal is None:
            return
        late = self.rng.random() < 0.4
        day = proposal.due_on + datetime.timedelta(days=3 if late else -1)
        outcome = "" if proposal.is_proposal else self.rng.choice(["adopted", "partly", "rejected"])
        svc.item_answer(proposal=proposal, by=self.handler, text="已办理。", today=day, outcome=outcome)

    def rate(self):
        proposal = self.pick(status=ProposalStatus.ANSWERED)
        if proposal:
            rating = self.rng.choice(Rating.values)
            svc.item_rate(proposal=proposal, by=proposal.author, rating=rating, today=proposal.due_on, reason="未落实")

    def reassign(self):
        proposal = self.pick(status__in=OPEN_STATUSES)
        if proposal:
            due = proposal.due_on + datetime.timedelta(days=self.rng.choice([-20, 20]))
            svc.item_reassign(
                proposal=proposal, handler=self.handler, department="办公室", due_on=due, note="调整", today=ROUTE_DAY
            )

    def close(self):
        proposal = self.pick(status=ProposalStatus.ANSWERED)
        if proposal:
            svc.item_close(proposal=proposal, today=proposal.due_on)

    def move(self):
        """An officer's bare correction of where (or when) one was written: a save of the whole record."""
        proposal = self.pick()
        if proposal is None:
            return
        if self.rng.random() < 0.7:
            proposal.unit = self.rng.choice(self.units)
        else:
            proposal.submitted_on = proposal.submitted_on.replace(year=self.rng.choice([2025, 2026]))
        proposal.save()

    def delete(self):
        proposal = self.pick()
        if proposal and not proposal.merged.exists():
            proposal.delete()


WEIGHTS = {
    "submit": 8,
    "suggest": 5,
    "cosign": 14,
    "withdraw": 2,
    "vet": 10,
    "answer": 10,
    "rate": 8,
    "reassign": 3,
    "close": 2,
    "move": 4,
    "delete": 1,
}


def _drifts():
    out = io.StringIO()
    with contextlib.suppress(SystemExit):
        call_command("check_rollups", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("seed", [7, 2026])
def test_random_changes_to_proposals_leave_the_roll_ups_without_drift(
    seed, units, session, daibiao, fellows, chuzhang, huiyuan
):
    changes = Changes(
        random.Random(seed),
        session=session,
        representatives=[daibiao, *fellows],
        handler=chuzhang,
        member=huiyuan,
        units=[units[name] for name in ("county", "school", "g1", "g2", "office")],
    )
    refresh()  # the fixtures' members (counted by the worker); proposals count in their own transaction
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    for step in range(CHANGES):
        kind = changes.rng.choices(kinds, weights)[0]
        with contextlib.suppress(DemocracyError):
            getattr(changes, kind)()
            changes.done[kind] = changes.done.get(kind, 0) + 1
        if step % 100 == 99:
            assert _drifts().endswith("0 drift(s) found\n"), changes.done
    assert _drifts() == "0 drift(s) found\n"
    # The stored sums are the union's page's live counts, for the county as for each unit.
    for year in (2025, 2026):
        for unit in units.values():
            rolled = read.for_unit(unit, year)
            for kind in Kind.values:
                live = Proposal.objects.in_subtree(unit).filter(kind=kind, submitted_on__year=year)
                [row] = svc.handling_figures(live)
                expected = (row.received, row.accepted, row.answered, row.on_time, row.rated, row.satisfied)
                got = handling_of(rolled, kind)
                assert (
                    got.received,
                    got.accepted,
                    got.answered,
                    got.on_time,
                    got.rated,
                    got.satisfied,
                ) == expected, (unit.code, year, kind)
    # The changes reached every figure somewhere: late answers and the not satisfied too.
    county = [handling_of(read.for_unit(units["county"], year), kind) for year in (2025, 2026) for kind in Kind.values]
    on_time, answered = sum(h.on_time for h in county), sum(h.answered for h in county)
    satisfied, rated = sum(h.satisfied for h in county), sum(h.rated for h in county)
    assert 0 < on_time < answered and 0 < satisfied < rated
    assert Proposal.objects.filter(status=ProposalStatus.WITHDRAWN).exists()
    assert set(changes.done) == set(WEIGHTS), changes.done


def _figure_queries(queries):
    return [q["sql"] for q in queries if "rollups_figures" in q["sql"]]


def test_a_save_that_moves_no_figure_recomputes_nothing(routed, chuzhang):
    """Reassigning an unanswered proposal (a new handler and deadline) or retitling it moves no figure;
    answering it marks the unit, rating it too."""
    with CaptureQueriesContext(connection) as quiet:
        svc.item_reassign(
            proposal=routed, handler=chuzhang, department="办公室", due_on=ROUTE_DAY, note="换部门", today=ROUTE_DAY
        )
        routed.refresh_from_db()
        routed.title = "改善教工食堂"
        routed.save()
    assert _figure_queries(quiet.captured_queries) == []
    for change in (
        lambda: svc.item_answer(proposal=routed, by=chuzhang, text="已办理。", today=ROUTE_DAY),
        lambda: svc.item_rate(proposal=routed, by=routed.author, rating=Rating.BASICALLY, today=ROUTE_DAY),
    ):
        with CaptureQueriesContext(connection) as counted:
            change()
        assert _figure_queries(counted.captured_queries)
    school = handling_of(read.for_unit(routed.unit, 2025))
    assert (school.answered, school.on_time, school.rated, school.satisfied) == (1, 1, 1, 1)


def test_a_late_answer_stays_late_when_not_satisfied_gives_a_new_deadline(routed, chuzhang):
    """按期答复 is the first answer against the deadline it had: the later deadline a "not satisfied" sets is
    for the second answer (it used to turn the late first answer into one on time)."""
    late = routed.due_on + datetime.timedelta(days=10)
    svc.item_answer(proposal=routed, by=chuzhang, text="已办理。", today=late)
    reopened = svc.item_rate(
        proposal=routed, by=routed.author, rating=Rating.NOT_SATISFIED, today=late, reason="没有落实"
    )
    assert reopened.due_on > late
    [live] = svc.handling_figures(Proposal.objects.filter(pk=routed.pk))
    school = handling_of(read.for_unit(routed.unit, 2025))
    assert (live.answered, live.on_time) == (school.answered, school.on_time) == (1, 0)
