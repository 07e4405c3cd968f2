import datetime
import re

import pytest
from playwright.sync_api import expect

from conftest import log_in, screenshot
from core import calendar
from plans.models import Plan, PlanStatus, ScheduleItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.forget()
    yield
    calendar.forget()


@pytest.fixture
def september(units):
    plan = Plan.objects.create(
        unit=units["school"], year=2027, title="城关镇中心学校工会2027年工作计划", status=PlanStatus.PUBLISHED
    )
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
    expect(teachers_day).to_contain_text("教师节")
    expect(teachers_day).to_contain_text("庆祝教师节")
    mid_autumn = page.locator('.cal-day[data-date="2027-09-15"]')
    expect(mid_autumn).to_contain_text("中秋节")
    expect(mid_autumn).to_contain_text("暂定")
    expect(page.get_by_test_id("provisional-note")).to_be_visible()
    expect(page.get_by_test_id("month-items")).to_contain_text("西街完小羽毛球友谊赛")
    screenshot(page, "plans-calendar-month-desktop")
    teachers_day.get_by_role("link", name="庆祝教师节，表彰师德标兵").click()
    page.wait_for_url(f"**/plans/items/{september.items.get(date=datetime.date(2027, 9, 10)).pk}/")

    page.goto("/plans/calendar/2027/")
    expect(page.get_by_test_id("month-count-9")).to_have_text(re.compile(r"^4"))
    expect(page.get_by_test_id("holidays")).to_contain_text("9月15日")
    screenshot(page, "plans-calendar-year-desktop")


def test_month_on_a_phone_lists_the_days_below_a_compact_grid(phone, zhuxi, september):
    log_in(phone, "zhuxi")
    phone.goto("/plans/calendar/2027/9/")
    agenda = phone.get_by_test_id("agenda")
    expect(agenda).to_be_visible()
    expect(agenda).to_contain_text("庆祝教师节，表彰师德标兵")
    expect(agenda).to_contain_text("中秋节")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the month grid must not scroll sideways on a phone"
    screenshot(phone, "plans-calendar-month-phone")

    phone.goto("/plans/calendar/2027/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    expect(phone.get_by_test_id("month-count-9")).to_be_visible()
    screenshot(phone, "plans-calendar-year-phone")

    phone.goto("/plans/calendar/subscribe/")
    assert phone.get_by_test_id("feed-url").input_value().startswith("http")
    screenshot(phone, "plans-calendar-subscribe-phone")
