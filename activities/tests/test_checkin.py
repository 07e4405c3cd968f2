"""Check-in: QR codes, the scanner endpoint, roll-call ticks, walk-ins and the export."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import RegistrationStatus
from activities.services import ActivityError, check_in, registration_add, registration_cancel


@pytest.fixture
def activity(make_activity):
    return make_activity(capacity=30, title="教师节座谈会")


def test_a_member_sees_their_own_qr_code(client_for, huiyuan, me, activity):
    registration = registration_add(activity=activity, member=me, by=huiyuan)
    client = client_for(huiyuan)
    page = client.get(reverse("activities:my_qr", args=[activity.pk]))
    assert reverse("activities:qr", args=[registration.token]) in page.content.decode()
    svg = client.get(reverse("activities:qr", args=[registration.token]))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<svg")


def test_another_members_qr_code_is_not_shown(client_for, activity, member_factory, zhuxi, huiyuan, me):
    other = registration_add(activity=activity, member=member_factory("别人"), by=zhuxi)
    assert client_for(huiyuan).get(reverse("activities:qr", args=[other.token])).status_code == 404


def test_scanning_a_code_checks_in_and_reports_the_count(client_for, zhuxi, huiyuan, me, activity):
    registration = registration_add(activity=activity, member=me, by=huiyuan)
    client = client_for(zhuxi)
    url = reverse("activities:checkin_code", args=[registration.token])
    first = client.post(url, {"activity": activity.pk}, HTTP_ACCEPT="application/json").json()
    again = client.post(url, {"activity": activity.pk}, HTTP_ACCEPT="application/json").json()
    assert first == {
        "ok": True,
        "message": "周小红（东关完小工会小组）签到成功。",
        "attended": 1,
        "registration": registration.pk,
    }
    assert again["ok"] and "已经签到过了" in again["message"] and again["attended"] == 1
    registration.refresh_from_db()
    assert registration.checked_in_by == zhuxi


def test_a_code_for_another_activity_is_refused(client_for, zhuxi, huiyuan, me, activity, make_activity):
    other = make_activity(title="另一个活动")
    registration = registration_add(activity=other, member=me, by=huiyuan)
    response = client_for(zhuxi).post(
        reverse("activities:checkin_code", args=[registration.token]),
        {"activity": activity.pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409 and "另一个活动" in response.json()["message"]
    registration.refresh_from_db()
    assert not registration.attended


def test_a_member_cannot_check_anyone_in(client_for, huiyuan, me, activity):
    registration = registration_add(activity=activity, member=me, by=huiyuan)
    response = client_for(huiyuan).post(reverse("activities:checkin_code", args=[registration.token]))
    assert response.status_code == 404


def test_a_phone_camera_opening_the_code_gets_a_confirm_page(client_for, zhuxi, huiyuan, me, activity):
    registration = registration_add(activity=activity, member=me, by=huiyuan)
    page = client_for(zhuxi).get(reverse("activities:checkin_code", args=[registration.token]))
    assert "确认签到" in page.content.decode()
    registration.refresh_from_db()
    assert not registration.attended  # a GET never changes anything


def test_roll_call_tick_toggles_attendance(client_for, weiyuan, huiyuan, me, activity):
    registration = registration_add(activity=activity, member=me, by=huiyuan)
    client = client_for(weiyuan)
    ticked = client.post(reverse("activities:tick", args=[registration.pk]), HTTP_HX_REQUEST="true")
    assert 'aria-pressed="true"' in ticked.content.decode() and ticked["HX-Trigger"] == "attendance-changed"
    client.post(reverse("activities:tick", args=[registration.pk]), HTTP_HX_REQUEST="true")
    registration.refresh_from_db()
    assert not registration.attended


def test_a_double_tap_on_the_roll_call_ticks_once(client_for, weiyuan, huiyuan, me, activity):
    registration = registration_add(activity=activity, member=me, by=huiyuan)
    client = client_for(weiyuan)
    row = client.get(reverse("activities:checkin", args=[activity.pk])).content.decode()
    assert """hx-vals='{"attended": "1"}'""" in row  # what the button asks for, not "toggle"
    url = reverse("activities:tick", args=[registration.pk])
    for _tap in range(2):  # both sent before the first answer swapped the button
        answer = client.post(url, {"attended": "1"}, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="true"' in answer.content.decode()
    assert """hx-vals='{"attended": "0"}'""" in answer.content.decode()
    registration.refresh_from_db()
    assert registration.attended
    client.post(url, {"attended": "0"}, HTTP_HX_REQUEST="true")
    registration.refresh_from_db()
    assert not registration.attended


def test_a_walk_in_is_registered_and_checked_in_beyond_capacity(client_for, zhuxi, make_activity, member_factory):
    full = make_activity(capacity=1)
    registration_add(activity=full, member=member_factory("甲"), by=zhuxi)
    walker = member_factory("临时来的")
    client_for(zhuxi).post(reverse("activities:walk_in", args=[full.pk]), {"member": walker.pk})
    registration = full.registrations.get(member=walker)
    assert registration.walk_in and registration.attended and registration.status == RegistrationStatus.REGISTERED


def test_someone_waiting_who_came_is_checked_in(make_activity, member_factory, zhuxi):
    activity = make_activity(capacity=1)
    registration_add(activity=activity, member=member_factory("甲"), by=zhuxi)
    waiting = registration_add(activity=activity, member=member_factory("乙"), by=zhuxi)
    assert check_in(registration=waiting, by=zhuxi).status == RegistrationStatus.REGISTERED


def test_a_cancelled_registration_cannot_be_checked_in(make_activity, me, huiyuan, zhuxi):
    registration = registration_add(activity=make_activity(), member=me, by=huiyuan)
    registration_cancel(registration=registration, by=huiyuan)
    with pytest.raises(ActivityError, match="已取消"):
        check_in(registration=registration, by=zhuxi)


def test_officer_registers_a_member_found_by_pinyin(client_for, zhuxi, activity, member_factory):
    member_factory("欧阳娜娜", "g2", gender="F")
    client = client_for(zhuxi)
    found = client.get(reverse("activities:member_search", args=[activity.pk]), {"q": "oyn"}, HTTP_HX_REQUEST="true")
    assert "欧阳娜娜" in found.content.decode()
    member = activity.unit.members.model.objects.get(name="欧阳娜娜")
    response = client.post(
        reverse("activities:register_member", args=[activity.pk]), {"member": member.pk}, follow=True
    )
    assert "已为欧阳娜娜报名" in response.content.decode()
    assert activity.registrations.get(member=member).registered_by == zhuxi


def test_the_export_lists_registrations_in_a_sheet(client_for, zhuxi, activity, member_factory):
    for name in ("张三", "李四"):
        registration_add(activity=activity, member=member_factory(name), by=zhuxi)
    response = client_for(zhuxi).get(reverse("activities:export", args=[activity.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "教师节座谈会"
    assert rows[1][:4] == ("序号", "姓名", "单位", "状态")
    assert [r[1] for r in rows[2:]] == ["张三", "李四"]


def test_registration_and_checkin_pages_keep_bounded_queries(
    client_for, zhuxi, activity, member_factory, django_assert_max_num_queries
):
    for i in range(40):
        registration_add(activity=activity, member=member_factory(f"会员{i}", "g1" if i % 2 else "g2"), by=zhuxi)
    client = client_for(zhuxi)
    with django_assert_max_num_queries(12):
        assert "会员29" in client.get(reverse("activities:checkin", args=[activity.pk])).content.decode()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("activities:registrations", args=[activity.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("activities:export", args=[activity.pk])).status_code == 200


def test_the_export_command_writes_the_same_sheet(activity, member_factory, zhuxi, tmp_path):
    from django.core.management import call_command

    registration_add(activity=activity, member=member_factory("王五"), by=zhuxi)
    target = tmp_path / "list.xlsx"
    call_command("export_registrations", activity.pk, str(target))
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[2][1] == "王五"


def test_the_export_gives_registration_and_check_in_times_as_date_cells_on_the_local_clock(
    client_for, activity, member_factory, zhuxi
):
    registration = registration_add(activity=activity, member=member_factory("王五"), by=zhuxi)
    moment = timezone.make_aware(datetime.datetime(2027, 3, 5, 8, 30))
    type(registration).objects.filter(pk=registration.pk).update(created_at=moment, checked_in_at=moment)
    response = client_for(zhuxi).get(reverse("activities:export", args=[activity.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]][4:6] == ["报名时间", "签到时间"]
    for cell in (sheet["E3"], sheet["F3"]):
        assert cell.value == datetime.datetime(2027, 3, 5, 8, 30)
        assert cell.number_format == 'yyyy"年"m"月"d"日" hh:mm'
        assert sheet.column_dimensions[cell.column_letter].width >= 21  # 2027年12月25日 08:30 whole, not ########
    csv_text = client_for(zhuxi).get(reverse("activities:export", args=[activity.pk]), {"format": "csv"})
    assert "王五" in csv_text.content.decode(
        "utf-8-sig"
    ) and "2027-03-05 08:30,2027-03-05 08:30" in csv_text.content.decode("utf-8-sig")


def test_the_poster_carries_a_qr_code_of_the_activity(client_for, huiyuan, me, activity):
    client = client_for(huiyuan)
    page = client.get(reverse("activities:poster", args=[activity.pk])).content.decode()
    assert "扫码报名" in page and reverse("activities:poster_qr", args=[activity.pk]) in page
    svg = client.get(reverse("activities:poster_qr", args=[activity.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and b'xmlns="http://www.w3.org/2000/svg"' in svg.content


def test_the_poster_writes_the_closing_time_as_it_writes_the_activity_s(client_for, huiyuan, me, activity):
    activity.registration_closes_at = timezone.make_aware(datetime.datetime(2027, 3, 5, 17, 0))
    activity.save()
    page = client_for(huiyuan).get(reverse("activities:poster", args=[activity.pk])).content.decode()
    assert "2027年3月5日 17:00 截止报名" in page and "2027-03-05" not in page
