"""On a phone: a worker opens the poster's link and applies; the chair approves on a desktop;
the new member signs in with an SMS code and sees her card on /me/."""

import re

import pytest
from playwright.sync_api import expect

from conftest import log_in, screenshot
from members.models import Member, Transfer
from portal import services
from portal.tests.conftest import add_unions, application_data, make_member, new_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_applies_by_poster_chair_approves_member_signs_in(page, phone, zhuxi, units, sms_outbox):
    # The chair prints the poster; its link is what the QR code holds.
    log_in(page, "zhuxi")
    page.goto("/join/demo-school/poster/")
    expect(page.get_by_test_id("join-qr")).to_be_visible()
    join_url = page.get_by_text("/join/demo-school/").inner_text().strip()
    screenshot(page, "portal-poster")

    # The worker scans it with her phone and applies; a wrong ID number is caught, her typing kept.
    phone.goto(join_url)
    number = new_id()
    phone.get_by_label("姓名").fill("马春燕")
    phone.get_by_label("身份证号").fill(number[:-1] + ("0" if number[-1] != "0" else "1"))
    phone.get_by_label("手机号").fill("13831500101")
    phone.get_by_label("工作单位").fill("城关镇中心学校")
    phone.get_by_label("岗位").fill("食堂厨师")
    phone.get_by_label("我是农民工").check()
    phone.get_by_role("button", name="提交入会申请").click()
    # Each error beside its box, and listed at the top of the form, where the focus goes.
    summary = phone.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    for error in ("身份证号校验位不正确", "请阅读《个人信息使用说明》并勾选同意"):
        expect(summary).to_contain_text(error)
        expect(phone.locator(".invalid-feedback", has_text=error)).to_be_visible()
    expect(phone.get_by_label("姓名")).to_have_value("马春燕")
    phone.get_by_label("身份证号").fill(number)
    phone.get_by_label("我已阅读并同意").check()
    screenshot(phone, "portal-join-phone")
    phone.get_by_role("button", name="提交入会申请").click()
    code = phone.get_by_test_id("status-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    screenshot(phone, "portal-join-done-phone")

    # The chair sees it on her list and approves it on the desktop.
    page.goto("/applications/")
    page.get_by_test_id("application-list").get_by_text("马春燕").click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_text("已登记为会员")).to_be_visible()
    screenshot(page, "portal-application-approved")
    member = Member.objects.get(name="马春燕")

    # The worker checks the status, then signs in with her phone and a code.
    phone.goto("/join/demo-school/status/")
    phone.get_by_label("手机号").fill("13831500101")
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    expect(phone.get_by_test_id("application-status")).to_contain_text("已批准入会")
    phone.get_by_test_id("application-status").get_by_role("link", name="登录").click()
    phone.get_by_label("手机号").fill("13831500101")
    phone.get_by_label("身份证号").fill(number)
    phone.get_by_role("button", name="获取短信验证码").click()
    sms = re.search(r"登录验证码 (\d{6})", sms_outbox[-1][1]).group(1)
    phone.get_by_label("验证码").fill(sms)
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_test_id("member-card")).to_contain_text("马春燕")
    expect(phone.get_by_test_id("card-number")).to_have_text(member.card_number)
    # Beside a purpose that takes two lines, the consent button keeps its word on one line.
    agree = phone.get_by_test_id("my-consents").get_by_role("button", name="同意").first
    expect(agree).to_be_visible()
    box = agree.bounding_box()
    assert box["width"] > box["height"], box
    screenshot(phone, "portal-me-phone")


def test_county_finds_the_union_to_route_to_by_typing_part_of_its_name(page, xianzhu, units):
    add_unions(units["county"], 30)
    data = application_data(employer="县教育局")
    data.pop("agree")
    application = services.application_submit(unit=units["county"], data=data).application
    log_in(page, "xianzhu")
    page.goto(f"/applications/{application.pk}/")
    box = page.get_by_label("转交给")

    # By keyboard: type, Tab to a suggestion, Enter.
    box.press_sequentially("城关")
    suggestions = page.locator("#id_to_unit_results").get_by_role("button")
    expect(suggestions).to_have_count(1)  # the narrowed list, not the one focusing the box showed
    expect(page.get_by_role("button", name="城关镇中心学校工会")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="城关镇中心学校工会")).to_be_focused()
    page.keyboard.press("Enter")
    expect(box).to_have_value("城关镇中心学校工会")
    expect(page.locator("[data-unit-pick]")).to_have_count(0)

    # Typing again drops that pick; the suggestion clicked is the one handed the application.
    box.fill("")
    box.press_sequentially("教育")
    expect(suggestions).to_have_count(1)
    suggestion = page.get_by_role("button", name="县教育局机关工会")
    expect(suggestion).to_contain_text("清河县总工会")
    screenshot(page, "portal-unit-picker")
    suggestion.click()
    expect(box).to_have_value("县教育局机关工会")
    page.get_by_role("button", name="转交", exact=True).click()
    expect(page.get_by_text("已转交县教育局机关工会。")).to_be_visible()
    application.refresh_from_db()
    assert application.unit == units["office"]


def test_a_member_asks_to_transfer_by_typing_the_new_unions_name_on_her_phone(phone, huiyuan, huiyuan_member, units):
    add_unions(units["county"], 30)  # the county's unions are too many to list on a phone
    log_in(phone, "huiyuan")
    phone.goto("/me/transfer/")
    box = phone.get_by_label("转入工会")
    box.press_sequentially("机关")
    # Focusing the box lists the county's first few; what she typed narrows them to the one she means.
    suggestions = phone.locator("#id_to_unit_results").get_by_role("button")
    expect(suggestions).to_have_count(1)
    suggestion = suggestions.filter(has_text="县教育局机关工会")
    expect(suggestion).to_contain_text("清河县总工会")
    screenshot(phone, "portal-transfer-phone")
    suggestion.click()
    expect(box).to_have_value("县教育局机关工会")
    phone.get_by_label("转会原因").fill("调入县教育局工作")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("转会申请已提交")).to_be_visible()
    transfer = Transfer.objects.get()
    assert transfer.member == huiyuan_member and transfer.to_unit == units["office"]


def test_the_chair_watches_the_codes_being_made_without_reloading(page, zhuxi, units, monkeypatch):
    from portal import tasks

    for n in range(5):
        make_member(units["g1"], f"会员{n}", phone=f"1370000000{n}")
    held = []  # the job the click queues, held back so that the page meets it waiting, then let go
    monkeypatch.setattr(tasks, "transaction", type("Held", (), {"on_commit": staticmethod(held.append)}))
    log_in(page, "zhuxi")
    page.goto("/invitations/")
    expect(page.get_by_test_id("without-account")).to_have_text("5")
    page.get_by_test_id("create").click()
    expect(page.get_by_test_id("job-create")).to_contain_text("正在排队")
    expect(page.get_by_test_id("create")).to_be_disabled()
    screenshot(page, "portal-invitations-queued")

    held.pop()()  # the worker takes the job
    # The page asks every 3 s; on a busy machine the answer may take a poll or two more.
    expect(page.get_by_test_id("job-create")).to_contain_text("邀请码已生成：本次 5 个", timeout=15_000)
    # A screen reader hears the job end, once; its progress while under way (aria-busy) is not read out.
    expect(page.get_by_test_id("announcer")).to_have_text(re.compile(r"^邀请码已生成：本次 5 个"))
    expect(page.get_by_test_id("live")).to_have_text("5")
    expect(page.get_by_test_id("create")).to_be_enabled()
    screenshot(page, "portal-invitations-done")


def test_the_link_to_change_her_phone_is_large_enough_to_tap(phone, huiyuan, huiyuan_member):
    """On a phone a link of one line of small text (15 px) is missed by a thumb: at least 24 px high (WCAG 2.5.8)."""
    log_in(phone, "huiyuan")
    phone.goto("/me/")
    link = phone.locator('a[href="/me/phone/"]')
    assert link.bounding_box()["height"] >= 24
    link.tap()
    expect(phone).to_have_url(re.compile("/me/phone/$"))


def test_the_group_leader_prints_one_members_slip_from_her_page(page, xiaozu, units):
    member = make_member(units["g1"], "马春燕", phone="13831500101")
    log_in(page, "xiaozu")
    page.goto(f"/members/{member.pk}/")
    page.get_by_role("link", name="打印邀请码").click()
    page.get_by_role("button", name="生成邀请码").click()
    slip = page.get_by_test_id("invite-slips")
    expect(slip).to_contain_text("马春燕")
    code = Member.objects.get(pk=member.pk).invitation.code
    expect(slip).to_contain_text(code)
    screenshot(page, "portal-member-invitation")


def test_the_button_that_makes_a_members_slip_keeps_its_icon_beside_its_words(phone, live_server, zhuxi, units):
    """The empty state's large icon is its own: the button's key stays small and on the button's one line."""
    from django.conf import settings
    from django.urls import reverse

    member = make_member(units["g1"], "Ma", phone="13831500101")
    phone.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    log_in(phone, "zhuxi")
    phone.goto(reverse("portal:member_invitation", args=[member.pk]))
    button = phone.get_by_role("button", name="Generate invitation code")
    text_height = button.evaluate("b => parseFloat(getComputedStyle(b).lineHeight)")
    box = button.bounding_box()
    assert box["height"] < 2 * text_height + 24, box  # one line of words and the button's padding


def test_a_screen_reader_hears_that_showing_the_full_number_was_logged(page, zhuxi, units):
    from portal.tests.test_applications import submit

    application = submit(units["school"])
    log_in(page, "zhuxi")
    page.goto(f"/applications/{application.pk}/")
    announcer = page.get_by_test_id("announcer")
    expect(announcer).to_have_text("")
    page.get_by_test_id("reveal").click()
    expect(page.get_by_test_id("id-number")).to_have_text(application.id_number)
    # The words htmx swapped in are put in the region that stays in the page, which a screen reader reads.
    expect(announcer).to_have_text("本次查看已记录。")
    expect(announcer).to_have_attribute("aria-live", "polite")


def test_on_her_phone_in_english_a_label_of_two_lines_keeps_apart_from_the_next(phone, huiyuan, huiyuan_member):
    log_in(phone, "huiyuan")
    phone.goto("/me/")
    phone.get_by_test_id("language-switch").get_by_role("button", name="English").click()
    card, username = phone.locator("dt", has_text="Membership card no."), phone.locator("dt", has_text="Username")
    above, below = card.bounding_box(), username.bounding_box()
    assert above["height"] > 30  # two lines at this width
    assert below["y"] - (above["y"] + above["height"]) >= 6, (above, below)  # read as two labels, not one
