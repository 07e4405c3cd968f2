import datetime

import pytest

from conftest import log_in, screenshot
from core import calendar
from plans.models import Plan, ScheduleItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.forget()
    yield
    calendar.forget()


@pytest.fixture
def september(units):
    plan = Plan.objects.create(unit=units["school"], year=2027, title="城关镇中心学校工会2027年工作计划")
    add = ScheduleItem.objects.create
    add(plan=plan, unit=units["school"], month=9, date=datetime.date(2027, 9, 10), text="庆祝教师节，表彰师德标兵")
    add(plan=plan, unit=units["school"], month=9, date=datetime.date(2027, 9, 13), text="中秋前走访慰问困难教职工")
    add(plan=plan, unit=units["g1"], month=9, text="东关完小新学期教职工大会")
    add(plan=plan, unit=units["g2"], month=9, text="西街完小羽毛球友谊赛")
    return plan


def test_chair_reads_september_with_festivals_and_opens_an_item(page, zhuxi, september):
    log_in(page, "zhuxi")
    page.goto("/plans/calendar/2027/9/")
    teachers_day = page.locator('.cal-day[data-date="2027-09-10"]')
    assert "教师节" in teachers_day.inner_text()
    assert "庆祝教师节" in teachers_day.inner_text()
    mid_autumn = page.locator('.cal-day[data-date="2027-09-15"]')
    assert "中秋节" in mid_autumn.inner_text() and "暂定" in mid_autumn.inner_text()
    assert page.get_by_test_id("provisional-note").is_visible()
    assert "西街完小羽毛球友谊赛" in page.get_by_test_id("month-items").inner_text()
    screenshot(page, "plans-calendar-month-desktop")
    teachers_day.get_by_role("link", name="庆祝教师节，表彰师德标兵").click()
    page.wait_for_url(f"**/plans/items/{september.items.get(date=datetime.date(2027, 9, 10)).pk}/")

    page.goto("/plans/calendar/2027/")
    assert page.get_by_test_id("month-count-9").inner_text().startswith("4")
    assert "9月15日" in page.get_by_test_id("holidays").inner_text()
    screenshot(page, "plans-calendar-year-desktop")


def test_month_on_a_phone_lists_the_days_below_a_compact_grid(phone, zhuxi, september):
    log_in(phone, "zhuxi")
    phone.goto("/plans/calendar/2027/9/")
    agenda = phone.get_by_test_id("agenda")
    assert agenda.is_visible()
    assert "庆祝教师节，表彰师德标兵" in agenda.inner_text()
    assert "中秋节" in agenda.inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the month grid must not scroll sideways on a phone"
    screenshot(phone, "plans-calendar-month-phone")

    phone.goto("/plans/calendar/2027/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.get_by_test_id("month-count-9").is_visible()
    screenshot(phone, "plans-calendar-year-phone")

    phone.goto("/plans/calendar/subscribe/")
    assert phone.get_by_test_id("feed-url").input_value().startswith("http")
    screenshot(phone, "plans-calendar-subscribe-phone")
