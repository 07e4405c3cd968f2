import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from democracy.services.proposals import reminders_send


class Command(BaseCommand):
    help = (
        "Remind handlers of proposals and suggestions due within three working days or past due, once per "
        "deadline. Idempotent: run it daily from cron or a systemd timer, rerun freely."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the date to run as, YYYY-MM-DD (default: today)")

    def handle(self, *args, today, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today: {error}") from error
        self.stdout.write(f"sent {reminders_send(today=day)} reminder(s)")
