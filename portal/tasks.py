"""Officers' bulk invitations in the task worker: at a province, codes and SMS for millions of
members are hours of work, not a request's. Each task only wraps a function of portal.services.

A double click queues one job, not two (a marker per unit, kept while the job waits in the queue).
Nothing worse would follow from two jobs, queued later or running at once: both services lock
the rows of a batch and skip those another job holds, and a code is marked sent in the
transaction that sends it. So the marker only spares the worker, and it lapses by itself should
the queue lose the job.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from core import tasks as queue
from orgs.models import OrgUnit
from portal import services

QUEUED_SECONDS = 60


def _queued(kind, unit_id):
    return f"portal:invitations:{kind}:{unit_id}"


def _enqueue_once(kind, unit, job, *args):
    if cache.add(_queued(kind, unit.pk), True, timeout=QUEUED_SECONDS):
        transaction.on_commit(lambda: job.enqueue(*args))


@task()
def create_invitations(unit_id: int, by_id: int) -> int:
    cache.delete(_queued("create", unit_id))
    by = get_user_model().objects.get(pk=by_id)
    return services.invitations_create(unit=OrgUnit.objects.get(pk=unit_id), by=by)


@task()
def send_invitations(unit_id: int) -> int:
    cache.delete(_queued("send", unit_id))
    # Members are written to in the site's language, whichever the officer's page was in.
    with translation.override(settings.LANGUAGE_CODE):
        return services.invitations_send(unit=OrgUnit.objects.get(pk=unit_id))


def worker_alive() -> bool:
    """Will a worker take what was just queued? (Not when no worker of the queue beats.)"""
    now = timezone.now()
    return not queue.no_worker_for(now, now=now)


def queue_create(*, unit, by) -> None:
    """Have the worker make the codes of ``unit``'s subtree, once the caller's transaction commits."""
    _enqueue_once("create", unit, create_invitations, unit.pk, by.pk)


def queue_send(*, unit) -> None:
    """Have the worker send the subtree's unsent codes by SMS; refused at once without an SMS channel."""
    services.invitations_send_check()
    _enqueue_once("send", unit, send_invitations, unit.pk)
