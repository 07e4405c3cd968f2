"""Traces of who read what: every unmasked view of sensitive data writes one row."""

import ipaddress

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from core.models import AccessLog


def _entry(request, obj, fields, unit_id, *, user=None):
    """The AccessLog row (unsaved) saying ``request.user`` (or ``user``, without a request: no address)
    was shown ``fields`` of ``obj``."""
    return AccessLog(
        user=request.user if request is not None else user,
        unit_id=unit_id,
        content_type=ContentType.objects.get_for_model(obj),  # cached by Django after the first
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        fields=", ".join(str(f) for f in fields)[:200],
        ip_address=client_ip(request) if request is not None else None,
    )


def log_sensitive_read(request, obj, fields, *, unit=None, user=None):
    """Record that ``request.user`` (without a request, ``user``) was shown ``fields`` of ``obj`` in clear text."""
    unit_id = unit.pk if unit is not None else getattr(obj, "unit_id", None)
    entry = _entry(request, obj, fields, unit_id, user=user)
    entry.save()
    return entry


def log_sensitive_reads(request, objs, fields, *, user=None):
    """``log_sensitive_read`` for each of the records a list shows in clear text, in one INSERT. Work
    done without a request (an import in a background task) passes ``request=None`` and the ``user``."""
    return AccessLog.objects.bulk_create(
        _entry(request, obj, fields, getattr(obj, "unit_id", None), user=user) for obj in objs
    )


def client_ip(request):
    """The reader's address: the proxy's word for it only behind the documented HTTPS proxy.

    Nginx appends the address it saw to X-Forwarded-For, so the last entry is the one our proxy
    vouches for; entries before it are whatever the client sent. Without the proxy, anyone can write
    the header, so REMOTE_ADDR is the only truth. django-axes asks this too (AXES_CLIENT_IP_CALLABLE),
    so a lock-out falls on the attacker's address, not on the proxy's and with it on everybody.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if not settings.BEHIND_HTTPS_PROXY:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return remote
