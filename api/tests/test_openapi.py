"""The published schema lists the refusals each operation can give, in the shapes the API really answers
with (api.openapi): a client generated from it knows the 401, 403, 404 and 422 as well as the 200.
The fuzz test (test_api_fuzz) checks every answer's status against the schema; these read as the
promise itself, with answers the personas get."""

import re

import pytest
from django.test import Client

from federation import services as federation_services
from plans import services as plan_services

SCHEMA_URL = "/api/v1/openapi.json"


@pytest.fixture
def schema(client, db):
    return client.get(SCHEMA_URL).json()


def answers(schema, method, path):
    return schema["paths"][f"/api/v1{path}"][method]["responses"]


def component(schema, answer):
    name = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    return schema["components"]["schemas"][name]


def follows(body, shape):
    """``body`` has what ``shape`` requires, of the types it names (enough for these two shapes)."""
    types = {"string": str, "array": list, "object": dict}
    return all(
        name in body and isinstance(body[name], types[shape["properties"][name]["type"]]) for name in shape["required"]
    )


def test_every_operation_lists_its_refusals_besides_what_it_declares(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            listed = set(operation["responses"])
            if operation.get("security"):
                assert "401" in listed, (method, path)
            if "{" in path or operation.get("requestBody"):
                assert "404" in listed, (method, path)
            if method == "post":
                assert {"403", "422"} <= listed, (method, path)
    # What an operation declares itself stays as it declared it: the 409 of a refused change.
    status = answers(schema, "post", "/plans/items/{item_id}/status")
    assert status["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    # The published disclosure needs no login, so it lists no 401.
    assert "401" not in answers(schema, "get", "/democracy/public/{code}/disclosure")


def test_a_refusal_the_chair_meets_has_the_shape_the_schema_gives(client_for, zhuxi, units, schema):
    chair = client_for(zhuxi)
    missing = chair.get("/api/v1/plans/plans/999999")
    assert missing.status_code == 404
    assert follows(missing.json(), component(schema, answers(schema, "get", "/plans/plans/{plan_id}")["404"]))

    wrong = chair.get("/api/v1/plans/plans", {"year": "next"})
    assert wrong.status_code == 422
    shape = component(schema, answers(schema, "get", "/plans/plans")["422"])
    assert follows(wrong.json(), shape)
    assert all(follows(entry, shape["properties"]["detail"]["items"]) for entry in wrong.json()["detail"])

    anonymous = Client().get("/api/v1/plans/plans")
    assert anonymous.status_code == 401
    assert follows(anonymous.json(), component(schema, answers(schema, "get", "/plans/plans")["401"]))


def test_a_read_token_writing_gets_the_listed_403(client, zhuxi, units, schema):
    plan = plan_services.plan_from_template(unit=units["school"], year=2027, template_key="school")
    plan_services.plan_publish(plan=plan)
    item = plan.items.first()
    _token, raw = federation_services.api_token_create(user=zhuxi, scope="read", name="报表")
    refused = client.post(
        f"/api/v1/plans/items/{item.pk}/status",
        {"status": "done"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert refused.status_code == 403
    listed = answers(schema, "post", "/plans/items/{item_id}/status")["403"]
    assert follows(refused.json(), component(schema, listed))


def test_the_schema_says_text_may_not_hold_a_nul_as_the_api_refuses_it(client_for, zhuxi, units, schema):
    # Found by fuzzing as a client would (schemathesis, positive data): a search ?q= or a proposal's title
    # with a NUL in it matched the published schema, yet the API refused it (422). Now the schema says so.
    def text_schema(path, method, name):
        operation = schema["paths"][f"/api/v1{path}"][method]
        for parameter in operation.get("parameters", []):
            if parameter["name"] == name:
                return parameter["schema"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        return schema["components"]["schemas"][body]["properties"][name]

    search = text_schema("/orgs/units", "get", "q")
    title = text_schema("/democracy/proposals", "post", "title")
    for declared in (search, title):
        assert re.fullmatch(declared["pattern"], "工会小组")
        assert not re.fullmatch(declared["pattern"], "工会\x00小组")

    refused = client_for(zhuxi).get("/api/v1/orgs/units", {"q": "工会\x00小组"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "q"]
    # A choice keeps its own list, not a pattern beside it.
    status = schema["components"]["schemas"]["ItemStatus"]
    assert "enum" in status and "pattern" not in status


def test_a_refusal_naming_a_parameter_with_a_nul_follows_its_published_shape(client_for, zhuxi, units, schema):
    # The 422 names the parameter as it was sent, so its shape does not forbid the NUL the input may not hold.
    refused = client_for(zhuxi).get("/api/v1/orgs/units", {"\x00q": "工会"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "\x00q"]
    shape = component(schema, answers(schema, "get", "/orgs/units")["422"])
    assert "pattern" not in shape["properties"]["detail"]["items"]["properties"]["loc"]["items"]["anyOf"][0]
