"""A registration holds the activity's row lock for one statement, and its request makes few queries.

On PostgreSQL the lock (SELECT ... FOR UPDATE) and the statement that checks the state, counts the
places and writes the row are one query, its own transaction: nothing else runs, and no round trip to
the web worker happens, while the row is locked.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import RegistrationStatus
from activities.services import registration_add

postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")


def _statements(queries):
    """The SQL statements run, without the savepoints that stand in for transactions in a test."""
    return [q["sql"] for q in queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def _register(member, activity, by):
    with CaptureQueriesContext(connection) as captured:
        registration = registration_add(activity=activity, member=member, by=by)
    return registration, captured.captured_queries


def _lock_and_insert(sql):
    """The two statements of a registration's one query: the activity's lock, then the INSERT."""
    lock, insert = sql.upper().split("; ")
    assert lock.startswith('SELECT 1 FROM "ACTIVITIES_ACTIVITY"') and lock.endswith("FOR UPDATE"), lock
    assert insert.startswith('INSERT INTO "ACTIVITIES_REGISTRATION"') and "COUNT(*)" in insert, insert
    return lock, insert


@pytest.mark.postgres_only
@postgres
@pytest.mark.django_db(transaction=True)
def test_the_lock_and_the_statement_that_writes_are_one_query_and_its_own_transaction(
    make_activity, member_factory, huiyuan, zhuxi
):
    activity = make_activity(capacity=1)
    first, queries = _register(member_factory("周小红", "g1", gender="F", user=huiyuan), activity, huiyuan)
    assert first.status == RegistrationStatus.REGISTERED
    # No BEGIN and COMMIT around it: PostgreSQL runs a query of several statements as one transaction.
    assert len(queries) == 1, queries
    _lock_and_insert(queries[0]["sql"])
    # The same one query when the places are gone: the member goes onto the waiting list.
    second, queries = _register(member_factory("张伟"), activity, zhuxi)
    assert second.status == RegistrationStatus.WAITING and len(queries) == 1
    _lock_and_insert(queries[0]["sql"])
    assert [r.status for r in activity.registrations.order_by("id")] == ["registered", "waiting"]


@pytest.mark.postgres_only
@postgres
@pytest.mark.django_db(transaction=True)
def test_a_refused_second_registration_leaves_the_connection_usable(make_activity, member_factory, huiyuan):
    from activities.services import ActivityError

    member = member_factory("周小红", "g1", gender="F", user=huiyuan)
    activity = make_activity(capacity=5)
    registration_add(activity=activity, member=member, by=huiyuan)
    with pytest.raises(ActivityError, match="已经报名"):
        registration_add(activity=activity, member=member, by=huiyuan)
    assert activity.registrations.count() == 1


@pytest.mark.postgres_only
@postgres
def test_inside_a_callers_transaction_the_query_runs_in_a_savepoint(make_activity, member_factory, huiyuan):
    member = member_factory("周小红", "g1", gender="F", user=huiyuan)
    activity = make_activity(capacity=5)
    _registration, queries = _register(member, activity, huiyuan)
    sql = [q["sql"].upper() for q in queries]
    assert sql[0].startswith("SAVEPOINT") and sql[-1].startswith("RELEASE SAVEPOINT"), sql
    # Eligibility is decided in Python before the lock; an earlier registration is found by the
    # database's constraint, and looked up only when there is one.
    assert len(_statements(queries)) == 1
    _lock_and_insert(_statements(queries)[0])


@pytest.mark.parametrize("capacity, status, at_most", [(5, "registered", 6), (0, "waiting", 7)])
def test_a_registration_request_makes_few_queries(client, make_activity, me, huiyuan, capacity, status, at_most):
    # Session, user, the user's roles (read once for the access rule and the unit switcher), the
    # activity within reach, the member with their unit, the lock with the insert (one query on
    # PostgreSQL, the insert alone on SQLite); and for the waiting list the place in it.
    activity = make_activity(capacity=capacity)
    client.force_login(huiyuan)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("activities:register", args=[activity.pk]))
    assert response.status_code == 302
    assert activity.registrations.get().status == status
    assert len(_statements(captured.captured_queries)) <= at_most, _statements(captured.captured_queries)


@pytest.mark.parametrize("capacity, status", [(5, "registered"), (0, "waiting")])
def test_a_registration_from_the_page_makes_six_queries(client, make_activity, me, huiyuan, capacity, status):
    # The request above and nothing more: the insert's RETURNING reads the card's counts and, on the
    # waiting list, the place in it. Nothing for the layout, which the card alone does not need.
    activity = make_activity(capacity=capacity)
    client.force_login(huiyuan)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("activities:register", args=[activity.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert activity.registrations.get().status == status
    assert len(_statements(captured.captured_queries)) == 6, _statements(captured.captured_queries)


@pytest.mark.django_db
def test_a_registration_writes_no_index_that_another_already_serves():
    """Each tap on 报名 writes the new row into every index of the table: the table keeps the indexes
    its lookups need (by member, by the officers who registered or checked someone in, the queue by
    activity and status, one live registration per member, tokens matched whole) and none twice; on
    PostgreSQL no LIKE index beside the token's unique one, no index of the activity beside the queue's."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "activities_registration")
    indexed = sorted(tuple(c["columns"]) for c in found.values() if c["index"] or c["unique"] or c["primary_key"])
    assert indexed == sorted(
        [
            ("id",),
            ("member_id",),
            ("registered_by_id",),
            ("checked_in_by_id",),
            ("activity_id", "status", "created_at"),
            ("activity_id", "member_id"),
            ("token",),
        ]
    )
