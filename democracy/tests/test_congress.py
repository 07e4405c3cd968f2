"""Congress: labels, session names, quorum to open a vote, passing share of all representatives."""

import datetime

import pytest
from django.urls import reverse

from democracy.models import Resolution
from democracy.models.congress import ResolutionStatus, congress_label
from democracy.services import DemocracyError
from democracy.services import congress as svc
from members.models import Gender, Member
from orgs.models import OrgUnit, UnitKind


def test_schools_hold_a_jiaodaihui_and_companies_a_zhidaihui(units):
    plant = OrgUnit.objects.add_child(
        units["county"], {"code": "plant", "name": "清河机械厂工会", "kind": UnitKind.UNION}
    )
    assert congress_label(units["school"]) == "教代会"
    assert congress_label(plant) == "职代会"


def test_session_is_written_as_officers_write_it(session):
    assert session.short_name == "三届五次"
    assert "第三届" in session.name and "第五次" in session.name


def check_in(session, representatives, count):
    for rep in representatives[:count]:
        svc.session_check_in(session=session, representative=rep, by=None)


@pytest.fixture
def reps(session, daibiao, fellows):
    return list(session.congress.representatives.all())  # six


def test_vote_opens_only_with_two_thirds_present(session, reps):
    resolution = Resolution.objects.create(session=session, unit=session.unit, title="绩效工资分配方案")
    check_in(session, reps, 3)
    with pytest.raises(DemocracyError, match="不能开始表决"):
        svc.resolution_open(resolution=resolution)
    assert Resolution.objects.get(pk=resolution.pk).status == ResolutionStatus.DRAFT
    check_in(session, reps, 4)  # 4 of 6 is exactly two thirds
    assert svc.resolution_open(resolution=resolution).status == ResolutionStatus.VOTING


def test_checking_in_twice_counts_once(session, reps):
    check_in(session, reps, 1)
    check_in(session, reps, 1)
    assert svc.quorum_of(session).present == 1


def test_resolution_passes_with_more_than_half_of_all_representatives_not_of_those_present(session, reps):
    check_in(session, reps, 5)
    first = Resolution.objects.create(session=session, unit=session.unit, title="甲")
    svc.resolution_open(resolution=first)
    assert svc.resolution_record(resolution=first, votes_for=3, votes_against=1, votes_abstain=1).status == "failed"
    second = Resolution.objects.create(session=session, unit=session.unit, title="乙")
    svc.resolution_open(resolution=second)
    assert svc.resolution_record(resolution=second, votes_for=4, votes_against=1, votes_abstain=0).status == "passed"


def test_more_votes_than_present_are_refused(session, reps):
    check_in(session, reps, 4)
    resolution = Resolution.objects.create(session=session, unit=session.unit, title="甲")
    svc.resolution_open(resolution=resolution)
    with pytest.raises(DemocracyError, match="不能超过到会代表4人"):
        svc.resolution_record(resolution=resolution, votes_for=4, votes_against=1, votes_abstain=0)


def test_a_closed_session_takes_no_new_matter_and_opens_no_vote(session, reps):
    check_in(session, reps, 5)
    waiting = svc.resolution_add(session=session, title="校务公开实施办法")
    svc.session_close(session=session, by=None)
    with pytest.raises(DemocracyError, match="不能再添加表决事项"):
        svc.resolution_add(session=session, title="会后补充的事项")
    with pytest.raises(DemocracyError, match="不能再开始表决"):
        svc.resolution_open(resolution=waiting)
    assert list(session.resolutions.values_list("title", "status")) == [("校务公开实施办法", "draft")]


def test_a_session_with_a_vote_still_open_does_not_close(session, reps):
    check_in(session, reps, 5)
    voting = svc.resolution_open(resolution=svc.resolution_add(session=session, title="绩效工资分配方案"))
    with pytest.raises(DemocracyError, match="“绩效工资分配方案”正在表决"):
        svc.session_close(session=session, by=None)
    session.refresh_from_db()
    assert session.status != "closed"
    svc.resolution_record(resolution=voting, votes_for=4, votes_against=1, votes_abstain=0)
    assert svc.session_close(session=session, by=None).status == "closed"


def test_quotas_are_checked_as_representatives_are_chosen(session, reps):
    congress = session.congress
    congress.women_share = 50
    congress.young_share = 30
    congress.save()
    checks = {c.label: c for c in svc.quota_checks(congress, today=datetime.date(2025, 9, 1))}
    assert checks["女代表"].met  # 4 of 6
    assert not checks["青年代表（35岁以下）"].met  # all born 1985


def test_closing_the_session_fulfils_its_plan_item(session, zhuxi, units):
    from plans.models import ItemStatus, Plan, PlanStatus, ScheduleItem

    plan = Plan.objects.create(unit=units["school"], year=2025, title="计划", status=PlanStatus.PUBLISHED)
    item = ScheduleItem.objects.create(
        plan=plan, unit=units["school"], month=10, text="召开教代会", category="democracy"
    )
    session.schedule_item = item
    session.save()
    svc.session_close(session=session, by=zhuxi)
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and "第五次" in item.note


def test_the_chair_closes_the_session_with_its_minutes_and_a_paste_too_long_is_sent_back(session, client_for, zhuxi):
    from django.urls import reverse

    from democracy.models.congress import SessionStatus

    url = reverse("democracy:session_close", args=[session.pk])
    client = client_for(zhuxi)
    pasted = "纪" * 20001
    response = client.post(url, {"minutes": pasted})
    assert response.status_code == 200 and pasted in response.content.decode()
    session.refresh_from_db()
    assert session.status != SessionStatus.CLOSED and session.minutes == ""
    response = client.post(url, {"minutes": "会议审议通过了绩效工资分配方案。"})
    session.refresh_from_db()
    assert response.status_code == 302 and session.status == SessionStatus.CLOSED
    assert session.minutes == "会议审议通过了绩效工资分配方案。"


def test_a_representative_added_by_a_number_nobody_could_pick_is_a_bad_request(session, client_for, zhuxi):
    from django.urls import reverse

    url = reverse("democracy:congress", args=[session.congress_id])
    before = session.congress.representatives.count()
    for member in ("²", "x", "99999999999999999999999"):
        assert client_for(zhuxi).post(url, {"member": member}).status_code == 400
    assert session.congress.representatives.count() == before


def test_a_session_set_up_twice_is_refused_on_its_number_keeping_what_was_typed(client_for, zhuxi, session):
    data = {
        "number": "5",
        "held_on": "2025-10-21",
        "place": "学校报告厅",
        "proposals_open_on": "2025-09-01",
        "proposals_close_on": "2025-09-30",
        "agenda": "审议学校章程修订稿",
    }
    response = client_for(zhuxi).post(reverse("democracy:session_create", args=[session.congress_id]), data)
    html = response.content.decode()
    assert response.status_code == 200 and "这一次会议已经建立。" in html
    assert "审议学校章程修订稿" in html and 'value="学校报告厅"' in html
    assert session.congress.sessions.count() == 1


def test_the_same_term_or_representative_twice_is_refused(congress, units):
    with pytest.raises(DemocracyError, match="第3届已经建立"):
        svc.congress_create(unit=units["school"], number=3, starts_on=datetime.date(2026, 9, 1))
    member = Member.objects.create(unit=units["g1"], name="王老师", gender=Gender.FEMALE)
    svc.representative_add(congress=congress, member=member)
    with pytest.raises(DemocracyError, match="王老师已经是本届代表"):
        svc.representative_add(congress=congress, member=member)
    assert congress.representatives.count() == 1
