import datetime

import pytest

from plans import services
from plans.models import ItemStatus

TODAY = datetime.date(2027, 5, 10)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def plan(units):
    plan = services.plan_from_template(unit=units["school"], year=2027, template_key="school")
    plan.items.filter(text__contains="趣味运动会").update(unit=units["g1"])
    services.plan_publish(plan=plan)
    return plan


def test_plans_list_answers_only_visible_plans(client_for, zhuxi, units, plan, django_assert_max_num_queries):
    services.plan_create_blank(unit=units["office"], year=2027, title="机关计划")
    for year in range(2010, 2030):
        if year != 2027:
            services.plan_create_blank(unit=units["g1"], year=year, title=f"小组{year}")
    client = client_for(zhuxi)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/plans/plans?limit=50")
    body = response.json()
    assert body["count"] == 20
    assert "机关计划" not in {p["title"] for p in body["items"]}
    first = client.get("/api/v1/plans/plans?year=2027").json()["items"]
    assert first == [
        {
            "id": plan.pk,
            "unit_code": "demo-school",
            "unit_name": "城关镇中心学校工会",
            "year": 2027,
            "title": plan.title,
            "status": "published",
            "items_planned": plan.items.count(),
            "items_done": 0,
        }
    ]


def test_a_plan_comes_with_sections_targets_and_items(client_for, xianzong, plan):
    body = client_for(xianzong).get(f"/api/v1/plans/plans/{plan.pk}").json()
    assert body["sections"][0] == {
        "number": "二、",  # as in the page and the Word document, after 一、指导思想
        "level": 1,
        "heading": "工作目标",
        "body": body["sections"][0]["body"],
    }
    assert len(body["targets"]) == plan.targets.count()
    assert {t["state"] for t in body["targets"]} <= {"achieved", "on_track", "at_risk", "no_data", "not_started"}
    sports = next(i for i in body["items"] if "趣味运动会" in i["text"])
    assert sports["unit_code"] == "demo-school-g1" and sports["overdue"] is True and sports["month"] == 4


def test_another_units_plan_is_404(client_for, outsider, xiaozu, plan):
    assert client_for(outsider).get(f"/api/v1/plans/plans/{plan.pk}").status_code == 404
    assert client_for(xiaozu).get(f"/api/v1/plans/plans/{plan.pk}").status_code == 404


def test_group_leader_updates_an_assigned_item(client_for, xiaozu, plan):
    sports = plan.items.get(text__contains="趣味运动会")
    response = client_for(xiaozu).post(
        f"/api/v1/plans/items/{sports.pk}/status", {"status": "done", "note": "已举办"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done" and response.json()["overdue"] is False
    sports.refresh_from_db()
    assert sports.status == ItemStatus.DONE and sports.note == "已举办"


def test_item_update_refuses_what_the_user_may_not_touch(client_for, xiaozu, xianzong, plan):
    own = plan.items.get(text__contains="召开教职工代表大会")
    sports = plan.items.get(text__contains="趣味运动会")
    url = "/api/v1/plans/items/{}/status"
    assert (
        client_for(xiaozu).post(url.format(own.pk), {"status": "done"}, content_type="application/json").status_code
        == 404
    )
    assert (
        client_for(xianzong)
        .post(url.format(sports.pk), {"status": "done"}, content_type="application/json")
        .status_code
        == 404
    )


def test_item_update_explains_a_bad_postponement(client_for, zhuxi, plan):
    sports = plan.items.get(text__contains="趣味运动会")
    response = client_for(zhuxi).post(
        f"/api/v1/plans/items/{sports.pk}/status",
        {"status": "postponed", "postponed_to": 3},
        content_type="application/json",
    )
    assert response.status_code == 409  # the API's refusal (api.schemas.Error), led by the field it concerns
    message = response.json()["message"]
    assert message.startswith("延期至：") and "晚于原定的4月" in message
    bad = client_for(zhuxi).post(
        f"/api/v1/plans/items/{sports.pk}/status", {"status": "finished"}, content_type="application/json"
    )
    assert bad.status_code == 422  # not one of the statuses: the schema's own error


def test_anonymous_is_refused(client, plan):
    assert client.get("/api/v1/plans/plans").status_code == 401


def test_openapi_lists_the_plans_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/plans/plans", "/api/v1/plans/plans/{plan_id}", "/api/v1/plans/items/{item_id}/status"} <= set(
        paths
    )


@pytest.mark.parametrize("query", ["limit=335410161289258424336384", "offset=99999999999999999999999", "limit=0"])
def test_page_bounds_are_checked_before_the_database(client_for, zhuxi, plan, query):
    assert client_for(zhuxi).get(f"/api/v1/plans/plans?{query}").status_code == 422


def test_a_recurring_item_says_how_many_months_are_done(client_for, zhuxi, plan):
    monthly = plan.items.filter(recurring=True).first()
    monthly.mark_done(by=zhuxi, month=3)
    body = client_for(zhuxi).get(f"/api/v1/plans/plans/{plan.pk}").json()
    found = next(i for i in body["items"] if i["id"] == monthly.pk)
    assert (found["recurring"], found["months_done"], found["months_due"]) == (True, 1, 12)


def test_a_monthly_item_is_closed_for_the_year_through_the_api(client_for, zhuxi, plan):
    monthly = plan.items.filter(recurring=True, month=0).first()
    url = f"/api/v1/plans/items/{monthly.pk}/status"
    turn = client_for(zhuxi).post(url, {"status": "done"}, content_type="application/json").json()
    assert (turn["status"], turn["months_done"]) == (ItemStatus.IN_PROGRESS, 1)  # May's turn
    whole = client_for(zhuxi).post(url, {"status": "done", "whole": True}, content_type="application/json").json()
    assert (whole["status"], whole["months_done"]) == (ItemStatus.DONE, 1)


def test_a_note_holding_a_nul_character_is_a_422_naming_the_field_and_nothing_is_written(client_for, xiaozu, plan):
    # PostgreSQL refuses a NUL in any text: unchecked, this was a server error there (core.params.Text).
    sports = plan.items.get(text__contains="趣味运动会")
    response = client_for(xiaozu).post(
        f"/api/v1/plans/items/{sports.pk}/status",
        {"status": "done", "note": "已\x00举办"},
        content_type="application/json",
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "note" and "空字符" in error["msg"]
    sports.refresh_from_db()
    assert sports.status != ItemStatus.DONE


def test_a_note_holding_other_control_characters_is_written_without_them(client_for, xiaozu, plan):
    # As the forms do (core.forms): a bell or an escape pasted in is dropped, Word's line break is a line feed.
    sports = plan.items.get(text__contains="趣味运动会")
    response = client_for(xiaozu).post(
        f"/api/v1/plans/items/{sports.pk}/status",
        {"status": "done", "note": "已\x07举办\x0b共 60 人\x1b"},
        content_type="application/json",
    )
    assert response.status_code == 200
    sports.refresh_from_db()
    assert sports.note == "已举办\n共 60 人"
