"""Work of the members' side done by the task worker, each task only wrapping a function of
portal.services or portal.sms: every SMS, so that no page waits for the provider (portal.sms.send
queues it, the number and text encrypted, as the queue is not encrypted at rest); a member's
sign-in code and the code confirming a new number, whose jobs carry no code, the worker working it
out under the site's secret (the sign-in page queues the same job for every number, and the worker
alone finds whether it is a member's, so that neither the page's time nor its work tells whether the
number has an account); and officers' bulk
invitations, which at a province are codes and SMS for millions of members, hours of work, not a
request's. Where no worker runs, the jobs wait in the queue and nothing is sent until one starts.

Of the bulk invitations, a double click queues one job, not two (a marker per unit, kept while the
job waits in the queue). Nothing worse would follow from two jobs, queued later or running at once:
both services lock the rows of a batch and skip those another job holds, and a code is marked sent
in the transaction that sends it. So the marker only spares the worker, and it lapses by itself should
the queue lose the job.

A running job reports how far it got after each batch (``progress_of``, which the invitations page
shows and polls). The report lapses RUNNING_SECONDS after the last batch, so a worker that died is
not shown as working for ever; a finished or interrupted run is told for REPORTED_SECONDS.
"""

import contextlib
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from core import tasks as queue
from orgs.models import OrgUnit
from portal import services, sms

QUEUED_SECONDS = 60
RUNNING_SECONDS = 120  # a batch takes seconds; two minutes without one means the worker is gone
REPORTED_SECONDS = 600
KINDS = ("create", "send")


@dataclass(frozen=True)
class Progress:
    """Where a unit's bulk job stands: ``state`` queued, running, done or failed; ``done`` codes made
    or messages sent so far; ``at`` when it last reported (None while queued)."""

    kind: str
    state: str
    done: int = 0
    at: datetime.datetime | None = None

    @property
    def active(self):
        return self.state in ("queued", "running")


def _queued(kind, unit_id):
    return f"portal:invitations:{kind}:{unit_id}"


def _reported(kind, unit_id):
    return f"portal:invitations:{kind}:{unit_id}:progress"


def progress_of(unit) -> list[Progress]:
    """The unit's bulk jobs that are queued, running or recently ended (creating first)."""
    keys = {kind: (_reported(kind, unit.pk), _queued(kind, unit.pk)) for kind in KINDS}
    found = cache.get_many([key for pair in keys.values() for key in pair])
    jobs = []
    for kind, (reported, queued) in keys.items():
        if queued in found:  # a click after a run ended: the new run is what counts
            jobs.append(Progress(kind, "queued"))
        elif reported in found:
            jobs.append(Progress(kind, **found[reported]))
    return jobs


class _Report:
    """A run's progress in the cache: called with the count so far after each batch (the services'
    ``progress``), then ended as done or failed."""

    def __init__(self, kind, unit_id):
        self.key, self.done = _reported(kind, unit_id), 0

    def __call__(self, done):
        self.done = done
        self._set("running", RUNNING_SECONDS)

    def end(self, state):
        self._set(state, REPORTED_SECONDS)

    def _set(self, state, timeout):
        cache.set(self.key, {"state": state, "done": self.done, "at": timezone.now()}, timeout=timeout)


@contextlib.contextmanager
def _reporting(kind, unit_id):
    """Report the run's progress while it runs, and how it ended. It shows as running before its
    queued marker goes, so a page polling in between never finds neither and stops asking."""
    report = _Report(kind, unit_id)
    report(0)
    cache.delete(_queued(kind, unit_id))
    try:
        yield report
    except BaseException:
        report.end("failed")  # what it finished is kept (each batch commits): a retry goes on
        raise
    report.end("done")


def _enqueue_once(kind, unit, job, *args):
    if cache.add(_queued(kind, unit.pk), True, timeout=QUEUED_SECONDS):
        transaction.on_commit(lambda: job.enqueue(*args))


@task()
def send_sms(phone: str, text: str) -> bool:
    """A message that portal.sms.send queued, its number and text encrypted under the field key."""
    return sms.send_queued(phone, text)


@task()
def send_requested_signin_code(phone: str, id_number: str, requested_at: str, language: str) -> bool:
    """A request for a sign-in code, queued for every number asked for (portal.services.signin_code_send),
    its number and ID number encrypted under the field key and no code: the worker finds whether the
    number is a member's and only then writes the code's row and sends it."""
    return services.signin_code_issue(phone, id_number, requested_at, language=language)


@task()
def send_signin_code(code_id: int, language: str) -> bool:
    """The SMS for a code's row written by the request, as requests did before
    send_requested_signin_code: kept for the jobs queued before that deploy."""
    return services.signin_code_deliver(code_id, language=language)


@task()
def send_phone_change_code(member_id: int, phone: str, sent_at: float, language: str) -> bool:
    """The SMS with the code confirming a member's new number (``phone``, encrypted under the field
    key), worked out from the member's id and the time it was asked for: no code in the arguments."""
    return services.phone_change_code_deliver(member_id, phone, sent_at, language=language)


@task()
def create_invitations(unit_id: int, by_id: int) -> int:
    by = get_user_model().objects.get(pk=by_id)
    with _reporting("create", unit_id) as progress:
        return services.invitations_create(unit=OrgUnit.objects.get(pk=unit_id), by=by, progress=progress)


@task()
def send_invitations(unit_id: int) -> int:
    # Members are written to in the site's language, whichever the officer's page was in.
    with translation.override(settings.LANGUAGE_CODE), _reporting("send", unit_id) as progress:
        return services.invitations_send(unit=OrgUnit.objects.get(pk=unit_id), progress=progress)


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
