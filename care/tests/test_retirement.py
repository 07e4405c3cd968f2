"""Retirement dates under the 2025 gradual reform, and the visit reminders read from the roster."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from care import reminders
from care.models import CareSettings, Visit
from care.retirement import retirement_date

D = datetime.date


@pytest.mark.parametrize(
    ("birth", "gender", "women_age", "expected"),
    [
        (D(1964, 12, 15), "M", 55, D(2024, 12, 1)),  # before the reform: 60
        (D(1965, 1, 15), "M", 55, D(2025, 2, 1)),  # the first month delayed: 60 and 1 month
        (D(1965, 5, 1), "M", 55, D(2025, 7, 1)),  # every four months one more: 60 and 2 months
        (D(1976, 9, 1), "M", 55, D(2039, 9, 1)),  # capped at 63
        (D(1970, 1, 1), "F", 55, D(2025, 2, 1)),  # cadre and teacher women: 55 and 1 month
        (D(1971, 3, 3), "F", 55, D(2026, 7, 1)),  # 55 and 4 months
        (D(1975, 1, 3), "F", 50, D(2025, 2, 1)),  # worker women: 50 and 1 month
        (D(1975, 3, 3), "F", 50, D(2025, 5, 1)),  # every two months one more
        (D(1990, 1, 1), "F", 50, D(2045, 1, 1)),  # capped at 55
    ],
)
def test_retirement_dates_follow_the_reform(birth, gender, women_age, expected):
    assert retirement_date(birth, gender, women_old_age=women_age) == expected


@pytest.mark.django_db
def test_retirement_reminders_use_the_units_rule_for_women(add_member, units, bangfu):
    add_member("李老师", birth=D(1972, 6, 10))  # 55 and 8 months: 2028-02
    add_member("王师傅", gender="M", birth=D(1967, 9, 3))  # 60 and 9 months: 2028-06
    today = D(2027, 12, 15)
    assert [r.name for r in reminders.retirements(units["school"], today=today)] == ["李老师"]
    CareSettings.objects.create(unit=units["school"], women_retirement=50, retirement_notice_days=400)
    assert [r.name for r in reminders.retirements(units["school"], today=today)] == ["王师傅"]


@pytest.mark.parametrize("women_age", [50, 55])
@pytest.mark.parametrize("today", [D(2024, 11, 20), D(2027, 12, 15), D(2031, 2, 28), D(2040, 6, 1)])
def test_the_birth_dates_searched_are_exactly_those_retiring_in_the_window(today, women_age):
    # The reminder asks the database for one birth-date range per rule (an index range); every day
    # of birth from 1955 to 1995 retires in the window exactly when it lies in that range.
    end = today + datetime.timedelta(days=90)
    for gender in ("M", "F"):
        first, last = reminders._births_retiring(today, end, gender, women_age)
        day = D(1955, 1, 1)
        while day < D(1995, 1, 1):
            retires = retirement_date(day, gender, women_old_age=women_age)
            assert (first <= day <= last) == (today <= retires <= end), (gender, day)
            day += datetime.timedelta(days=1)


@pytest.mark.django_db
def test_birthday_reminders_skip_those_already_visited(add_member, units, bangfu):
    soon = add_member("甲", birth=D(1985, 3, 5))
    add_member("乙", birth=D(1985, 4, 30))
    today = D(2027, 3, 1)
    assert [(r.name, r.on) for r in reminders.birthdays(units["school"], today=today)] == [("甲", D(2027, 3, 5))]
    Visit.objects.create(
        unit=soon.unit, member=soon, person="甲", kind="birthday", visited_on=today, visitors="赵丽", entered_by=bangfu
    )
    assert reminders.birthdays(units["school"], today=today) == []


@pytest.mark.django_db
def test_birthdays_are_found_whoever_wrote_the_birth_date_and_across_the_new_year(add_member, units, tmp_path):
    """The month and day are kept by the database from the birth date, so a form's save, a queryset's
    update, a bulk create and a roster import are all found alike."""
    from members.importing import roster_import
    from members.models import Member
    from members.tests.sheets import id_for, xlsx

    add_member("甲", birth=D(1985, 12, 30))
    moved = add_member("乙", birth=D(1985, 6, 1))
    Member.objects.filter(pk=moved.pk).update(birth_date=D(1990, 1, 3))
    Member.objects.bulk_create([Member(unit=units["school"], name="丙", gender="F", birth_date=D(1988, 1, 9))])
    roster_import(xlsx(tmp_path / "r.xlsx", [[1, "丁", "女", id_for(1979, 1, 5, "F", seed=4)]]), unit=units["school"])
    add_member("戊", birth=D(1985, 1, 20))  # after the fortnight
    add_member("己", birth=D(1985, 12, 27))  # the day before
    found = [(r.name, r.on) for r in reminders.birthdays(units["school"], today=D(2027, 12, 28))]
    assert found == [("甲", D(2027, 12, 30)), ("乙", D(2028, 1, 3)), ("丁", D(2028, 1, 5)), ("丙", D(2028, 1, 9))]


@pytest.mark.django_db
def test_across_the_new_year_a_visit_counts_for_the_birthday_it_was_made_for(add_member, units, bangfu):
    def visit(member, on):
        Visit.objects.create(
            unit=member.unit, member=member, person=member.name, kind="birthday", visited_on=on, entered_by=bangfu
        )

    last_year = add_member("甲", birth=D(1985, 1, 3))
    visit(last_year, D(2027, 1, 3))  # for January 2027's birthday: January 2028's is still due
    early = add_member("乙", birth=D(1985, 1, 5))
    visit(early, D(2027, 12, 27))  # for January 2028's, made before the new year: not due again
    assert [r.name for r in reminders.birthdays(units["school"], today=D(2027, 12, 28))] == ["甲"]
    assert [r.name for r in reminders.birthdays(units["school"], today=D(2028, 1, 1))] == ["甲"]


@pytest.mark.django_db
def test_those_born_on_29_february_are_remembered_on_the_28th_in_a_common_year(add_member, units):
    add_member("甲", birth=D(1988, 2, 29))
    add_member("乙", birth=D(1985, 3, 1))
    common = [(r.name, r.on) for r in reminders.birthdays(units["school"], today=D(2027, 2, 20))]
    assert common == [("甲", D(2027, 2, 28)), ("乙", D(2027, 3, 1))]
    leap = [(r.name, r.on) for r in reminders.birthdays(units["school"], today=D(2028, 2, 20))]
    assert leap == [("甲", D(2028, 2, 29)), ("乙", D(2028, 3, 1))]
    assert [r.name for r in reminders.birthdays(units["school"], today=D(2027, 3, 1))] == ["乙"]


@pytest.mark.django_db
def test_only_the_soonest_birthdays_are_listed_when_there_are_too_many(add_member, units, monkeypatch):
    monkeypatch.setattr(reminders, "BIRTHDAY_LIMIT", 2)
    add_member("丙", birth=D(1985, 1, 5))
    add_member("乙", birth=D(1985, 1, 3))
    add_member("甲", birth=D(1985, 12, 30))
    found = [(r.name, r.on) for r in reminders.birthdays(units["school"], today=D(2027, 12, 28))]
    assert found == [("甲", D(2027, 12, 30)), ("乙", D(2028, 1, 3))]


@pytest.mark.django_db
def test_only_the_soonest_retirements_not_yet_visited_are_listed(add_member, units, bangfu, monkeypatch):
    monkeypatch.setattr(reminders, "RETIREMENT_LIMIT", 2)
    add_member("甲", birth=D(1972, 6, 10))  # 55 and 8 months: 2028-02
    add_member("乙", gender="M", birth=D(1967, 9, 3))  # 60 and 9 months: 2028-06
    visited = add_member("丙", birth=D(1972, 5, 10))  # 2028-01, visited already
    add_member("丁", birth=D(1972, 7, 10))  # 2028-03
    Visit.objects.create(
        unit=visited.unit, member=visited, person="丙", kind="retirement", visited_on=D(2027, 12, 1), entered_by=bangfu
    )
    found = [(r.name, r.on) for r in reminders.retirements(units["school"], today=D(2027, 12, 15), days=200)]
    assert found == [("甲", D(2028, 2, 1)), ("丁", D(2028, 3, 1))]


@pytest.mark.django_db
@pytest.mark.parametrize("today", [D(2027, 12, 28), D(2028, 2, 20)])
def test_a_large_subtree_is_reminded_of_the_same_members(add_member, units, monkeypatch, today):
    """A province's reminders walk the birthday and birth-date indexes in order, each row's unit checked
    by key (MemberQuerySet.under); a union's are read unit by unit. The lists are the same."""
    from members import models

    for n, birth in enumerate(
        [D(1985, 12, 30), D(1990, 1, 3), D(1988, 2, 29), D(1985, 3, 1), D(1972, 6, 10), D(1973, 3, 3)]
    ):
        add_member(f"会员{n}", "g1" if n % 2 else "g2", birth=birth)
        add_member(f"男会员{n}", "office", gender="M", birth=D(1967, birth.month, min(birth.day, 28)))  # elsewhere

    def lists():
        school = units["school"]
        return reminders.birthdays(school, today=today), reminders.retirements(school, today=today, days=400)

    by_unit = lists()
    monkeypatch.setattr(models, "LARGE_SUBTREE_UNITS", 0)
    with CaptureQueriesContext(connection) as captured:
        assert lists() == by_unit
    # Each read of the roster stops at its limit, in the order of a birthday or birth-date index.
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "members_member"' in q["sql"]]
    # This year's birthdays, next year's (across the new year), men's and women's retirements.
    assert len(reads) == (4 if today.month == 12 else 3), reads
    order = r'ORDER BY (4|"members_member"\."birth_monthday") ASC LIMIT \d+$'  # 4: the birth date, selected
    assert all(re.search(order, sql) for sql in reads), [sql[-80:] for sql in reads]
    assert by_unit[0] and by_unit[1]
    # Each named by its own unit (read for the reminders alone, not joined into the roster's reads).
    assert {r.unit_name for found in by_unit for r in found} == {units["g1"].name, units["g2"].name}


@pytest.mark.django_db
def test_members_on_long_sick_leave_are_due_a_visit_every_90_days(add_member, units, bangfu):
    from care.models import CareTag

    sick = add_member("病休")
    CareTag.objects.create(unit=sick.unit, member=sick, kind="sick_leave", since=D(2027, 1, 5))
    today = D(2027, 3, 1)
    assert [r.name for r in reminders.sick_leave(units["school"], today=today)] == ["病休"]
    Visit.objects.create(
        unit=sick.unit,
        member=sick,
        person="病休",
        kind="sickness",
        visited_on=D(2027, 2, 1),
        visitors="赵丽",
        entered_by=bangfu,
    )
    assert reminders.sick_leave(units["school"], today=today) == []
    assert [r.name for r in reminders.sick_leave(units["school"], today=D(2027, 5, 3))] == ["病休"]


@pytest.mark.django_db
def test_a_page_that_shows_a_few_reminders_reads_only_those(add_member, units):
    add_member("丙", birth=D(1985, 1, 5))
    add_member("乙", birth=D(1985, 1, 3))
    add_member("甲", birth=D(1985, 12, 30))
    found = [(r.name, r.on) for r in reminders.birthdays(units["school"], today=D(2027, 12, 28), limit=1)]
    assert found == [("甲", D(2027, 12, 30))]


@pytest.mark.parametrize(
    ("kind", "chinese", "english"),
    [
        ("sickness", "2027年8月4日起病休", "on sick leave since Aug. 4, 2027"),
        ("birthday", "8月4日生日", "birthday Aug. 4"),
        ("retirement", "2027年8月退休", "retires Aug 2027"),
    ],
)
def test_a_reminder_says_what_its_date_is(kind, chinese, english):
    from django.utils import translation

    reminder = reminders.Reminder(kind, 1, "张娜", "东关完小", D(2027, 8, 4))
    assert reminder.occasion() == chinese
    with translation.override("en"):
        assert reminder.occasion() == english


@pytest.mark.django_db
def test_the_home_visits_card_says_why_each_member_is_due(add_member, units, bangfu, rf):
    from care.figures import care_cards
    from care.models import CareTag

    sick = add_member("张娜")
    CareTag.objects.create(unit=sick.unit, member=sick, kind="sick_leave", since=D(2026, 8, 4))
    request = rf.get("/")
    request.user = bangfu
    card = next(c for c in care_cards(request, units["school"]) if c.title == "走访提醒")
    assert card.todos[0][0] == "张娜 · 2026年8月4日起病休"  # begun in another year: the year is said
