"""On a 390 px phone the list of my unit's items stays as wide as the screen, in both languages and in
大字版: an overdue item's badges ("Overdue", "Planned") and its long English category used to push the
page to 441 px, and the phone's browser zoomed out."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import log_in, screenshot
from plans import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large"])
def test_overdue_items_fit_a_phone(phone, live_server, zhuxi, units, language, large_text):
    # Last year's plan, never carried out: every item is both planned and overdue.
    year = timezone.localdate().year - 1
    plan = services.plan_from_template(unit=units["school"], year=year, template_key="school", user=zhuxi)
    services.plan_publish(plan=plan)
    zhuxi.large_text = large_text
    zhuxi.save(update_fields=["large_text"])
    phone.context.add_cookies([{"name": "gonghui_language", "value": language, "url": live_server.url}])

    log_in(phone, "zhuxi")
    phone.goto(f"/plans/items/?year={year}")
    row = phone.get_by_test_id("plan-item").first
    expect(row.get_by_test_id("overdue")).to_be_visible()
    expect(row.get_by_test_id("item-status")).to_be_visible()
    screenshot(phone, f"plans-phone-items-{language}-{'large' if large_text else 'normal'}")
    assert phone.evaluate(PAGE_WIDTH) <= 390
    # Just wide enough for the badges to stand beside the title again (a phone turned sideways).
    phone.set_viewport_size({"width": 600, "height": 390})
    assert phone.evaluate(PAGE_WIDTH) <= 600
