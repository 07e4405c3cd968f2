"""``GET /healthz`` for the load balancer and monitoring: no login, no personal data.

Answers JSON with the state of the database, the cache and the task queue (core.tasks), 200
when the database answers and 503 when it does not (a balancer then stops sending requests to
this app server). ``?deep=1`` also decrypts a value written with the field-encryption key when
the database was set up (core.models.KeySentinel), so that a database restored beside the
wrong key is reported at once instead of at the first member's ID number.
"""

import logging

from cryptography.fernet import InvalidToken
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import encryption, tasks

logger = logging.getLogger(__name__)

SENTINEL_NAME = "field-encryption"
SENTINEL_VALUE = "gonghui field encryption check"


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("healthz: database unreachable: %s", error)
        return {"ok": False, "vendor": connection.vendor, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _cache():
    backend = type(cache).__name__
    key = f"healthz:{get_random_string(8)}"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as error:  # a cache client raises its own errors (redis.ConnectionError ...)
        logger.error("healthz: cache failed: %s", error)
        return {"ok": False, "backend": backend, "error": type(error).__name__}
    return {"ok": ok, "backend": backend}


def _queue():
    try:
        state = tasks.queue_state()
    except Exception as error:  # the database queue's table or Redis unreachable
        logger.error("healthz: task queue failed: %s", error)
        return {
            "ok": False,
            "backend": tasks.backend_name(),
            "workers": 0,
            "queued": None,
            "error": type(error).__name__,
        }
    return {"ok": True, **state.as_dict()}


def ensure_key_sentinel():
    """Write the known value with the current key, once (at migrate time, or on the first deep check)."""
    from core.models import KeySentinel

    KeySentinel.objects.get_or_create(name=SENTINEL_NAME, defaults={"token": encryption.encrypt(SENTINEL_VALUE)})


def _encryption_key():
    from core.models import KeySentinel

    try:
        ensure_key_sentinel()
        token = KeySentinel.objects.get(name=SENTINEL_NAME).token
        ok = encryption.decrypt(token) == SENTINEL_VALUE
    except DatabaseError as error:
        return {"ok": False, "error": type(error).__name__}
    except InvalidToken:  # the key does not open what the database holds
        ok = False
    if not ok:
        logger.critical("healthz: FIELD_ENCRYPTION_KEYS do not decrypt the database's sentinel value")
        return {"ok": False, "error": "the field encryption key does not decrypt this database's data"}
    return {"ok": True}


@never_cache
@require_GET
def healthz(request):
    report = {"database": _database()}
    if report["database"]["ok"]:
        report["cache"] = _cache()
        report["queue"] = _queue()
        if request.GET.get("deep"):
            report["encryption"] = _encryption_key()
    else:
        report["cache"] = _cache()
        report["queue"] = {"ok": False, "backend": tasks.backend_name(), "workers": None, "queued": None}
    healthy = report["database"]["ok"] and report.get("encryption", {"ok": True})["ok"]
    # The database and the key decide whether this server can serve; a slow cache or an idle
    # queue is "degraded", still worth sending requests to.
    everything = all(part["ok"] for part in report.values())
    report["status"] = "down" if not healthy else "ok" if everything else "degraded"
    return JsonResponse(report, status=200 if healthy else 503)
