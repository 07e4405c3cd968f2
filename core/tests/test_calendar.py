import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import calendar
from core.models import OfficialDay

D = datetime.date


@pytest.fixture(autouse=True)
def fresh_calendar(db):
    # Computed years outlive a test's rolled-back transaction; start each test clean.
    calendar.forget()
    yield
    calendar.forget()


def test_published_2026_spring_festival_and_its_swapped_saturdays():
    assert calendar.is_holiday(D(2026, 2, 17))
    assert not calendar.is_workday(D(2026, 2, 23))  # a Monday inside the nine-day break
    assert calendar.is_workday(D(2026, 2, 14))  # Saturday, worked for 春节
    assert calendar.is_workday(D(2026, 2, 28))
    info = calendar.day_info(D(2026, 2, 28))
    assert info.swapped and info.holiday == "chunjie" and not info.provisional


def test_published_2025_national_day_break():
    assert [h.date for h in calendar.holidays(2025) if h.key == "guoqing"][0] == D(2025, 10, 1)
    assert calendar.is_workday(D(2025, 9, 28))  # Sunday, swapped
    assert calendar.is_workday(D(2025, 10, 11))  # Saturday, swapped
    assert not calendar.is_workday(D(2025, 10, 8))
    assert calendar.day_info(D(2025, 10, 6)).holiday == "zhongqiu"


def test_ordinary_weekend_is_neither_workday_nor_holiday():
    saturday = D(2026, 3, 7)
    assert not calendar.is_workday(saturday)
    assert not calendar.is_holiday(saturday)
    assert calendar.day_info(saturday) == calendar.DayInfo(saturday, workday=False)


def test_2027_holidays_are_computed_by_the_rules_and_marked_provisional():
    days = {h.date: h for h in calendar.holidays(2027)}
    assert all(h.provisional for h in days.values())
    assert [d for d, h in days.items() if h.key == "chunjie"] == [
        D(2027, 2, 5),
        D(2027, 2, 6),
        D(2027, 2, 7),
        D(2027, 2, 8),
    ]
    assert days[D(2027, 1, 1)].key == "yuandan"
    assert days[D(2027, 4, 5)].key == "qingming"
    assert [d for d, h in days.items() if h.key == "laodong"] == [D(2027, 5, 1), D(2027, 5, 2)]
    assert days[D(2027, 6, 9)].key == "duanwu"
    assert days[D(2027, 9, 15)].key == "zhongqiu"
    assert [d for d, h in days.items() if h.key == "guoqing"] == [D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)]
    assert len(days) == 13
    assert calendar.swapped_workdays(2027) == {}
    info = calendar.day_info(D(2027, 2, 8))  # a Monday
    assert not info.workday and info.provisional and info.holiday_name == "春节"


def test_mid_autumn_inside_national_day_lengthens_the_break():
    # 2028: 中秋 falls on October 3rd.
    days = {h.date: h.key for h in calendar.holidays(2028)}
    assert days[D(2028, 10, 3)] == "zhongqiu"
    assert [d for d, key in days.items() if key == "guoqing"] == [D(2028, 10, 1), D(2028, 10, 2), D(2028, 10, 4)]


def test_entered_arrangement_replaces_the_estimate_of_that_holiday_only():
    for day in range(5, 13):  # 春节 2027 as it might be published: eight days off
        OfficialDay.objects.create(date=D(2027, 2, day), kind=OfficialDay.Kind.HOLIDAY, holiday="chunjie")
    OfficialDay.objects.create(date=D(2027, 2, 20), kind=OfficialDay.Kind.WORKDAY, holiday="chunjie")

    chunjie = [h for h in calendar.holidays(2027) if h.key == "chunjie"]
    assert [h.date.day for h in chunjie] == list(range(5, 13))
    assert not any(h.provisional for h in chunjie)
    assert calendar.is_workday(D(2027, 2, 20))  # a Saturday
    assert calendar.day_info(D(2027, 2, 20)).swapped
    # other holidays of the year stay estimated
    assert calendar.day_info(D(2027, 9, 15)).provisional


def test_entered_workday_for_next_years_arrangement_counts_in_its_own_year():
    OfficialDay.objects.create(date=D(2027, 12, 31), kind=OfficialDay.Kind.HOLIDAY, holiday="yuandan", year=2028)
    OfficialDay.objects.create(date=D(2028, 1, 1), kind=OfficialDay.Kind.HOLIDAY, holiday="yuandan")
    assert calendar.is_holiday(D(2027, 12, 31))
    assert OfficialDay.objects.get(date=D(2028, 1, 1)).year == 2028


def test_entered_day_overrides_the_library():
    assert calendar.is_workday(D(2026, 2, 14))
    OfficialDay.objects.create(date=D(2026, 2, 14), kind=OfficialDay.Kind.HOLIDAY, holiday="chunjie")
    assert not calendar.is_workday(D(2026, 2, 14))


def test_editing_an_official_day_takes_effect_at_once():
    assert calendar.is_holiday(D(2027, 10, 3))
    OfficialDay.objects.create(date=D(2027, 10, 9), kind=OfficialDay.Kind.WORKDAY, holiday="guoqing")
    assert calendar.is_workday(D(2027, 10, 9))
    OfficialDay.objects.filter(date=D(2027, 10, 9)).delete()
    assert not calendar.is_workday(D(2027, 10, 9))


def test_festivals_2027():
    found = calendar.festivals(2027)
    assert found["chunjie"] == D(2027, 2, 6)
    assert found["zhongqiu"] == D(2027, 9, 15)
    assert found["yuanxiao"] == D(2027, 2, 20)
    assert found["duanwu"] == D(2027, 6, 9)
    assert found["chongyang"] == D(2027, 10, 8)
    assert found["jiaoshi"] == D(2027, 9, 10)
    assert found["funv"] == D(2027, 3, 8)
    assert list(found.values()) == sorted(found.values())
    assert set(found) == set(calendar.FESTIVAL_NAMES)


def test_festival_shows_on_its_day():
    assert calendar.day_info(D(2027, 3, 8)).festival_names == ["三八妇女节"]


def test_add_workdays_skips_the_spring_festival_break():
    # Posted on Friday 13 February 2026: Saturday 14th is worked, then nine days off.
    assert calendar.add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert calendar.add_workdays(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert calendar.add_workdays(D(2026, 2, 24), -2) == D(2026, 2, 13)
    assert calendar.add_workdays(D(2026, 3, 2), 0) == D(2026, 3, 2)
    assert calendar.workdays_between(D(2026, 2, 13), D(2026, 2, 24)) == 2
    assert calendar.workdays_between(D(2026, 2, 24), D(2026, 2, 13)) == -2


def test_years_outside_the_lunar_tables_are_refused():
    with pytest.raises(ValueError):
        calendar.festivals(2100)
    with pytest.raises(ValueError):
        calendar.is_workday(D(1900, 6, 1))


dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2098, 12, 1))
lazy_db = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


@lazy_db
@given(start=dates, n=st.integers(min_value=0, max_value=60))
def test_add_workdays_lands_on_a_workday_n_workdays_later(start, n):
    end = calendar.add_workdays(start, n)
    assert end >= start
    assert calendar.workdays_between(start, end) == n
    if n:
        assert calendar.is_workday(end)
        assert calendar.workdays_between(start, end - datetime.timedelta(days=1)) == n - 1


@lazy_db
@given(day=dates)
def test_day_info_agrees_with_the_predicates(day):
    info = calendar.day_info(day)
    assert info.workday == calendar.is_workday(day)
    assert bool(info.holiday and not info.swapped) == calendar.is_holiday(day)
    if info.swapped:
        assert info.workday and day.weekday() >= 5
    if not info.holiday:
        assert info.workday == (day.weekday() < 5)


@lazy_db
@given(year=st.integers(min_value=2008, max_value=2099))  # the three lunar holidays since 2008
def test_every_year_has_its_festivals_and_holidays_in_order(year):
    found = calendar.festivals(year)
    assert D(year, 1, 21) <= found["chunjie"] <= D(year, 2, 20)
    assert found["qingming"] in (D(year, 4, 4), D(year, 4, 5), D(year, 4, 6))
    assert found["chunjie"] < found["yuanxiao"] < found["duanwu"] < found["zhongqiu"] < found["chongyang"]
    # Published arrangements sometimes file 中秋 under 国庆 (and leave out a weekend day),
    # so check that the festival is a day off, not under which name.
    for key in ("yuandan", "chunjie", "qingming", "laodong", "duanwu", "zhongqiu", "guoqing"):
        assert not calendar.is_workday(found[key]), key
    assert any(h.key == "chunjie" for h in calendar.holidays(year))


def test_day_info_names_other_festivals_beside_the_holiday():
    assert calendar.day_info(D(2027, 9, 15)).other_festival_names == []
    assert calendar.day_info(D(2027, 9, 10)).other_festival_names == ["教师节"]


def test_administrator_enters_an_official_day_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/core/officialday/add/", {"date": "2027-02-20", "kind": "workday", "holiday": "chunjie", "year": ""}
    )
    assert response.status_code == 302
    assert OfficialDay.objects.get().year == 2027
    assert calendar.is_workday(D(2027, 2, 20))
    assert admin_client.get("/admin/core/officialday/").status_code == 200


D = datetime.date


def test_the_same_day_years_on_or_back_keeps_29_february_in_that_february():
    assert calendar.years_later(D(2026, 12, 7), 3) == D(2029, 12, 7)
    assert calendar.years_later(D(2028, 2, 29), 1) == D(2029, 2, 28)
    assert calendar.years_later(D(2028, 2, 29), -1) == D(2027, 2, 28)
    assert calendar.years_later(D(2028, 2, 29), 4) == D(2032, 2, 29)


def test_a_term_of_whole_years_ends_the_day_before_the_same_day():
    assert calendar.term_last_day(D(2027, 1, 1), 3) == D(2029, 12, 31)
    assert calendar.term_last_day(D(2027, 3, 1), 1) == D(2028, 2, 29)  # the leap day is inside the term


def test_a_term_starting_on_29_february_ends_on_28_february():
    assert calendar.term_last_day(D(2028, 2, 29), 3) == D(2031, 2, 28)
    assert calendar.term_last_day(D(2028, 2, 29), 4) == D(2032, 2, 28)
