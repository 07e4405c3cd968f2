"""The federation's JSON API, read by another system with a token."""

from django.test import Client

from federation import services
from federation.services import api_token_create


def bearer(user):
    _token, raw = api_token_create(user=user, scope="read", name="county system")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_county_system_reads_calls_states_and_report_figures(report_call, units, zhuxi, xianzong):
    members, women = report_call.fields.all()
    services.report_submit(call=report_call, unit=units["school"], values={members.key: "4", women.key: "2"}, by=zhuxi)
    client = bearer(xianzong)
    calls = client.get("/api/v1/federation/calls").json()["items"]
    assert [(c["title"], c["unit_code"]) for c in calls] == [("基层工会统计年报", "demo-county")]
    states = client.get(f"/api/v1/federation/calls/{report_call.pk}/states").json()
    assert {s["unit_code"]: s["state"] for s in states} == {"demo-school": "filed", "demo-office": "not_started"}
    report = client.get(f"/api/v1/federation/calls/{report_call.pk}/report").json()
    assert report["fields"] == ["会员人数", "女职工人数"]
    assert report["rows"][0] == {
        "unit_code": "demo-school",
        "unit_name": "城关镇中心学校工会",
        "state": "filed",
        "values": {"会员人数": "4", "女职工人数": "2"},
    }
    assert report["total"] == {"会员人数": "4", "女职工人数": "2"}


def test_a_union_reads_its_to_do_list_but_not_the_countys_calls(report_call, zhuxi):
    client = bearer(zhuxi)
    assert client.get("/api/v1/federation/calls").json()["items"] == []
    assert client.get(f"/api/v1/federation/calls/{report_call.pk}/report").status_code == 404
    todos = client.get("/api/v1/federation/todo").json()
    assert [t["kind"] for t in todos] == ["federation.report.due"]
