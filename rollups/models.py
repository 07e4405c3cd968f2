"""Maintained roll-ups: each unit's own figures and its whole subtree's, per year.

One row per (unit, year), year 0 holding figures tied to no year (members by status, birth
year, year joined). ``own`` counts the unit's own records, ``subtree`` the unit and everything
below it; both are {figure key: whole number}, keys absent when zero. Rows are written only by
``rollups.refresh`` (see there for when), and ``check_rollups`` recomputes them from scratch.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Figures(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))  # 0: not tied to a year
    own = models.JSONField(default=dict)
    subtree = models.JSONField(default=dict)
    # The unit's tree path when the row was computed: a unit moved since shows a different path,
    # which tells the refresh whose totals (its old ancestors') to recompute.
    path = models.CharField(max_length=255)
    refreshed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("汇总数字")
        verbose_name_plural = _("汇总数字")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="rollups_figures_unit_year")]

    def __str__(self):
        return f"{self.unit_id}/{self.year}"


class Dirty(models.Model):
    """A unit whose own figures changed and wait for the refresh: written in the transaction of
    the change (insert-only, so concurrent changes never wait for each other)."""

    unit_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("待更新的单位")
        verbose_name_plural = _("待更新的单位")

    def __str__(self):
        return f"{self.unit_id} @ {self.created_at}"
