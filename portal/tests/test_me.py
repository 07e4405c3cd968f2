"""A member's own page shows their own records and nobody else's (a persona matrix)."""

import datetime
import json

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Activity, Registration, RegistrationStatus
from activities.services import registration_add, registration_cancel
from care.models.assistance import Assistance
from care.models.insurance import InsuranceEnrollment, InsuranceProduct
from conftest import make_person
from democracy.models.proposals import Proposal
from members.models import Member, MemberQuerySet, Status, Transfer
from orgs.roles import Role
from portal.models import ConsentRecord
from portal.tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(units, zhuxi):
    return Activity.objects.create(
        unit=units["school"],
        title="教师节趣味运动会",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        status="published",
        created_by=zhuxi,
    )


@pytest.fixture
def colleague(units):
    """Another member of the same group, with records of her own."""
    user = make_person("tongshi", "吴丽华", units["g1"], Role.MEMBER)
    return make_member(units["g1"], "吴丽华", user=user, phone="13722223333")


def test_huiyuan_sees_her_card(client_for, huiyuan, huiyuan_member):
    response = client_for(huiyuan).get("/me/")
    assert response.status_code == 200
    assert "周小红" in response.text
    assert "CARD-周小红" in response.text
    assert huiyuan_member.unit.name in response.text
    assert "2015年9月1日" in response.text
    assert "139****2222" in response.text and "13911112222" not in response.text


def test_me_needs_a_login(client):
    assert client.get("/me/").status_code == 302


def own_records(member, units, zhuxi, tag):
    """Insurance, help received and a proposal of ``member``, each named with ``tag``."""
    product = InsuranceProduct.objects.get_or_create(unit=units["school"], name="女职工安康互助保险", premium=30)[0]
    InsuranceEnrollment.objects.create(
        product=product, unit=member.unit, member=member, year=2026, premium=30, enrolled_on=datetime.date(2026, 3, 1)
    )
    Assistance.objects.create(
        unit=units["school"],
        member=member,
        recipient=member.name,
        amount=800,
        goods=f"{tag}慰问品",
        purpose="songnuan",
        given_on=datetime.date(2026, 1, 20),
        status="approved",
        entered_by=zhuxi,
    )
    Proposal.objects.create(
        unit=units["school"],
        kind="suggestion",
        author=member.user,
        title=f"{tag}建议",
        reasons="-",
        measures="-",
        status="submitted",
        submitted_on=datetime.date(2026, 4, 1),
    )


@pytest.mark.parametrize("persona", ["huiyuan", "tongshi", "zhuxi", "outsider"])
def test_each_person_sees_only_their_own_records(
    request, client_for, units, zhuxi, activity, huiyuan_member, colleague, persona
):
    Registration.objects.create(activity=activity, member=huiyuan_member)
    Registration.objects.create(activity=activity, member=colleague, status=RegistrationStatus.WAITING)
    own_records(huiyuan_member, units, zhuxi, "周小红的")
    own_records(colleague, units, zhuxi, "吴丽华的")
    user = {"huiyuan": huiyuan_member.user, "tongshi": colleague.user}.get(persona) or request.getfixturevalue(persona)
    response = client_for(user).get("/me/")
    text = response.text
    own = {"huiyuan": "周小红", "tongshi": "吴丽华"}.get(persona)
    names = {"周小红", "吴丽华"} - {own}
    others = {f"{n}{suffix}" for n in names for suffix in ("", "的慰问品", "的建议")} | {f"CARD-{n}" for n in names}
    for other in others:
        assert other not in text, f"{persona} sees {other}"
    if own:
        assert f"CARD-{own}" in text and "教师节趣味运动会" in text
        assert f"{own}的慰问品" in text and f"{own}的建议" in text and "女职工安康互助保险" in text
    else:
        assert "还没有关联会员档案" in text


def test_waiting_place_and_check_in_code(client_for, huiyuan, huiyuan_member, activity, units):
    Registration.objects.create(activity=activity, member=huiyuan_member)
    response = client_for(huiyuan).get("/me/")
    assert f"/activities/{activity.pk}/my-code/" in response.text
    Registration.objects.filter(member=huiyuan_member).update(status=RegistrationStatus.WAITING)
    assert "候补" in client_for(huiyuan).get("/me/").text


def test_my_page_queries_are_bounded(client_for, huiyuan, huiyuan_member, units, zhuxi, django_assert_max_num_queries):
    for n in range(30):
        a = Activity.objects.create(
            unit=units["school"], title=f"活动{n}", starts_at=timezone.now(), status="published", created_by=zhuxi
        )
        Registration.objects.create(activity=a, member=huiyuan_member)
    client = client_for(huiyuan)
    with django_assert_max_num_queries(14):
        client.get("/me/")


def test_update_my_phone_keeps_what_was_typed_when_wrong(client_for, huiyuan, huiyuan_member):
    bad = client_for(huiyuan).post("/me/phone/", {"phone": "1234"})
    assert "手机号应为11位数字" in bad.text and 'value="1234"' in bad.text


def _sign_in_phone(user, phone):
    user.phone = phone
    user.save()


def test_a_new_number_signs_in_once_its_code_is_typed_back_and_the_old_one_no_more(
    client_for, huiyuan, huiyuan_member, sms_outbox, django_capture_on_commit_callbacks
):
    from accounts.models import User
    from portal import services

    _sign_in_phone(huiyuan, "13911112222")
    client = client_for(huiyuan)
    with django_capture_on_commit_callbacks(execute=True):  # the SMS goes out once the request commits
        response = client.post("/me/phone/", {"phone": "+86 136 5555 6666"})  # as the phone's card writes it
    assert response.status_code == 302 and response["Location"] == "/me/phone/confirm/"
    [(to, text)] = sms_outbox
    code = text.split("验证码 ")[1][:6]
    assert to == "13655556666" and "修改手机号" in text
    assert "136****6666" in client.get("/me/phone/confirm/").text
    huiyuan_member.refresh_from_db()
    assert huiyuan_member.phone == "13911112222"  # nothing changed before the code
    wrong = client.post("/me/phone/confirm/", {"code": "000000" if code != "000000" else "111111"})
    assert "验证码不正确" in wrong.text
    assert client.post("/me/phone/confirm/", {"code": code}).status_code == 302
    huiyuan_member.refresh_from_db()
    assert huiyuan_member.phone == "13655556666"
    assert list(User.objects.with_phone("13655556666")) == [huiyuan]
    assert not User.objects.with_phone("13911112222").exists()
    # Whoever is given the old number next cannot open her account with an SMS code: none is sent.
    with django_capture_on_commit_callbacks(execute=True):
        services.signin_code_send(phone="13911112222")
    assert [to for to, _text in sms_outbox] == ["13655556666"]


def test_a_number_another_login_signs_in_with_is_refused(
    client_for, huiyuan, huiyuan_member, colleague, sms_outbox, django_capture_on_commit_callbacks
):
    _sign_in_phone(colleague.user, "13722223333")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(huiyuan).post("/me/phone/", {"phone": "13722223333"})
    assert "已是另一个账号的登录手机号" in response.text and 'value="13722223333"' in response.text
    assert sms_outbox == []


def test_without_sms_the_number_changes_at_once_on_the_roster_and_the_login(
    client_for, huiyuan, huiyuan_member, settings
):
    from accounts.models import User

    settings.SMS_BACKEND, settings.SMS_GATEWAY_URL, settings.DEBUG = "", "", False
    _sign_in_phone(huiyuan, "13911112222")
    assert client_for(huiyuan).post("/me/phone/", {"phone": "13655556666"}).status_code == 302
    huiyuan_member.refresh_from_db()
    assert huiyuan_member.phone == "13655556666" and list(User.objects.with_phone("13655556666")) == [huiyuan]


def test_ask_to_transfer_starts_the_rosters_transfer(client_for, huiyuan, huiyuan_member, units):
    client = client_for(huiyuan)
    assert units["other"].name not in client.get("/me/transfer/").text
    client.post("/me/transfer/", {"to_unit": units["office"].pk, "reason": "调入教育局"})
    transfer = Transfer.objects.get()
    assert transfer.member == huiyuan_member and transfer.to_unit == units["office"] and transfer.is_pending
    huiyuan_member.refresh_from_db()
    assert huiyuan_member.status == Status.TRANSFERRING_OUT


def test_a_transfer_request_whose_notice_fails_leaves_no_transfer_behind(huiyuan, huiyuan_member, units, monkeypatch):
    from portal import services

    make_person("jiguan", "吴敏", units["office"], Role.CHAIR)

    def broken(*args, **kwargs):
        raise RuntimeError("the notice could not be written")

    monkeypatch.setattr(services, "notify", broken)
    with pytest.raises(RuntimeError):
        services.member_transfer_request(
            member=huiyuan_member, to_unit=units["office"], reason="调入教育局", by=huiyuan
        )
    assert not Transfer.objects.exists()
    huiyuan_member.refresh_from_db()
    assert huiyuan_member.status == Status.ACTIVE


def test_the_transfer_button_is_gone_while_a_transfer_is_under_way_or_after_leaving(
    client_for, huiyuan, huiyuan_member, units
):
    client = client_for(huiyuan)
    assert "/me/transfer/" in client.get("/me/").text
    client.post("/me/transfer/", {"to_unit": units["office"].pk, "reason": "调入教育局"})
    page = client.get("/me/").text
    assert "/me/transfer/" not in page and "转会申请办理中" in page
    Transfer.objects.all().delete()
    Member.objects.filter(pk=huiyuan_member.pk).update(status=Status.LEFT)
    assert "/me/transfer/" not in client.get("/me/").text


def test_the_new_union_is_found_by_typing_its_name(client_for, huiyuan, huiyuan_member, units):
    """A county holds hundreds of unions: the member types part of the name and picks from what the
    county has, never their own union nor one in another county."""
    client = client_for(huiyuan)
    page = client.get("/me/transfer/").text
    assert 'hx-get="/me/transfer/units/"' in page and "orgs/unit-picker" in page
    found = client.get("/me/transfer/units/", {"q": "机关"}).context["found"]
    assert [s.unit.code for s in found] == ["demo-office"] and found[0].parent == units["county"]
    assert client.get("/me/transfer/units/", {"q": "邻县"}).context["found"] == []
    nothing_picked = client.post("/me/transfer/", {"reason": "调入教育局"})
    assert "请输入新单位工会的名称，从搜索结果中选择。" in nothing_picked.text and "调入教育局" in nothing_picked.text


def test_someone_without_a_roster_record_finds_no_unions(client_for, zhuxi):
    assert client_for(zhuxi).get("/me/transfer/units/", {"q": "工会"}).status_code == 404


def test_transfer_only_to_unions_of_the_own_county(client_for, huiyuan, huiyuan_member, units):
    client_for(huiyuan).post("/me/transfer/", {"to_unit": units["other"].pk, "reason": "x"})
    assert not Transfer.objects.exists()


def test_withdraw_consent_for_an_optional_use(client_for, huiyuan, huiyuan_member):
    client = client_for(huiyuan)
    client.post("/me/consent/", {"purpose": "news", "granted": "1"})
    client.post("/me/consent/", {"purpose": "news", "granted": "0"})
    assert ConsentRecord.objects.current_for(huiyuan_member) == {"news": False}
    assert ConsentRecord.objects.filter(member=huiyuan_member).count() == 2
    assert "未同意" in client.get("/me/").text


def test_download_my_own_data(client_for, huiyuan, huiyuan_member, colleague, activity):
    from democracy.models.opinions import Opinion

    Registration.objects.create(activity=activity, member=huiyuan_member)
    Opinion.objects.create(
        unit=huiyuan_member.unit, author=huiyuan, text="食堂能否增加素菜窗口", received_on=timezone.localdate()
    )
    client = client_for(huiyuan)
    data = json.loads(client.get("/me/data.json").content)
    flat = json.dumps(data, ensure_ascii=False)
    assert huiyuan_member.id_number in flat and "教师节趣味运动会" in flat
    assert "食堂能否增加素菜窗口" in flat  # what she signed in the opinion box is kept about her too
    assert "吴丽华" not in flat and colleague.id_number not in flat
    response = client.get("/me/data.xlsx")
    sheet = load_workbook(filename=__import__("io").BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "13911112222" in values and "吴丽华" not in values


def test_an_officer_links_their_login_by_id_number_and_phone(client_for, zhuxi, units):
    member = make_member(units["school"], "王建国", phone="13800001111")
    client = client_for(zhuxi)
    wrong = client.post("/me/link/", {"phone": "13800001112", "id_number": member.id_number})
    assert "不一致" in wrong.text
    client.post("/me/link/", {"phone": "13800001111", "id_number": member.id_number})
    member.refresh_from_db()
    assert member.user == zhuxi


def test_a_login_already_linked_is_told_so_and_sees_its_own_card(client_for, zhuxi, units):
    member = make_member(units["school"], "王建国", phone="13800001111")
    client = client_for(zhuxi)
    client.post("/me/link/", {"phone": "13800001111", "id_number": member.id_number})
    again = client.post("/me/link/", {"phone": "13800001111", "id_number": member.id_number}, follow=True)
    assert "您的账号已经关联了会员档案。" in again.text and "CARD-王建国" in again.text


def test_a_record_another_login_takes_first_is_not_reported_linked(client_for, units, monkeypatch):
    member = make_member(units["school"], "王建国", phone="13800001111")
    rival = make_person("jiaoshi", "王建国", units["school"], Role.MEMBER)
    late = make_person("xinlaoshi", "王建国", units["school"], Role.MEMBER)
    real_update = MemberQuerySet.update

    def rival_first(queryset, **values):
        # The rival's link commits between this login's check and its write.
        if values.get("user") == late:
            real_update(Member.objects.filter(pk=member.pk), user=rival)
        return real_update(queryset, **values)

    monkeypatch.setattr(MemberQuerySet, "update", rival_first)
    answer = client_for(late).post("/me/link/", {"phone": "13800001111", "id_number": member.id_number})
    assert "已关联您的会员档案" not in answer.text and "不一致" in answer.text
    assert not Member.objects.filter(user=late).exists()


def _registered(member, zhuxi, units, title, days):
    """``member`` registered for an activity ``days`` from now (before it, when negative)."""
    activity = Activity.objects.create(
        unit=units["school"],
        title=title,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        status="held" if days < 0 else "open",
        created_by=zhuxi,
    )
    return Registration.objects.create(activity=activity, member=member)


def _card_after(html, marker):
    """The page from ``marker`` to the end of its element's card body."""
    start = html.index(marker)
    return html[start : html.index("</div>\n", start)]


def test_a_member_without_a_registration_is_shown_where_to_find_activities(client_for, huiyuan, huiyuan_member):
    html = client_for(huiyuan).get("/me/").text
    assert 'data-testid="no-registrations"' in html and "还没有报名的活动" in html
    assert 'data-testid="my-past"' not in html
    # Her role lets her read the union's activities (not a Django model permission), so the empty state leads there.
    assert 'href="/activities/"' in _card_after(html, 'data-testid="no-registrations"')


def test_earlier_registrations_are_not_called_none_yet(client_for, huiyuan, huiyuan_member, zhuxi, units):
    for n, title in enumerate(["端午包粽子活动", "“书香校园”读书分享会", "教职工拔河比赛", "青年教师登山健步行"]):
        _registered(huiyuan_member, zhuxi, units, title, days=-30 * (n + 1))
    html = client_for(huiyuan).get("/me/").text
    assert "还没有报名的活动" not in html and 'data-testid="no-registrations"' not in html
    assert 'data-testid="nothing-upcoming"' in html and "目前没有待参加的活动" in html
    assert 'href="/activities/"' in _card_after(html, 'data-testid="nothing-upcoming"')
    assert html.count("<li>", html.index('data-testid="my-past"')) >= 4

    _registered(huiyuan_member, zhuxi, units, "冬季教职工环城长跑", days=7)
    html = client_for(huiyuan).get("/me/").text
    assert 'data-testid="my-upcoming"' in html and 'data-testid="nothing-upcoming"' not in html


def test_a_cancelled_registration_she_registered_again_for_is_not_listed_as_past(
    client_for, huiyuan, huiyuan_member, zhuxi, units
):
    run = _registered(huiyuan_member, zhuxi, units, "冬季教职工环城长跑", days=12)
    registration_cancel(registration=run, by=huiyuan)
    registration_add(activity=run.activity, member=huiyuan_member, by=huiyuan)
    held = _registered(huiyuan_member, zhuxi, units, "端午包粽子活动", days=-30)
    # Before it was held she had cancelled twice and registered again.
    held.status = RegistrationStatus.CANCELLED
    held.save(update_fields=["status"])
    Registration.objects.create(activity=held.activity, member=huiyuan_member, status=RegistrationStatus.CANCELLED)
    Registration.objects.create(activity=held.activity, member=huiyuan_member)
    skipped = _registered(huiyuan_member, zhuxi, units, "青年教师登山健步行", days=20)
    registration_cancel(registration=skipped, by=huiyuan)

    html = client_for(huiyuan).get("/me/").text
    upcoming = html[html.index('data-testid="my-upcoming"') : html.index('data-testid="my-past"')]
    past = html[html.index('data-testid="my-past"') : html.index("</ul>", html.index('data-testid="my-past"'))]
    assert "冬季教职工环城长跑" in upcoming and "冬季教职工环城长跑" not in past
    # Held, and she never checked in: not "registered" as if it were still to come.
    assert past.count("端午包粽子活动") == 1 and "端午包粽子活动 · 未签到" in past
    # Cancelled and never registered again: still listed, so she sees it was cancelled.
    assert past.count("青年教师登山健步行 · 已取消") == 1


def test_a_member_reaches_the_unions_board_and_opinion_box_from_her_page(client_for, huiyuan, huiyuan_member):
    """The board was hers to read, but only by typing its address."""
    from django.urls import reverse

    page = client_for(huiyuan).get("/me/").content.decode()
    assert 'data-testid="my-union-board"' in page
    assert reverse("democracy:disclosure") in page and reverse("democracy:opinions") in page
    assert client_for(huiyuan).get(reverse("democracy:disclosure")).status_code == 200


def test_a_member_without_proposals_finds_where_to_make_a_suggestion(client_for, huiyuan, huiyuan_member):
    """Her menu has no democracy entry and the 我的提案 card shows only once she has one."""
    from django.urls import reverse

    page = client_for(huiyuan).get("/me/").content.decode()
    board = page[page.index('data-testid="my-union-board"') :].split("</div>\n    </div>")[0]
    assert reverse("democracy:proposals") in board
    listing = client_for(huiyuan).get(reverse("democracy:proposals")).content.decode()
    assert reverse("democracy:suggestion_create") in listing


def test_my_page_shows_the_statement_my_consents_refer_to(client_for, huiyuan, huiyuan_member):
    from portal import consent

    page = client_for(huiyuan).get("/me/").text
    statement = page.split('data-testid="consent-statement"')[1].split("</details>")[0]
    assert "《个人信息使用说明》全文" in statement and consent.STATEMENT.splitlines()[0] in statement


def test_a_member_who_left_is_not_sent_to_the_activities_she_may_no_longer_open(client_for, huiyuan, huiyuan_member):
    from members import services as members_svc
    from members.models import StatusReason

    client = client_for(huiyuan)
    assert 'href="/activities/"' in client.get("/me/").text
    members_svc.member_status_change(member=huiyuan_member, status=Status.LEFT, reason=StatusReason.RESIGNED)
    assert client.get("/activities/").status_code == 404
    page = client.get("/me/").text
    assert "还没有报名的活动" in page and 'href="/activities/"' not in page


def test_my_data_writes_dates_and_money_as_my_page_does_and_keeps_my_transfers(
    client_for, huiyuan, huiyuan_member, units, zhuxi
):
    own_records(huiyuan_member, units, zhuxi, "周小红的")
    Assistance.objects.filter(member=huiyuan_member).update(goods="")  # money, not goods
    Transfer.objects.create(
        member=huiyuan_member, from_unit=units["g1"], to_unit=units["g2"], reason="调入南湖完小", started_by=huiyuan
    )
    response = client_for(huiyuan).get("/me/data.xlsx")
    sheet = load_workbook(filename=__import__("io").BytesIO(response.content)).active
    rows = [row[1:] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert ("保险", "2026 女职工安康互助保险", "2026年3月1日 ¥30.00") in rows
    assert any(r[0] == "帮扶" and r[1].startswith("2026年1月20日") and r[2] == "¥800.00" for r in rows)
    assert ("会员信息", "入会时间", "2015年9月1日") in rows
    assert any(r[0] == "转会" and "调入南湖完小" in r[2] for r in rows)
    assert not any(isinstance(v, str) and v.startswith("=") for r in rows for v in r)


def test_my_data_in_english_writes_english_dates(client_for, huiyuan, huiyuan_member):
    from core.testing import in_english

    data = json.loads(in_english(client_for(huiyuan)).get("/me/data.json").content)
    joined = next(row["value"] for rows in data.values() for row in rows if row["item"] == "Joined on")
    assert joined == "Sept. 1, 2015"


@pytest.mark.parametrize("url", ["/me/", "/me/data.json", "/me/data.xlsx"])
def test_my_pages_and_downloads_are_kept_in_no_browser_cache(client_for, huiyuan, huiyuan_member, url):
    response = client_for(huiyuan).get(url)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_my_data_sheet_keeps_the_id_number_and_phone_as_text_cells(client_for, huiyuan, huiyuan_member):
    """Excel shows a number cell of 18 digits as 4.10E+17 and drops its last digits: these are text cells."""
    response = client_for(huiyuan).get("/me/data.xlsx")
    sheet = load_workbook(filename=__import__("io").BytesIO(response.content)).active
    cells = {cell.value: cell.data_type for row in sheet.iter_rows(min_row=3) for cell in row}
    assert cells[huiyuan_member.id_number] == "s" and cells["13911112222"] == "s"
