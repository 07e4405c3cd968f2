"""Care's figures in the roll-ups (rollups.registry): what a federation ranks its units by, counts and
amounts only, never a name or a hardship detail. Keys, per unit's own records:

- year 0, hardship files open now (在档: Household.objects.in_hardship()): ``care.households`` and, by
  困难程度, ``care.level.<level>``.
- year Y of the day given, payments handed over (Assistance.objects.given()): ``care.given`` (人次),
  ``care.songnuan`` (送温暖 of them), ``care.amount_fen`` (帮扶救助金额 in whole fen), by purpose
  ``care.purpose_fen.<purpose>``, and ``care.people`` (惠及人数: see _payments for how it adds up).
- year Y of the lifted event (脱困), ``care.lifted``: files lifted out of hardship in Y, a file lifted twice
  counted once, whatever has become of it since (as the care.lifted metric counts them).
- year Y a rights case came in (受理, local time): ``care.cases``, ``care.cases_closed`` (办结 of them) and
  ``care.recovered_fen`` (挽回经济损失 in whole fen).

As care.figures counts them live for a union's own page (figures.rollups), but kept, so that a province's
page reads stored rows instead of scanning its files, payments and cases; ``as_rollup`` reads them back in
the shape that page shows.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from care.figures import Rollup
from care.models import Assistance, CaseStatus, EventKind, Household, HouseholdEvent, Level, RightsCase
from care.models.assistance import Purpose
from rollups import registry
from rollups.refresh import touch
from rollups.sources import DateYear, add, chunks, fen

NAME = "care"


# A 送温暖 campaign before 春节 enters hundreds of payments across a county within days, by many officers at
# once, and a household sheet is imported a file at a time: the worker, so that none of them waits for the
# county's (or the province's) row, and the page says "截至 10:42". Rights cases and lifted files are rarer,
# but they are counted by the same source, so the same worker refresh keeps them.
@registry.source(
    NAME,
    refresh=registry.WORKER,
    labels={
        "care.households": _("在档困难职工户数"),
        "care.level.": _("困难程度"),
        "care.lifted": _("当年脱困户数"),
        "care.given": _("帮扶救助人次"),
        "care.songnuan": _("送温暖慰问人次"),
        "care.amount_fen": _("帮扶救助金额"),
        "care.purpose_fen.": _("按用途"),
        "care.people": _("惠及人数"),
        "care.cases": _("受理维权求助件数"),
        "care.cases_closed": _("办结件数"),
        "care.recovered_fen": _("挽回经济损失"),
    },
)
def care_figures(unit_ids):
    found = defaultdict(dict)
    for chunk in chunks(unit_ids):
        _files(found, chunk)
        _payments(found, chunk)
        _cases(found, chunk)
    return found


def _files(found, chunk):
    files = Household.objects.in_hardship().filter(unit_id__in=chunk).values("unit_id", "level")
    for unit_id, level, n in files.annotate(n=Count("id")).order_by().values_list("unit_id", "level", "n"):
        add(found, unit_id, 0, "care.households", n)
        add(found, unit_id, 0, f"care.level.{level}", n)
    # A file belongs to one unit at a time, so files counted once per unit add up the tree.
    lifted = (
        HouseholdEvent.objects.filter(kind=EventKind.LIFTED, household__unit_id__in=chunk)
        .values("household__unit_id")
        .annotate(year=DateYear("on"), n=Count("household_id", distinct=True))
        .order_by()
    )
    for row in lifted:
        add(found, row["household__unit_id"], row["year"], "care.lifted", row["n"])


def _payments(found, chunk):
    given = Assistance.objects.given().filter(unit_id__in=chunk).order_by()
    rows = given.values("unit_id", "purpose").annotate(year=DateYear("given_on"), n=Count("id"), amount=Sum("amount"))
    for row in rows:
        unit_id, year, n, amount = row["unit_id"], row["year"], row["n"], fen(row["amount"])
        add(found, unit_id, year, "care.given", n)
        add(found, unit_id, year, "care.amount_fen", amount)
        add(found, unit_id, year, f"care.purpose_fen.{row['purpose']}", amount)
        if row["purpose"] == Purpose.SONGNUAN:
            add(found, unit_id, year, "care.songnuan", n)
    # 惠及人数 are the people each paying unit helped in the year, distinct within that unit, added up the tree
    # (figures.rollups counts a union's the same way). A recipient is known only by the name on the payment:
    # within one unit that is one person, across a county it is many (two 王芳 of two schools are two people),
    # so a name paid by two units counts once in each. Being per unit, the figure adds up like every roll-up,
    # and a payment marks only its own unit.
    people = given.values("unit_id").annotate(year=DateYear("given_on"), n=Count("recipient", distinct=True))
    for row in people:
        add(found, row["unit_id"], row["year"], "care.people", row["n"])


def _cases(found, chunk):
    # Counted in the year the case came in, local time (as created_at__year reads it on a union's page).
    cases = (
        RightsCase.objects.filter(unit_id__in=chunk)
        .values("unit_id")
        .annotate(
            year=ExtractYear("created_at"),
            n=Count("id"),
            closed=Count("id", filter=Q(status=CaseStatus.CLOSED)),
            recovered=Sum("recovered"),
        )
        .order_by()
    )
    for row in cases:
        unit_id, year = row["unit_id"], row["year"]
        add(found, unit_id, year, "care.cases", row["n"])
        add(found, unit_id, year, "care.cases_closed", row["closed"])
        add(found, unit_id, year, "care.recovered_fen", fen(row["recovered"]))


def as_rollup(overview) -> Rollup:
    """A unit's kept figures (a rollups.read.Overview of its subtree, or of its own records) as the figures a
    union's own page counts live (care.figures.Rollup)."""

    def yuan(key):
        return (Decimal(overview.get(key)) / 100).quantize(Decimal("0.01"))

    levels = overview.prefixed("care.level.")
    return Rollup(
        by_level={label: levels.get(value, 0) for value, label in Level.choices},
        households=overview.get("care.households"),
        lifted=overview.get("care.lifted"),
        amount=yuan("care.amount_fen"),
        people_helped=overview.get("care.people"),
        by_purpose={label: yuan(f"care.purpose_fen.{value}") for value, label in Purpose.choices},
        cases=overview.get("care.cases"),
        cases_closed=overview.get("care.cases_closed"),
        recovered=yuan("care.recovered_fen"),
        given=overview.get("care.given"),
        songnuan=overview.get("care.songnuan"),
    )


def mark(unit_ids):
    """Mark units whose care records changed without a save (a file moved by ``update()``), in the change's
    transaction; a save or delete of a file, a payment, a lifted event or a case marks its unit itself (below)."""
    touch(unit_ids, now=registry.in_transaction(NAME))


# The fields that decide whether and where a record counts: a save of anything else (a review date, a receipt,
# a case's deadline) leaves the figures alone.
HOUSEHOLD_FIELDS = {"unit", "unit_id", "status", "level", "deleted_at"}
ASSISTANCE_FIELDS = {"unit", "unit_id", "status", "amount", "purpose", "given_on", "recipient"}
EVENT_FIELDS = {"kind", "on", "household", "household_id"}
CASE_FIELDS = {"unit", "unit_id", "recovered", "created_at"}


def _saves(update_fields, fields):
    return update_fields is None or bool(fields & set(update_fields))


@receiver([post_save, post_delete], sender=Household, dispatch_uid="care.rollup.household")
def household_changed(instance, update_fields=None, **kwargs):
    if _saves(update_fields, HOUSEHOLD_FIELDS):
        mark([instance.unit_id])


@receiver([post_save, post_delete], sender=Assistance, dispatch_uid="care.rollup.assistance")
def assistance_changed(instance, update_fields=None, **kwargs):
    if _saves(update_fields, ASSISTANCE_FIELDS):
        mark([instance.unit_id])


@receiver([post_save, post_delete], sender=HouseholdEvent, dispatch_uid="care.rollup.lifted")
def event_changed(instance, update_fields=None, **kwargs):
    # Only a lifted event counts (by the year of its day, in the unit holding the file); the others (reviews,
    # moves, new levels) leave the figures to the file's own save. Events are written once, never edited.
    if instance.kind == EventKind.LIFTED and _saves(update_fields, EVENT_FIELDS):
        mark(Household.objects.filter(pk=instance.household_id).values_list("unit_id", flat=True))


@receiver([post_save, post_delete], sender=RightsCase, dispatch_uid="care.rollup.case")
def case_changed(instance, update_fields=None, **kwargs):
    # A case counts from the day it comes in; of its status only the closing (办结, final) moves a figure: its
    # first step (待受理 → 办理中) and its assignment leave them alone.
    closing = update_fields is not None and "status" in update_fields and instance.status == CaseStatus.CLOSED
    if closing or _saves(update_fields, CASE_FIELDS):
        mark([instance.unit_id])
