"""``manage.py refresh_rollups``: bring the roll-ups of every marked unit up to date now (the worker
does this a few seconds after each change; this is for scripts and after bulk loads)."""

from django.core.management.base import BaseCommand

from rollups.refresh import refresh


class Command(BaseCommand):
    help = "Refresh the roll-ups of every unit marked as changed."

    def handle(self, *args, **options):
        self.stdout.write(f"{refresh()} unit(s) refreshed")
