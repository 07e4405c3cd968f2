"""Every form the school chair is offered, sent as someone who may not act there. The demo county is
walked as the chair (zhuxi), following the product's own links; each POST form found is filled as she
would fill it and sent three times, each in a transaction rolled back afterwards: by the chair, by a
member of her school (huiyuan) and by the chair of another school of the county. What the chair sends
changes records; what the other two send changes none of the central school's, except the member's own
things (her consents, notifications, tokens, registrations). The access rule of ARCHITECTURE.md
decides what a person sees; this checks that every write goes through it too, so that a view which
forgets it (a bare get_object_or_404, a unit taken from the form) is caught."""

import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from core.tests.walking import walk
from orgs.models import OrgUnit, Role, RoleAssignment

WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"(\w+)"', re.IGNORECASE)
# What any signed-in request may write: the session, the sign-in guard's records, the last login.
BOOKKEEPING = {"django_session", "accounts_user", "axes_accessattempt", "axes_accesslog", "core_accesslog"}
# A member's own things, which she changes from the same forms as the chair.
MEMBERS_OWN = {
    "portal:consent",
    "federation:notifications",
    "federation:tokens",
    "accounts:large_text",
    "accounts:password_change",
    "activities:register",
    "democracy:opinions",
    "democracy:suggestion_create",
}
# A value for an empty field the chair would have to fill, by its input type.
TYPED = {
    "date": "2026-12-10",
    "datetime-local": "2026-12-10T09:00",
    "time": "09:00",
    "number": "1",
    "tel": "13800000000",
}


def _filled(form):
    """The form's values as shown, with each empty required field filled in and its first named button
    pressed (承办, 通过 ...)."""
    data = {}
    for name, value in form.form_values():
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value)
    for button in form.iter("button", "input"):
        if button.get("name") and (button.get("type") or "submit").lower() == "submit":
            data.setdefault(button.get("name"), [button.get("value") or ""])
            break
    for element in form.inputs:
        name = element.get("name")
        if name and element.get("required") is not None and not "".join(data.get(name, [])).strip():
            kind = (element.get("type") or "text").lower() if element.tag == "input" else element.tag
            if kind not in ("checkbox", "radio", "file", "select"):
                data[name] = [TYPED.get(kind, "测试")]
    return data


def _rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}"')  # a table the ORM itself wrote to
        rows = sorted(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)) for row in cursor)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def _changes(client, action, data):
    """The tables whose rows the POST changed (not only wrote to: an UPDATE or DELETE that matches no row
    changes nothing), undone afterwards."""
    connection.queries_log.clear()  # CaptureQueriesContext sees nothing once the log is full
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            response = client.post(action, data)
        assert response.status_code < 500, f"{action}: {response.status_code}"
        written = {m.group(1) for q in queries.captured_queries if (m := WRITE.match(q["sql"]))} - BOOKKEEPING
        after = {table: _rows(table) for table in written}
        transaction.set_rollback(True)
    return sorted(table for table in written if _rows(table) != after[table])


@pytest.fixture
def other_chair(demo_county):
    other = OrgUnit.objects.get(code="demo-yizhong")  # 县一中, a school beside it
    user = get_user_model().objects.create_user("other-chair", full_name="李卫东")
    RoleAssignment.objects.create(user=user, unit=other, role=Role.CHAIR)
    return user


def _client(client_class, user):
    client = client_class(raise_request_exception=False)
    client.force_login(user)
    return client


def _on_a_unit_the_chair_runs(action, chair_unit):
    """An orgs form on a unit of the chair's own union, or on a role there: the county may found and staff
    the unions below it (orgs.roles.BELOW_PERMISSIONS), and the chair keeps her own union's records."""
    match = resolve(action)
    if not match.view_name.startswith("orgs:") or "pk" not in match.kwargs:
        return False
    pk = match.kwargs["pk"]
    if match.view_name in ("orgs:role_remove", "orgs:role_link_renew"):
        role = RoleAssignment.objects.select_related("unit").filter(pk=pk).first()
        unit = role.unit if role else None
    else:
        unit = OrgUnit.objects.filter(pk=pk).first()
    return unit is not None and unit.path.startswith(chair_unit.path)


def _acts_on_the_senders_own_unit(action, data):
    """A form with no record in its address and no unit among its fields works in the sender's unit."""
    return not re.search(r"\d", action) and "unit" not in data


def test_no_one_changes_the_central_schools_records_from_the_chairs_forms(client, demo_county, other_chair):
    users = get_user_model().objects.in_bulk(["zhuxi", "huiyuan"], field_name="username")
    chair, member, other = (_client(type(client), user) for user in (users["zhuxi"], users["huiyuan"], other_chair))
    per_route, forms = walk(chair)
    assert len(per_route) >= 80 and len(forms) >= 100  # the walk reached the chair's pages and forms
    effective, wrongly = 0, []
    for page, action, form in forms:
        data = _filled(form)
        effective += bool(_changes(chair, action, data))
        name = resolve(action).view_name
        if name not in MEMBERS_OWN and (changed := _changes(member, action, data)):
            wrongly.append(f"huiyuan: POST {action} (form on {page}) changed {changed}")
        if not _acts_on_the_senders_own_unit(action, data) and (changed := _changes(other, action, data)):
            wrongly.append(f"another school's chair: POST {action} (form on {page}) changed {changed}")
    # The forms were filled well enough to do what they are for when the chair sends them.
    assert effective >= 60, effective
    assert not wrongly, "\n".join(wrongly)


def test_a_school_chair_does_not_do_the_county_federations_work(client, demo_county):
    """The county officer's forms (reviewing filings, handing down targets, reviewing self-checks), sent by
    the chair of a school below: she sees much of the same, and may change none of it."""
    users = get_user_model().objects.in_bulk(["xianzong", "zhuxi"], field_name="username")
    officer, chair = (_client(type(client), users[name]) for name in ("xianzong", "zhuxi"))
    school = OrgUnit.objects.get(code="demo-school")
    per_route, forms = walk(officer)
    assert len(per_route) >= 40 and len(forms) >= 20
    effective, wrongly = 0, []
    for page, action, form in forms:
        data = _filled(form)
        effective += bool(_changes(officer, action, data))
        own = (
            resolve(action).view_name in MEMBERS_OWN
            or _acts_on_the_senders_own_unit(action, data)
            or _on_a_unit_the_chair_runs(action, school)
        )
        if not own and (changed := _changes(chair, action, data)):
            wrongly.append(f"zhuxi: POST {action} (form on {page}) changed {changed}")
    assert effective >= 10, effective
    assert not wrongly, "\n".join(wrongly)
