"""Care in the roll-ups (care.rollup): the county's 帮扶统计 shows what a union's own page counts live (by
level, lifted, the people helped, the rights cases), kept current by the saves that move those figures."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from care import figures, services
from care.models import EventKind, Household, HouseholdEvent
from care.tests.conftest import give
from rollups.models import Dirty
from rollups.refresh import drift, refresh

pytestmark = pytest.mark.django_db


def marked(unit):
    return Dirty.objects.filter(unit_id=unit.pk).count()


def test_a_person_helped_twice_by_one_unit_is_one_and_the_same_name_in_two_units_is_two(
    units, bangfu, xianzong, client_for
):
    """惠及人数 is counted per paying unit and added up: a name stands for one person within a unit, not across
    a county. The school's own page and its row on the county's page say the same."""
    today = timezone.localdate()
    for unit, amount in (("g1", "300"), ("g1", "200"), ("g2", "100")):
        give(by=bangfu, unit=units[unit], recipient="王芳", amount=amount, on=today, purpose="medical")
    give(by=bangfu, unit=units["g1"], recipient="李强", on=today, purpose="medical")
    refresh()

    school = figures.rollup(units["school"], today.year)
    assert (school.given, school.people_helped) == (4, 3)  # 王芳 of 东关 and 王芳 of 西街, and 李强
    by_child = figures.rollups(units["school"], today.year)
    assert [by_child[units[g].path].people_helped for g in ("g1", "g2")] == [2, 1]
    response = client_for(xianzong).get("/care/rollup/")
    [row] = [f for child, f in response.context["rows"] if child.pk == units["school"].pk]
    assert row == school and response.context["total"].people_helped == 3


def test_the_county_page_shows_levels_lifted_people_and_cases_as_the_union_counts_them(
    units, bangfu, xianzong, add_household, client_for, django_assert_max_num_queries
):
    today, now = timezone.localdate(), timezone.now()
    add_household("深", unit="g1", level="deep", today=today)
    add_household("相", unit="g2", level="relative", today=today)
    lifted = add_household("脱", unit="school", level="accident", today=today)
    services.household_lift(household=lifted, by=bangfu, on=today, reason="收入稳定", today=today)
    give(by=bangfu, household=lifted, amount="800.25", on=today, purpose="school")
    case = services.case_submit(
        unit=units["g1"], name="贾", phone="13803190000", category="wages", account="x", now=now
    )
    services.case_close(case=case, by=bangfu, on=today, outcome="已结清", recovered=Decimal("3000.75"))
    services.case_submit(unit=units["school"], name="李", phone="13803190001", category="injury", account="x", now=now)
    refresh()

    client = client_for(xianzong)
    with django_assert_max_num_queries(10):  # stored rows, however many files, payments and cases below
        response = client.get("/care/rollup/")
    total = response.context["total"]
    assert total == figures.rollup(units["county"], today.year)
    assert total.by_level == {"深度困难": 1, "相对困难": 1, "意外致困": 0} and total.lifted == 1
    assert (total.cases, total.cases_closed, total.recovered) == (2, 1, Decimal("3000.75"))
    assert total.by_purpose["金秋助学"] == Decimal("800.25") and total.people_helped == 1
    html = response.content.decode()
    assert "¥3,000.75" in html and "惠及人数" in html and "当年脱困" in html


def test_a_lifted_event_marks_the_file_s_unit_and_other_events_do_not(units, bangfu, add_household):
    today = timezone.localdate()
    household = add_household("脱", unit="g1", today=today)
    refresh()
    HouseholdEvent.objects.create(household=household, kind=EventKind.REVIEWED, on=today, reason="复核")
    assert marked(units["g1"]) == 0
    event = HouseholdEvent.objects.create(household=household, kind=EventKind.LIFTED, on=today, reason="脱困")
    assert marked(units["g1"]) == 1
    refresh()
    assert figures.rollup(units["g1"], today.year).lifted == 1 and drift() == []
    event.delete()
    assert marked(units["g1"]) == 1
    refresh()
    assert drift() == []


def test_only_the_fields_that_move_a_figure_mark_a_unit(units, bangfu, zhuxi, add_household):
    today, now = timezone.localdate(), timezone.now()
    household = add_household("户", unit="g1", today=today)
    case = services.case_submit(
        unit=units["g2"], name="贾", phone="13803190000", category="wages", account="x", now=now
    )
    refresh()

    Household.objects.get(pk=household.pk).save(update_fields=["next_review_on"])
    services.case_assign(case=case, by=zhuxi, to=bangfu, deadline=today + datetime.timedelta(days=7))  # 待受理 → 办理中
    assert (marked(units["g1"]), marked(units["g2"])) == (0, 0)

    household.level = "relative"
    household.save(update_fields=["level"])
    services.case_close(case=case, by=bangfu, on=today, outcome="已结清", recovered=Decimal("100"))
    assert (marked(units["g1"]), marked(units["g2"])) == (1, 1)
    refresh()
    assert drift() == []
    county = figures.rollup(units["county"], today.year)
    assert county.by_level["相对困难"] == 1 and county.cases_closed == 1


def test_a_federation_care_officer_s_start_page_reads_the_year_s_amount_from_the_roll_ups(
    units, bangfu, qinggong, client_for
):
    today = timezone.localdate()
    give(by=bangfu, unit=units["g1"], recipient="王芳", amount="500", on=today)
    client = client_for(qinggong)
    assert client.get("/care/").context["figures"].amount == 0  # until the worker's refresh
    refresh()
    assert client.get("/care/").context["figures"].amount == Decimal("500.00")
