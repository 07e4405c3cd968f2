"""The API's refusals speak as the product does: Chinese by default, English when the user chose it, and
never the name of one of our models."""

import pytest
from django.conf import settings


def test_a_schema_error_keeps_ninjas_shape_and_says_what_is_wrong_in_chinese(client_for, zhuxi, units):
    response = client_for(zhuxi).get("/api/v1/plans/plans?year=abc&limit=0")
    assert response.status_code == 422
    said = {tuple(e["loc"]): (e["type"], e["msg"]) for e in response.json()["detail"]}
    assert said == {
        ("query", "year"): ("int_parsing", "应为整数。"),
        ("query", "limit"): ("greater_than_equal", "应不小于1。"),
    }


def test_our_own_validators_are_not_prefixed_by_pydantic(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        "/api/v1/plans/items/1/status", {"status": "done", "note": "a\x00b"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert [e["msg"] for e in response.json()["detail"]] == ["不能含有空字符（\\u0000）。"]


def test_the_english_ui_gets_english_refusals(client_for, zhuxi, units):
    client = client_for(zhuxi)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/api/v1/activities/activities?status=bogus")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "status"] and error["msg"].startswith("Must be one of: ")
    assert client.get("/api/v1/plans/plans/999999").json() == {"detail": "No such record, or you may not see it."}


@pytest.mark.parametrize(
    ("url", "body"),
    [("/api/v1/plans/plans/999999", None), ("/api/v1/plans/items/999999/status", {"status": "done"})],
)
def test_a_missing_record_is_not_named(client_for, zhuxi, units, settings, url, body):
    settings.DEBUG = True  # where ninja would say "No ScheduleItem matches the given query."
    client = client_for(zhuxi)
    response = client.get(url) if body is None else client.post(url, body, content_type="application/json")
    assert response.status_code == 404 and response.json() == {"detail": "找不到这条记录，或您无权查看。"}


def test_anonymous_and_unreadable_bodies_are_told_what_to_do(client, client_for, zhuxi, units):
    assert "访问令牌" in client.get("/api/v1/orgs/units").json()["detail"]
    garbled = client_for(zhuxi).post("/api/v1/plans/items/1/status", "{not json", content_type="application/json")
    assert garbled.status_code == 400 and garbled.json() == {"detail": "请求正文不是有效的 JSON。"}


def test_every_list_takes_pages_of_up_to_200(client_for, zhuxi, units):
    client = client_for(zhuxi)
    for url in ("/api/v1/plans/plans", "/api/v1/activities/activities", "/api/v1/orgs/units"):
        assert client.get(f"{url}?limit=200").status_code == 200, url
        assert client.get(f"{url}?limit=201").status_code == 422, url


def test_a_one_line_value_keeps_no_line_breaks_and_no_bidi_overrides():
    from pydantic import TypeAdapter

    from core.params import Line, Text

    assert TypeAdapter(Line(100)).validate_python(" 第一行\r\n第二行\t\u202e反向 ") == "第一行 第二行 反向"
    assert TypeAdapter(Text(100)).validate_python("第一行\r\n第二行\u202e") == "第一行\r\n第二行"


@pytest.mark.parametrize(
    ("url", "known"),
    [
        ("/api/v1/activities/activities", "held"),
        ("/api/v1/democracy/proposals", "submitted"),
        ("/api/v1/safety/hazards/", "open"),
    ],
)
def test_an_unknown_status_filter_is_refused_alike_everywhere(client_for, zhuxi, units, url, known):
    client = client_for(zhuxi)
    assert client.get(url, {"status": known}).status_code == 200
    refused = client.get(url, {"status": "bogus"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["query", "status"]
