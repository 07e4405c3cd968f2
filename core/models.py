from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AccessLog(models.Model):
    """One read of sensitive data (an unmasked ID number, a care record): who, when, what."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    fields = models.CharField(_("查看的内容"), max_length=200)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("敏感信息查看记录")
        verbose_name_plural = _("敏感信息查看记录")
        ordering = ["-at"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="accesslog_object_idx")]

    def __str__(self):
        return f"{self.user} {self.object_repr} {self.fields}"
