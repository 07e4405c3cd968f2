"""The task queue on both backends: a worker that dies mid-task leaves the task failed and retryable,
and ``manage.py tasks_worker`` runs whichever queue is configured."""

import contextlib
import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks_db.models import DBTaskResult

from core import tasks
from core.models import WorkerHeartbeat
from core.testing import redis_up
from core.tests.tasks_for_tests import hang_once

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own, emptied by the test
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def _worker_env(**extra):
    """A worker as production runs it (not under test settings, which run tasks at once)."""
    from django.conf import settings

    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="gonghui.settings",
        GONGHUI_TESTING="0",
        DEBUG="false",
        SECRET_KEY="worker-test",
        FIELD_ENCRYPTION_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS),
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        **extra,
    )


def _start_worker(env):
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "tasks_worker", "-v0"],
        env=env,
        cwd=ROOT,
        start_new_session=True,  # its own process group: RQ forks a work horse per task
    )


def _wait_for(path, process, seconds=300):  # a worker starts slowly on a busy machine
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, "the worker stopped before running the task"
        assert time.monotonic() < deadline, "the worker never started the task"
        time.sleep(0.2)


def _kill(process, marker=None):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)  # no clean-up: a lost machine, the OOM killer
    process.wait()
    ran_in = marker.read_text(encoding="utf-8") if marker is not None and marker.exists() else ""
    if ran_in.isdigit() and int(ran_in) != process.pid:
        with contextlib.suppress(ProcessLookupError):  # RQ runs the task in a process of its own session
            os.kill(int(ran_in), signal.SIGKILL)


# --- Database queue -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_silent_worker_is_failed_and_can_be_retried(settings, tmp_path):
    settings.TASKS = DATABASE_QUEUE
    result = hang_once.enqueue(str(tmp_path / "marker"))
    (tmp_path / "marker").write_text("started", encoding="utf-8")
    stored = DBTaskResult.objects.get(pk=result.id)
    stored.claim("gone-host-1-abc")  # as db_worker does, then the worker was lost
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="gone-host-1-abc", host="gone", pid=1, seen_at=now)
    WorkerHeartbeat.objects.create(worker_id="alive-host-2-def", host="alive", pid=2, seen_at=now)

    assert tasks.fail_abandoned(now=now) == 0  # still beating: left alone
    later = now + datetime.timedelta(seconds=tasks.DEAD_AFTER_SECONDS + 1)
    WorkerHeartbeat.objects.filter(worker_id="alive-host-2-def").update(seen_at=later)
    assert tasks.fail_abandoned(now=later) == 1

    failed = default_task_backend.get_result(result.id)
    assert failed.status == TaskResultStatus.FAILED
    assert "WorkerDied" in failed.errors[-1].exception_class_path

    again = tasks.retry(result.id)
    call_command("tasks_worker", burst=True, verbosity=0)
    assert default_task_backend.get_result(again.id).status == TaskResultStatus.SUCCESSFUL
    assert default_task_backend.get_result(again.id).return_value == "done"


@pytest.mark.django_db(transaction=True)
def test_health_counts_live_database_workers_and_the_backlog(settings, tmp_path, client):
    settings.TASKS = DATABASE_QUEUE
    hang_once.enqueue(str(tmp_path / "marker"))
    tasks.beat("web-1-abc")
    queue = client.get("/healthz").json()["queue"]
    assert queue["backend"] == "database"
    assert queue["workers"] == 1
    assert queue["queued"] == 1
    assert queue["oldest_queued_seconds"] is not None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_killed_database_worker_leaves_its_task_failed_and_retryable(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can share: PostgreSQL")
    settings.TASKS = DATABASE_QUEUE
    marker = tmp_path / "marker"
    result = hang_once.enqueue(str(marker))
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    worker = _start_worker(_worker_env(DATABASE_URL=url, TASKS_QUEUE="database"))
    try:
        _wait_for(marker, worker)
        assert default_task_backend.get_result(result.id).status == TaskResultStatus.RUNNING
    finally:
        _kill(worker, marker)

    later = timezone.now() + datetime.timedelta(seconds=tasks.DEAD_AFTER_SECONDS + 1)
    assert tasks.fail_abandoned(now=later) == 1
    assert default_task_backend.get_result(result.id).status == TaskResultStatus.FAILED
    again = tasks.retry(result.id)
    call_command("tasks_worker", burst=True, verbosity=0)
    assert default_task_backend.get_result(again.id).status == TaskResultStatus.SUCCESSFUL


# --- RQ on Redis ----------------------------------------------------------------------------------


@pytest.fixture
def rq_queue(settings):
    if not redis_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    import django_rq

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": []}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "ASYNC": True, "DEFAULT_TIMEOUT": 600}}
    django_rq.get_connection("default").flushdb()
    yield
    django_rq.get_connection("default").flushdb()


def test_a_killed_rq_worker_leaves_its_task_failed_and_retryable(rq_queue, tmp_path):
    marker = tmp_path / "marker"
    result = hang_once.enqueue(str(marker))
    assert tasks.queue_state().queued == 1
    env = _worker_env(TASKS_QUEUE="redis", REDIS_URL=REDIS_URL)
    worker = _start_worker(env)
    try:
        _wait_for(marker, worker)
        assert default_task_backend.get_result(result.id).status == TaskResultStatus.RUNNING
        assert tasks.queue_state().workers >= 1
    finally:
        _kill(worker, marker)
    # /healthz stops counting it once it has missed its beats, not when RQ's entry lapses minutes later.
    soon = timezone.now() + datetime.timedelta(seconds=tasks.DEAD_AFTER_SECONDS + 1)
    assert tasks.queue_state(now=soon).workers == 0

    # RQ gives a lost worker's task up once its entry lapses; a cut-off ahead stands in for the wait.
    assert tasks.fail_abandoned(now=timezone.now() + datetime.timedelta(hours=2)) == 1
    assert default_task_backend.get_result(result.id).status == TaskResultStatus.FAILED

    again = tasks.retry(result.id)
    burst = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "tasks_worker", "--burst", "-v0"], env=env, cwd=ROOT, timeout=300
    )
    assert burst.returncode == 0
    assert default_task_backend.get_result(again.id).status == TaskResultStatus.SUCCESSFUL
    assert default_task_backend.get_result(again.id).return_value == "done"
