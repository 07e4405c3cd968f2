"""Walks through the federation's year in a browser: the county officer issues a report call and
downloads the filled sheet; a group leader refiles his returned activity summary from his phone."""

import datetime
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from activities.models import Activity, Status, SummaryStatus
from activities.services import summary_review, summary_save, summary_submit
from conftest import log_in, screenshot
from federation import services
from federation.models import FilingCall, FilingStatus
from members.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_county_issues_a_report_call_and_downloads_the_sheet_after_two_units_submit(
    page, units, xianzong, zhuxi, jiguan
):
    for unit in ("school", "g1", "g2", "office"):
        Member.objects.create(unit=units[unit], name="会员", gender="F")
    log_in(page, "xianzong")
    page.get_by_role("link", name="上报下达").first.click()
    page.get_by_role("link", name="下达任务").first.click()
    page.get_by_label("类型").select_option("federation.report")
    page.get_by_label("标题").fill("女职工人数统计")
    page.get_by_label("截止日期").fill((timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    rows = page.get_by_test_id("field-row")
    rows.nth(0).get_by_label("栏目").fill("会员人数")
    rows.nth(0).get_by_label("取数来源").select_option("members.count")
    rows.nth(0).get_by_label("计量单位").fill("人")
    rows.nth(1).get_by_label("栏目").fill("女职工人数")
    rows.nth(1).get_by_label("计量单位").fill("人")
    screenshot(page, "federation-1-issue-report-call")
    page.get_by_role("button", name="下达").click()
    page.get_by_text("已下达").wait_for()
    call = FilingCall.objects.get()
    members, women = call.fields.all()

    # Two unions submit (the school from its own page below; the office through the service).
    services.report_submit(call=call, unit=units["office"], values={members.key: "1", women.key: "1"}, by=jiguan)
    school = page.context.browser.new_context(base_url=page.url.split("/federation")[0]).new_page()
    log_in(school, "zhuxi")
    school.goto(reverse("federation:call", args=[call.pk]))
    expect(school.get_by_label("会员人数（人）")).to_have_value("3")  # prefilled from the roster
    school.get_by_label("女职工人数（人）").fill("2")
    school.get_by_role("button", name="核对无误，报送").click()
    school.get_by_text("已报送。").wait_for()
    school.context.close()

    page.reload()
    expect(page.get_by_test_id("call-states").locator('[data-state="filed"]')).to_have_count(2)
    screenshot(page, "federation-2-report-call-states")
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert values == [
        [1, "城关镇中心学校工会", "已报送", 3, 2],
        [2, "县教育局机关工会", "已报送", 1, 1],
        [None, "合计", None, 4, 3],
    ]


def test_a_group_leader_refiles_his_returned_summary_from_his_phone(phone, units, xiaozu, zhuxi):
    activity = Activity.objects.create(
        unit=units["g1"],
        title="东关完小三八趣味活动",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        status=Status.HELD,
        created_by=zhuxi,
    )
    summary = summary_submit(summary=summary_save(activity=activity, text="全组参加。", by=xiaozu), by=xiaozu)
    summary_review(summary=summary, by=zhuxi, accept=False, comment="请写明参加人数")

    log_in(phone, "xiaozu")
    todos = phone.get_by_test_id("home-todos")
    first = todos.get_by_role("listitem").first
    expect(first).to_contain_text("东关完小三八趣味活动")
    expect(first).to_contain_text("请写明参加人数")
    expect(phone.get_by_test_id("todo-count")).to_be_visible()
    screenshot(phone, "federation-3-phone-home-returned-first")
    first.get_by_role("link").tap()
    phone.get_by_label("活动总结").fill("全组 18 人参加，拔河三局两胜。")
    screenshot(phone, "federation-4-phone-refile")
    phone.get_by_test_id("submit-summary").tap()
    phone.get_by_text("总结已报送上级工会。").wait_for()
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SUBMITTED and summary.text.startswith("全组 18 人")
    filing = summary_filing(summary)
    assert filing.status == FilingStatus.FILED
    assert [v.data["text"] for v in filing.versions.order_by("number")] == [
        "全组参加。",
        "全组 18 人参加，拔河三局两胜。",
    ]


def summary_filing(summary):
    from django.contrib.contenttypes.models import ContentType

    from federation.models import Filing

    return Filing.objects.get(subject_type=ContentType.objects.get_for_model(summary), subject_id=summary.pk)


def test_the_county_home_shows_its_units_below_once_they_are_read(page, units, xianzong, report_call):
    """The county's home page comes first; its table of the unions below arrives just after it, in its
    place above the cards, and no loading line is left behind."""
    log_in(page, "xianzong")
    table = page.get_by_test_id("units-below")
    expect(table.get_by_role("link", name="城关镇中心学校工会")).to_be_visible()
    expect(table.get_by_role("link", name="县教育局机关工会")).to_be_visible()
    expect(page.get_by_test_id("home-units-loading")).to_have_count(0)
    expect(page.get_by_test_id("home-todos-loading")).to_have_count(0)
    screenshot(page, "federation-5-county-home")


def test_the_county_splits_a_target_and_a_share_typed_wrong_is_marked_on_its_unit(page, units, xianzong, make_plan):
    from decimal import Decimal

    county_plan = make_plan(unit="county", title="县总工会年度工作计划")
    target = county_plan.targets.create(name="新发展会员", measure="人", value=200)
    handed = services.target_hand_down(target=target, default_value=Decimal(100))
    log_in(page, "xianzong")
    page.goto(reverse("federation:target", args=[handed.pk]))
    school = units["school"].name
    page.get_by_label(school).fill("一百二")
    page.get_by_role("button", name="保存分解值").click()
    expect(page.get_by_role("alert")).to_contain_text("有分解值填得不对")
    expect(page.get_by_label(school)).to_have_value("一百二")  # what was typed stays to be corrected
    expect(page.locator(".is-invalid")).to_have_count(1)
    expect(page.locator(".invalid-feedback")).to_have_count(1)
    screenshot(page, "federation-target-share-refused")
    page.get_by_label(school).fill("120")
    page.get_by_role("button", name="保存分解值").click()
    expect(page.get_by_text("已保存各单位的分解值")).to_be_visible()
    expect(page.get_by_label(school)).to_have_value("120")
    assert handed.shares.get(unit=units["school"]).value == 120


def test_the_county_adds_a_forgotten_requirement_to_a_call_already_issued(page, plan_call, xianzong):
    log_in(page, "xianzong")
    page.goto(reverse("federation:call", args=[plan_call.pk]))
    page.get_by_role("link", name="修改标题和说明").click()
    expect(page.get_by_label("标题")).to_have_value("年度工作计划报备")
    page.get_by_label("说明").fill("请同时附上本单位职代会通过计划的决议。")
    screenshot(page, "federation-call-edit")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存，已通知被要求报送的单位。")).to_be_visible()
    expect(page.get_by_text("请同时附上本单位职代会通过计划的决议。")).to_be_visible()
