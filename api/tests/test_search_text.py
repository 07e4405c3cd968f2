"""Text in an API query string that no database column can hold is the client's mistake: a NUL
character (which PostgreSQL refuses in any text) is answered 422 naming the parameter, as a NUL in a
body is, never 500 (core.middleware.NulRefusalMiddleware). Found by fuzzing the plans API on PostgreSQL."""

import pytest


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/plans/plans", "unit"),
        ("/api/v1/orgs/units", "q"),
    ],
)
def test_a_nul_in_search_text_is_a_422_naming_the_parameter(client_for, zhuxi, units, path, parameter):
    response = client_for(zhuxi).get(path, {parameter: "城关\x00镇"})
    assert response.status_code == 422, response.content[:300]
    [error] = response.json()["detail"]
    assert (error["type"], error["loc"]) == ("value_error", ["query", parameter]) and "空字符" in error["msg"]
    assert client_for(zhuxi).get(path, {parameter: "城关镇"}).status_code == 200
