"""What the activity form refuses beside the field, keeping what was typed: a start whose year is a slip
(decades back or ahead), an end more than a year after it, and a capacity of 0. Officers record held
activities after the fact, so this year's and last year's days stay open."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity


def _typed(day, hour="09:00"):
    return f"{day:%Y-%m-%d}T{hour}"


def _post_new(client, units, **fields):
    data = {"title": "教职工拔河比赛", "kind": "sports", "unit": units["school"].pk, "audience": "all", "publish": "1"}
    return client.post(reverse("activities:create"), {**data, **fields})


def _error_beside(response, field):
    """The messages shown under ``field`` (includes/form_fields.html), as the page shows them."""
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    return response.context["form"].errors[field]


def test_a_start_decades_ago_is_refused_beside_the_field_and_nothing_is_saved(client_for, zhuxi, units):
    earliest = datetime.date(timezone.localdate().year - 1, 1, 1)
    response = _post_new(client_for(zhuxi), units, starts_at="1962-05-02T10:00")
    assert _error_beside(response, "starts_at") == [
        f"开始时间早于{earliest.year}年1月1日，请核对年份（此前举办的活动不再补录）。"
    ]
    assert 'value="1962-05-02T10:00"' in response.content.decode()
    assert not Activity.objects.exists()


def test_a_start_centuries_ahead_is_refused_beside_the_field_and_nothing_is_saved(client_for, zhuxi, units):
    today = timezone.localdate()
    latest = today.replace(year=today.year + 2) if (today.month, today.day) != (2, 29) else today.replace(day=28)
    response = _post_new(client_for(zhuxi), units, starts_at="2262-05-02T10:00")
    assert _error_beside(response, "starts_at") == [
        f"开始时间晚于{latest.year}年{latest.month}月{latest.day}日，请核对年份（活动最多提前两年安排）。"
    ]
    assert 'value="2262-05-02T10:00"' in response.content.decode()
    assert not Activity.objects.exists()


def test_an_activity_held_last_january_can_still_be_recorded_after_the_fact(client_for, zhuxi, units):
    last_january = datetime.date(timezone.localdate().year - 1, 1, 1)
    response = _post_new(client_for(zhuxi), units, starts_at=_typed(last_january))
    assert response.status_code == 302
    assert timezone.localdate(Activity.objects.get().starts_at) == last_january


def test_an_activity_planned_up_to_two_years_ahead_is_taken(client_for, zhuxi, units):
    ahead = timezone.localdate() + datetime.timedelta(days=365 * 2 - 1)
    response = _post_new(client_for(zhuxi), units, starts_at=_typed(ahead))
    assert response.status_code == 302 and Activity.objects.get().status == "open"


def test_the_day_before_last_year_is_refused(client_for, zhuxi, units):
    day = datetime.date(timezone.localdate().year - 1, 1, 1) - datetime.timedelta(days=1)
    response = _post_new(client_for(zhuxi), units, starts_at=_typed(day))
    assert _error_beside(response, "starts_at") and not Activity.objects.exists()


def test_moving_an_activity_decades_back_is_refused_and_its_start_kept(client_for, zhuxi, make_activity):
    activity = make_activity()
    response = client_for(zhuxi).post(
        reverse("activities:edit", args=[activity.pk]),
        {
            "title": activity.title,
            "kind": activity.kind,
            "unit": activity.unit_id,
            "audience": "all",
            "starts_at": "1926-05-02T10:00",
        },
    )
    assert "请核对年份" in _error_beside(response, "starts_at")[0]
    assert Activity.objects.get(pk=activity.pk).starts_at == activity.starts_at


def test_an_activity_open_since_before_the_window_can_still_have_its_place_corrected(client_for, zhuxi, make_activity):
    """The window is for a start typed now: one stored before it is not a reason to refuse another field."""
    long_ago = timezone.now() - datetime.timedelta(days=800)
    activity = make_activity(starts_at=long_ago)
    response = client_for(zhuxi).post(
        reverse("activities:edit", args=[activity.pk]),
        {
            "title": activity.title,
            "kind": activity.kind,
            "unit": activity.unit_id,
            "audience": "all",
            "starts_at": timezone.localtime(long_ago).strftime("%Y-%m-%dT%H:%M"),
            "place": "学校操场",
        },
    )
    assert response.status_code == 302
    assert Activity.objects.get(pk=activity.pk).place == "学校操场"


def test_an_end_more_than_a_year_after_the_start_is_refused_beside_the_field(client_for, zhuxi, units):
    starts = timezone.localdate() + datetime.timedelta(days=7)
    ends = datetime.date(starts.year + 300, 1, 1)
    response = _post_new(client_for(zhuxi), units, starts_at=_typed(starts), ends_at=_typed(ends, "17:00"))
    assert _error_beside(response, "ends_at") == ["结束时间比开始时间晚一年以上，请核对年份。"]
    assert f'value="{_typed(ends, "17:00")}"' in response.content.decode()
    assert not Activity.objects.exists()


def test_an_end_before_the_start_is_refused_beside_the_field(client_for, zhuxi, units):
    starts = timezone.localdate() + datetime.timedelta(days=7)
    response = _post_new(client_for(zhuxi), units, starts_at=_typed(starts), ends_at=_typed(starts, "08:00"))
    assert _error_beside(response, "ends_at") == ["结束时间早于开始时间。"]
    assert not Activity.objects.exists()


def test_a_year_long_campaign_is_taken(client_for, zhuxi, units):
    starts = datetime.date(timezone.localdate().year + 1, 1, 1)
    response = _post_new(
        client_for(zhuxi), units, starts_at=_typed(starts), ends_at=_typed(datetime.date(starts.year, 12, 31), "18:00")
    )
    assert response.status_code == 302 and Activity.objects.exists()


def test_a_capacity_of_0_is_refused_beside_the_field_and_nothing_is_saved(client_for, zhuxi, units):
    starts = timezone.localdate() + datetime.timedelta(days=7)
    response = _post_new(client_for(zhuxi), units, starts_at=_typed(starts), capacity="0")
    assert _error_beside(response, "capacity") == ["名额至少为 1；不限名额请留空。"]
    assert 'name="capacity" value="0"' in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize("capacity, stored", [("1", 1), ("", None)])
def test_a_capacity_of_1_or_none_for_no_limit_is_taken(client_for, zhuxi, units, capacity, stored):
    starts = timezone.localdate() + datetime.timedelta(days=7)
    response = _post_new(client_for(zhuxi), units, starts_at=_typed(starts), capacity=capacity)
    assert response.status_code == 302 and Activity.objects.get().capacity == stored


def test_lowering_the_capacity_to_0_on_an_edit_is_refused(client_for, zhuxi, make_activity):
    activity = make_activity(capacity=30)
    response = client_for(zhuxi).post(
        reverse("activities:edit", args=[activity.pk]),
        {
            "title": activity.title,
            "kind": activity.kind,
            "unit": activity.unit_id,
            "audience": "all",
            "starts_at": timezone.localtime(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "0",
        },
    )
    assert _error_beside(response, "capacity") == ["名额至少为 1；不限名额请留空。"]
    assert Activity.objects.get(pk=activity.pk).capacity == 30


def test_the_rules_are_the_models_so_every_writer_that_cleans_applies_them(make_activity):
    """The JSON API creates no activities (it lists and registers); a writer that ever does, cleaning
    the record as the form does, is refused the same."""
    from django.core.exceptions import ValidationError

    activity = Activity(
        unit=make_activity().unit,
        title="百年校庆",
        starts_at=timezone.make_aware(datetime.datetime(1926, 5, 2, 10)),
        capacity=0,
    )
    with pytest.raises(ValidationError) as refused:
        activity.full_clean()
    assert {"starts_at", "capacity"} <= set(refused.value.message_dict)
