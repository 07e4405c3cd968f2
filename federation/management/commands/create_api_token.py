from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from federation.models import TokenScope
from federation.services import FederationError, api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", choices=TokenScope.values, required=True)
        parser.add_argument("--name", default="", help="what the token is for; unique among the user's tokens")

    def handle(self, *args, username, scope, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        try:
            token, raw = api_token_create(user=user, scope=scope, name=name)
        except FederationError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"token {token.name!r} ({token.scope}) for {username}; it is shown only this once:")
        self.stdout.write(raw)
