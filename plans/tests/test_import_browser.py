import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import log_in, screenshot
from plans.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parent / "samples" / "county-hospital-2027.txt"


def test_chair_uploads_a_plan_fixes_a_month_and_saves_a_draft(page, zhuxi, units):
    log_in(page, "zhuxi")
    page.goto("/plans/import/")
    page.set_input_files("#id_file", str(SAMPLE))
    page.get_by_role("button", name="识别计划内容").click()

    expect(page.get_by_test_id("import-counts")).to_contain_text("识别出 5 个章节、12 个月的 21 项安排、4 个目标")
    expect(page.get_by_test_id("import-original")).to_contain_text("活动时间安排")
    screenshot(page, "plans-import-review-desktop")

    # A mistake the officer makes while fixing: an item above its month.
    schedule = page.locator("#id_schedule")
    schedule.fill("全院职工健步走\n" + schedule.input_value())
    page.get_by_test_id("import-save").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("月度安排第1行")
    expect(page.locator("#id_schedule")).to_have_value(re.compile(r"^全院职工健步走\n1月"))

    page.locator("#id_schedule").fill(page.locator("#id_schedule").input_value().replace("全院职工健步走\n", "", 1))
    page.locator("#id_year").fill("2027")
    page.get_by_test_id("import-save").click()
    page.wait_for_url("**/plans/*/")
    plan = Plan.objects.get()
    assert (plan.unit, plan.year, plan.items.count(), plan.targets.count()) == (units["school"], 2027, 21, 4)
    assert plan.title in page.content()


def test_review_on_a_phone_stacks_the_original_above_the_form(phone, zhuxi, units):
    log_in(phone, "zhuxi")
    phone.goto("/plans/import/")
    phone.locator("#id_text").fill(SAMPLE.read_text(encoding="utf-8"))
    phone.get_by_role("button", name="识别计划内容").click()
    original = phone.get_by_test_id("import-original").bounding_box()
    title = phone.locator("#id_title").bounding_box()
    assert original["y"] < title["y"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "plans-import-review-phone")


FESTIVALS = Path(__file__).resolve().parent / "corpus" / "07-festivals.txt"


def test_chair_confirms_inferred_festival_months_and_moves_one(page, zhuxi, units):
    log_in(page, "zhuxi")
    page.goto("/plans/import/")
    page.set_input_files("#id_file", str(FESTIVALS))
    page.get_by_role("button", name="识别计划内容").click()

    placements = page.get_by_test_id("import-placements")
    expect(placements).to_contain_text("按节日推测的月份")
    new_year = page.get_by_test_id("placement-row").filter(has_text="元旦联欢")
    expect(new_year).to_contain_text("推测：元旦")
    expect(new_year.locator("select")).to_have_value("1")
    screenshot(page, "plans-import-inferred-months")

    # The union holds its New Year party in the last week of December.
    new_year.locator("select").select_option("12")
    page.locator("#id_year").fill("2028")
    page.get_by_test_id("import-save").click()
    page.wait_for_url("**/plans/*/")
    plan = Plan.objects.get()
    assert plan.items.get(text="元旦联欢").month == 12
    assert plan.items.get(text="组织好三八妇女节的庆祝活动").month == 3


def test_a_pdf_is_read_by_the_worker_while_the_page_waits_then_the_review_appears(page, zhuxi, units, settings):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    log_in(page, "zhuxi")
    page.goto("/plans/import/")
    page.set_input_files("#id_file", str(Path(__file__).resolve().parent / "corpus" / "15-text-layer.pdf"))
    page.get_by_role("button", name="识别计划内容").click()
    expect(page.get_by_test_id("import-reading")).to_contain_text("正在读取文件……")
    screenshot(page, "plans-import-reading")

    call_command("tasks_worker", burst=True, verbosity=0)  # the worker takes it; the page's next poll sees it

    page.get_by_test_id("import-counts").wait_for()
    expect(page.locator("#id_title")).to_have_value("卫生院工会2027年工作计划")
