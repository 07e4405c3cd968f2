"""The JSON API: the same rules as the pages."""

from activities.models import RegistrationStatus
from activities.services import registration_add


def test_a_member_lists_and_registers_through_the_api(client_for, huiyuan, me, make_activity, member_factory, zhuxi):
    activity = make_activity(capacity=1)
    client = client_for(huiyuan)
    listed = client.get("/api/v1/activities/activities").json()
    assert [a["id"] for a in listed["items"]] == [activity.pk]
    first = client.post(f"/api/v1/activities/activities/{activity.pk}/registration")
    again = client.post(f"/api/v1/activities/activities/{activity.pk}/registration")
    assert first.status_code == 200 and first.json()["status"] == RegistrationStatus.REGISTERED
    assert again.status_code == 409 and "无需重复报名" in again.json()["message"]


def test_the_api_reports_a_waiting_position_and_promotes_on_cancel(
    client_for, huiyuan, me, make_activity, member_factory, zhuxi
):
    activity = make_activity(capacity=1)
    holder = member_factory("甲")
    registration_add(activity=activity, member=holder, by=zhuxi)
    client = client_for(huiyuan)
    waiting = client.post(f"/api/v1/activities/activities/{activity.pk}/registration").json()
    assert waiting["status"] == "waiting" and waiting["waiting_position"] == 1
    cancelled = client.delete(f"/api/v1/activities/activities/{activity.pk}/registration").json()
    assert cancelled["status"] == "cancelled"


def test_only_officers_read_the_registration_list(client_for, huiyuan, me, zhuxi, make_activity):
    activity = make_activity()
    registration_add(activity=activity, member=me, by=huiyuan)
    assert client_for(huiyuan).get(f"/api/v1/activities/activities/{activity.pk}/registrations").status_code == 404
    listed = client_for(zhuxi).get(f"/api/v1/activities/activities/{activity.pk}/registrations").json()
    assert [r["name"] for r in listed["items"]] == ["周小红"]


def test_an_outsider_sees_no_activity(client_for, outsider, make_activity):
    activity = make_activity()
    assert client_for(outsider).get(f"/api/v1/activities/activities/{activity.pk}").status_code == 404
