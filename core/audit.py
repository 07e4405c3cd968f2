"""Traces of who read what: every unmasked view of sensitive data writes one row."""

from django.contrib.contenttypes.models import ContentType

from core.models import AccessLog


def log_sensitive_read(request, obj, fields, *, unit=None):
    """Record that ``request.user`` was shown ``fields`` of ``obj`` in clear text."""
    return AccessLog.objects.create(
        user=request.user,
        unit=unit if unit is not None else getattr(obj, "unit", None),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        fields=", ".join(str(f) for f in fields)[:200],
        ip_address=request.META.get("REMOTE_ADDR") or None,
    )
