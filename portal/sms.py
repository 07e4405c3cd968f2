"""A short message to a phone number, for people who have no account yet (applicants, members
signing in for the first time). People with an account are told through core.notifications.

Channel-agnostic, in this order: ``settings.SMS_BACKEND`` names a callable ``send(phone, text)``
(a provider's adapter); else ``settings.SMS_GATEWAY_URL``, the same gateway that
core.notifications' SmsChannel posts ``{"phone", "text"}`` to; else a development site (DEBUG)
prints the message on the console; else nothing is sent and ``is_configured()`` is False, so that
pages offer the password or an officer's help instead. Tests use ``portal.sms.memory`` and read
``outbox``.
"""

import json
import logging
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

outbox: list[tuple[str, str]] = []  # what the memory backend "sent", for tests


def console(phone: str, text: str) -> None:
    print(f"[短信 → {phone}] {text}", flush=True)


def memory(phone: str, text: str) -> None:
    outbox.append((phone, text))


def gateway(phone: str, text: str) -> None:
    body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()
    request = urllib.request.Request(settings.SMS_GATEWAY_URL, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def _backend():
    path = getattr(settings, "SMS_BACKEND", "")
    if path:
        return import_string(path)
    if getattr(settings, "SMS_GATEWAY_URL", ""):
        return gateway
    return console if settings.DEBUG else None


def is_configured() -> bool:
    return _backend() is not None


def send(phone: str, text: str) -> bool:
    """Send ``text`` after the current transaction commits; False when no channel is configured."""
    backend = _backend()
    if backend is None or not phone:
        return False

    def deliver():
        try:
            backend(phone, str(text))
        except Exception:  # a provider's failure must not undo the work that was done
            logger.exception("SMS to %s failed", phone[:3] + "****")

    transaction.on_commit(deliver)
    return True
