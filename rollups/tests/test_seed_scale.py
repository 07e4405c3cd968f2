"""seed_scale builds a province with work in proportion, and its roll-ups agree with the records."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from activities.models import Activity, Registration
from core import idnumber
from members.models import Member
from orgs.models import OrgUnit
from plans.models import Plan, ScheduleItem
from rollups import read
from rollups.refresh import drift


def test_seed_scale_adds_plans_activities_check_ins_and_exact_rollups(db):
    call_command("seed_scale", members=400, prefix="t", stdout=io.StringIO())
    unions = OrgUnit.objects.filter(code__startswith="t-u", kind="union").count()
    assert Member.objects.count() == 400
    assert Plan.objects.count() == unions and ScheduleItem.objects.count() == 12 * unions
    assert Activity.objects.filter(status="held").count() == 2 * unions
    assert 0.25 * 400 < Registration.objects.filter(checked_in_at__isnull=False).count() < 0.55 * 400
    assert drift() == []
    province = OrgUnit.objects.get(code="t-province")
    figures = read.for_unit(province)
    assert figures.members == Member.objects.in_union().count()
    assert figures.items == 12 * unions


def _schema(table):
    """The table's index and constraint names with their definitions (PostgreSQL), or its indexes (SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
            # A partial index's condition reads back with its casts spelled differently once recreated.
            found = {(name, definition.split(" WHERE ")[0]) for name, definition in cursor.fetchall()}
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass", [table]
            )
            return found | set(cursor.fetchall())
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = %s", [table])
        return set(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_seed_scale_outside_a_transaction_restores_every_index_and_key():
    """Outside a transaction (as from the command line) PostgreSQL loads members and check-ins with
    their indexes and keys dropped; they come back under the migrations' names and definitions."""
    tables = [Member._meta.db_table, Registration._meta.db_table]
    before = {table: _schema(table) for table in tables}
    call_command("seed_scale", members=300, prefix="x", stdout=io.StringIO())
    for table in tables:
        assert _schema(table) ^ before[table] == set()
    assert Member.objects.count() == 300
    assert len(set(Member.objects.values_list("id_number_index", flat=True))) == 300
    assert all(idnumber.is_valid(m.id_number) for m in Member.objects.all())
    assert drift() == []
