"""Affairs disclosure (校务公开 / 厂务公开): what a unit must disclose, by when, and where."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from democracy.models.base import DemocracyQuerySet


class DisclosurePeriod(models.TextChoices):
    SEMESTER = "semester", _("每学期")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")
    ONCE = "once", _("一次")


class DisclosureCategory(models.TextChoices):
    FINANCE = "finance", _("财务收支")
    AWARDS = "awards", _("评优评先和职称")
    HIRING = "hiring", _("招聘和人事")
    PROCUREMENT = "procurement", _("物资采购和工程")
    WELFARE = "welfare", _("福利待遇")
    OTHER = "other", _("其他")


class DisclosureQuerySet(DemocracyQuerySet):
    def published(self):
        return self.filter(published_on__isnull=False)

    def overdue(self, today):
        return self.filter(published_on__isnull=True, due_on__lt=today)

    def public(self):
        return self.published().filter(is_public=True)


class DisclosureItem(models.Model):
    """One disclosure due in a period; once published it stays in the archive unchanged."""

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("公开事项"), max_length=100)
    category = models.CharField(_("类别"), max_length=12, choices=DisclosureCategory.choices)
    period = models.CharField(_("公开周期"), max_length=10, choices=DisclosurePeriod.choices)
    period_label = models.CharField(_("所属期间"), max_length=30, help_text=_("例如“2027年春季学期”。"))
    due_on = models.DateField(_("应公开日期"))
    content = models.TextField(_("公开内容"), blank=True)
    is_public = models.BooleanField(_("对外公开"), default=False, help_text=_("勾选后无需登录即可在公开页看到。"))
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Taken off the external board (published there by mistake, or naming what should not be public): the
    # item stays in the archive, unchanged, its text then read only by officers who manage disclosure.
    withdrawn_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdraw_reason = models.CharField(_("撤下原因"), max_length=200, blank=True)
    # A withdrawn item's text stays as it was published; what should have been published goes out as a
    # correction of it, a new item of its own (once).
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("更正的事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["unit", "due_on"], name="democracy_disclosure_due_idx")]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.published_on is not None

    def is_overdue(self, today):
        return self.published_on is None and self.due_on < today

    @property
    def published_on_time(self):
        return None if self.published_on is None else self.published_on <= self.due_on
