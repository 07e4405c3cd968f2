"""A short message to a phone number, for people who have no account yet (applicants, members
signing in for the first time). People with an account are told through core.notifications.

Channel-agnostic, in this order: ``settings.SMS_BACKEND`` names a callable ``send(phone, text)``
(a provider's adapter); else ``settings.SMS_GATEWAY_URL``, the same gateway that
core.notifications' SmsChannel posts ``{"phone", "text"}`` to; else a development site (DEBUG)
prints the message on the console; else nothing is sent and ``is_configured()`` is False, so that
pages offer the password or an officer's help instead. Tests use ``portal.sms.memory`` and read
``outbox``.

The provider is called by the task worker, never within a web request: ``send`` queues the message
once the transaction commits (portal.tasks.send_sms), so a slow or dead gateway (ten seconds a try)
holds a worker, not a page. The job carries the number and the text encrypted under the field key
(core.encryption), as the queue's storage (database or Redis) is not encrypted at rest and a text
names the applicant (the first one her application's query code too). A message with a one-time
code is not composed in the request at all: its job carries no code and the worker works the
code out under the site's secret (portal.services); code already running in the worker calls
``send_in_worker``. A failed delivery is logged with the number masked and never raised. Where no
worker runs, the messages wait in the queue and go out when one starts (``make run`` starts one).
"""

import json
import logging
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from core.encryption import decrypt, encrypt

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
    """Have the task worker send ``text`` to ``phone`` after the current transaction commits; False when
    no channel is configured or there is no number. Not for a text with a one-time code in it (see above)."""
    if not is_configured() or not phone:
        return False
    from portal import tasks  # portal.tasks imports portal.services, which imports this module

    phone_token, text_token = encrypt(phone), encrypt(str(text))
    transaction.on_commit(lambda: tasks.send_sms.enqueue(phone_token, text_token))
    return True


def send_queued(phone_token: str, text_token: str) -> bool:
    """The worker's side of ``send``: the message, decrypted, to the provider now."""
    return deliver(decrypt(phone_token), decrypt(text_token))


def send_in_worker(phone: str, text: str) -> bool:
    """For code that already runs in the task worker (a sign-in code, the bulk invitations): the
    provider is called here, after the current transaction commits, with nothing queued again."""
    if not is_configured() or not phone:
        return False
    text = str(text)
    transaction.on_commit(lambda: deliver(phone, text))
    return True


def deliver(phone: str, text: str) -> bool:
    """Call the provider now; False, and logged, when there is none or it fails: a provider's failure
    must not undo the work that was done."""
    backend = _backend()
    if backend is None or not phone:
        return False
    try:
        backend(phone, text)
    except Exception:
        logger.exception("SMS to %s failed", phone[:3] + "****")
        return False
    return True
