from django.core.management.base import BaseCommand
from django.utils import timezone

from care import services


class Command(BaseCommand):
    help = "Tell care officers which hardship files are due for review within 30 days (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        sent = services.review_reminders_send(today=timezone.localdate())
        self.stdout.write(f"{sent} care officers notified")
