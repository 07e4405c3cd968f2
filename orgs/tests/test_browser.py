"""The foundation walked the way a union chair meets it, in Debian's Chromium."""

import pytest
from playwright.sync_api import expect

from conftest import log_in, screenshot
from orgs.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_opens_the_tree_adds_a_group_and_switches_language(page, zhuxi, units):
    log_in(page, "zhuxi")
    expect(page.locator("h1").first).to_have_text("城关镇中心学校工会")
    screenshot(page, "orgs-home-zh")

    page.get_by_test_id("more-modules").click()  # a chair's dozen modules: the rarer ones fold under 更多
    page.locator("#gh-nav").get_by_role("link", name="组织架构").click()
    tree = page.get_by_test_id("org-tree")
    expect(tree).to_contain_text("东关完小工会小组")
    screenshot(page, "orgs-tree-zh")

    page.click("text=新增下级单位")
    page.fill("#id_name", "南湖完小工会小组")
    page.fill("#id_short_name", "南湖完小")
    page.fill("#id_code", "demo-school-g3")
    page.select_option("#id_kind", "group")
    page.fill("#id_headcount", "18")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=已新增单位“南湖完小工会小组”。")
    assert OrgUnit.objects.get(code="demo-school-g3").kind == "group"
    screenshot(page, "orgs-added-zh")

    page.get_by_test_id("language-switch").get_by_role("button", name="English").click()
    page.wait_for_selector("h1:has-text('南湖完小工会小组')")
    expect(page.get_by_text("No units below")).to_be_visible()
    expect(page.locator("#gh-nav").get_by_role("link", name="Organization", include_hidden=True)).to_have_count(1)
    screenshot(page, "orgs-detail-en")

    page.get_by_test_id("language-switch").get_by_role("button", name="简体中文").click()
    page.wait_for_selector("text=没有下级单位")
    expect(page.locator("#gh-nav").get_by_role("link", name="组织架构", include_hidden=True)).to_have_count(1)


def test_tree_expands_lazily_on_a_phone(phone, xianzong, units):
    log_in(phone, "xianzong")
    phone.goto("/orgs/")
    row = phone.locator("li", has_text="城关镇中心学校工会").first
    row.get_by_role("button").first.click()
    phone.wait_for_selector("text=东关完小工会小组")
    screenshot(phone, "orgs-tree-phone")


def test_chair_opens_an_account_and_the_new_committee_member_sets_a_password_on_her_phone(page, phone, zhuxi, units):
    log_in(page, "zhuxi")
    page.goto(f"/orgs/{units['g1'].pk}/roles/")
    invite = page.locator("#invite")
    invite.get_by_label("姓名").fill("刘晓梅")
    invite.get_by_label("手机号").fill("138 0013 8000")
    invite.get_by_label("角色").select_option(label="工会委员")
    invite.get_by_role("button", name="开通账号并分配角色").click()
    link = page.get_by_test_id("welcome-link")
    expect(link).to_contain_text("liuxiaomei")
    screenshot(page, "orgs-welcome-link-zh")
    url = page.locator("#welcome-url").input_value()
    copy = link.get_by_role("button", name="复制")
    copy.click()  # core/copy.js: copied, or at least selected for a long press where no clipboard is offered
    expect(link.get_by_role("button", name="已复制")).to_be_visible()

    phone.goto(url)
    expect(phone.locator("h1")).to_have_text("设置密码，开通账号")
    phone.get_by_label("新密码", exact=True).fill("Qinghe-2027-union")
    phone.get_by_label("新密码确认").fill("Qinghe-2027-union")
    phone.get_by_role("button", name="设置密码并登录").click()
    expect(phone.get_by_text("您的登录名是 liuxiaomei")).to_be_visible()
    expect(phone.locator("h1").first).to_have_text("东关完小工会小组")
    screenshot(phone, "accounts-welcome-done-phone")
