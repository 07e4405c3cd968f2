import datetime

from django.core.management.base import BaseCommand, CommandError

from federation.services import REMINDER_WORKDAYS
from federation.tasks import run_daily, send_reminders_task


class Command(BaseCommand):
    help = (
        "Remind units of filing and report-call deadlines N working days ahead, and send the daily "
        "digest of notifications. Idempotent: run it daily from cron or a systemd timer, rerun freely."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workdays", type=int, default=REMINDER_WORKDAYS, help="working days ahead (default 3)")
        parser.add_argument("--today", help="the date to run as, YYYY-MM-DD (default: today)")
        parser.add_argument("--enqueue", action="store_true", help="queue it for the task worker instead")

    def handle(self, *args, workdays, today, enqueue, **options):
        if workdays < 0:
            raise CommandError("--workdays must be 0 or more")
        if enqueue:
            send_reminders_task.enqueue(workdays=workdays)
            self.stdout.write("queued")
            return
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        reminded, digests = run_daily(today=day, workdays=workdays)
        self.stdout.write(f"reminded {reminded} unit(s); sent {digests} digest(s)")
