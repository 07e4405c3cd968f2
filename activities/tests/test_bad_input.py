"""Bad values in a query string, a form or an API call are the client's mistake: a Chinese 400 page or a
422 naming the parameter, never a 500 (as ``?root=abc`` and ``offset=2**63`` used to be)."""

import pytest
from django.urls import reverse

HUGE = str(2**63)


def test_a_unit_tree_with_a_malformed_root_is_a_400_page(client_for, zhuxi):
    for root in ("abc", "-1", HUGE, "１２"):
        response = client_for(zhuxi).get(reverse("orgs:tree"), {"root": root})
        assert response.status_code == 400
        assert "请求有误" in response.content.decode()


def test_a_new_activity_for_a_malformed_plan_item_is_a_400_page(client_for, zhuxi):
    response = client_for(zhuxi).get(reverse("activities:create"), {"item": "abc"})
    assert response.status_code == 400 and "请求有误" in response.content.decode()


@pytest.mark.parametrize("view", ["activities:register_member", "activities:walk_in"])
def test_registering_a_malformed_member_is_a_400_page(client_for, zhuxi, make_activity, view):
    activity = make_activity()
    for member in ("abc", HUGE):
        response = client_for(zhuxi).post(reverse(view, args=[activity.pk]), {"member": member})
        assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/orgs/units?offset={HUGE}",
        f"/api/v1/activities/activities?offset={HUGE}",
        "/api/v1/activities/activities?limit=100000",
        f"/api/v1/activities/activities/{HUGE}",
        f"/api/v1/activities/activities/{HUGE}/registrations",
        f"/api/v1/plans/plans/{HUGE}",
        "/api/v1/orgs/units?q=" + "长" * 101,
    ],
)
def test_the_api_refuses_values_the_database_cannot_hold(client_for, zhuxi, url):
    response = client_for(zhuxi).get(url)
    assert response.status_code == 422, response.content


def test_an_item_note_longer_than_its_column_is_refused_by_the_api(client_for, zhuxi):
    response = client_for(zhuxi).post(
        "/api/v1/plans/items/1/status", {"status": "done", "note": "很" * 201}, content_type="application/json"
    )
    assert response.status_code == 422


def test_a_negative_budget_is_refused_beside_the_field(client_for, zhuxi, units):
    from activities.models import Activity

    response = client_for(zhuxi).post(
        reverse("activities:create"),
        {"unit": units["school"].pk, "title": "教职工拔河比赛", "starts_at": "2027-05-02T10:00", "budget": "-100"},
    )
    assert response.status_code == 200 and response.context["form"].errors["budget"]
    assert 'value="-100"' in response.content.decode() and not Activity.objects.exists()
