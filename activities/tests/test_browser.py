"""On a phone: a member registers, an officer checks her in, the activity is recorded as held
and the plan shows its item done with the activity as evidence."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, Status
from conftest import CAMERA_DECODE_MS, camera_phone, log_in, phone_page, screenshot
from plans.models import ItemStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer_phone(browser, live_server):
    yield from phone_page(browser, live_server)


def test_register_check_in_and_record_held_on_a_phone(phone, officer_phone, zhuxi, huiyuan, me, plan_item, units):
    activity = Activity.objects.create(
        unit=units["school"],
        title="教职工趣味运动会",
        kind="sports",
        schedule_item=plan_item,
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        place="中心小学操场",
        capacity=30,
        status=Status.OPEN,
    )

    # The member opens the activity from the link in the group chat and registers.
    log_in(phone, "huiyuan")
    phone.goto(reverse("activities:detail", args=[activity.pk]))
    expect(phone.get_by_test_id("places-left")).to_have_text("30")
    screenshot(phone, "activities-phone-1-before-registering")
    phone.get_by_test_id("register").tap()
    # The card is swapped in place (htmx), the rest of the page stays as it was.
    expect(phone.get_by_test_id("my-status")).to_contain_text("您已报名")
    expect(phone.get_by_test_id("places-left")).to_have_text("29")
    phone.get_by_role("link", name="我的签到码").tap()
    phone.get_by_test_id("qr").wait_for()
    loaded_width = (
        "img => img.complete ? img.naturalWidth : new Promise(done => { img.onload = () => done(img.naturalWidth); })"
    )
    assert phone.get_by_test_id("qr").evaluate(loaded_width) > 100
    screenshot(phone, "activities-phone-2-check-in-code")

    # The officer ticks her name on the roll-call.
    log_in(officer_phone, "zhuxi")
    officer_phone.goto(reverse("activities:checkin", args=[activity.pk]))
    row = officer_phone.get_by_test_id("rollcall-row").filter(has_text="周小红")
    row.get_by_test_id("tick").tap()
    row.get_by_text("已签到").wait_for()
    expect(officer_phone.get_by_test_id("attended-count")).to_have_text("1")
    screenshot(officer_phone, "activities-phone-3-roll-call")

    # The officer records the activity as held.
    officer_phone.goto(reverse("activities:held", args=[activity.pk]))
    expect(officer_phone.locator("#id_participant_times")).to_have_value("1")
    officer_phone.fill("#id_participant_times", "36")
    officer_phone.fill("#id_spend", "1280.50")
    officer_phone.get_by_test_id("record-held").tap()
    officer_phone.get_by_text("对应的计划事项已标记为完成").wait_for()
    expect(officer_phone.get_by_test_id("status")).to_have_text("已举办")
    screenshot(officer_phone, "activities-phone-4-held")

    # The plan shows the item done, with the activity as its evidence.
    officer_phone.goto(reverse("plans:item", args=[plan_item.pk]))
    officer_phone.get_by_text("活动“教职工趣味运动会”已举办").wait_for()
    expect(officer_phone.locator(".badge.status-done")).to_contain_text("已完成")
    screenshot(officer_phone, "activities-phone-5-plan-item-done")
    plan_item.refresh_from_db()
    assert plan_item.status == ItemStatus.DONE

    # Back on her phone, the member sees she took part.
    phone.goto(reverse("activities:detail", args=[activity.pk]))
    expect(phone.get_by_test_id("my-status")).to_contain_text("您参加了这次活动")


def test_an_officer_scans_a_members_code_with_the_camera(browser, live_server, tmp_path, zhuxi, huiyuan, me, units):
    from activities.services import registration_add

    activity = Activity.objects.create(
        unit=units["school"], title="教师节座谈会", starts_at=timezone.now(), capacity=10, status=Status.OPEN
    )
    registration = registration_add(activity=activity, member=me, by=huiyuan)
    code = live_server.url + reverse("activities:checkin_code", args=[registration.token])
    with camera_phone(browser, live_server, tmp_path, code) as page:
        log_in(page, "zhuxi")
        page.goto(reverse("activities:checkin", args=[activity.pk]))
        page.locator("#scan-start").tap()
        expect(page.locator("#scan-result")).to_contain_text(
            "周小红（东关完小工会小组）签到成功", timeout=CAMERA_DECODE_MS
        )
        expect(page.get_by_test_id("attended-count")).to_have_text("1")
        expect(page.get_by_test_id("rollcall-row").filter(has_text="周小红")).to_contain_text("已签到")
        screenshot(page, "activities-phone-6-camera-scan")
        # The frame on screen marks the square that is read: square, inside the picture, in its middle.
        picture, frame = (page.locator(s).bounding_box() for s in ("#qr-reader video", ".qr-aim"))
        assert abs(frame["width"] - frame["height"]) < 2 and frame["height"] > 0.9 * picture["height"]
        assert frame["height"] <= picture["height"] and frame["width"] <= picture["width"]
        assert abs((frame["x"] + frame["width"] / 2) - (picture["x"] + picture["width"] / 2)) < 2
        # Done at the door: the camera goes off, and comes back on with a tap.
        page.locator("#scan-start").tap()
        expect(page.locator("#scan-start")).to_contain_text("打开摄像头扫码")
        expect(page.locator("#scan-start i.bi-camera")).to_have_count(1)  # the button keeps its icon
        expect(page.locator("#qr-reader video")).to_have_count(0)
        page.locator("#scan-start").tap()
        expect(page.locator("#qr-reader video")).to_be_visible()
        expect(page.locator("#scan-start")).to_contain_text("停止扫码")
        expect(page.locator("#scan-start i.bi-stop-circle")).to_have_count(1)
    registration.refresh_from_db()
    assert registration.checked_in_by == zhuxi
