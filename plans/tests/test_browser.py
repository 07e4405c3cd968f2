"""A chair plans the year from a template, carries it out item by item, and watches the progress."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import log_in, screenshot
from plans import services
from plans.models import ItemStatus, Plan, PlanStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_creates_a_plan_from_a_template_marks_items_done_and_sees_progress(page, zhuxi, units):
    # Last year's plan, written afterwards, keeps every month (this year's leaves out the months gone by).
    year = timezone.localdate().year - 1
    log_in(page, "zhuxi")
    page.get_by_role("link", name="工作计划").click()
    page.get_by_test_id("create-plan").click()
    page.fill("#id_year", str(year))
    expect(page.locator("#template-school")).to_be_checked()  # suggested for a school union
    screenshot(page, "plans-create")
    page.get_by_test_id("create-submit").click()

    page.wait_for_selector("text=已创建草稿，请检查修改后发布。")
    plan = Plan.objects.get(unit=units["school"], year=year)
    expect(page.get_by_test_id("plan-status")).to_have_text("草稿")
    page.get_by_test_id("publish").click()
    page.wait_for_selector("text=计划已发布")
    total = plan.items.count()
    expect(page.get_by_test_id("progress-count")).to_have_text(f"已完成 0 / {total} 项")

    march = page.locator("#month-3")
    rows = march.get_by_test_id("plan-item")
    for index in range(2):
        row = rows.nth(index)
        row.get_by_test_id("mark-done").click()
        row.get_by_test_id("item-status").filter(has_text="已完成").wait_for()
    page.get_by_test_id("progress-count").filter(has_text=f"已完成 2 / {total} 项").wait_for()
    expect(march.get_by_test_id("month-tally")).to_have_text(re.compile(r"^2/"))
    assert plan.items.filter(status=ItemStatus.DONE, month=3).count() == 2
    screenshot(page, "plans-detail-progress")

    page.reload()  # what was recorded stays recorded
    expect(page.get_by_test_id("progress-percent")).to_have_text(f"{round(200 / total)}%")
    expect(page.get_by_test_id("overdue-card")).to_be_visible()  # a year over: what is not done is late
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "plans-detail-narrow")


def test_group_leader_updates_an_assigned_item_on_a_phone(phone, xiaozu, zhuxi, units):
    plan = services.plan_from_template(unit=units["school"], year=2026, template_key="school", user=zhuxi)
    plan.items.filter(text__contains="趣味运动会").update(unit=units["g1"])
    services.plan_publish(plan=plan)
    assert plan.status == PlanStatus.PUBLISHED

    log_in(phone, "xiaozu")
    phone.goto("/plans/items/?year=2026")
    row = phone.get_by_test_id("plan-item").filter(has_text="趣味运动会")
    expect(phone.get_by_test_id("plan-item")).to_have_count(1)

    row.get_by_role("link", name="举办春季教职工趣味运动会").click()
    postponed_to = phone.locator("#id_postponed_to")
    expect(postponed_to).to_be_hidden()  # only asked for a postponed item
    phone.select_option("#id_status", "postponed")
    expect(postponed_to).to_be_visible()
    # After April, and not a month already past when the plan's year is this one (a December run).
    month = max(5, timezone.localdate().month)
    phone.select_option("#id_postponed_to", str(month))
    phone.fill("#id_note", "清明假期后场地检修")
    screenshot(phone, "plans-item-postpone-phone")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_selector("text=已更新“举办春季教职工趣味运动会”的状态。")
    expect(phone.get_by_test_id("item-status-detail")).to_contain_text(f"已延期 → {month}月")

    phone.goto("/plans/items/?year=2026")
    row.get_by_test_id("mark-done").click()
    row.get_by_test_id("item-status").filter(has_text="已完成").wait_for()
    screenshot(phone, "plans-assigned-phone")
    assert plan.items.get(text__contains="趣味运动会").status == ItemStatus.DONE
