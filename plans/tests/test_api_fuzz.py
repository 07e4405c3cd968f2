"""The plans API fuzzed from its own OpenAPI schema: whatever arrives, no server error and no answer
that contradicts the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from plans import services

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(
    path_regex="^/api/v1/plans/"
)


@pytest.fixture
def session_cookie(transactional_db, client, zhuxi, units):
    # Committed rows: called as a WSGI app, Django closes its connection after each request,
    # which would end a test transaction on PostgreSQL.
    plan = services.plan_from_template(unit=units["school"], year=2027, template_key="school")
    services.plan_publish(plan=plan)
    client.force_login(zhuxi)
    client.get("/plans/")  # sets the CSRF cookie, so that writes are fuzzed too, not just refused
    return {name: client.cookies[name].value for name in ("sessionid", "csrftoken")}


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_plans_api_never_fails_on_any_input(case, session_cookie):
    # Error answers (401, 404, 422) are ninja's own and not listed in the schema; what must hold
    # is that nothing breaks and every answer given matches what the schema promises.
    case.call_and_validate(
        cookies=session_cookie,
        headers={"X-CSRFToken": session_cookie["csrftoken"]},
        checks=[not_a_server_error, response_schema_conformance],
    )
