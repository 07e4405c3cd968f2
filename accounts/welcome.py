"""The first-login link an officer sends to someone whose account they opened (orgs.services.officer_invite).

It is Django's password-reset token: it lapses after settings.PASSWORD_RESET_TIMEOUT, and as soon as a
password is set or the person signs in, because the token is a hash of both. So the link works once,
and nobody (the officer included) ever sees or chooses the person's password.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def welcome_path(user) -> str:
    """The path of a fresh first-login link for ``user`` (the page that lets them set a password)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:welcome", args=[uidb64, default_token_generator.make_token(user)])


def welcome_days() -> int:
    """How many days a link stays valid, as the officer is told (whole days, at least one)."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600))
