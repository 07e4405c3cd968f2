from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from federation.services import api_token_revoke


class Command(BaseCommand):
    help = "Revoke USERNAME's API token called NAME; it stops working at once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True)

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        if not api_token_revoke(user=user, name=name):
            raise CommandError(f"{username} has no active token called {name!r}")
        self.stdout.write(f"revoked {name!r} of {username}")
