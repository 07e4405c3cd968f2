"""Keyset pages in any column order: reading a value of the first column at a time, or reading the
disjoint parts of a list and merging them, gives the same pages, forwards and back, as reading the
whole order in one window."""

import random

import pytest

from core import keyset
from core.keyset import merged_page, ordered_page
from plans.models import Plan

ORDER = [("year", True), ("unit__path", False), ("id", False)]


@pytest.fixture
def plans_of_many_years(units):
    rng = random.Random(11)
    inside = [units[k] for k in ("county", "school", "g1", "g2", "office")]
    for unit in inside:
        for year in rng.sample(range(2018, 2028), rng.randint(1, 7)):
            Plan.objects.create(unit=unit, year=year, title=f"{unit.name}{year}")
    return Plan.objects.filter(unit__in=inside).select_related("unit")


def walk(plans, size, pager=ordered_page, order=ORDER, **options):
    """Every page forwards, then every page back from the last one."""
    forwards, cursor = [], ""
    while True:
        page = pager(plans, order=order, after=cursor, size=size, count=False, **options)
        forwards.append([p.pk for p in page])
        if not page.has_next:
            break
        cursor = page.next_cursor
    backwards, cursor = [], page.previous_cursor
    while cursor:
        page = pager(plans, order=order, before=cursor, size=size, count=False, **options)
        backwards.insert(0, [p.pk for p in page])
        cursor = page.previous_cursor if page.has_previous else ""
    return forwards, backwards


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8])
def test_a_page_read_a_year_at_a_time_is_the_page_read_in_one_window(plans_of_many_years, size):
    whole = list(plans_of_many_years.order_by("-year", "unit__path", "id").values_list("pk", flat=True))
    plain_forwards, plain_backwards = walk(plans_of_many_years, size)
    forwards, backwards = walk(plans_of_many_years, size, leading=Plan.objects.years())
    assert [pk for page in forwards for pk in page] == whole
    assert forwards == plain_forwards
    assert backwards == plain_backwards == forwards[:-1]


def test_the_years_come_latest_first_each_once(plans_of_many_years):
    years = Plan.objects.years()
    assert years == sorted(set(Plan.objects.values_list("year", flat=True)), reverse=True)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("descending", [False, True])
def test_a_page_merged_from_disjoint_parts_is_the_page_of_the_whole(plans_of_many_years, size, descending):
    order = [("year", descending), ("unit_id", descending), ("id", descending)]
    parts = [plans_of_many_years.filter(year__lt=2022), plans_of_many_years.filter(year__gte=2022)]
    forwards, backwards = walk(parts, size, pager=merged_page, order=order)
    whole_forwards, whole_backwards = walk(plans_of_many_years, size, order=order)
    assert len({pk for page in forwards for pk in page}) == plans_of_many_years.count()
    assert forwards == whole_forwards
    assert backwards == whole_backwards == forwards[:-1]


def test_a_merged_page_counts_its_parts_up_to_the_cap(plans_of_many_years, monkeypatch):
    order = [("year", True), ("id", True)]
    parts = [plans_of_many_years.filter(year__lt=2022), plans_of_many_years.filter(year__gte=2022)]
    total = plans_of_many_years.count()
    page = merged_page(parts, order=order, size=3)
    assert (page.count, page.count_capped) == (total, False)
    monkeypatch.setattr(keyset, "COUNT_CAP", total - 1)
    page = merged_page(parts, order=order, size=3)
    assert (page.count, page.count_capped) == (total - 1, True)


def test_a_merged_page_refuses_an_order_of_mixed_directions(plans_of_many_years):
    with pytest.raises(ValueError):
        merged_page([plans_of_many_years], order=ORDER)
