"""Every JSON API operation fuzzed from the published OpenAPI schema, as a site administrator (who
passes every access check, so that what arrives reaches the code behind it) with a published plan to
read: whatever arrives, no server error and no answer that contradicts the schema. It found a NUL in
the plans API's ?unit=, the finance API's ?year=200000 and unbounded path ids (500s), and the care
API's refusals in another shape than its schema said."""

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from plans import services

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def session_cookie(transactional_db, client, units):
    # Committed rows: called as a WSGI app, Django closes its connection after each request,
    # which would end a test transaction on PostgreSQL.
    plan = services.plan_from_template(unit=units["school"], year=2027, template_key="school")
    services.plan_publish(plan=plan)
    admin = get_user_model().objects.create_superuser("fuzz-admin", password="x")
    client.force_login(admin)
    client.get("/")  # sets the CSRF cookie, so that writes are fuzzed too, not just refused
    return {name: client.cookies[name].value for name in ("sessionid", "csrftoken")}


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_on_any_input(case, session_cookie):
    # Nothing breaks, every answer's status is one the schema lists for the operation (its refusals
    # included, api.openapi), and its body is what the schema promises for that status.
    case.call_and_validate(
        cookies=session_cookie,
        headers={"X-CSRFToken": session_cookie["csrftoken"]},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
