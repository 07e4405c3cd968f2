"""Pairing (帮扶结对): an officer or teacher and a family or student, kept in touch."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.access import UnitScopedQuerySet


class PairingQuerySet(UnitScopedQuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)

    def with_last_contact(self):
        return self.annotate(last_contact=models.Max("contacts__on"))


class Pairing(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    helper = models.CharField(_("帮扶人"), max_length=50, help_text=_("结对的干部或教师。"))
    household = models.ForeignKey(
        "care.Household",
        verbose_name=_("困难档案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    helped = models.CharField(_("帮扶对象"), max_length=50, help_text=_("困难职工家庭或困难学生。"))
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    goal = models.CharField(_("帮扶内容"), max_length=200, blank=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶结对")
        verbose_name_plural = _("帮扶结对")
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return str(_("帮扶结对 %(pk)s") % {"pk": self.pk})


class PairingContact(models.Model):
    class How(models.TextChoices):
        VISIT = "visit", _("上门走访")
        PHONE = "phone", _("电话")
        SCHOOL = "school", _("学业辅导")
        GIFT = "gift", _("物资资助")
        OTHER = "other", _("其他")

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField(_("日期"))
    how = models.CharField(_("方式"), max_length=10, choices=How.choices)
    note = models.CharField(_("内容"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.on} {self.get_how_display()}"
