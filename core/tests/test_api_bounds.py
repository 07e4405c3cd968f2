"""Every list of the JSON API refuses a page offset or limit the database cannot take (422, not 500),
and every id in a path is bounded the same way: found from the published OpenAPI schema, so an
endpoint added later is covered too."""

import re

import pytest

HUGE = 2**63


@pytest.fixture
def schema(client, db):
    return client.get("/api/v1/openapi.json").json()


def _get_endpoints(schema):
    for path, operations in schema["paths"].items():
        if "get" in operations:
            yield path, operations["get"]


def test_every_list_refuses_an_offset_past_64_bits(schema, client_for, zhuxi):
    client = client_for(zhuxi)
    lists = [
        path
        for path, operation in _get_endpoints(schema)
        if any(p["name"] == "offset" for p in operation.get("parameters", [])) and "{" not in path
    ]
    assert len(lists) >= 3
    for path in lists:
        for query in (f"offset={HUGE}", "limit=100000"):
            response = client.get(f"{path}?{query}")
            assert response.status_code == 422, f"{path}?{query}: {response.status_code}"


def test_every_id_in_a_path_is_bounded(schema, client_for, zhuxi):
    client = client_for(zhuxi)
    for path, operation in _get_endpoints(schema):
        ints = [
            p["name"]
            for p in operation.get("parameters", [])
            if p["in"] == "path" and p.get("schema", {}).get("type") == "integer"
        ]
        if not ints:
            continue
        url = re.sub(r"\{[^}]+\}", lambda m, ints=ints: str(HUGE) if m[0][1:-1] in ints else "x", path)
        response = client.get(url)
        assert response.status_code in (404, 422), f"{url}: {response.status_code}"


def _unbounded(prop, components):
    """Why a request property's text is unbounded, or None."""
    if "$ref" in prop:
        return None  # an enum or a nested schema, checked on its own
    options = prop.get("anyOf", [])
    if any(option.get("type") == "number" for option in options):
        return None  # a decimal, which may come as a string; its digits are bounded by the schema's own check
    for option in options:
        reason = _unbounded(option, components)
        if reason:
            return reason
    if prop.get("type") == "string" and not ({"maxLength", "enum", "format", "pattern"} & prop.keys()):
        return "text without maxLength"
    if prop.get("type") == "array":
        if "maxItems" not in prop:
            return "list without maxItems"
        return _unbounded(prop.get("items", {}), components)
    if prop.get("type") == "object" and "additionalProperties" in prop:
        if "maxProperties" not in prop:
            return "mapping without maxProperties"
        return _unbounded(prop["additionalProperties"], components)
    return None


def test_every_text_an_api_client_sends_is_bounded(schema):
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            name = body.get("$ref", "").rsplit("/", 1)[-1]
            for field, prop in components.get(name, {}).get("properties", {}).items():
                reason = _unbounded(prop, components)
                if reason:
                    found.append(f"{method.upper()} {path} {field}: {reason}")
            for param in operation.get("parameters", []):
                if param["in"] == "query" and _unbounded(param.get("schema", {}), components):
                    found.append(f"{method.upper()} {path} ?{param['name']}: {_unbounded(param['schema'], components)}")
    assert found == [], "\n".join(found)
