"""Visits (走访慰问) to sick, bereaved, new-parent, retiring and birthday staff."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.encryption import EncryptedTextField
from orgs.access import UnitScopedQuerySet


class VisitKind(models.TextChoices):
    SICKNESS = "sickness", _("生病住院")
    BEREAVEMENT = "bereavement", _("直系亲属去世")
    CHILDBIRTH = "childbirth", _("生育")
    RETIREMENT = "retirement", _("退休")
    BIRTHDAY = "birthday", _("生日")
    FESTIVAL = "festival", _("节日走访")
    OTHER = "other", _("其他")


class VisitQuerySet(UnitScopedQuerySet):
    pass


class Visit(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey("care.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.CharField(_("走访对象"), max_length=50)
    kind = models.CharField(_("事由"), max_length=12, choices=VisitKind.choices)
    visited_on = models.DateField(_("走访日期"))
    visitors = models.CharField(_("走访人"), max_length=100)
    given = models.CharField(_("慰问品或慰问金"), max_length=100, blank=True)
    payment = models.OneToOneField(
        "care.Assistance", null=True, blank=True, on_delete=models.SET_NULL, related_name="visit"
    )
    # What the visitors found (住院治疗、家中困难): health and family hardship, encrypted at rest.
    note = EncryptedTextField(_("情况记录"), max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访慰问")
        verbose_name_plural = _("走访慰问")
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return str(_("走访记录 %(pk)s") % {"pk": self.pk})
