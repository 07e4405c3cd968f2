"""Members' accounts at scale: one-time sign-in codes and bulk invitations, linked only by an
ID-number check."""

import datetime
import re

import pytest
from django.utils import timezone

from conftest import make_person
from members.models import Member
from orgs.roles import Role
from portal import services
from portal.models import Invitation, OneTimeCode
from portal.tests.conftest import make_member

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def last_code(outbox):
    return re.search(r"\d{6}", outbox[-1][1]).group()


@pytest.fixture
def member(units):
    return make_member(units["g1"], "马春燕", phone="13831500101")


def send(phone, id_number="", now=NOW, capture=None):
    if capture is None:
        return services.signin_code_send(phone=phone, id_number=id_number, now=now)
    with capture(execute=True):
        return services.signin_code_send(phone=phone, id_number=id_number, now=now)


def test_first_sign_in_links_the_account_by_id_number(member, sms_outbox, django_capture_on_commit_callbacks):
    send("13831500101", member.id_number, capture=django_capture_on_commit_callbacks)
    user = services.signin_code_verify(phone="13831500101", code=last_code(sms_outbox), now=NOW)
    member.refresh_from_db()
    assert member.user == user and user.phone == "13831500101" and user.full_name == "马春燕"
    assert not user.has_usable_password()
    # The next sign-in needs the phone only.
    send("13831500101", now=NOW + datetime.timedelta(minutes=2), capture=django_capture_on_commit_callbacks)
    again = services.signin_code_verify(
        phone="13831500101", code=last_code(sms_outbox), now=NOW + datetime.timedelta(minutes=3)
    )
    assert again == user


def test_first_sign_in_without_id_number_sends_nothing_and_says_nothing(
    member, sms_outbox, django_capture_on_commit_callbacks
):
    send(
        "13831500101", capture=django_capture_on_commit_callbacks
    )  # answered as any number is: the code page, which asks for the ID number first time
    assert not OneTimeCode.objects.exists() and sms_outbox == []


def test_never_linked_by_a_wrong_id_number(member, units, sms_outbox, django_capture_on_commit_callbacks):
    other = make_member(units["g1"], "马春燕", phone="13700000000")
    send("13831500101", other.id_number, capture=django_capture_on_commit_callbacks)
    assert not OneTimeCode.objects.exists() and sms_outbox == []


def test_codes_expire(member, sms_outbox, django_capture_on_commit_callbacks):
    send("13831500101", member.id_number, capture=django_capture_on_commit_callbacks)
    with pytest.raises(services.PortalError, match="不正确或已失效"):
        services.signin_code_verify(
            phone="13831500101", code=last_code(sms_outbox), now=NOW + datetime.timedelta(minutes=11)
        )


def test_a_code_allows_five_tries(member, sms_outbox, django_capture_on_commit_callbacks):
    send("13831500101", member.id_number, capture=django_capture_on_commit_callbacks)
    right = last_code(sms_outbox)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(services.PortalError, match="不正确或已失效"):
            services.signin_code_verify(phone="13831500101", code=wrong, now=NOW)
    with pytest.raises(services.PortalError, match="不正确或已失效"):
        services.signin_code_verify(phone="13831500101", code=right, now=NOW)


def test_a_code_works_once(member, sms_outbox, django_capture_on_commit_callbacks):
    send("13831500101", member.id_number, capture=django_capture_on_commit_callbacks)
    code = last_code(sms_outbox)
    services.signin_code_verify(phone="13831500101", code=code, now=NOW)
    with pytest.raises(services.PortalError):
        services.signin_code_verify(phone="13831500101", code=code, now=NOW)


@pytest.mark.parametrize("phone", ["13831500101", "13999990000"])  # the member's, and a number nobody has
def test_codes_are_rate_limited_alike_for_any_number(member, phone, sms_outbox, django_capture_on_commit_callbacks):
    def at(delay):
        send(phone, member.id_number, now=NOW + delay, capture=django_capture_on_commit_callbacks)

    at(datetime.timedelta(0))
    with pytest.raises(services.PortalError, match="一分钟"):
        at(datetime.timedelta(seconds=30))
    for minute in range(1, 5):
        at(datetime.timedelta(minutes=minute))
    with pytest.raises(services.PortalError, match="一小时"):
        at(datetime.timedelta(minutes=6))
    at(datetime.timedelta(minutes=61))
    assert OneTimeCode.objects.count() == len(sms_outbox) == (6 if phone == member.phone else 0)


@pytest.mark.parametrize("phone", ["13831500101", "13999990000"])
def test_two_requests_in_the_same_moment_are_counted_as_two(
    member, phone, sms_outbox, monkeypatch, django_capture_on_commit_callbacks
):
    """A double tap or a script: the second request arrives while the first is being counted (here, just
    after the first has read the count). It must not read the same count and pass too."""
    from django.core.cache import cache

    read = cache.get
    arrived = []

    def read_then_a_second_request(key, *args, **kwargs):
        count = read(key, *args, **kwargs)
        if key.startswith("throttle:signin-code:") and not arrived:  # core.throttle's times
            arrived.append(key)
            with pytest.raises(services.PortalError, match="一分钟"):
                send(phone, member.id_number)
        return count

    monkeypatch.setattr(cache, "get", read_then_a_second_request)
    send(phone, member.id_number, capture=django_capture_on_commit_callbacks)
    assert arrived and OneTimeCode.objects.count() == (1 if phone == member.phone else 0)
    monkeypatch.undo()
    with pytest.raises(services.PortalError, match="一分钟"):  # and the first counted as usual
        send(phone, member.id_number, now=NOW + datetime.timedelta(seconds=30))


def test_without_an_sms_channel_codes_are_not_offered(member, settings, client):
    settings.SMS_BACKEND = ""
    settings.DEBUG = False
    with pytest.raises(services.PortalError, match="没有开通短信"):
        send("13831500101", member.id_number)
    assert "没有开通短信验证码登录" in client.get("/signin/").text


def test_sign_in_pages(client, member, sms_outbox, django_capture_on_commit_callbacks):
    bad = client.post("/signin/", {"phone": "138315", "id_number": ""})
    assert "手机号应为11位数字" in bad.text and 'value="138315"' in bad.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/signin/", {"phone": "13831500101", "id_number": member.id_number})
    assert response.url == "/signin/code/"
    assert "138****0101" in client.get("/signin/code/").text
    response = client.post("/signin/code/", {"code": last_code(sms_outbox)})
    assert response.url == "/me/"
    assert "CARD-马春燕" in client.get("/me/").text


def test_bulk_invitations_one_code_per_member_without_an_account(units, zhuxi, huiyuan_member):
    for n in range(5):
        make_member(units["g1"], f"会员{n}", phone=f"1370000000{n}")
    make_member(units["office"], "别的单位")
    make_member(units["g2"], "已退会", status="left")
    count = services.invitations_create(unit=units["school"], by=zhuxi, now=timezone.now())
    assert count == 5  # huiyuan has an account; left and other unions' members get none
    assert Invitation.objects.count() == 5
    assert len({i.code for i in Invitation.objects.all()}) == 5
    assert services.invitations_create(unit=units["school"], by=zhuxi) == 0


def test_invitation_sheet_and_sending(client_for, zhuxi, units, sms_outbox, django_capture_on_commit_callbacks):
    for n in range(3):
        make_member(units["g1"], f"会员{n}", phone=f"1370000000{n}")
    client = client_for(zhuxi)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/invitations/create/")
    sheet = client.get("/invitations/sheet/")
    for invitation in Invitation.objects.all():
        assert invitation.code in sheet.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/invitations/send/")
    assert len(sms_outbox) == 3
    assert Invitation.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.parametrize("persona", ["huiyuan", "outsider", "xianzong"])
def test_only_roster_officers_invite(request, client_for, units, persona):
    make_member(units["g1"], "会员")
    client_for(request.getfixturevalue(persona)).post("/invitations/create/")
    assert not Invitation.objects.exists()


def test_invitation_opens_the_account_only_with_the_right_id_number(client, units, zhuxi):
    member = make_member(units["g1"], "马春燕")
    other = make_member(units["g1"], "马春燕", phone="13700000000")
    services.invitations_create(unit=units["g1"], by=zhuxi)
    code = Invitation.objects.get(member=member).code
    wrong = client.post("/invite/", {"code": code, "id_number": other.id_number})
    assert "不正确" in wrong.text
    response = client.post("/invite/", {"code": code.lower(), "id_number": member.id_number})
    assert response.url == "/me/"
    member.refresh_from_db()
    assert member.user is not None
    assert Member.objects.get(pk=other.pk).user is None
    # Used once; whoever comes back with it is sent to the login it opened, not back to the union for a
    # new code (the union makes none for a member with a login).
    with pytest.raises(services.PortalError, match="已用它开通了账号的，请用登录名（或手机号）和密码登录"):
        services.invitation_redeem(code=code, id_number=member.id_number)


def test_an_invitation_opens_no_account_for_a_member_who_left_after_it_was_made(client, client_for, units, zhuxi):
    member = make_member(units["g1"], "马春燕")
    services.invitations_create(unit=units["g1"], by=zhuxi)
    code = Invitation.objects.get(member=member).code
    Member.objects.filter(pk=member.pk).update(status="left")
    response = client.post("/invite/", {"code": code, "id_number": member.id_number})
    assert "这个邀请码已经失效，请联系所在工会。" in response.text
    member.refresh_from_db()
    assert member.user is None and Invitation.objects.get(member=member).used_at is None
    assert code not in client_for(zhuxi).get("/invitations/sheet/").text


def test_member_signed_in_by_code_sets_a_password_and_signs_in_with_it(client, member, units, zhuxi):
    services.invitations_create(unit=units["g1"], by=zhuxi)
    code = Invitation.objects.get(member=member).code
    client.post("/invite/", {"code": code, "id_number": member.id_number})
    assert "设置登录密码" in client.get("/me/").text
    bad = client.post("/me/password/", {"new_password1": "x", "new_password2": "y"})
    assert bad.status_code == 200 and "is-invalid" in bad.text
    client.post("/me/password/", {"new_password1": "Hongqi-2026-gh", "new_password2": "Hongqi-2026-gh"})
    member.refresh_from_db()
    client.logout()
    assert "13831500101" not in member.user.username  # no phone in clear in the login's name
    response = client.post("/accounts/login/", {"username": "13831500101", "password": "Hongqi-2026-gh"})
    assert response.status_code == 302
    assert "CARD-马春燕" in client.get("/me/").text


def test_invitation_sheet_queries_are_bounded(client_for, zhuxi, units, django_assert_max_num_queries):
    for n in range(40):
        make_member(units["g1" if n % 2 else "g2"], f"会员{n}", phone=f"137000000{n:02d}")
    client = client_for(zhuxi)
    services.invitations_create(unit=units["school"], by=zhuxi)
    with django_assert_max_num_queries(12):
        response = client.get("/invitations/sheet/")
    assert response.text.count('invite-slip"') == 40


def test_an_existing_password_login_is_found_by_the_id_check_and_keeps_its_account(
    huiyuan, huiyuan_member, sms_outbox, django_capture_on_commit_callbacks
):
    send("13911112222", huiyuan_member.id_number, capture=django_capture_on_commit_callbacks)
    user = services.signin_code_verify(phone="13911112222", code=last_code(sms_outbox), now=NOW)
    assert user == huiyuan
    huiyuan.refresh_from_db()
    assert huiyuan.phone == "13911112222"
    # Next time the phone alone finds her login: the index it is found by was written with it.
    assert list(type(huiyuan).objects.with_phone("13911112222")) == [huiyuan]


def test_a_disabled_account_cannot_sign_in_by_code(
    huiyuan, huiyuan_member, sms_outbox, django_capture_on_commit_callbacks
):
    huiyuan.is_active = False
    huiyuan.save()
    send("13911112222", huiyuan_member.id_number, capture=django_capture_on_commit_callbacks)
    with pytest.raises(services.PortalError, match="停用"):
        services.signin_code_verify(phone="13911112222", code=last_code(sms_outbox), now=NOW)


@pytest.fixture
def no_sms(settings):
    """A production site with no SMS channel configured: no sign-in code can ever reach a member."""
    settings.SMS_BACKEND = ""
    settings.SMS_GATEWAY_URL = ""
    settings.DEBUG = False


def test_without_sms_an_invitation_opens_the_account_with_the_password_set_there(client, units, zhuxi, no_sms):
    member = make_member(units["g1"], "马春燕", phone="13831500101")
    services.invitations_create(unit=units["g1"], by=zhuxi)
    code = Invitation.objects.get(member=member).code
    assert "设置登录密码" in client.get("/invite/").text
    # Without a password the account is not opened: it could never be signed in to again.
    missing = client.post("/invite/", {"code": code, "id_number": member.id_number})
    assert missing.status_code == 200 and "is-invalid" in missing.text
    mismatch = client.post(
        "/invite/",
        {"code": code, "id_number": member.id_number, "password1": "Hongqi-2026-gh", "password2": "Hongqi-2026-xx"},
    )
    assert mismatch.status_code == 200
    assert Member.objects.get(pk=member.pk).user is None and Invitation.objects.get(member=member).used_at is None
    response = client.post(
        "/invite/",
        {"code": code, "id_number": member.id_number, "password1": "Hongqi-2026-gh", "password2": "Hongqi-2026-gh"},
        follow=True,
    )
    member.refresh_from_db()
    assert f"登录名是 {member.user.username}" in response.text and "短信验证码" not in response.text
    client.logout()
    # The next day, on another phone: the roster's number and the password chosen.
    signed_in = client.post("/accounts/login/", {"username": "13831500101", "password": "Hongqi-2026-gh"})
    assert signed_in.status_code == 302
    assert "CARD-马春燕" in client.get("/me/").text


def test_without_sms_a_weak_password_opens_no_account(client, units, zhuxi, no_sms):
    member = make_member(units["g1"], "马春燕", phone="13831500101")
    services.invitations_create(unit=units["g1"], by=zhuxi)
    code = Invitation.objects.get(member=member).code
    response = client.post(
        "/invite/", {"code": code, "id_number": member.id_number, "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200 and "is-invalid" in response.text
    assert Member.objects.get(pk=member.pk).user is None


def test_with_sms_the_invitation_asks_for_no_password(client, units, zhuxi):
    assert "password1" not in client.get("/invite/").text


def test_the_invitation_sheet_is_kept_in_no_browser_cache(client_for, zhuxi, units):
    make_member(units["g1"], "会员")
    services.invitations_create(unit=units["g1"], by=zhuxi)
    response = client_for(zhuxi).get("/invitations/sheet/")
    assert "no-store" in response["Cache-Control"]


def test_a_code_made_before_the_member_got_a_login_does_not_open_that_login(client, client_for, units, zhuxi):
    """A committee member's roster record got a code; she then linked her officer login to it. The slip in
    her drawer, with her ID number, must not sign anyone in as her (chair's rights and all) without her
    password; nor is it printed or sent again."""
    member = make_member(units["g1"], "刘晓梅", phone="13831500101")
    services.invitations_create(unit=units["g1"], by=zhuxi)
    code = Invitation.objects.get(member=member).code
    officer = make_person("liuxiaomei", "刘晓梅", units["school"], Role.COMMITTEE)
    services.member_link(user=officer, id_number=member.id_number, phone="13831500101")
    response = client.post("/invite/", {"code": code, "id_number": member.id_number})
    assert "您已经开通了账号" in response.text
    assert "_auth_user_id" not in client.session
    sheet = client_for(zhuxi).get("/invitations/sheet/").text
    assert code not in sheet
    assert services.invitations_send(unit=units["g1"]) == 0


def test_a_lost_slip_is_found_by_the_members_name_and_printed_again(client_for, zhuxi, units):
    lost = make_member(units["g1"], "马春燕", phone="13831500101")
    make_member(units["g2"], "刘晓梅", phone="13831500102")
    services.invitations_create(unit=units["school"], by=zhuxi)
    client = client_for(zhuxi)
    found = client.get("/invitations/sheet/", {"q": "马春燕"}).text
    assert Invitation.objects.get(member=lost).code in found and "刘晓梅" not in found
    assert "刘晓梅" not in client.get("/invitations/sheet/", {"q": "machunyan"}).text
    assert "没有找到这位会员的邀请码" in client.get("/invitations/sheet/", {"q": "王建国"}).text


def test_invitations_sent_from_an_english_page_reach_members_in_chinese(
    client_for, zhuxi, units, sms_outbox, django_capture_on_commit_callbacks
):
    from core.testing import in_english

    make_member(units["g1"], "马春燕", phone="13831500101")
    client = in_english(client_for(zhuxi))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/invitations/create/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/invitations/send/")
    assert "用邀请码" in sms_outbox[-1][1] and "马春燕" in sms_outbox[-1][1]
