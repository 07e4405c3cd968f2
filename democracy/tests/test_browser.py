"""In the browser: a representative writes a proposal on her phone and two fellows co-sign it on
theirs; the handler answers on a desktop; she rates the answer. A member votes in a selection on
her phone and cannot vote twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conftest import log_in, phone_page, screenshot
from democracy.models import Proposal, ProposalStatus, Session
from democracy.services import ballots as ballot_svc
from democracy.services import proposals as svc
from democracy.tests.conftest import add_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fellow_phone(browser, live_server):
    yield from phone_page(browser, live_server)


@pytest.fixture
def second_fellow_phone(browser, live_server):
    yield from phone_page(browser, live_server)


@pytest.fixture
def open_session(congress, units):
    today = timezone.localdate()
    return Session.objects.create(
        congress=congress,
        unit=units["school"],
        number=6,
        held_on=today + datetime.timedelta(days=20),
        proposals_open_on=today - datetime.timedelta(days=3),
        proposals_close_on=today + datetime.timedelta(days=10),
    )


def test_a_proposal_from_phone_to_answer_and_rating(
    phone, fellow_phone, second_fellow_phone, page, open_session, daibiao, fellows, chuzhang, zhuxi
):
    log_in(phone, "daibiao")
    phone.goto(reverse("democracy:index"))
    phone.get_by_test_id("write-proposal").first.tap()
    phone.fill("#id_title", "改善教师食堂午餐质量")
    phone.fill("#id_reasons", "午餐菜品单一，价格偏高。")
    phone.fill("#id_measures", "引入竞争机制，公开食堂账目。")
    screenshot(phone, "democracy-phone-1-write")
    phone.get_by_role("button", name="提交").tap()
    expect(phone.get_by_test_id("status")).to_have_text("征集附议")
    proposal = Proposal.objects.get()

    for fellow, device in (("rep1", fellow_phone), ("rep2", second_fellow_phone)):
        log_in(device, fellow)
        device.goto(reverse("democracy:proposal", args=[proposal.pk]))
        device.get_by_test_id("cosign").tap()
        device.get_by_text("已附议").wait_for()
    expect(second_fellow_phone.get_by_test_id("status")).to_have_text("待审查")
    screenshot(second_fellow_phone, "democracy-phone-2-cosigned")

    # The committee routes it (tested on its own); the handler answers on a desktop.
    svc.proposal_vet(
        proposal=proposal,
        decision=svc.Decision.ACCEPT,
        by=zhuxi,
        today=timezone.localdate(),
        routing={"category": "logistics", "handler": chuzhang, "department": "总务处"},
    )
    log_in(page, "chuzhang")
    page.goto(reverse("democracy:index"))
    page.get_by_role("link", name="改善教师食堂午餐质量").click()
    page.fill("#id_text", "已与供餐单位沟通，下月起每天增加两个菜品，每月公开食堂收支。")
    # An answer is final: the page asks first.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("answer-submit").click()
    expect(page.get_by_test_id("status")).to_have_text("已答复")
    screenshot(page, "democracy-desktop-3-answered")

    phone.goto(reverse("democracy:proposal", args=[proposal.pk]))
    phone.get_by_label("满意", exact=True).check()
    phone.get_by_role("button", name="提交评价").tap()
    expect(phone.get_by_test_id("rating")).to_contain_text("满意")
    expect(phone.get_by_test_id("status")).to_have_text("已办结")
    screenshot(phone, "democracy-phone-4-rated")
    assert Proposal.objects.get().status == ProposalStatus.CLOSED


def test_a_member_votes_in_a_selection_and_cannot_vote_twice(phone, units, huiyuan, zhuxi):
    add_member(units["g1"], "周小红", user=huiyuan)
    ballot = ballot_svc.ballot_create(
        unit=units["school"],
        title="师德标兵评选",
        candidates=["张慧敏", "刘建军", "陈雪"],
        seats=2,
        scrutineers=[zhuxi],
    )
    ballot_svc.ballot_open(ballot=ballot)
    log_in(phone, "huiyuan")
    phone.goto(reverse("democracy:ballot", args=[ballot.pk]))
    phone.get_by_test_id("vote").tap()
    phone.get_by_label("张慧敏").check()
    phone.get_by_label("陈雪").check()
    screenshot(phone, "democracy-phone-5-ballot")
    phone.get_by_test_id("cast").tap()
    phone.get_by_test_id("voted").first.wait_for()
    expect(phone.get_by_test_id("vote")).to_have_count(0)
    phone.goto(reverse("democracy:ballot_vote", args=[ballot.pk]))
    expect(phone.get_by_test_id("voted")).to_contain_text("只能投一次")
    expect(phone.get_by_test_id("cast")).to_have_count(0)
    screenshot(phone, "democracy-phone-6-voted")
    ballot.refresh_from_db()
    assert ballot.cast_count == 1


def test_an_officer_scans_a_representatives_code_at_the_door(
    browser, live_server, tmp_path, session, daibiao, fellows, zhuxi
):
    from conftest import CAMERA_DECODE_MS, camera_phone

    representative = session.congress.representatives.get(member__user=daibiao)
    code = live_server.url + reverse("democracy:representative_code", args=[representative.token])
    with camera_phone(browser, live_server, tmp_path, code) as page:
        log_in(page, "zhuxi")
        page.goto(reverse("democracy:session", args=[session.pk]))
        page.locator("#scan-start").tap()
        # The roll is far down the page: the camera's view is brought into sight to aim with.
        expect(page.locator("#qr-reader video")).to_be_in_viewport(ratio=1, timeout=CAMERA_DECODE_MS)
        expect(page.locator("#scan-result")).to_contain_text(
            "吴晓梅（东关完小工会小组）已签到", timeout=CAMERA_DECODE_MS
        )
        expect(page.locator("#present-count")).to_have_text("1")
        expect(page.locator(f"#rep-{representative.pk}")).to_contain_text("已签到")
        screenshot(page, "democracy-phone-7-camera-check-in")
    assert session.attendances.get().checked_in_by == zhuxi


def test_a_check_in_the_server_never_answers_is_given_up_and_said_so(
    browser, live_server, tmp_path, session, daibiao, fellows, zhuxi
):
    """At the door on a weak signal: after 15 s without an answer the officer reads that the
    check-in did not go through, instead of a page that stays silent."""
    from conftest import CAMERA_DECODE_MS, camera_phone

    representative = session.congress.representatives.get(member__user=daibiao)
    code = live_server.url + reverse("democracy:representative_code", args=[representative.token])
    with camera_phone(browser, live_server, tmp_path, code) as page:
        log_in(page, "zhuxi")
        page.clock.install()
        page.goto(reverse("democracy:session", args=[session.pk]))
        page.route("**/democracy/code/**", lambda route: None)  # taken, never answered
        page.locator("#scan-start").tap()
        expect(page.locator("#scan-result")).to_have_text("正在签到……", timeout=CAMERA_DECODE_MS)
        page.locator("#scan-start").tap()  # the camera stops; the check-in stays on its way
        expect(page.locator("#scan-start")).to_contain_text("打开摄像头扫码")
        page.clock.run_for(15_000)
        expect(page.locator("#scan-result")).to_have_text("网络出错，请再扫一次。")
        page.unroute("**/democracy/code/**")
    assert not session.attendances.exists()


def test_the_chair_adds_a_forgotten_candidate_before_voting_starts(page, units, zhuxi, weiyuan):
    ballot = ballot_svc.ballot_create(
        unit=units["school"], title="师德标兵评选", candidates=["张伟", "李秀英"], scrutineers=[weiyuan], seats=1
    )
    log_in(page, "zhuxi")
    page.goto(reverse("democracy:ballot", args=[ballot.pk]))
    page.get_by_test_id("edit").click()
    expect(page.get_by_label("候选人")).to_have_value("张伟\n李秀英")
    page.get_by_label("候选人").fill("张伟\n李秀英\n王芳")
    screenshot(page, "democracy-ballot-edit")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    expect(page.get_by_text("王芳")).to_be_visible()
