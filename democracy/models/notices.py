"""Public notice (公示) of a selection's or an election's result: N working days during which
anyone may object; final only after the period ends with no upheld objection."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from democracy.models.base import DemocracyQuerySet


class NoticeStatus(models.TextChoices):
    PUBLISHED = "published", _("公示中")
    FINAL = "final", _("公示期满，结果生效")
    WITHDRAWN = "withdrawn", _("异议成立，结果撤回")


class Notice(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    ballot = models.ForeignKey(
        "democracy.Ballot", verbose_name=_("投票"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("公示内容"))
    workdays = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    published_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示截止"))
    status = models.CharField(_("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PUBLISHED)
    finalized_on = models.DateField(_("生效日期"), null=True, blank=True)
    digest = models.CharField(max_length=64, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = DemocracyQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-published_on", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The archive's promise: once published, the text stays as it was published.
        if self.pk and self.digest and not self.is_unchanged():
            raise ValueError("a published notice cannot be changed")
        super().save(*args, **kwargs)

    @staticmethod
    def digest_of(title, body, published_on, ends_on):
        text = "\n".join([title, body, published_on.isoformat(), ends_on.isoformat()])
        return hashlib.sha256(text.encode()).hexdigest()

    def is_unchanged(self) -> bool:
        """The archive's promise: the text is what was published (checked against the digest)."""
        return self.digest == self.digest_of(self.title, self.body, self.published_on, self.ends_on)

    def in_period(self, today):
        return self.published_on <= today <= self.ends_on


class Objection(models.Model):
    """An objection to a notice, named or anonymous (then no user, and only the day)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="objections")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("异议内容"))
    received_on = models.DateField(_("收到日期"))
    answer = models.TextField(_("答复"), blank=True)
    upheld = models.BooleanField(_("异议成立"), null=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["received_on", "pk"]

    def __str__(self):
        return self.text[:30]
