"""Representatives change during a term: one leaves office (调离、退休), another is elected in a
by-election (补选). A session counts its quorum and its vote among those serving on the day it is held;
a representative added by mistake is taken back while they have attended nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.testing import second_while_first_open
from democracy.models import Representative, Resolution, Session
from democracy.models.congress import SessionStatus
from democracy.services import DemocracyError
from democracy.services import congress as svc
from democracy.services import proposals as proposal_svc
from democracy.tests.conftest import add_member
from members.models import Member

LEFT_ON = datetime.date(2026, 2, 1)


@pytest.fixture
def reps(session, daibiao, fellows):
    return list(Representative.objects.filter(congress=session.congress).order_by("pk"))  # six, daibiao first


@pytest.fixture
def sixth_session(session):
    """The term's next session, after the representatives changed."""
    return Session.objects.create(
        congress=session.congress,
        unit=session.unit,
        number=6,
        held_on=datetime.date(2026, 3, 20),
        proposals_open_on=datetime.date(2026, 2, 20),
        proposals_close_on=datetime.date(2026, 3, 10),
    )


def test_a_representative_who_leaves_no_longer_counts_from_that_day(session, sixth_session, reps):
    svc.session_check_in(session=session, representative=reps[1], by=None)
    svc.representative_leave(representative=reps[1], on=LEFT_ON, reason="调离本校")

    assert svc.quorum_of(session).total == 6  # the fifth session, held before, keeps its whole
    assert svc.quorum_of(sixth_session).total == 5
    with pytest.raises(DemocracyError, match="2026年3月20日不是在任代表"):
        svc.session_check_in(session=sixth_session, representative=reps[1], by=None)


def test_a_vote_passes_with_more_than_half_of_those_in_office_on_the_day(sixth_session, reps):
    svc.representative_leave(representative=reps[5], on=LEFT_ON, reason="退休")
    for rep in reps[:4]:
        svc.session_check_in(session=sixth_session, representative=rep, by=None)
    resolution = Resolution.objects.create(session=sixth_session, unit=sixth_session.unit, title="校务公开实施办法")
    svc.resolution_open(resolution=resolution)  # 4 of 5 present
    # 3 of 5 is more than half; of the six elected at the start it would not be.
    recorded = svc.resolution_record(resolution=resolution, votes_for=3, votes_against=1, votes_abstain=0)
    assert recorded.status == "passed"


def test_a_by_election_counts_from_the_day_of_election(session, sixth_session, reps, units):
    newcomer = add_member(units["g1"], "彭娜")
    elected = svc.representative_add(congress=session.congress, member=newcomer, elected_on=datetime.date(2026, 1, 5))
    assert svc.quorum_of(session).total == 6
    assert svc.quorum_of(sixth_session).total == 7
    with pytest.raises(DemocracyError, match="2025年10月20日不是在任代表"):
        svc.session_check_in(session=session, representative=elected, by=None)


def test_an_election_date_outside_the_term_or_ahead_of_today_is_refused(congress, units):
    member = add_member(units["g1"], "彭娜")
    with pytest.raises(DemocracyError, match="当选日期应在本届任期之内"):
        svc.representative_add(congress=congress, member=member, elected_on=datetime.date(2023, 8, 31))
    with pytest.raises(DemocracyError, match="当选日期不能晚于今天"):
        svc.representative_add(congress=congress, member=member, elected_on=datetime.date(2099, 1, 1))
    assert not congress.representatives.exists()


def test_leaving_before_a_session_attended_or_twice_is_refused(session, reps):
    svc.session_check_in(session=session, representative=reps[2], by=None)
    with pytest.raises(DemocracyError, match="出席了2025年10月20日的三届五次，卸任日期应在这之后"):
        svc.representative_leave(representative=reps[2], on=datetime.date(2025, 10, 1), reason="调离")
    with pytest.raises(DemocracyError, match="卸任日期应晚于当选日期"):
        svc.representative_leave(representative=reps[2], on=session.congress.starts_on, reason="调离")
    svc.representative_leave(representative=reps[2], on=LEFT_ON, reason="调离")
    with pytest.raises(DemocracyError, match="已于2026年2月1日卸任"):
        svc.representative_leave(representative=reps[2], on=datetime.date(2026, 5, 1), reason="退休")


def test_one_who_left_is_not_elected_again_to_the_same_term(congress, reps):
    svc.representative_leave(representative=reps[3], on=LEFT_ON, reason="辞去代表职务")
    with pytest.raises(DemocracyError, match="已于2026年2月1日卸任本届代表"):
        svc.representative_add(congress=congress, member=reps[3].member)


def test_only_a_representative_who_attended_nothing_is_taken_back(session, reps):
    svc.session_check_in(session=session, representative=reps[0], by=None)
    with pytest.raises(DemocracyError, match="已出席过会议，不能删除"):
        svc.representative_remove(representative=reps[0])
    svc.representative_remove(representative=reps[4])
    assert list(Representative.objects.filter(congress=session.congress).order_by("pk")) == [*reps[:4], reps[5]]


def test_a_representative_who_left_may_no_longer_propose(session, reps, daibiao):
    today = timezone.localdate()
    assert proposal_svc.is_representative(daibiao, session.congress)
    svc.representative_leave(representative=reps[0], on=today, reason="调离")
    assert not proposal_svc.is_representative(daibiao, session.congress)


# --- The chair's pages ------------------------------------------------------------------------


def test_the_chair_records_a_leaving_on_the_representative_s_page(client_for, zhuxi, session, reps):
    page = reverse("democracy:representative", args=[reps[1].pk])
    client = client_for(zhuxi)
    assert "登记卸任" in client.get(page).content.decode()

    response = client.post(page, {"left_on": "2026-02-01", "left_reason": "调离本校"})

    assert response.status_code == 302
    reps[1].refresh_from_db()
    assert (reps[1].left_on, reps[1].left_reason) == (LEFT_ON, "调离本校")
    html = client.get(reverse("democracy:congress", args=[session.congress_id])).content.decode()
    assert "在任代表（5人）" in html and "已卸任（1人）" in html and "调离本校" in html


def test_a_leaving_the_rules_refuse_comes_back_on_its_field_with_what_was_typed(client_for, zhuxi, session, reps):
    svc.session_check_in(session=session, representative=reps[1], by=None)
    page = reverse("democracy:representative", args=[reps[1].pk])

    response = client_for(zhuxi).post(page, {"left_on": "2025-10-01", "left_reason": "调离本校"})

    html = response.content.decode()
    assert response.status_code == 200 and "卸任日期应在这之后" in html
    assert 'value="调离本校"' in html and 'value="2025-10-01"' in html
    reps[1].refresh_from_db()
    assert reps[1].left_on is None


def test_the_chair_takes_back_a_representative_added_by_mistake(client_for, zhuxi, session, reps):
    client = client_for(zhuxi)
    page = client.get(reverse("democracy:representative", args=[reps[4].pk])).content.decode()
    assert "data-confirm" in page and "删除（误加）" in page

    response = client.post(reverse("democracy:representative_remove", args=[reps[4].pk]))

    assert response.status_code == 302
    assert not Representative.objects.filter(pk=reps[4].pk).exists()


def test_a_representative_may_neither_leave_nor_remove_another(client_for, session, reps, fellows):
    client = client_for(fellows[0])
    leave = client.post(
        reverse("democracy:representative", args=[reps[2].pk]), {"left_on": "2026-02-01", "left_reason": "x"}
    )
    remove = client.post(reverse("democracy:representative_remove", args=[reps[2].pk]))
    assert (leave.status_code, remove.status_code) == (404, 404)
    reps[2].refresh_from_db()
    assert reps[2].left_on is None


def test_added_from_the_page_a_representative_is_elected_with_the_term_until_a_session_is_held(
    client_for, zhuxi, congress, units
):
    first = add_member(units["g1"], "彭娜")
    later = add_member(units["g1"], "易芳")
    url = reverse("democracy:congress", args=[congress.pk])
    client = client_for(zhuxi)
    client.post(url, {"member": first.pk, "is_frontline": "on"})
    Session.objects.create(
        congress=congress,
        unit=congress.unit,
        number=1,
        held_on=datetime.date(2024, 3, 1),
        proposals_open_on=datetime.date(2024, 2, 1),
        proposals_close_on=datetime.date(2024, 2, 20),
    )
    client.post(url, {"member": later.pk})
    elected = dict(Representative.objects.values_list("member__name", "elected_on"))
    assert elected == {"彭娜": congress.starts_on, "易芳": timezone.localdate()}


def test_a_date_nobody_could_mean_adds_nobody(client_for, zhuxi, congress, units):
    member = add_member(units["g1"], "彭娜")
    response = client_for(zhuxi).post(
        reverse("democracy:congress", args=[congress.pk]),
        {"member": member.pk, "elected_on": "2026-02-30"},
        follow=True,
    )
    assert "当选日期：" in response.content.decode()
    assert not Representative.objects.exists()


def test_the_congress_page_reads_as_many_queries_for_six_representatives_as_for_twenty_six(
    client_for, zhuxi, session, reps, units
):
    client = client_for(zhuxi)
    url = reverse("democracy:congress", args=[session.congress_id])
    client.get(url)

    def queries_read():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    six = queries_read()
    for number in range(20):
        member = Member.objects.create(unit=units["g2"], name=f"代表{number}")
        svc.representative_add(congress=session.congress, member=member, elected_on=session.congress.starts_on)
    svc.representative_leave(representative=reps[1], on=LEFT_ON, reason="调离")
    assert queries_read() == six <= 10


# --- The term's rules and a session's details -------------------------------------------------


def test_the_chair_records_the_end_of_the_term_and_its_rules(client_for, zhuxi, congress):
    url = reverse("democracy:congress_edit", args=[congress.pk])
    data = {
        "ends_on": "2026-08-31",
        "women_share": "30",
        "frontline_share": "60",
        "young_share": "0",
        "cosigners_required": "3",
        "answer_workdays": "20",
        "quorum_numerator": "2",
        "quorum_denominator": "3",
        "pass_numerator": "1",
        "pass_denominator": "2",
    }
    too_early = client_for(zhuxi).post(url, {**data, "ends_on": "2023-01-01"})
    assert too_early.status_code == 200 and "本届结束应晚于本届开始（2023年9月1日）" in too_early.content.decode()

    assert client_for(zhuxi).post(url, data).status_code == 302
    congress.refresh_from_db()
    assert (congress.ends_on, congress.cosigners_required, congress.answer_workdays) == (
        datetime.date(2026, 8, 31),
        3,
        20,
    )


def test_the_chair_moves_a_session_until_it_closes(client_for, zhuxi, session, sixth_session):
    url = reverse("democracy:session_edit", args=[sixth_session.pk])
    data = {
        "number": "6",
        "held_on": "2026-03-27",
        "place": "学校报告厅",
        "proposals_open_on": "2026-02-20",
        "proposals_close_on": "2026-03-10",
        "agenda": "审议学校章程修订稿",
    }
    client = client_for(zhuxi)
    taken = client.post(url, {**data, "number": "5"})
    assert taken.status_code == 200 and "这一次会议已经建立。" in taken.content.decode()
    assert 'value="学校报告厅"' in taken.content.decode()

    assert client.post(url, data).status_code == 302
    sixth_session.refresh_from_db()
    assert (sixth_session.held_on, sixth_session.place) == (datetime.date(2026, 3, 27), "学校报告厅")

    Session.objects.filter(pk=sixth_session.pk).update(status=SessionStatus.CLOSED)
    closed = client.post(url, {**data, "place": "会议室"}, follow=True)
    assert "会议已经闭幕，不能再修改。" in closed.content.decode()
    sixth_session.refresh_from_db()
    assert sixth_session.place == "学校报告厅"


def test_a_session_s_edit_leaves_its_state_as_another_officer_left_it(session, sixth_session):
    """The form was read while the session was being planned; it opened meanwhile."""
    stale = Session.objects.get(pk=sixth_session.pk)
    Session.objects.filter(pk=sixth_session.pk).update(status=SessionStatus.OPEN)
    stale.place = "学校报告厅"
    svc.session_update(session=stale, fields=["place"])
    sixth_session.refresh_from_db()
    assert (sixth_session.status, sixth_session.place) == (SessionStatus.OPEN, "学校报告厅")


def test_editing_a_session_keeps_the_plan_item_of_an_earlier_year_it_fulfils(client_for, zhuxi, session, units):
    from plans import services as plan_services
    from plans.models import ScheduleItem

    plan = plan_services.plan_from_template(unit=units["school"], year=2025, template_key="school", user=zhuxi)
    item = ScheduleItem.objects.filter(plan=plan, category="democracy").first()
    Session.objects.filter(pk=session.pk).update(schedule_item=item)
    data = {
        "number": "5",
        "held_on": "2025-10-20",
        "place": "学校报告厅",
        "proposals_open_on": "2025-09-01",
        "proposals_close_on": "2025-09-30",
        "agenda": session.agenda,
        "schedule_item": str(item.pk),
    }

    response = client_for(zhuxi).post(reverse("democracy:session_edit", args=[session.pk]), data)

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.schedule_item_id, session.place) == (item.pk, "学校报告厅")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_check_in_while_the_representative_is_taken_back_waits_and_is_refused(session, reps):
    """Without the lock, the check-in failed at commit on the deleted row (a server error)."""
    with pytest.raises(DemocracyError, match="已被移出本届代表"):
        second_while_first_open(
            lambda: svc.representative_remove(representative=reps[4]),
            lambda: svc.session_check_in(session=session, representative=reps[4], by=None),
        )
    assert not session.attendances.exists()


def test_a_representative_who_transfers_out_or_leaves_the_union_loses_the_seat(session, reps, units, zhuxi):
    from members import services as members_svc
    from members.models import Status, StatusReason

    svc.session_check_in(session=session, representative=reps[0], by=None)
    moved, gone, stays = reps[0].member, reps[1].member, reps[2].member
    transfer = members_svc.member_transfer_start(member=moved, to_unit=units["office"], reason="调动", by=zhuxi)
    assert Representative.objects.get(pk=reps[0].pk).left_on is None  # still theirs while it is pending
    members_svc.member_transfer_accept(transfer=transfer, by=zhuxi)
    members_svc.member_status_change(
        member=gone, status=Status.LEFT, reason=StatusReason.LEFT_JOB, on=datetime.date(2026, 4, 1)
    )
    stays.unit = units["g1"]  # moved between the school's groups: still the school's representative
    members_svc.member_save(member=stays, reason="fields:unit")

    today = timezone.localdate()
    first, second, third = (Representative.objects.get(pk=r.pk) for r in reps[:3])
    assert (first.left_on, first.left_reason) == (today, "调离本单位（转至县教育局机关工会），代表资格终止")
    assert (second.left_on, second.left_reason) == (datetime.date(2026, 4, 1), "已退会，代表资格终止")
    assert third.left_on is None
    assert svc.quorum_of(session).total == 6  # the session held before keeps them all
    assert Representative.objects.serving(today).filter(congress=session.congress).count() == 4


def test_a_seat_ends_after_the_last_session_its_representative_attended(session, reps):
    from members import services as members_svc
    from members.models import Status, StatusReason

    svc.session_check_in(session=session, representative=reps[3], by=None)
    members_svc.member_status_change(
        member=reps[3].member, status=Status.DECEASED, reason=StatusReason.DECEASED, on=session.held_on
    )
    seat = Representative.objects.get(pk=reps[3].pk)
    assert seat.left_on == session.held_on + datetime.timedelta(days=1) and seat.left_reason == "已故，代表资格终止"
    assert svc.quorum_of(session).total == 6
