"""The workbench's own home card: the person's unread notifications, from every app."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.figures import Card, home_card
from core.models import Notification

SHOWN = 5


@home_card
def notifications_card(request, unit):
    unread = list(Notification.objects.filter(user=request.user, read_at__isnull=True)[: SHOWN + 1])
    if not unread:
        return []
    more = len(unread) > SHOWN
    return [
        Card(
            title=_("新通知"),
            value=f"{SHOWN}+" if more else str(len(unread)),
            url=reverse("federation:notifications"),
            todos=[(n.text, n.url) for n in unread[:SHOWN]],
            order=5,
        )
    ]
