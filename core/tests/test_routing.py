"""The replica router: heavy reports read from the replica; writes, and reads after a write, never do."""

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from core.routing import ReplicaRouter, reads_from_replica, replica_reads
from orgs.models import OrgUnit


def test_without_a_replica_everything_reads_the_primary(monkeypatch):
    monkeypatch.delitem(settings.DATABASES, "replica", raising=False)
    with replica_reads():
        assert ReplicaRouter().db_for_read(OrgUnit) is None
    assert ReplicaRouter().allow_migrate("replica", "members") is False


@pytest.fixture(scope="module")
def replica_alias():
    """A second alias onto the same test database, as DATABASE_REPLICA_URL would configure."""
    added = "replica" not in settings.DATABASES
    if added:
        settings.DATABASES["replica"] = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    yield "replica"
    if added:
        connections["replica"].close()
        del settings.DATABASES["replica"]
        del connections["replica"]


def _new_request():
    from django.core.signals import request_started

    request_started.send(sender=None)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_report_reads_from_the_replica(replica_alias, units):
    _new_request()

    @reads_from_replica
    def report():
        return OrgUnit.objects.count()

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert report() == OrgUnit.objects.count()
    assert len(on_replica.captured_queries) == 1


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_reads_outside_a_report_use_the_primary(replica_alias, units):
    _new_request()
    assert ReplicaRouter().db_for_read(OrgUnit) is None  # default
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        OrgUnit.objects.count()
    assert on_replica.captured_queries == []


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_write_goes_to_the_primary_and_later_reads_of_the_request_follow_it(replica_alias, units):
    _new_request()
    with replica_reads(), CaptureQueriesContext(connections["replica"]) as on_replica:
        unit = OrgUnit.objects.get(code="demo-school")
        assert ReplicaRouter().db_for_write(OrgUnit) == "default"
        unit.name = "改名后的学校工会"
        unit.save()
        assert OrgUnit.objects.get(code="demo-school").name == "改名后的学校工会"
    assert len(on_replica.captured_queries) == 1  # only the read before the write
    _new_request()  # the next request may use the replica again
    with replica_reads():
        assert ReplicaRouter().db_for_read(OrgUnit) == "replica"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_reads_inside_a_transaction_stay_on_the_primary(replica_alias, units):
    _new_request()
    with replica_reads(), transaction.atomic():
        assert ReplicaRouter().db_for_read(OrgUnit) is None
