"""API tokens for the JSON API: ``Authorization: Bearer <token>`` beside the browser session.

A token acts as its user (the same access rule as the user's pages); a read token may only
read (GET, HEAD, OPTIONS). Only the token's SHA-256 is stored; its last use is recorded at
most once a minute, so a busy integration does not write on every request.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from core.middleware import activate_chosen_language
from federation.models import ApiToken, TokenScope, hash_token

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
TOUCH_EVERY = datetime.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """Personal access tokens (created by ``manage.py create_api_token`` or on the API token page)."""

    def authenticate(self, request, token):
        found = ApiToken.objects.active().select_related("user").filter(token_hash=hash_token(token)).first()
        if found is None:
            return None
        request.user = found.user
        activate_chosen_language(request)  # the user's own, now that the token says who they are
        if found.scope == TokenScope.READ and request.method not in READ_METHODS:
            raise HttpError(403, _("这个令牌只能读取数据。"))
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user
