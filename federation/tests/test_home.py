"""The federation's home: the first units directly below (all on the units page), sortable figures,
bounded queries at 300 units;
the group leader's home: his returned work and his own items first."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Registration, Status
from core.figures import metric_value
from federation import filing as machine
from federation import services
from federation.figures import GROUPED_METRICS, metric_by_unit, unit_figures
from federation.kinds import plan_snapshot
from federation.models import CallKind, UnitState
from federation.tests.conftest import TODAY, YEAR
from members.models import Member
from orgs.models import OrgUnit, UnitKind
from plans.models import ItemStatus, Plan, PlanStatus
from rollups.refresh import refresh, touch


def unit_names(html):
    table = html.split('data-testid="units-below"')[1].split("</table>")[0]
    return re.findall(r'<a href="/federation/units/\d+/\?year=\d+">([^<]+)</a>', table)


def test_the_county_home_lists_every_union_directly_below_by_name(client_for, units, xianzong):
    client = client_for(xianzong)
    home = client.get(reverse("workbench:home")).content.decode()
    assert reverse("workbench:home_units") in home  # the table is fetched as soon as the page is shown
    html = client.get(reverse("workbench:home_units")).content.decode()
    assert unit_names(html) == ["城关镇中心学校工会", "县教育局机关工会"]


def test_a_school_home_has_no_federation_table(client_for, units, zhuxi):
    client = client_for(zhuxi)
    assert reverse("workbench:home_units") not in client.get(reverse("workbench:home")).content.decode()
    assert client.get(reverse("workbench:home_units")).status_code == 404


def test_figures_per_unit_count_each_subtree(units, zhuxi, xianzong, plan_call, make_plan):
    for unit in ("school", "g1", "g2", "office"):
        Member.objects.create(unit=units[unit], name="会员", gender="F")
    Activity.objects.create(
        unit=units["g1"],
        title="拔河",
        starts_at=timezone.now().replace(year=YEAR),
        status=Status.HELD,
        created_by=zhuxi,
    )
    plan = make_plan(status=PlanStatus.PUBLISHED)
    plan.targets.create(name="会员人数", measure="人", value=3, metric="members.count")
    plan.targets.create(name="送温暖户数", measure="户", value=10, actual_manual=4)
    for month, status in ((1, ItemStatus.DONE), (1, ItemStatus.PLANNED)):
        plan.items.create(unit=units["school"], month=month, text="事项", status=status)
    filing = machine.filing_for(kind=CallKind.PLAN, unit=units["school"], title=plan.title, call=plan_call)
    machine.filing_file(filing=filing, by=zhuxi, data=plan_snapshot(plan))
    refresh()  # what the worker does a few seconds after the changes
    rows = {r.unit.code: r for r in unit_figures(units["county"], YEAR, today=datetime.date(YEAR, 12, 1))}
    school, office = rows["demo-school"], rows["demo-office"]
    assert (school.members, school.headcount, school.activities) == (3, 75, 1)
    assert school.membership_rate == pytest.approx(4.0, abs=0.01)
    assert (school.items_due, school.items_done, school.targets_total, school.targets_met) == (2, 1, 2, 1)
    assert school.plan_state == UnitState.FILED and office.plan_state == UnitState.NOT_STARTED
    assert (office.members, office.headcount) == (1, 30)


def test_the_units_page_sorts_by_a_figure(client_for, units, xianzong):
    for _ in range(3):
        Member.objects.create(unit=units["office"], name="会员", gender="M")
    refresh()
    client = client_for(xianzong)
    by_members = client.get(reverse("federation:units"), {"sort": "members"}).content.decode()
    assert unit_names(by_members) == ["县教育局机关工会", "城关镇中心学校工会"]
    reversed_ = client.get(reverse("federation:units"), {"sort": "members", "desc": "1"}).content.decode()
    assert unit_names(reversed_) == ["城关镇中心学校工会", "县教育局机关工会"]


def test_a_units_row_opens_its_pages_read_only(client_for, units, xianzong, make_plan, outsider):
    plan = make_plan()
    client = client_for(xianzong)
    html = client.get(reverse("federation:unit", args=[units["school"].pk])).content.decode()
    assert reverse("plans:detail", args=[plan.pk]) in html and "只读查看" in html
    plan_page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("plans:edit", args=[plan.pk]) not in plan_page  # no editing for the county
    assert client_for(outsider).get(reverse("federation:unit", args=[units["school"].pk])).status_code == 404


@pytest.fixture
def county_of_300(units, xianzong, zhuxi):
    """300 unions below demo-county, each with members, a plan with items and a target, an activity."""
    county = units["county"]
    made = []
    for i in range(300):
        made.append(
            OrgUnit.objects.add_child(county, {"code": f"u{i:03d}", "name": f"第{i:03d}工会", "kind": UnitKind.UNION})
        )
    Member.objects.bulk_create(Member(unit=u, name="会员", gender="M") for u in made for _ in range(2))
    plans = Plan.objects.bulk_create(
        Plan(unit=u, year=YEAR, title="计划", status=PlanStatus.PUBLISHED, created_by=zhuxi) for u in made
    )
    from plans.models import ScheduleItem, Target

    ScheduleItem.objects.bulk_create(ScheduleItem(plan=p, unit=p.unit, month=1, text="事项") for p in plans)
    Target.objects.bulk_create(
        Target(plan=p, name="会员", measure="人", value=1, metric="members.count") for p in plans
    )
    Activity.objects.bulk_create(
        Activity(unit=u, title="活动", starts_at=timezone.now(), status=Status.HELD, created_by=zhuxi) for u in made
    )
    # Due in a week: the call page reads the clock, and a call due on TODAY (read when the suite started) made
    # every unit late, not "not started", once a full run crossed midnight in Beijing.
    due = TODAY + datetime.timedelta(days=7)
    services.call_issue(unit=county, kind=CallKind.PLAN, year=YEAR, title="计划报备", due=due, by=xianzong, today=TODAY)
    touch([u.pk for u in made])  # bulk writes mark their units themselves
    refresh()
    return made


def test_the_county_home_and_units_page_keep_bounded_queries_with_300_units(
    client_for, county_of_300, xianzong, django_assert_max_num_queries
):
    client = client_for(xianzong)
    # Other apps' home cards and to-do sources add their own few; none of ours grows with the units.
    with django_assert_max_num_queries(40):
        client.get(reverse("workbench:home"))
    with django_assert_max_num_queries(12):
        html = client.get(reverse("workbench:home_units")).content.decode()
    # The home lists the first 20 and sends to the units page for the rest, which lists all 302.
    assert unit_names(html) == ["城关镇中心学校工会", "县教育局机关工会", *(f"第{i:03d}工会" for i in range(18))]
    assert 'data-testid="more-below"' in html and "只列出前 20 个下级单位" in html
    with django_assert_max_num_queries(25):
        page = client.get(reverse("federation:units"), {"sort": "membership_rate"}).content.decode()
    assert len(unit_names(page)) == 302
    with django_assert_max_num_queries(15):
        client.get(reverse("workbench:todo"))


def test_the_call_page_keeps_bounded_queries_with_300_units(
    client_for, county_of_300, xianzong, django_assert_max_num_queries
):
    from federation.models import FilingCall

    call = FilingCall.objects.get()
    client = client_for(xianzong)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("federation:call", args=[call.pk])).content.decode()
    assert html.count('data-state="not_started"') == 302


def test_the_group_leaders_home_shows_his_returned_summary_first(client_for, units, xiaozu, zhuxi):
    from activities.services import summary_review, summary_save, summary_submit

    activity = Activity.objects.create(
        unit=units["g1"], title="三八节趣味活动", starts_at=timezone.now(), status=Status.HELD, created_by=zhuxi
    )
    summary = summary_submit(summary=summary_save(activity=activity, text="初稿", by=xiaozu), by=xiaozu)
    summary_review(summary=summary, by=zhuxi, accept=False, comment="请补充照片说明")
    client = client_for(xiaozu)
    home = client.get(reverse("workbench:home")).content.decode()
    assert reverse("workbench:home_todos") in home  # the page fetches its to-do card as soon as it is shown
    html = client.get(reverse("workbench:home_todos")).content.decode()
    todos = html.split('data-testid="home-todos"')[1]
    first = todos.split("<li")[1]
    assert "三八节趣味活动" in first and "请补充照片说明" in first
    assert reverse("activities:summary", args=[activity.pk]) in first


def test_the_top_unit_has_no_row_of_its_own(client_for, units, xianzong):
    assert client_for(xianzong).get(reverse("federation:unit", args=[units["county"].pk])).status_code == 404


@pytest.mark.parametrize("metric", sorted(GROUPED_METRICS))
def test_the_target_page_keeps_bounded_queries_with_300_units(
    client_for, county_of_300, units, xianzong, zhuxi, django_assert_max_num_queries, metric
):
    county_plan = Plan.objects.create(unit=units["county"], year=YEAR, title="县计划", created_by=zhuxi)
    target = county_plan.targets.create(name="会员人数", measure="人", value=600, metric=metric)
    handed = services.target_hand_down(target=target, default_value=2)
    client = client_for(xianzong)
    with django_assert_max_num_queries(20):  # 300 units' figures from their roll-ups, not one query each
        html = client.get(reverse("federation:target", args=[handed.pk])).content.decode()
    assert html.count('name="share-') == 302
    if metric != "members.count":
        return
    rows = services.target_rows(handed)
    assert sum(1 for r in rows if r.met) == 300  # 2 members each against a share of 2


def test_figures_from_the_roll_ups_are_the_metrics_own_values(units, zhuxi, make_plan):
    """What the target page shows for each unit below is what the unit's own plan shows for the same
    target (core.figures.metric_value over its records), rounding and postponed items included."""
    today = timezone.localdate()
    for unit, gender in (("school", "F"), ("g1", "F"), ("g1", "M")):
        Member.objects.create(unit=units[unit], name="会员", gender=gender, joined_on=today)
    Member.objects.create(unit=units["g2"], name="离会", gender="F", joined_on=today, status="left")
    Member.objects.create(unit=units["office"], name="会员", gender="M")
    activity = Activity.objects.create(
        unit=units["g1"],
        title="拔河",
        starts_at=timezone.now(),
        status=Status.HELD,
        created_by=zhuxi,
        participant_times=7,
    )
    checked_in = Member.objects.filter(unit=units["g1"]).first()
    Registration.objects.create(activity=activity, member=checked_in, checked_in_at=timezone.now())
    plan = make_plan(status=PlanStatus.PUBLISHED)
    earlier = max(today.month - 1, 1)
    for month, status, postponed_to in (
        (earlier, ItemStatus.DONE, None),
        (earlier, ItemStatus.PLANNED, None),
        (earlier, ItemStatus.POSTPONED, 12),  # put off to December: not due yet, as the plan page counts it
        (0, ItemStatus.PLANNED, None),
    ):
        plan.items.create(unit=units["school"], month=month, text="事项", status=status, postponed_to=postponed_to)
    OrgUnit.objects.filter(pk=units["school"].pk).update(headcount=7)  # a membership rate that needs rounding
    touch([units["school"].pk])
    refresh()
    children = [units["school"], units["office"]]
    for key in sorted(GROUPED_METRICS):
        grouped = metric_by_unit(units["county"], key, YEAR, today=today, children=children)
        for child in children:
            child.refresh_from_db()
            assert grouped[child.pk] == metric_value(key, unit=child, year=YEAR), (key, child.code)
