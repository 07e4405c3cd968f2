"""``manage.py daily``: every once-a-day job of the product, so production schedules one command.

Each job is an app's own command (idempotent, safe to rerun); one failing does not stop the rest,
and the command exits non-zero when any failed, so cron or the systemd timer reports it.
"""

import io
import traceback

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

# (command, its arguments, what it does); commands of apps not installed are skipped.
JOBS = [
    ("send_reminders", [], "deadline reminders for filings and report calls, and the daily notification digest"),
    ("democracy_remind", [], "proposals and suggestions due or overdue for an answer"),
    ("care_reminders", [], "hardship files due for review"),
    ("send_assessment_reminders", [], "self-checks due, reviews waiting, titles expiring"),
    ("purge_imports", [], "uploaded sheets and failed rows past their retention"),
    ("purge_portal", [], "declined join applications and expired sign-in codes"),
    # A safety net behind the roll-ups' hooks: a bulk write that forgot to mark its units is repaired nightly.
    ("check_rollups", ["--fix"], "roll-up figures recomputed from the records, drifts repaired"),
]


class Command(BaseCommand):
    help = "Run every daily job (reminders, digests, purges). Schedule this one command once a day."

    def handle(self, *args, **options):
        known = get_commands()
        failed = []
        for name, arguments, what in JOBS:
            if name not in known:
                continue
            out = io.StringIO()
            try:
                call_command(name, *arguments, stdout=out, stderr=out)
            except BaseException as error:  # SystemExit included: report it, run the next job
                failed.append(name)
                self.stderr.write(f"{name} failed ({what}): {error!r}\n{traceback.format_exc()}")
                continue
            self.stdout.write(f"{name}: {out.getvalue().strip() or 'done'}")
        if failed:
            raise SystemExit(1)
