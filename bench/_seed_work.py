"""The work of a seeded province (``seed_scale``), in proportion to its members: per union one
published plan of the year with 12 items over the union and its groups, two activities held this
year and one open, and check-ins of about 40 % of its members; a union ``size`` times the smallest
plans ``size`` times the items and holds ``size`` times the activities. Bulk-written, like the members."""

import datetime
import time

from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import bulk

BATCH = 5000
ITEMS_PER_PLAN = 12
HELD_PER_UNION = 2
CHECKED_IN_SHARE = 0.4


def add_work(prefix, *, rng, stdout, size=1):
    from activities.models import Activity, Registration, Status
    from orgs.models import OrgUnit, UnitKind
    from plans.models import Plan, PlanStatus

    started = time.monotonic()
    today = timezone.localdate()
    now = timezone.now()
    units = OrgUnit.objects.filter(code__startswith=f"{prefix}-").values_list("pk", "code", "kind", "path")
    unions = [(pk, code, path) for pk, code, kind, path in units if kind == UnitKind.UNION]
    groups = {}
    for pk, _code, kind, path in units:
        if kind == UnitKind.GROUP:
            groups.setdefault(path[: len(path) - OrgUnit.steplen], []).append(pk)

    plans = [
        Plan(unit_id=pk, year=today.year, title=f"{today.year}年工会工作计划", status=PlanStatus.PUBLISHED)
        for pk, _code, _path in unions
    ]
    bulk.insert(plans)
    plan_of = dict(
        Plan.objects.filter(unit_id__in=[u[0] for u in unions], year=today.year).values_list("unit_id", "pk")
    )
    # Generators: a province's million items are written as they are drawn, never held in a list.
    items = bulk.insert(_items(unions, groups, plan_of, rng=rng, today=today, size=size))
    stdout.write(f"  {len(plans)} plans, {items} items ({time.monotonic() - started:.0f}s)")
    activities = bulk.insert(_activities(unions, rng=rng, today=today, now=now, size=size))
    held = {}
    for activity_id, unit_id in Activity.objects.filter(
        unit_id__in=[u[0] for u in unions], status=Status.HELD
    ).values_list("pk", "unit_id"):
        held.setdefault(unit_id, []).append(activity_id)
    stdout.write(f"  {activities} activities ({time.monotonic() - started:.0f}s)")

    if connection.vendor == "postgresql":
        written = _check_ins_in_sql(prefix, now)
    else:
        written = _check_ins(unions, groups, held, rng, now)
    # Each held activity's participant-times: its check-ins, counted by the database in one statement.
    checked_in = Registration.objects.filter(activity=OuterRef("pk"), checked_in_at__isnull=False)
    Activity.objects.filter(unit_id__in=[u[0] for u in unions], status=Status.HELD).update(
        participant_times=Coalesce(Subquery(checked_in.values("activity").annotate(n=Count("id")).values("n")), 0)
    )
    stdout.write(f"  {written} check-ins ({time.monotonic() - started:.0f}s)")


def _items(unions, groups, plan_of, *, rng, today, size):
    from plans.models import ItemStatus, ScheduleItem

    for pk, _code, path in unions:
        assignees = [pk, *groups.get(path, [])]
        for n in range(ITEMS_PER_PLAN * size):
            month = n % 12 + 1
            if month < today.month:
                status = ItemStatus.DONE if rng.random() < 0.8 else ItemStatus.PLANNED
            else:
                status = ItemStatus.PLANNED
            # A third of the items on a day of their month, for the work calendar's grid.
            day = datetime.date(today.year, month, 1 + n % 28) if n // 12 % 3 == 0 else None
            yield ScheduleItem(
                plan_id=plan_of[pk],
                unit_id=rng.choice(assignees),
                month=month,
                date=day,
                text=f"{month}月工作",
                status=status,
            )


def _activities(unions, *, rng, today, now, size):
    from activities.models import Activity, Status

    for pk, _code, _path in unions:
        for n in range(HELD_PER_UNION * size):
            yield Activity(
                unit_id=pk,
                title=f"活动{n + 1}",
                starts_at=now - datetime.timedelta(days=rng.randint(1, max(1, today.timetuple().tm_yday - 1))),
                status=Status.HELD,
                participant_times=0,
                held_at=now,
            )
        for _n in range(size):
            yield Activity(
                unit_id=pk, title="报名中的活动", starts_at=now + datetime.timedelta(days=14), status=Status.OPEN
            )


def _check_ins(unions, groups, held, rng, now):
    """About CHECKED_IN_SHARE of the members, each checked in to one of their union's held activities."""
    from activities.models import Registration, RegistrationStatus
    from members.models import Member

    union_of = {}
    for pk, _code, path in unions:
        union_of[pk] = pk
        for group in groups.get(path, []):
            union_of[group] = pk
    registrations, written = [], 0
    for member_id, unit_id in (
        Member.objects.filter(unit_id__in=list(union_of)).values_list("pk", "unit_id").iterator(chunk_size=BATCH)
    ):
        if rng.random() >= CHECKED_IN_SHARE:
            continue
        registrations.append(
            Registration(
                activity_id=rng.choice(held[union_of[unit_id]]),
                member_id=member_id,
                status=RegistrationStatus.REGISTERED,
                checked_in_at=now,
            )
        )
        if len(registrations) == BATCH:
            Registration.objects.bulk_create(registrations)
            written += len(registrations)
            registrations = []
    Registration.objects.bulk_create(registrations)
    return written + len(registrations)


def _check_ins_in_sql(prefix, now):
    """PostgreSQL: the same draw as _check_ins, made by the database in one INSERT ... SELECT (a
    province's millions of members never pass through Python); random() makes it differ per run."""
    from activities.models import Activity, Registration, RegistrationStatus, Status
    from members.models import Member
    from orgs.models import OrgUnit, UnitKind

    quote = connection.ops.quote_name
    units, members = quote(OrgUnit._meta.db_table), quote(Member._meta.db_table)
    union_path_length = 4 * OrgUnit.steplen  # province > city > county > union
    sql = f"""
        WITH held AS (
            SELECT u.path, array_agg(a.id ORDER BY a.id) AS ids
            FROM {quote(Activity._meta.db_table)} a JOIN {units} u ON u.id = a.unit_id
            WHERE a.status = %(held)s AND u.kind = %(union)s AND starts_with(u.code, %(prefix)s)
            GROUP BY u.path
        )
        INSERT INTO {quote(Registration._meta.db_table)}
            (activity_id, member_id, status, token, created_at, checked_in_at, walk_in)
        SELECT held.ids[1 + floor(random() * array_length(held.ids, 1))::int], m.id, %(registered)s,
               replace(gen_random_uuid()::text, '-', ''), %(now)s, %(now)s, false
        FROM {members} m
        JOIN {units} u ON u.id = m.unit_id
        JOIN held ON held.path = substr(u.path, 1, %(length)s)
        WHERE starts_with(u.code, %(prefix)s) AND random() < %(share)s
    """
    params = {
        "held": Status.HELD,
        "union": UnitKind.UNION,
        "prefix": f"{prefix}-",
        "registered": RegistrationStatus.REGISTERED,
        "now": now,
        "length": union_path_length,
        "share": CHECKED_IN_SHARE,
    }
    with bulk.without_indexes(Registration), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
