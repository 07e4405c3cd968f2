"""The figures overview pages show, counted per unit from each app's own records.

Keys (all whole numbers; rows of year 0 are not tied to a year):
- year 0, members of the unit: ``members.status.<status>`` for every status; ``members.in_union``;
  ``members.women`` (in the union); ``members.born.<yyyy>`` and ``members.joined.<yyyy>`` (in the
  union, by year of birth and year joined: age bands and "new this year" are read from them, so
  no figure goes stale when a birthday or a new year passes without any write); also in the
  union ``members.migrants``, ``members.retirees`` (flagged retired or of status retired) and
  ``members.unknown_age`` (no birth date); whatever the status now, ``members.entered.<yyyy>``
  (by year joined) and ``members.left.<yyyy>`` (left or deceased, by the year of that change);
  of those who left or died and whose year joined is kept, ``members.left_both.<yyyy>`` (by the
  earlier of the two years). With ``members.joined.<yyyy>`` they give the members of a past year's
  end (rollups.read.Overview.members_at_end); ``members.women_joined.``, ``members.women_left.`` and
  ``members.women_left_both.`` are the same of women.
- year Y, activities of the unit held in Y: ``activities.held``, ``activities.participant_times``;
  members of the unit (in the union) who checked in at least once to an activity held in Y:
  ``activities.participants`` (by the member's own unit, so that subtree totals add up); by type
  and by month (1-12) of the start, ``activities.kind.<kind>``, ``activities.kind_times.<kind>``,
  ``activities.month.<m>``, ``activities.month_times.<m>``; money in fen, ``activities.budget_fen``
  and ``activities.spend_fen``.
- year 0, the unit itself: ``orgs.headcount``, the staff it counts (职工人数) while it is active:
  the denominator of the membership rate.
- year Y, schedule items assigned to the unit in published plans of year Y: ``plans.items``
  (not cancelled), ``plans.done``, ``plans.open.<m>`` (open or postponed, by the month now due,
  0 for year-round), ``plans.month.<m>`` and ``plans.done.<m>`` (not cancelled, and done, by
  the month first scheduled), ``plans.in_month.<m>`` (any status, in the month it is due now:
  the month scheduled, or the month postponed to, as ScheduleItem.objects.in_month counts):
  items overdue or due by a day are read from them (rollups.read).
"""

from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rollups.registry import TRANSACTION, WORKER, source

CHUNK = 500  # units per statement
# PostgreSQL takes a whole from-scratch chunk (refresh.SCRATCH_UNITS) at once: a chunk's check-ins are
# found by a scan of all registrations, so at a province every statement less is one scan less.
CHUNK_POSTGRESQL = 2500


class DateYear(ExtractYear):
    """The year of a date column. SQLite stores a date as its text ("1985-03-02"): the year is read
    off it by SQLite itself, where Django's ExtractYear calls a Python function for every row (a
    tenth of a 100,000-row import's time went to the members' roll-ups refreshed after it)."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 1, 4) AS INTEGER)", params


# chunks, fen, add and DateYear are for every app's source (care.rollup, democracy.rollup) alike.


def chunks(ids):
    size = CHUNK_POSTGRESQL if connection.vendor == "postgresql" else CHUNK
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def fen(amount):
    """Yuan (a SUM of decimals; SQLite's may come back a float) as whole fen."""
    return round(Decimal(str(amount)) * 100) if amount else 0


def add(found, unit_id, year, key, value):
    if value:
        bucket = found[(unit_id, year)]
        bucket[key] = bucket.get(key, 0) + int(value)


# Members change by the thousand in an import and by transfers between units: the worker.
@source(
    "members",
    refresh=WORKER,
    labels={
        "members.in_union": _("会员人数"),
        "members.women": _("女会员"),
        "members.joined.": pgettext_lazy("count", "新入会"),
    },
)
def member_figures(unit_ids):
    from members.models import IN_UNION, Member, Status

    found = defaultdict(dict)
    for chunk in chunks(unit_ids):
        rows = (
            Member.objects.filter(unit_id__in=chunk)
            .values("unit_id", "status", "gender", "is_migrant_worker", "is_retiree")
            .annotate(
                born=DateYear("birth_date"),
                joined=DateYear("joined_on"),
                changed=DateYear("status_changed_on"),
                n=Count("id"),
            )
            .order_by()
        )
        # One row per group (at a province's scale about one per member): keys gathered, then added
        # in one loop, without a call per key.
        columns = ("unit_id", "status", "gender", "is_migrant_worker", "is_retiree", "born", "joined", "changed", "n")
        for unit_id, status, gender, migrant, retiree, born, joined, changed, n in rows.values_list(*columns):
            keys = [f"members.status.{status}"]
            if joined:
                keys.append(f"members.entered.{joined}")
            if status in (Status.LEFT, Status.DECEASED) and changed:
                keys.append(f"members.left.{changed}")
                if joined:
                    keys.append(f"members.left_both.{min(joined, changed)}")
                if gender == "F":
                    keys.append(f"members.women_left.{changed}")
                    if joined:
                        keys.append(f"members.women_left_both.{min(joined, changed)}")
            if status in IN_UNION:
                keys.append("members.in_union")
                if gender == "F":
                    keys.append("members.women")
                if migrant:
                    keys.append("members.migrants")
                if retiree or status == Status.RETIRED:
                    keys.append("members.retirees")
                keys.append(f"members.born.{born}" if born else "members.unknown_age")
                if joined:
                    keys.append(f"members.joined.{joined}")
                    if gender == "F":
                        keys.append(f"members.women_joined.{joined}")
            bucket = found[(unit_id, 0)]
            for key in keys:
                bucket[key] = bucket.get(key, 0) + n
    return found


# Registrations and check-ins come from many phones at once for one activity: the worker,
# so that no check-in waits for the province's row.
@source(
    "activities",
    refresh=WORKER,
    labels={
        "activities.held": _("举办活动"),
        "activities.participant_times": _("参与人次"),
        "activities.participants": _("参加过活动的会员"),
    },
)
def activity_figures(unit_ids):
    from activities.models import Activity, Registration, Status
    from members.models import IN_UNION

    found = defaultdict(dict)
    for chunk in chunks(unit_ids):
        held = (
            Activity.objects.filter(unit_id__in=chunk, status=Status.HELD)
            .values("unit_id", "kind")
            .annotate(
                year=ExtractYear("starts_at"),
                month=ExtractMonth("starts_at"),
                n=Count("id"),
                times=Sum("participant_times"),
                budget=Sum("budget"),
                spend=Sum("spend"),
            )
            .order_by()
        )
        for row in held:
            unit_id, year, n, times = row["unit_id"], row["year"], row["n"], row["times"]
            add(found, unit_id, year, "activities.held", n)
            add(found, unit_id, year, "activities.participant_times", times)
            add(found, unit_id, year, f"activities.kind.{row['kind']}", n)
            add(found, unit_id, year, f"activities.kind_times.{row['kind']}", times)
            add(found, unit_id, year, f"activities.month.{row['month']}", n)
            add(found, unit_id, year, f"activities.month_times.{row['month']}", times)
            add(found, unit_id, year, "activities.budget_fen", fen(row["budget"]))
            add(found, unit_id, year, "activities.spend_fen", fen(row["spend"]))
        took_part = (
            Registration.objects.filter(
                member__unit_id__in=chunk,
                member__status__in=IN_UNION,
                checked_in_at__isnull=False,
                activity__status=Status.HELD,
            )
            .values("member__unit_id")
            .annotate(year=ExtractYear("activity__starts_at"), n=Count("member_id", distinct=True))
            .order_by()
        )
        for row in took_part:
            add(found, row["member__unit_id"], row["year"], "activities.participants", row["n"])
    return found


# An officer marks an item done and looks for it in the progress at once; items change a few
# at a time: in the transaction.
@source(
    "plans",
    refresh=TRANSACTION,
    labels={"plans.items": pgettext_lazy("count", "计划事项"), "plans.done": _("已完成事项")},
)
def plan_figures(unit_ids):
    from plans.models import OPEN_STATUSES, ItemStatus, PlanStatus, ScheduleItem

    found = defaultdict(dict)
    for chunk in chunks(unit_ids):
        rows = (
            ScheduleItem.objects.filter(unit_id__in=chunk, plan__status=PlanStatus.PUBLISHED)
            .values("unit_id", "plan__year", "status", "month", "postponed_to")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            unit_id, year, status, n = row["unit_id"], row["plan__year"], row["status"], row["n"]
            due_in = row["postponed_to"] if status == ItemStatus.POSTPONED else row["month"]
            if due_in:
                add(found, unit_id, year, f"plans.in_month.{due_in}", n)
            if status != ItemStatus.CANCELLED:
                add(found, unit_id, year, "plans.items", n)
                add(found, unit_id, year, f"plans.month.{row['month'] or 0}", n)
            if status == ItemStatus.DONE:
                add(found, unit_id, year, "plans.done", n)
                add(found, unit_id, year, f"plans.done.{row['month'] or 0}", n)
            if status in OPEN_STATUSES:
                add(found, unit_id, year, f"plans.open.{row['month'] or 0}", n)
            elif status == ItemStatus.POSTPONED and row["postponed_to"]:
                add(found, unit_id, year, f"plans.open.{row['postponed_to']}", n)
    return found


# A unit's headcount is edited by its officer, who looks for the membership rate at once; it
# changes rarely: in the transaction.
@source("orgs", refresh=TRANSACTION, labels={"orgs.headcount": _("职工人数")})
def headcount_figures(unit_ids):
    from orgs.models import OrgUnit

    found = defaultdict(dict)
    for chunk in chunks(unit_ids):
        for unit_id, headcount in OrgUnit.objects.filter(pk__in=chunk, is_active=True).values_list("pk", "headcount"):
            add(found, unit_id, 0, "orgs.headcount", headcount)
    return found
