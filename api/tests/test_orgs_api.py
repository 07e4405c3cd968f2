def test_units_endpoint_answers_only_what_the_user_may_see(client_for, zhuxi, units):
    response = client_for(zhuxi).get("/api/v1/orgs/units")
    assert response.status_code == 200
    codes = {u["code"] for u in response.json()["items"]}
    assert codes == {"demo-school", "demo-school-g1", "demo-school-g2"}


def test_another_units_record_is_404(client_for, zhuxi, units):
    assert client_for(zhuxi).get("/api/v1/orgs/units/demo-office").status_code == 404
    assert client_for(zhuxi).get("/api/v1/orgs/units/demo-school-g1").json()["name"] == "东关完小工会小组"


def test_anonymous_is_refused(client, units):
    assert client.get("/api/v1/orgs/units").status_code == 401


def test_openapi_schema_is_published(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Gonghui API"
    assert "/api/v1/orgs/units" in schema["paths"]


def test_a_page_larger_than_the_cap_is_refused_not_loaded(client_for, zhuxi, units):
    response = client_for(zhuxi).get("/api/v1/orgs/units?limit=1000000000000")
    assert response.status_code == 422
    assert client_for(zhuxi).get("/api/v1/orgs/units?limit=200").status_code == 200
