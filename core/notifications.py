"""One way to tell a person something: ``notify(user, text=..., url=..., kind=...)``.

Every app calls this (never writes Notification rows itself), so that the person's channels and
preferences apply to everything the product says to them. The in-app message is written in the
caller's transaction; other channels are sent after it commits.
"""

from core.models import Notification


def notify(user, *, text: str, url: str = "", kind: str = "") -> Notification:
    """Tell ``user`` ``text`` (already translated), pointing at ``url``."""
    return Notification.objects.create(user=user, text=str(text)[:300], url=url[:300], kind=kind[:60])
