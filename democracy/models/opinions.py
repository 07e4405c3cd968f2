"""The opinion box (意见箱).

An anonymous message keeps no user, no IP address, no user agent and no time finer than the
day: its primary key is a random UUID (no sequence to set beside login times), it has no
history (no simple-history on this model), no access-log row is written when it is read, and
no notification is sent when it arrives (a notification's timestamp would date it to the
second). Abuse is limited by ``OpinionQuota``, kept apart from the messages: a counter per
person and day, keyed by an HMAC of (user id, day) under the site's secret key, so that the
table alone names nobody, and counters of earlier days are deleted as new ones are written.
Named and anonymous messages count alike, so a counter does not even say that its owner
wrote anonymously.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from democracy.models.base import DemocracyQuerySet


class Opinion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("署名"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("意见内容"))
    received_on = models.DateField(_("收到日期"))
    reply = models.TextField(_("答复"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    is_published = models.BooleanField(_("公开答复"), default=False)

    objects = DemocracyQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["-received_on", "text"]

    def __str__(self):
        return self.text[:30]

    @property
    def is_anonymous(self):
        return self.author_id is None


class OpinionQuota(models.Model):
    key = models.CharField(max_length=64, primary_key=True)
    day = models.DateField()
    count = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return f"{self.day} {self.count}"
