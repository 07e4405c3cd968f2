import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.services import REMINDER_WORKDAYS, send_reminders


class Command(BaseCommand):
    help = (
        "Remind units of self-checks due within N working days and of titles expiring within 90 days "
        "(and the federations that awarded them, to re-assess). Idempotent: run it daily beside send_reminders."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workdays", type=int, default=REMINDER_WORKDAYS, help="working days ahead (default 3)")
        parser.add_argument("--today", help="the date to run as, YYYY-MM-DD (default: today)")

    def handle(self, *args, workdays, today, **options):
        if workdays < 0:
            raise CommandError("--workdays must be 0 or more")
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        told = send_reminders(today=day, workdays=workdays)
        self.stdout.write(f"reminded {told} self-check(s) or title(s)")
