"""The public join page: no login, checked as the roster checks, consent kept with its version."""

import pytest
from django.db import connection

from members.models import Member
from portal import consent
from portal.models import Application, ApplicationStatus, code_index, phone_index
from portal.tests.conftest import application_data, make_member, new_id

pytestmark = pytest.mark.django_db


def test_join_page_needs_no_login(client, units):
    response = client.get("/join/demo-school/")
    assert response.status_code == 200
    assert "申请加入城关镇中心学校工会" in response.text
    assert consent.STATEMENT_VERSION in response.text


def test_unknown_or_inactive_unit_is_not_found(client, units):
    assert client.get("/join/nope/").status_code == 404
    units["g2"].is_active = False
    units["g2"].save()
    assert client.get("/join/demo-school-g2/").status_code == 404


def test_application_is_stored_with_consent_text_and_version(
    client, units, django_capture_on_commit_callbacks, sms_outbox
):
    data = application_data()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/join/demo-school/", data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.unit == units["school"]
    assert application.status == ApplicationStatus.PENDING
    assert application.consent_version == consent.STATEMENT_VERSION
    assert application.consent_text == str(consent.STATEMENT)
    assert application.consented_at is not None
    assert application.is_migrant_worker
    # The code is shown once, and the SMS carries it.
    done = client.get(response.url)
    code = done.context["submitted"]["code"]
    assert application.code_index == code_index(code)
    assert sms_outbox[0][0] == data["phone"] and code in sms_outbox[0][1]


def test_id_number_and_phone_are_encrypted_at_rest(client, units):
    data = application_data()
    client.post("/join/demo-school/", data)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM portal_application")
        raw_id, raw_phone = cursor.fetchone()
    assert data["id_number"] not in raw_id and data["phone"] not in raw_phone
    assert Application.objects.get().phone_index == phone_index(data["phone"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "130534199005011235", "身份证号校验位不正确"),
        ("id_number", "13053419900501", "身份证号应为18位"),
        ("phone", "1383150010", "手机号应为11位数字"),
        ("phone", "23831500101", "手机号应为11位数字"),
        ("agree", "", "请阅读《个人信息使用说明》并勾选同意"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_keeps_what_was_typed(client, units, field, value, message):
    data = application_data(**{field: value})
    if not value:
        data.pop(field)
    response = client.post("/join/demo-school/", data)
    assert response.status_code == 200
    assert message in response.text
    assert 'value="马春燕"' in response.text
    assert 'value="城关镇中心学校"' in response.text
    assert not Application.objects.exists()


def test_full_width_digits_are_accepted(client, units):
    number = new_id()
    wide = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = client.post("/join/demo-school/", application_data(id_number=wide, phone="１３８ ３１５０ ０１０１"))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.id_number == number and application.phone == "13831500101"


def test_member_of_another_union_is_recognised_without_saying_where(client, units):
    number = new_id()
    make_member(units["office"], "马春燕", id_number=number)
    response = client.post("/join/demo-school/", application_data(id_number=number))
    assert response.status_code == 200
    assert "已经是工会会员" in response.text
    assert units["office"].name not in response.text
    assert not Application.objects.exists()


def test_second_application_anywhere_is_recognised_without_saying_where(client, units):
    number = new_id()
    client.post("/join/demo-office/", application_data(id_number=number))
    response = client.post("/join/demo-school/", application_data(id_number=number))
    assert "已有一份正在办理的入会申请" in response.text
    assert units["office"].name not in response.text
    assert Application.objects.count() == 1


def test_someone_who_left_may_apply_again(client, units):
    number = new_id()
    make_member(units["office"], "马春燕", id_number=number, status="left")
    assert client.post("/join/demo-school/", application_data(id_number=number)).status_code == 302


def test_submissions_are_rate_limited_per_address(client, units):
    for _ in range(10):
        client.post("/join/demo-school/", application_data(id_number="bad"))
    response = client.post("/join/demo-school/", application_data())
    assert "提交次数太多" in response.text
    assert not Application.objects.exists()


def test_applicant_checks_status_with_phone_and_code(client, units):
    response = client.post("/join/demo-school/", application_data())
    code = client.get(response.url).context["submitted"]["code"]
    wrong = client.post("/join/demo-school/status/", {"phone": "13831500101", "code": "WRONG123"})
    assert "没有找到" in wrong.text
    right = client.post("/join/demo-school/status/", {"phone": "13831500101", "code": code.lower()})
    assert "待审批" in right.text
    assert "马春燕" in right.text


def test_applicant_answers_a_request_for_more(client, units, zhuxi):
    from portal import services

    response = client.post("/join/demo-school/", application_data())
    code = client.get(response.url).context["submitted"]["code"]
    application = Application.objects.get()
    services.application_ask_more(application=application, by=zhuxi, note="请补充劳动合同照片说明")
    page = client.post("/join/demo-school/status/", {"phone": "13831500101", "code": code})
    assert "请补充劳动合同照片说明" in page.text
    client.post("/join/demo-school/status/reply/", {"reply": "合同在单位人事处，可以核实"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    assert "合同在单位人事处" in application.reply


def test_nobody_is_a_member_before_approval(client, units):
    client.post("/join/demo-school/", application_data())
    assert not Member.objects.exists()


def test_union_page_points_workers_without_a_union_to_the_county(client, units):
    response = client.get("/join/demo-school-g1/")
    assert 'href="/join/demo-county/"' in response.text
    assert 'href="/join/demo-county/"' not in client.get("/join/demo-county/").text
