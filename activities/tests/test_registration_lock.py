"""A registration holds the activity's row lock for one statement, and its request makes few queries.

The lock window is measured in the SQL itself: from the SELECT ... FOR UPDATE on the activity to the
end of the service's atomic block (in a test, its RELEASE SAVEPOINT; in production, the COMMIT).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import RegistrationStatus
from activities.services import registration_add


def _statements(queries):
    """The SQL statements run, without the savepoints that stand in for transactions in a test."""
    return [q["sql"] for q in queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def _under_lock(queries):
    """Statements run while the activity's row is locked: after its FOR UPDATE, before its block ends."""
    sql = [q["sql"].upper() for q in queries]
    locks = [n for n, text in enumerate(sql) if "FOR UPDATE" in text]
    assert len(locks) == 1, sql
    assert sql[locks[0]].startswith('SELECT "ACTIVITIES_ACTIVITY"."ID"'), "the lock is the activity's row"
    start = locks[0]
    end = next(n for n in range(start, len(sql)) if sql[n].startswith("RELEASE SAVEPOINT"))
    return sql[start + 1 : end]


def _register(member, activity, by):
    with CaptureQueriesContext(connection) as captured:
        registration = registration_add(activity=activity, member=member, by=by)
    return registration, captured.captured_queries


@pytest.mark.postgres_only
def test_the_lock_is_held_for_one_statement_that_counts_the_places_and_writes_the_row(
    make_activity, member_factory, huiyuan, zhuxi
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (it takes the whole database's)")
    activity = make_activity(capacity=1)
    first, queries = _register(member_factory("周小红", "g1", gender="F", user=huiyuan), activity, huiyuan)
    assert first.status == RegistrationStatus.REGISTERED
    held = _under_lock(queries)
    assert len(held) == 1 and held[0].startswith("INSERT") and "COUNT(*)" in held[0], held
    # The same one statement when the places are gone: the member goes onto the waiting list.
    second, queries = _register(member_factory("张伟"), activity, zhuxi)
    assert second.status == RegistrationStatus.WAITING
    held = _under_lock(queries)
    assert len(held) == 1 and held[0].startswith("INSERT"), held


@pytest.mark.postgres_only
def test_the_whole_service_is_the_lock_and_the_insert(make_activity, member_factory, huiyuan):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks")
    member = member_factory("周小红", "g1", gender="F", user=huiyuan)
    activity = make_activity(capacity=5)
    _registration, queries = _register(member, activity, huiyuan)
    # Eligibility is decided in Python before the lock; an earlier registration is found by the
    # database's constraint, and looked up only when there is one.
    assert len(_statements(queries)) == 2, _statements(queries)


@pytest.mark.parametrize("capacity, status, at_most", [(5, "registered", 7), (0, "waiting", 8)])
def test_a_registration_request_makes_few_queries(client, make_activity, me, huiyuan, capacity, status, at_most):
    # Session, user, the user's roles (read once for the access rule and the unit switcher), the
    # activity within reach, the member with their unit, the lock, the insert; and for the waiting
    # list the place in it.
    activity = make_activity(capacity=capacity)
    client.force_login(huiyuan)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("activities:register", args=[activity.pk]))
    assert response.status_code == 302
    assert activity.registrations.get().status == status
    assert len(_statements(captured.captured_queries)) <= at_most, _statements(captured.captured_queries)


@pytest.mark.parametrize("capacity, status", [(5, "registered"), (0, "waiting")])
def test_a_registration_from_the_page_makes_seven_queries(client, make_activity, me, huiyuan, capacity, status):
    # The request above and nothing more: the insert's RETURNING reads the card's counts and, on the
    # waiting list, the place in it. Nothing for the layout, which the card alone does not need.
    activity = make_activity(capacity=capacity)
    client.force_login(huiyuan)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("activities:register", args=[activity.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert activity.registrations.get().status == status
    assert len(_statements(captured.captured_queries)) == 7, _statements(captured.captured_queries)
