"""Numbers (第N号) of proposals and suggestions: each sequence (a session's proposals, a unit's suggestions
of a year) numbered without a gap, never the same number twice, even when two officers accept at the
same moment; numbers given before sequences existed keep their place."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from democracy.models import Category, Kind, NumberSequence, Proposal, ProposalStatus
from democracy.services import proposals as svc
from democracy.tests.conftest import ROUTE_DAY, WINDOW_DAY

fill = importlib.import_module("democracy.migrations.0016_fill_number_sequences").fill


def submitted(session, daibiao, fellows, title):
    proposal = svc.proposal_submit(
        session=session, author=daibiao, title=title, reasons="理由", measures="措施", today=WINDOW_DAY
    )
    for fellow in fellows[:2]:
        svc.proposal_cosign(proposal=proposal, user=fellow, today=WINDOW_DAY)
    return proposal


def accept(proposal, chuzhang):
    return svc.proposal_vet(
        proposal=proposal,
        decision=svc.Decision.ACCEPT,
        by=None,
        today=ROUTE_DAY,
        routing={"category": Category.LOGISTICS, "handler": chuzhang, "department": "总务处"},
    )


def suggestion(unit, author, title, today=WINDOW_DAY):
    return svc.suggestion_submit(unit=unit, author=author, title=title, reasons="理由", measures="措施", today=today)


def route(item, chuzhang):
    return svc.item_route(proposal=item, today=ROUTE_DAY, category=Category.MANAGEMENT, handler=chuzhang)


def test_each_sequence_is_numbered_from_one_without_a_gap(session, daibiao, fellows, chuzhang, huiyuan, units):
    """A rejected proposal and a withdrawn suggestion take no number; a new year starts again at 1."""
    first = accept(submitted(session, daibiao, fellows, "改善食堂"), chuzhang)
    rejected = svc.proposal_vet(
        proposal=submitted(session, daibiao, fellows, "重复的提案"),
        decision=svc.Decision.REJECT,
        by=None,
        today=ROUTE_DAY,
        reason="与第1号重复",
    )
    second = accept(submitted(session, daibiao, fellows, "增设健身器材"), chuzhang)
    withdrawn = svc.item_withdraw(proposal=suggestion(units["school"], huiyuan, "写错了"), by=huiyuan, today=WINDOW_DAY)
    ones = [route(suggestion(units["school"], huiyuan, f"建议{n}"), chuzhang) for n in range(3)]
    next_year = route(suggestion(units["school"], huiyuan, "新年建议", today=datetime.date(2026, 1, 5)), chuzhang)

    assert (first.number, second.number, rejected.number, withdrawn.number) == (1, 2, None, None)
    assert [item.number for item in ones] == [1, 2, 3] and next_year.number == 1
    assert withdrawn.status == ProposalStatus.WITHDRAWN
    sequences = NumberSequence.objects.order_by("pk")
    assert [(s.kind, s.session_id, s.year) for s in sequences] == [
        (Kind.PROPOSAL, session.pk, None),
        (Kind.SUGGESTION, None, 2025),
        (Kind.SUGGESTION, None, 2026),
    ]
    assert {p.sequence_id for p in (first, second)} == {sequences[0].pk}
    assert {p.sequence_id for p in ones} == {sequences[1].pk} and next_year.sequence_id == sequences[2].pk


def test_the_database_refuses_a_number_given_twice_in_one_sequence(session, daibiao, fellows, chuzhang, huiyuan, units):
    first = accept(submitted(session, daibiao, fellows, "改善食堂"), chuzhang)
    written = route(suggestion(units["school"], huiyuan, "打印机集中管理"), chuzhang)
    assert (first.number, written.number) == (1, 1)  # the same number in two sequences
    other = submitted(session, daibiao, fellows, "增设健身器材")
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=other.pk).update(sequence=first.sequence, number=1)
    Proposal.objects.filter(pk=other.pk).update(sequence=first.sequence, number=2)  # the next is welcome


def test_a_number_is_not_given_again_after_its_item_moved_to_another_unit(units, huiyuan, chuzhang):
    """An officer corrected where the year's second suggestion was written: the school's next is still 第3号,
    and the group's follows the number it brought."""
    first, second = (route(suggestion(units["school"], huiyuan, title), chuzhang) for title in ("甲", "乙"))
    second.unit = units["g1"]
    second.save()
    assert route(suggestion(units["school"], huiyuan, "丙"), chuzhang).number == 3
    assert route(suggestion(units["g1"], huiyuan, "丁"), chuzhang).number == 3
    assert first.number == 1


def test_numbers_given_before_sequences_keep_theirs_and_the_next_follows_the_largest(
    session, daibiao, fellows, chuzhang
):
    """As before the migration: numbered, without a sequence; two given the same number at the same moment.
    The migration puts the first of the two in the sequence, leaves the other's number as it was printed."""
    items = [submitted(session, daibiao, fellows, title) for title in ("甲", "乙", "丙", "丁")]
    for item, number in zip(items[:3], (1, 2, 2), strict=True):
        Proposal.objects.filter(pk=item.pk).update(number=number, status=ProposalStatus.ROUTED)

    fill(apps, None)
    fill(apps, None)  # twice: nothing changes the second time

    stored = {p.pk: (p.number, p.sequence_id) for p in Proposal.objects.all()}
    sequence = NumberSequence.objects.get(session=session, kind=Kind.PROPOSAL)
    assert [stored[item.pk] for item in items] == [(1, sequence.pk), (2, sequence.pk), (2, None), (None, None)]
    assert accept(items[3], chuzhang).number == 3
    assert NumberSequence.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_at_the_same_moment_get_the_next_two_numbers(session, daibiao, fellows, chuzhang):
    """The second waits on the session's sequence until the first commits, then counts its number; both
    when the sequence is still to be made (the session's first numbers) and when it exists."""
    from core.testing import second_while_first_open

    items = [submitted(session, daibiao, fellows, title) for title in ("甲", "乙", "丙", "丁")]
    second_while_first_open(lambda: accept(items[0], chuzhang), lambda: accept(items[1], chuzhang))
    second_while_first_open(lambda: accept(items[2], chuzhang), lambda: accept(items[3], chuzhang))
    numbers = [Proposal.objects.get(pk=item.pk).number for item in items]
    assert numbers == [1, 2, 3, 4]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_suggestions_routed_at_the_same_moment_get_the_next_two_numbers(units, huiyuan, chuzhang):
    from core.testing import second_while_first_open

    items = [suggestion(units["school"], huiyuan, title) for title in ("甲", "乙", "丙")]
    route(items[0], chuzhang)
    second_while_first_open(lambda: route(items[1], chuzhang), lambda: route(items[2], chuzhang))
    assert [Proposal.objects.get(pk=item.pk).number for item in items] == [1, 2, 3]
