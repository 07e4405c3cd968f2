"""``manage.py tasks_worker``: the worker of whichever task queue is configured (core.tasks).

The database queue runs django-tasks-db's worker with a heartbeat beside it, so that a task
left running by a worker that died is marked failed; Redis runs RQ's worker (django-rq) on
the queues in ``RQ_QUEUES``. README, the systemd units and ``make run`` name only this command.
"""

import os
from argparse import BooleanOptionalAction

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from core import tasks


class Command(BaseCommand):
    help = "Run the background task worker of the configured queue (database or Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="run the queued tasks, then exit")
        parser.add_argument(
            "--reload",
            action=BooleanOptionalAction,
            default=None,
            help="restart on code changes (database queue; default: DEBUG)",
        )

    def handle(self, *args, burst, reload, verbosity, **options):
        kind = tasks.backend_name()
        if kind == "redis":
            queues = list(settings.RQ_QUEUES)
            # django-tasks-rq's job class runs the Task and records its result; RQ's scheduler
            # serves tasks enqueued with run_after.
            call_command(
                "rqworker",
                *queues,
                job_class="django_tasks_rq.backend.Job",
                burst=burst,
                with_scheduler=not burst,
                worker_ttl=tasks.RQ_WORKER_TTL,
                verbosity=verbosity,
            )
        elif kind == "database":
            reload = settings.DEBUG if reload is None else reload
            worker_id = tasks.new_worker_id()
            heartbeat = tasks.Heartbeat(worker_id)
            # With --reload this process only watches the code; the child it starts runs the tasks.
            runs_tasks = not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
            if runs_tasks:
                tasks.beat(worker_id)
                tasks.fail_abandoned()
                if not burst:  # a burst ends before the next beat would be due
                    heartbeat.start()
            try:
                call_command(
                    "db_worker",
                    queue_name="*",
                    worker_id=worker_id,
                    batch=burst,
                    reload=reload,
                    startup_delay=not burst,
                    verbosity=verbosity,
                )
            finally:
                heartbeat.stopped.set()
        else:
            raise CommandError(f"the task backend {settings.TASKS['default']['BACKEND']} runs tasks without a worker")
