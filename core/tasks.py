"""The task queue as operations see it: which backend runs, its workers and backlog, and what
becomes of a task whose worker died.

Two backends, chosen in settings (``TASKS_QUEUE``): the database queue (django-tasks-db, the
default: nothing else to run) and Redis with RQ (django-tasks-rq, for several machines).
``manage.py tasks_worker`` starts the worker of whichever is configured.

A worker that dies mid-task (killed, out of memory, the machine lost) leaves its task failed,
never "running" for ever, on both queues:
- database queue: each ``tasks_worker`` writes a heartbeat row every ``BEAT_SECONDS``; a task
  still running under a worker not seen for ``DEAD_AFTER_SECONDS`` is marked failed with
  ``WorkerDied``, by every live worker's heartbeat and by ``/healthz``;
- RQ: a worker counts as alive while it beats (``RQ_WORKER_TTL``); RQ's own abandoned-job handling (the started-job registry's clean-up, run by every live
  worker) moves it to the failed registry; ``fail_abandoned`` runs the same clean-up.
``retry(result_id)`` enqueues a failed task again with the same arguments on either queue.
"""

import datetime
import os
import socket
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import default_task_backend

BEAT_SECONDS = 10
DEAD_AFTER_SECONDS = 60
# RQ's worker entry lapses this long after its last beat, and an idle RQ worker beats 15 s before
# that (RQ's own rule): every 15 s here, well within DEAD_AFTER_SECONDS.
RQ_WORKER_TTL = 30


class WorkerDied(Exception):
    """The worker running the task stopped while the task was running."""


def backend_name() -> str:
    """ "database", "redis" or "immediate" (tests)."""
    path = settings.TASKS["default"]["BACKEND"]
    if "rq" in path.lower():
        # RQ with every queue synchronous (tests, RQ_ASYNC=false) runs each task at once, in-process.
        queues = getattr(settings, "RQ_QUEUES", {}).values()
        return "redis" if any(q.get("ASYNC", True) for q in queues) else "immediate"
    if "immediate" in path.lower() or "dummy" in path.lower():
        return "immediate"
    return "database"


@dataclass(frozen=True)
class QueueState:
    backend: str
    workers: int
    queued: int
    oldest_queued_seconds: int | None

    def as_dict(self):
        return {
            "backend": self.backend,
            "workers": self.workers,
            "queued": self.queued,
            "oldest_queued_seconds": self.oldest_queued_seconds,
        }


def queue_state(*, now=None) -> QueueState:
    now = now or timezone.now()
    kind = backend_name()
    if kind == "database":
        return _database_state(now)
    if kind == "redis":
        return _redis_state(now)
    return QueueState(kind, 0, 0, None)


def _database_state(now):
    from django.db.models import Count, Min
    from django_tasks_db.models import DBTaskResult

    from core.models import WorkerHeartbeat

    ready = DBTaskResult.objects.ready().aggregate(count=Count("pk"), oldest=Min("enqueued_at"))
    workers = WorkerHeartbeat.objects.filter(seen_at__gte=now - datetime.timedelta(seconds=DEAD_AFTER_SECONDS))
    return QueueState("database", workers.count(), ready["count"], _age(now, ready["oldest"]))


def _rq_queues():
    import django_rq

    return [django_rq.get_queue(name) for name in settings.RQ_QUEUES]


def _redis_state(now):
    from rq import Worker

    queues = _rq_queues()
    queued, oldest = 0, None
    for queue in queues:
        queued += queue.count
        first = queue.get_job_ids(0, 0)
        if first:
            job = queue.fetch_job(first[0])
            if job is not None and job.enqueued_at is not None:
                enqueued = job.enqueued_at
                if timezone.is_naive(enqueued):
                    enqueued = timezone.make_aware(enqueued, datetime.UTC)
                oldest = enqueued if oldest is None else min(oldest, enqueued)
    # A worker killed outright stays in RQ's registry until its entry lapses (minutes): only those
    # that beat within DEAD_AFTER_SECONDS count, as on the database queue (tasks_worker runs RQ's
    # workers with RQ_WORKER_TTL, so an idle one beats every quarter of a minute).
    alive_since = now - datetime.timedelta(seconds=DEAD_AFTER_SECONDS)
    found = Worker.all(connection=queues[0].connection) if queues else []
    workers = sum(1 for worker in found if worker.last_heartbeat and worker.last_heartbeat >= alive_since)
    return QueueState("redis", workers, queued, _age(now, oldest))


def _age(now, since):
    return None if since is None else max(0, int((now - since).total_seconds()))


def no_worker_for(queued_at, *, now, grace=datetime.timedelta(seconds=60)) -> bool:
    """Is a task queued at ``queued_at`` and not yet started waiting for a worker that will not come?
    True once it has waited over ``grace`` whatever the queue says, or at once when no worker beats."""
    if now - queued_at > grace:
        return True
    # Workers of tasks_worker beat every few seconds; none alive means none will come.
    return backend_name() != "immediate" and queue_state(now=now).workers == 0


# --- Dead workers -------------------------------------------------------------------------------


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def beat(worker_id, *, now=None):
    from core.models import WorkerHeartbeat

    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"host": socket.gethostname()[:120], "pid": os.getpid(), "seen_at": now}
    )


def fail_abandoned(*, now=None) -> int:
    """Mark failed every task still running under a worker that stopped; returns how many."""
    kind = backend_name()
    if kind == "database":
        return _fail_abandoned_database(now or timezone.now())
    if kind == "redis":
        return _fail_abandoned_redis(now)
    return 0


def _fail_abandoned_database(now):
    from django_tasks_db.models import DBTaskResult

    from core.models import WorkerHeartbeat

    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - datetime.timedelta(seconds=DEAD_AFTER_SECONDS)).values_list(
            "worker_id", flat=True
        )
    )
    failed = 0
    for result in DBTaskResult.objects.running():
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if worker in alive:
            continue
        started = result.started_at or result.enqueued_at
        if not worker and started and now - started < datetime.timedelta(seconds=DEAD_AFTER_SECONDS):
            continue  # claimed by a worker that keeps no heartbeat (plain db_worker): give it time
        result.set_failed(WorkerDied(f"worker {worker or '?'} stopped while the task was running"))
        failed += 1
    WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()
    return failed


def _fail_abandoned_redis(now):
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    # RQ renews a running job's entry while its worker lives; a cut-off in the future (``now``)
    # is for tests that cannot wait for the entry to lapse.
    timestamp = now.timestamp() if now is not None else None
    failed = 0
    for queue in _rq_queues():
        before = FailedJobRegistry(queue=queue).count
        StartedJobRegistry(queue=queue).cleanup(timestamp=timestamp)
        failed += FailedJobRegistry(queue=queue).count - before
    return failed


def retry(result_id):
    """Enqueue a failed task again with its arguments; returns the new TaskResult."""
    result = default_task_backend.get_result(result_id)
    return result.task.enqueue(*result.args, **result.kwargs)


class Heartbeat(threading.Thread):
    """Beats for a database-queue worker and fails the tasks of workers that stopped beating."""

    def __init__(self, worker_id):
        super().__init__(daemon=True, name="tasks-heartbeat")
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            close_old_connections()
            try:
                beat(self.worker_id)
                fail_abandoned()
            finally:
                close_old_connections()
            self.stopped.wait(BEAT_SECONDS)
