"""Every officer can use the product by keyboard, with a screen reader, and in 大字版 (large text).

axe-core runs on every page these tests (and all other browser tests) load, through the
conftest fixtures; these tests walk what axe cannot judge: where the focus goes, what a
keyboard reaches, and how the pages look with large text on a phone.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, Registration, Status
from conftest import log_in, screenshot
from members.models import Member
from plans import services as plan_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_first_tab_offers_a_skip_link_that_moves_the_focus_to_the_content(page, zhuxi):
    log_in(page, "zhuxi")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()


def test_large_text_is_remembered_for_the_user_on_the_next_visit(browser, live_server, page, zhuxi, units):
    plan = plan_services.plan_from_template(unit=units["school"], year=2026, template_key="school", user=zhuxi)
    log_in(page, "zhuxi")
    root_size = "() => getComputedStyle(document.documentElement).fontSize"
    assert page.evaluate(root_size) == "16px"
    switch = page.get_by_test_id("large-text-switch").get_by_role("button")
    expect(switch).to_have_attribute("aria-pressed", "false")
    switch.click()
    expect(page.locator("html")).to_have_class("gh-large")
    assert page.evaluate(root_size) == "20px"

    # Another browser (her phone) signs in: the choice travels with her, not with the device.
    from conftest import phone_page

    phones = phone_page(browser, live_server)
    phone = next(phones)
    log_in(phone, "zhuxi")
    expect(phone.locator("html")).to_have_class("gh-large")
    expect(phone.get_by_test_id("large-text-switch").get_by_role("button")).to_have_attribute("aria-pressed", "true")
    screenshot(phone, "a11y-large-text-home-phone")
    phone.goto(reverse("plans:detail", args=[plan.pk]))
    expect(phone.locator("html")).to_have_class("gh-large")
    screenshot(phone, "a11y-large-text-plan-phone")
    with pytest.raises(StopIteration):
        next(phones)  # closes the phone, running its accessibility audit

    page.get_by_test_id("large-text-switch").get_by_role("button").click()
    expect(page.locator("html")).not_to_have_class("gh-large")


def test_the_roll_call_works_by_keyboard_without_a_camera(page, zhuxi, units):
    activity = Activity.objects.create(
        unit=units["school"],
        title="教职工健步走",
        kind="sports",
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        place="河滨公园",
        capacity=30,
        status=Status.OPEN,
    )
    member = Member.objects.create(unit=units["g1"], name="周小红", gender="F", birth_date=datetime.date(1992, 5, 1))
    Registration.objects.create(activity=activity, member=member)

    log_in(page, "zhuxi")
    page.goto(reverse("activities:checkin", args=[activity.pk]))
    expect(page.locator("#no-camera-hint")).to_contain_text("没有摄像头")
    page.get_by_role("link", name="转到点名名单").click()
    expect(page.locator("#rollcall-heading")).to_be_focused()

    tick = page.get_by_test_id("rollcall-row").filter(has_text="周小红").get_by_test_id("tick")
    tick.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("attended-count")).to_have_text("1")
    # htmx replaced the row; the focus stays on its button, so the next Tab goes on from here.
    expect(page.get_by_test_id("rollcall-row").filter(has_text="周小红").get_by_test_id("tick")).to_be_focused()
    expect(page.get_by_test_id("rollcall-row").filter(has_text="周小红").get_by_test_id("tick")).to_have_attribute(
        "aria-pressed", "true"
    )


def test_a_chart_offers_its_figures_as_a_table(page, zhuxi, units):
    Activity.objects.create(
        unit=units["school"],
        title="三八节插花活动",
        kind="culture",
        starts_at=timezone.make_aware(datetime.datetime(timezone.localdate().year, 3, 8, 15)),
        place="会议室",
        status=Status.HELD,
    )
    log_in(page, "zhuxi")
    page.goto(reverse("activities:statistics"))
    chart = page.locator("#chart-months")
    expect(chart).to_have_attribute("aria-describedby", "months-table")
    summary = page.get_by_text("以表格查看图中的数字")
    summary.focus()
    page.keyboard.press("Enter")
    table = page.locator("#months-table")
    expect(table).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="3月")).to_contain_text("1")


@pytest.mark.parametrize("width", [1200, 1280])
def test_the_menu_bar_keeps_to_one_line_in_english_at_laptop_widths(page, live_server, xianzong, zhuxi, width):
    """English words are about twice as wide as Chinese ones; at 1280 px the unit, the name and the to-do
    link slid off the bar's right end (white on the white page)."""
    page.context.add_cookies([{"name": "gonghui_language", "value": "en", "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 860})
    for login in ("zhuxi", "xianzong"):
        page.context.clear_cookies(name="sessionid")
        log_in(page, login)
        expect(page.get_by_test_id("todo-link")).to_be_in_viewport()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (login, width, overflow)
        bar = page.locator("nav.gh-navbar").bounding_box()
        assert bar["height"] < 80, (login, width, bar)  # one line
    screenshot(page, f"navbar-english-{width}")


@pytest.mark.parametrize(
    ("language", "width", "folded"), [("en", 1280, True), ("en", 1440, False), ("zh-hans", 1280, False)]
)
def test_in_large_text_the_menu_bar_never_runs_off_the_page(page, live_server, xianzong, language, width, folded):
    """大字版 in English needs about 1,600 px for the menu on one line: below 1,400 px it folds behind the menu
    button, above it the bar takes a second line. In Chinese it spreads out from 1,200 px as without 大字版.
    The to-do link and every module stay within reach."""
    xianzong.large_text = True
    xianzong.save(update_fields=["large_text"])
    page.context.add_cookies([{"name": "gonghui_language", "value": language, "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 860})
    log_in(page, "xianzong")
    expect(page.locator("html")).to_have_class("gh-large")
    expect(page.get_by_test_id("todo-link")).to_be_in_viewport()
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    menu = page.get_by_role("button", name="Menu" if language == "en" else "菜单")
    if folded:
        menu.click()
    else:
        expect(menu).to_be_hidden()
    expect(page.locator(f"#gh-nav a[href='{reverse('rollups:statistics')}']")).to_be_in_viewport()
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    screenshot(page, f"navbar-large-text-{language}-{width}")


def test_a_form_refused_on_a_phone_takes_the_reader_to_what_to_fix(phone, huiyuan):
    """The server refuses a title of zero-width spaces, which the browser let through: the page comes back
    at its top, the list of what to fix has the focus, and its link leads to the box."""
    log_in(phone, "huiyuan")
    phone.goto(reverse("democracy:suggestion_create"))
    phone.get_by_label("案由").fill("\u200b\u200b")
    phone.get_by_label("理由").fill("食堂饭菜偏贵")
    phone.get_by_label("建议措施").fill("公开成本")
    phone.locator("main button[type=submit]").click()
    summary = phone.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(phone.get_by_label("理由")).to_have_value("食堂饭菜偏贵")
    screenshot(phone, "a11y-form-error-summary-phone")
    summary.get_by_role("link", name="案由").click()
    expect(phone.get_by_label("案由")).to_be_focused()
