from django.core.management.base import BaseCommand

from portal.services import portal_purge


class Command(BaseCommand):
    help = "Delete declined join applications a year after their decision, and old sign-in codes (run daily)."

    def handle(self, *args, **options):
        deleted = portal_purge()
        self.stdout.write(f"deleted {deleted['applications']} declined applications, {deleted['codes']} sign-in codes")
