"""Care's figures in the roll-ups (rollups.registry): what a federation ranks its units by, counts and
amounts only, never a name or a hardship detail. Keys, per unit's own records:

- year 0: ``care.households``, hardship files open now (在档: Household.objects.in_hardship()).
- year Y of the day given, payments handed over (Assistance.objects.given()): ``care.given`` (人次),
  ``care.songnuan`` (送温暖 of them), ``care.amount_fen`` (帮扶救助金额 in whole fen).

As care.figures' metrics count them (care.households, care.songnuan_people, care.assistance_amount),
but kept, so that a province's page reads stored rows instead of scanning its payments.
"""

from collections import defaultdict

from django.db.models import Count, Sum
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from care.models import Assistance, Household
from care.models.assistance import Purpose
from rollups import registry
from rollups.refresh import touch
from rollups.sources import DateYear, add, chunks, fen

NAME = "care"


# A 送温暖 campaign before 春节 enters hundreds of payments across a county within days, by many officers at
# once, and a household sheet is imported a file at a time: the worker, so that none of them waits for the
# county's (or the province's) row, and the page says "截至 10:42".
@registry.source(
    NAME,
    refresh=registry.WORKER,
    labels={
        "care.households": _("在档困难职工户数"),
        "care.given": _("帮扶救助人次"),
        "care.songnuan": _("送温暖慰问人次"),
        "care.amount_fen": _("帮扶救助金额"),
    },
)
def care_figures(unit_ids):
    found = defaultdict(dict)
    for chunk in chunks(unit_ids):
        files = Household.objects.in_hardship().filter(unit_id__in=chunk).values("unit_id").annotate(n=Count("id"))
        for unit_id, n in files.order_by().values_list("unit_id", "n"):
            add(found, unit_id, 0, "care.households", n)
        given = (
            Assistance.objects.given()
            .filter(unit_id__in=chunk)
            .values("unit_id", "purpose")
            .annotate(year=DateYear("given_on"), n=Count("id"), amount=Sum("amount"))
            .order_by()
        )
        for row in given:
            unit_id, year, n = row["unit_id"], row["year"], row["n"]
            add(found, unit_id, year, "care.given", n)
            add(found, unit_id, year, "care.amount_fen", fen(row["amount"]))
            if row["purpose"] == Purpose.SONGNUAN:
                add(found, unit_id, year, "care.songnuan", n)
    return found


def mark(unit_ids):
    """Mark units whose care records changed without a save (a file moved by ``update()``), in the change's
    transaction; a save or delete of a file or a payment marks its unit itself (below)."""
    touch(unit_ids, now=registry.in_transaction(NAME))


# The fields that decide whether and where a record counts: a save of anything else (a review date, a receipt)
# leaves the figures alone.
HOUSEHOLD_FIELDS = {"unit", "unit_id", "status", "deleted_at"}
ASSISTANCE_FIELDS = {"unit", "unit_id", "status", "amount", "purpose", "given_on"}


@receiver([post_save, post_delete], sender=Household, dispatch_uid="care.rollup.household")
def household_changed(instance, update_fields=None, **kwargs):
    if update_fields is not None and not HOUSEHOLD_FIELDS & set(update_fields):
        return
    mark([instance.unit_id])


@receiver([post_save, post_delete], sender=Assistance, dispatch_uid="care.rollup.assistance")
def assistance_changed(instance, update_fields=None, **kwargs):
    if update_fields is not None and not ASSISTANCE_FIELDS & set(update_fields):
        return
    mark([instance.unit_id])
