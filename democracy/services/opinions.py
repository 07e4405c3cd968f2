"""The opinion box: named or anonymous messages, a daily limit kept apart, replies published
with the message. What anonymity means here is in democracy.models.opinions."""

import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from democracy.models import Opinion, OpinionQuota
from democracy.services import DemocracyError

DAILY_LIMIT = 5


def _quota_key(user, day) -> str:
    message = f"opinion-quota:{user.pk}:{day.isoformat()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _spend_quota(user, day):
    """Count the message against the person's day; earlier days' counters are dropped."""
    OpinionQuota.objects.filter(day__lt=day).delete()
    key = _quota_key(user, day)
    quota, _created = OpinionQuota.objects.select_for_update().get_or_create(key=key, defaults={"day": day})
    if quota.count >= DAILY_LIMIT:
        raise DemocracyError(_("每人每天最多写%(n)s条意见，请明天再写。") % {"n": DAILY_LIMIT})
    OpinionQuota.objects.filter(key=key).update(count=F("count") + 1)


def opinion_send(*, unit, user, text, anonymous: bool, today) -> Opinion:
    """Store the message; an anonymous one gets no author and only the day (never a time)."""
    if not text.strip():
        raise DemocracyError(_("请写下您的意见。"), field="text")
    if len(text) > 2000:
        raise DemocracyError(_("意见请不要超过2000字。"), field="text")
    with transaction.atomic():
        _spend_quota(user, today)
        return Opinion.objects.create(
            unit=unit, author=None if anonymous else user, text=text.strip(), received_on=today
        )


def opinion_reply(*, opinion, reply, publish: bool, today, correcting=False) -> Opinion:
    """Answer an opinion, published with it or not. An opinion is answered once: a second reply (a
    double click, or two officers at once) is refused, so that it can never silently replace the
    first and its choice of publication; a correction is asked for as such (``correcting``) and
    states again whether the reply is published. The date stays that of the first reply."""
    if not reply.strip():
        raise DemocracyError(_("请填写答复内容。"), field="reply")
    with transaction.atomic():
        opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if opinion.replied_on is not None and not correcting:
            raise DemocracyError(_("这条意见已经答复过了。要修改答复或是否公开，请用“更正答复”。"))
        Opinion.objects.filter(pk=opinion.pk).update(
            reply=reply.strip(), replied_on=opinion.replied_on or today, is_published=publish
        )
    opinion.refresh_from_db()
    return opinion
