"""The chair carries last year's unfinished work into next year's draft from her phone (结转): ticks two
items, moves one to March, goes back once from the confirmation, then confirms; the page stays as wide as
the screen and passes the accessibility audit."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import log_in, screenshot
from plans import services
from plans.models import ItemStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def test_the_chair_carries_two_unfinished_items_into_next_years_draft(phone, live_server, zhuxi, units):
    year = timezone.localdate().year
    this_year = services.plan_from_template(unit=units["school"], year=year, template_key="school", user=zhuxi)
    this_year.items.exclude(month__in=[4, 10]).update(status=ItemStatus.DONE)
    left = list(this_year.items.exclude(status=ItemStatus.DONE).order_by("month", "order"))
    left[0].note = "体检机构档期已满"
    left[0].save()
    next_year = services.plan_create_blank(unit=units["school"], year=year + 1, title="明年计划", user=zhuxi)

    log_in(phone, "zhuxi")
    phone.goto(f"/plans/{next_year.pk}/")
    phone.get_by_test_id("carry-link").click()
    expect(phone.get_by_test_id("carry-row")).to_have_count(len(left))
    expect(phone.get_by_test_id("carry-reason").first).to_contain_text("体检机构档期已满")
    screenshot(phone, "plans-phone-carry")
    assert phone.evaluate(PAGE_WIDTH) <= 390
    rows = phone.get_by_test_id("carry-row")
    rows.nth(0).get_by_role("checkbox").check()
    rows.nth(1).get_by_role("checkbox").check()
    rows.nth(1).get_by_role("combobox").select_option("3")
    phone.get_by_test_id("carry-next").click()
    expect(phone.get_by_test_id("carry-chosen").locator("li")).to_have_count(2)
    phone.get_by_role("button", name="返回修改").click()  # back: the ticks and the month kept
    expect(rows.nth(1).get_by_role("checkbox")).to_be_checked()
    expect(rows.nth(1).get_by_role("combobox")).to_have_value("3")
    phone.get_by_test_id("carry-next").click()
    phone.get_by_test_id("carry-confirm").click()
    expect(phone.get_by_text(f"已从{year}年计划结转2项事项")).to_be_visible()
    expect(phone.get_by_test_id("carried-badge")).to_have_count(2)
    assert sorted(next_year.items.values_list("month", flat=True)) == sorted([left[0].month, 3])
