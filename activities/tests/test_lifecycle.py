"""An activity's life after it is held or cancelled: no edit, no step and no check-in brings it back,
even from a page (or a form) read before it changed; the pages stop offering what would be refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Activity, RegistrationStatus, Status
from activities.services import ActivityError, registration_add


def _edit_form(activity, **changes):
    return {
        "title": activity.title,
        "kind": activity.kind,
        "unit": activity.unit_id,
        "starts_at": timezone.localtime(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "audience": "all",
        **changes,
    }


def test_an_edit_read_before_the_activity_was_cancelled_does_not_reopen_it(make_activity, zhuxi):
    activity = make_activity(capacity=30)
    form_copy = Activity.objects.get(pk=activity.pk)  # the edit form's instance, read while open
    services.activity_cancel(activity=activity, by=zhuxi)
    form_copy.capacity = 40
    with pytest.raises(ActivityError, match="已举办或已取消的活动不能再修改"):
        services.activity_update(activity=form_copy)
    activity.refresh_from_db()
    assert (activity.status, activity.capacity) == (Status.CANCELLED, 30)


def test_an_edit_read_before_the_activity_was_recorded_as_held_does_not_undo_it(make_activity, zhuxi):
    activity = make_activity(starts_at=timezone.now() - datetime.timedelta(hours=2))
    form_copy = Activity.objects.get(pk=activity.pk)
    services.activity_record_held(activity=activity, by=zhuxi, participant_times=30)
    with pytest.raises(ActivityError):
        services.activity_update(activity=form_copy)
    activity.refresh_from_db()
    assert activity.status == Status.HELD and activity.participant_times == 30


def test_an_edit_keeps_the_status_the_activity_has_now(make_activity):
    activity = make_activity()
    form_copy = Activity.objects.get(pk=activity.pk)
    Activity.objects.filter(pk=activity.pk).update(status=Status.CLOSED)  # registration closed meanwhile
    form_copy.place = "学校操场"
    services.activity_update(activity=form_copy)
    activity.refresh_from_db()
    assert (activity.status, activity.place) == (Status.CLOSED, "学校操场")


def test_a_reopen_from_a_page_read_before_the_cancellation_is_refused(make_activity, zhuxi):
    activity = make_activity(status=Status.CLOSED)
    page_copy = Activity.objects.get(pk=activity.pk)  # the page still offers 重新开放报名
    services.activity_cancel(activity=activity, by=zhuxi)
    with pytest.raises(ActivityError, match="当前状态下不能这样操作"):
        services.activity_step(activity=page_copy, action="reopen")
    activity.refresh_from_db()
    assert activity.status == Status.CANCELLED


def test_the_edit_page_of_a_cancelled_activity_says_why_it_saves_nothing(client_for, zhuxi, make_activity):
    activity = make_activity()
    services.activity_cancel(activity=activity, by=zhuxi)
    response = client_for(zhuxi).post(
        reverse("activities:edit", args=[activity.pk]), _edit_form(activity, title="改名"), follow=True
    )
    assert "已举办或已取消的活动不能再修改。" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == Status.CANCELLED and activity.title != "改名"


def test_nobody_is_checked_in_at_a_cancelled_activity(client_for, make_activity, me, huiyuan, zhuxi):
    activity = make_activity()
    registration = registration_add(activity=activity, member=me, by=huiyuan)
    services.activity_cancel(activity=activity, by=zhuxi)
    with pytest.raises(ActivityError, match="活动未发布或已取消，不能签到"):
        services.check_in(registration=registration, by=zhuxi)
    client = client_for(zhuxi)
    scanned = client.post(
        reverse("activities:checkin_code", args=[registration.token]),
        {"activity": activity.pk},
        HTTP_ACCEPT="application/json",
    )
    assert scanned.status_code == 409 and scanned.json()["message"] == "活动未发布或已取消，不能签到。"
    ticked = client.post(reverse("activities:tick", args=[registration.pk]), HTTP_HX_REQUEST="true")
    assert "活动未发布或已取消，不能签到。" in ticked.content.decode()
    registration.refresh_from_db()
    assert not registration.attended and registration.status == RegistrationStatus.REGISTERED


@pytest.mark.parametrize("finish", ["held", "cancelled"])
def test_the_registration_list_of_a_finished_activity_offers_no_registering_or_cancelling(
    client_for, make_activity, me, huiyuan, zhuxi, finish
):
    activity = make_activity(starts_at=timezone.now() - datetime.timedelta(hours=2))
    registration_add(activity=activity, member=me, by=huiyuan)
    client = client_for(zhuxi)
    url = reverse("activities:registrations", args=[activity.pk])
    page = client.get(url).content.decode()
    assert "代会员报名" in page and "取消报名" in page
    if finish == "held":
        services.activity_record_held(activity=activity, by=zhuxi, participant_times=1)
    else:
        services.activity_cancel(activity=activity, by=zhuxi)
    page = client.get(url).content.decode()
    assert "周小红" in page
    assert "代会员报名" not in page and reverse("activities:member_search", args=[activity.pk]) not in page
    assert "取消报名" not in page


def test_a_member_registered_for_a_cancelled_activity_is_offered_no_check_in_code(
    client_for, make_activity, me, huiyuan, zhuxi
):
    activity = make_activity()
    registration_add(activity=activity, member=me, by=huiyuan)
    client = client_for(huiyuan)
    qr = reverse("activities:my_qr", args=[activity.pk])
    assert qr in client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert qr in client.get(reverse("activities:mine")).content.decode()
    services.activity_cancel(activity=activity, by=zhuxi)
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "活动已取消。" in page and qr not in page and "活动当天请出示签到二维码" not in page
    assert qr not in client.get(reverse("activities:mine")).content.decode()
