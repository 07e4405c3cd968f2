"""One way to tell a person something: ``notify(user, text=..., params=..., url=..., kind=...)``.

Every app calls this (never writes Notification rows itself), so that the person's channels and
preferences apply to everything the product says to them. The in-app message is written in the
caller's transaction; the other channels are sent by the task worker after it commits, at once
or, for people who chose the daily digest, once a day (``send_daily_digest``).

Channels are pluggable: a class with ``key``, ``label`` and ``send(user, notifications)``, named by
dotted path in ``settings.NOTIFICATION_CHANNELS`` (default: e-mail only). Built in:

- ``EmailChannel``: the person's e-mail address (Django's mail backend);
- ``SmsChannel``: the person's mobile number, POSTed as JSON to an SMS gateway
  (``SMS_GATEWAY_URL``, e.g. the office's own relay to Aliyun or Tencent Cloud SMS);
- ``WeComChannel``: WeChat Work (企业微信) application messages to the person's UserID;
- ``ConsoleChannel``: prints each message, for development.

Each message is composed in the language its reader chose (``notify`` takes a message marked with
gettext_lazy and its parameters; core.language.language_of).

The person's preferences (core.NotificationPreference) turn e-mail, SMS and WeChat Work on or off
and choose the digest; a person without preferences gets e-mail at once.
"""

import json
import logging
import sys
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from core.language import language_of
from core.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = ["core.notifications.EmailChannel"]


def notify(user, *, text, params=None, url: str = "", kind: str = "", send: bool = True) -> Notification:
    """Tell ``user`` ``text`` % ``params``, pointing at ``url``.

    ``text`` is a message marked with gettext_lazy: it is read, and ``params`` put in, in the language
    ``user`` reads (core.language.language_of), whoever acts and in whatever language their own page is,
    so that the app, SMS and e-mail all say it in the reader's. A parameter that is itself a word of the
    product (a status) goes in lazily too (its choice's label, not get_FOO_display(), which is read at
    once in the actor's language).

    ``send=False`` keeps the message in the app only (for chatter nobody needs in their inbox).
    """
    with language_of(user):
        text = str(text) if params is None else str(text) % params
    notification = Notification.objects.create(user=user, text=text[:300], url=url[:300], kind=kind[:60])
    if send and channels() and not preferences_for(user).daily_digest:
        transaction.on_commit(lambda: deliver_notifications.enqueue([notification.pk]))
    return notification


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, *, now=None, pk=None) -> int:
    """Mark ``user``'s unread notifications read: all, or the one ``pk``."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=now or timezone.now())


def preferences_for(user) -> NotificationPreference:
    """The person's saved preferences, or the defaults (unsaved) when they never chose."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


# --- channels ---------------------------------------------------------------------------------


class Channel:
    key = ""
    label = ""

    def address(self, user) -> str:
        """Where this person is reached on this channel; empty when they cannot be."""
        return "x"

    def send(self, user, notifications: list[Notification]) -> None:
        raise NotImplementedError


def _lines(notifications):
    site = settings.SITE_URL.rstrip("/")
    return [f"{n.text}\n{site}{n.url}" if n.url else n.text for n in notifications]


def _subject(notifications):
    if len(notifications) == 1:
        # One line: a return's comment may run over several, and a mail header holds no line break.
        return " ".join(notifications[0].text.split())[:80]
    return _("工会工作台：您有 %(count)d 条新通知") % {"count": len(notifications)}


class EmailChannel(Channel):
    key = "email"
    label = gettext_lazy("电子邮件")

    def address(self, user):
        return user.email

    def send(self, user, notifications):
        send_mail(
            subject=_subject(notifications),
            message="\n\n".join(_lines(notifications)),
            from_email=None,
            recipient_list=[user.email],
        )


def _post_json(url, payload, timeout=10):
    """POST ``payload`` as JSON (a GET when it is None) and read the JSON answer."""
    data = None if payload is None else json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"{}")


class SmsChannel(Channel):
    """Short messages through the gateway the deployment names in ``SMS_GATEWAY_URL``.

    The gateway receives ``{"phone": "...", "text": "..."}``; providers differ, so the office
    puts its own small relay (Aliyun, Tencent Cloud, a telecom SMS platform) behind that URL.
    """

    key = "sms"
    label = gettext_lazy("短信")

    def address(self, user):
        return getattr(user, "phone", "")

    def send(self, user, notifications):
        url = getattr(settings, "SMS_GATEWAY_URL", "")
        if not url:
            raise RuntimeError("SMS_GATEWAY_URL is not set")
        text = notifications[0].text if len(notifications) == 1 else _subject(notifications)
        _post_json(url, {"phone": user.phone, "text": text[:70]})


class WeComChannel(Channel):
    """WeChat Work (企业微信) application messages: settings WECOM_CORP_ID, WECOM_SECRET, WECOM_AGENT_ID."""

    key = "wecom"
    label = gettext_lazy("企业微信")
    api = "https://qyapi.weixin.qq.com/cgi-bin"

    def address(self, user):
        return preferences_for(user).wecom_userid

    def send(self, user, notifications):
        token = _post_json(
            f"{self.api}/gettoken?corpid={settings.WECOM_CORP_ID}&corpsecret={settings.WECOM_SECRET}", None
        ).get("access_token")
        answer = _post_json(
            f"{self.api}/message/send?access_token={token}",
            {
                "touser": self.address(user),
                "msgtype": "text",
                "agentid": settings.WECOM_AGENT_ID,
                "text": {"content": "\n\n".join(_lines(notifications))},
            },
        )
        if answer.get("errcode"):
            raise RuntimeError(f"WeChat Work answered {answer}")


class ConsoleChannel(Channel):
    key = "console"
    label = gettext_lazy("控制台")

    def send(self, user, notifications):
        for line in _lines(notifications):
            sys.stdout.write(f"[notify {user.get_username()}] {line}\n")


def channels() -> list[Channel]:
    paths = getattr(settings, "NOTIFICATION_CHANNELS", DEFAULT_CHANNELS)
    return [import_string(path)() for path in paths]


# --- delivery ---------------------------------------------------------------------------------


def deliver(user, notifications: list[Notification], *, now=None) -> list[str]:
    """Send ``notifications`` (all to ``user``) on every channel the person wants and can be reached
    on, then mark them delivered. A failing channel is logged and does not stop the others.
    Returns the keys of the channels that sent."""
    prefs = preferences_for(user)
    sent = []
    for channel in channels():
        if not prefs.wants(channel.key) or not channel.address(user):
            continue
        try:
            with language_of(user):  # a digest's subject, as its messages, in the reader's language
                channel.send(user, notifications)
        except Exception:  # a broken gateway must not lose the in-app message or block e-mail
            logger.exception("notification channel %s failed for user %s", channel.key, user.pk)
        else:
            sent.append(channel.key)
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(delivered_at=now or timezone.now())
    return sent


@task()
def deliver_notifications(notification_ids: list[int]) -> None:
    """The worker's side of ``notify``: sends what is not delivered yet (a rerun sends nothing twice)."""
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, delivered_at__isnull=True).select_related("user")
    )
    by_user = {}
    for notification in pending:
        by_user.setdefault(notification.user, []).append(notification)
    for user, notifications in by_user.items():
        deliver(user, notifications)


def send_daily_digest(*, now=None) -> int:
    """One message per person who chose the digest, with everything not yet delivered; returns how
    many people were sent one. Idempotent: delivered notifications are never sent again."""
    digest_users = NotificationPreference.objects.filter(daily_digest=True).values("user_id")
    pending = Notification.objects.filter(user_id__in=digest_users, delivered_at__isnull=True).select_related("user")
    by_user = {}
    for notification in pending.order_by("user_id", "created_at", "id"):
        by_user.setdefault(notification.user, []).append(notification)
    for user, notifications in by_user.items():
        deliver(user, notifications, now=now)
    return len(by_user)


@task()
def daily_digest_task() -> int:
    return send_daily_digest()
