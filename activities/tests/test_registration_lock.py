"""The activity's row lock is held for as few statements as a registration needs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.services import registration_add


def _under_lock(queries):
    sql = [q["sql"].upper() for q in queries]
    start = next(n for n, text in enumerate(sql) if "FOR UPDATE" in text)
    return [text for text in sql[start + 1 :] if not text.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.postgres_only
def test_a_registration_holds_the_lock_for_counting_and_writing_only(make_activity, member_factory, huiyuan):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (it takes the whole database's)")
    member = member_factory("周小红", "g1", gender="F", user=huiyuan)
    activity = make_activity(capacity=5)
    with CaptureQueriesContext(connection) as captured:
        registration_add(activity=activity, member=member, by=huiyuan)
    held = _under_lock(captured.captured_queries)
    # The count of places taken and the INSERT of the registration; eligibility, the member's unit
    # and the check for an earlier registration are read before the lock.
    assert len(held) <= 3, held
    assert any(text.startswith("INSERT") for text in held)
