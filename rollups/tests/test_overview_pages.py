"""The overview pages read the roll-ups or page by keyset: after a refresh their figures equal the
live counts, and they take the same number of queries however much data there is below."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.figures import kinds_held, months_held, participation, year_figures
from activities.models import Activity, Kind, Registration
from activities.models import Status as ActivityStatus
from members.models import AGE_BANDS, IN_UNION, Gender, Member, Status
from members.services import current_statistics, roster_statistics
from orgs.models import OrgUnit, UnitKind
from plans.models import ItemStatus, Plan, PlanStatus, ScheduleItem
from rollups import read
from rollups.refresh import refresh, touch

PAGES = [
    "workbench:home",
    "workbench:home_todos",
    "workbench:home_units",
    "members:statistics",
    "activities:statistics",
    "activities:list",
    "plans:index",
    "plans:assigned",
    "federation:units",
    "rollups:statistics",
]


def grow(units, zhuxi, rng, n):
    """n more unions below the county, each with members of every kind, held activities with
    check-ins and money, and a published plan's items in every status; written in bulk."""
    county = OrgUnit.objects.get(pk=units["county"].pk)
    today = timezone.localdate()
    made = list(OrgUnit.objects.filter(code__startswith="grow-"))
    for i in range(len(made), len(made) + n):
        made.append(
            OrgUnit.objects.add_child(county, {"code": f"grow-{i}", "name": f"第{i}工会", "kind": UnitKind.UNION})
        )
    new = made[-n:]
    members = Member.objects.bulk_create(
        Member(
            unit=rng.choice(new),
            name=f"会员{k}",
            gender=rng.choice([Gender.FEMALE, Gender.MALE]),
            birth_date=rng.choice([None, datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 16000))]),
            joined_on=rng.choice([None, today, datetime.date(today.year - 1, 5, 1)]),
            status=rng.choice(list(Status.values)),
            status_changed_on=rng.choice([None, today]),
            is_migrant_worker=rng.random() < 0.3,
            is_retiree=rng.random() < 0.1,
        )
        for k in range(20 * n)
    )
    started = timezone.now().replace(day=1) - datetime.timedelta(days=1) if today.day == 1 else timezone.now()
    started = started.replace(day=1, hour=10)
    activities = Activity.objects.bulk_create(
        Activity(
            unit=rng.choice(new),
            title="活动",
            kind=rng.choice(list(Kind.values)),
            starts_at=started.replace(month=rng.randint(1, started.month)),
            status=ActivityStatus.HELD,
            participant_times=rng.randint(0, 50),
            budget=rng.choice([None, Decimal("100.10")]),
            spend=rng.choice([None, Decimal("99.99")]),
            created_by=zhuxi,
        )
        for _k in range(3 * n)
    )
    Registration.objects.bulk_create(
        Registration(activity=rng.choice(activities), member=m, checked_in_at=started)
        for m in rng.sample(members, len(members) // 3)
    )
    for unit in new:
        plan = Plan.objects.create(
            unit=unit, year=today.year, title="计划", status=PlanStatus.PUBLISHED, created_by=zhuxi
        )
        ScheduleItem.objects.bulk_create(
            ScheduleItem(
                plan=plan,
                unit=unit,
                month=rng.randint(0, 12),
                text="事项",
                status=rng.choice(list(ItemStatus.values)),
                postponed_to=rng.randint(1, 12),
            )
            for _k in range(5)
        )
    touch([u.pk for u in new])  # bulk writes mark their units themselves
    refresh()


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_overview_pages_take_as_many_queries_for_ten_times_the_data(client_for, units, xianzong, zhuxi):
    rng = random.Random(13)
    client = client_for(xianzong)
    grow(units, zhuxi, rng, 3)
    small = {name: queries(client, reverse(name)) for name in PAGES}
    grow(units, zhuxi, rng, 30)
    large = {name: queries(client, reverse(name)) for name in PAGES}
    assert large == small


def test_the_member_statistics_equal_the_live_counts_after_a_refresh(units, zhuxi):
    grow(units, zhuxi, random.Random(7), 5)
    county = units["county"]
    today = timezone.localdate()
    rolled, live = current_statistics(county), roster_statistics(county)
    for key in ("members", "women", "migrant_workers", "retirees", "joined", "left", "unknown_age", "headcount"):
        assert rolled[key] == live[key], key
    assert (rolled["membership_rate"], rolled["women_share"]) == (live["membership_rate"], live["women_share"])
    # Ages by year of birth: the live count of each band's birth years.
    in_union = Member.objects.in_subtree(county).filter(status__in=IN_UNION)
    for band, (key, _label, low, high) in zip(rolled["age_bands"], AGE_BANDS, strict=True):
        born = in_union.filter(birth_date__year__range=(today.year - high, today.year - low)).count()
        assert band["count"] == born, key


def test_the_activity_statistics_equal_the_live_counts_after_a_refresh(client_for, units, xianzong, zhuxi):
    grow(units, zhuxi, random.Random(11), 5)
    county, year = units["county"], timezone.localdate().year
    context = client_for(xianzong).get(reverse("activities:statistics")).context
    totals = year_figures(county, year)
    assert context["totals"]["held"] == totals["held"] > 0
    assert context["totals"]["participant_times"] == totals["participant_times"]
    assert context["totals"]["budget"] == totals["budget"] and context["totals"]["spend"] == totals["spend"]
    assert (context["took_part"], context["members"]) == participation(county, year)
    assert sorted(context["kinds"]) == sorted((str(label), n, times) for label, n, times in kinds_held(county, year))
    assert context["months"] == months_held(county, year)
    below = {row["unit"].pk: row for row in context["units"] if not row.get("own")}
    for unit in OrgUnit.objects.get_children(county):
        live = year_figures(unit, year)
        assert (below[unit.pk]["held"], below[unit.pk]["spend"]) == (live["held"], live["spend"] or 0)


@pytest.mark.parametrize("month", [1, 6, 12])
def test_the_plan_card_counts_equal_the_live_counts_after_a_refresh(units, zhuxi, month):
    grow(units, zhuxi, random.Random(month), 5)
    county, year = units["county"], timezone.localdate().year
    items = ScheduleItem.objects.in_subtree(county).filter(plan__status=PlanStatus.PUBLISHED)
    rolled = read.for_unit(county, year)
    assert rolled.in_month(month) == items.in_month(year, month).count()
    today = datetime.date(year, month, 15)
    assert rolled.overdue(today) == items.filter(plan__year=year).overdue(today).count()


def grow_union(unit, zhuxi, rng, n):
    """n members with a birthday in the next days, n held activities and n plan items due this
    month or overdue, all in the chair's own union."""
    today = timezone.localdate()
    Member.objects.bulk_create(
        Member(
            unit=unit,
            name=f"本会会员{k}",
            gender=rng.choice([Gender.FEMALE, Gender.MALE]),
            birth_date=(today + datetime.timedelta(days=rng.randint(0, 13))).replace(year=1980),
            status=rng.choice(list(IN_UNION)),
        )
        for k in range(n)
    )
    Activity.objects.bulk_create(
        Activity(
            unit=unit,
            title="活动",
            kind=rng.choice(list(Kind.values)),
            starts_at=timezone.now(),
            status=ActivityStatus.HELD,
            created_by=zhuxi,
        )
        for _k in range(n)
    )
    plan, _ = Plan.objects.get_or_create(
        unit=unit, year=today.year, defaults={"title": "计划", "status": PlanStatus.PUBLISHED, "created_by": zhuxi}
    )
    ScheduleItem.objects.bulk_create(
        ScheduleItem(plan=plan, unit=unit, month=rng.randint(1, today.month), text="事项", status=ItemStatus.PLANNED)
        for _k in range(n)
    )
    touch([unit.pk])
    refresh()


# The home page reads every app's cards and to-dos: this many statements at most, whatever the data
# (57 and 41 before the cards, to-dos and table shared their reads and merged their counts).
HOME_QUERIES = {"zhuxi": 52, "xianzong": 32}


def test_the_home_page_keeps_its_query_budget_for_ten_times_the_data(
    client_for, units, zhuxi, xianzong, django_assert_max_num_queries
):
    rng = random.Random(7)
    grow(units, zhuxi, rng, 3)
    grow_union(units["school"], zhuxi, rng, 5)
    small = {}
    for person in (zhuxi, xianzong):
        client = client_for(person)
        small[person.username] = queries(client, reverse("workbench:home"))
        with django_assert_max_num_queries(HOME_QUERIES[person.username]):
            client.get(reverse("workbench:home"))
    grow(units, zhuxi, rng, 30)
    grow_union(units["school"], zhuxi, rng, 50)
    large = {person.username: queries(client_for(person), reverse("workbench:home")) for person in (zhuxi, xianzong)}
    assert large == small
