"""The work of a seeded province (``seed_scale``), in proportion to its members: per union one
published plan of the year with 12 items over the union and its groups, two activities held this
year and one open, and check-ins of about 40 % of its members. Bulk-written, like the members."""

import datetime
import time

from django.utils import timezone

BATCH = 5000
ITEMS_PER_PLAN = 12
HELD_PER_UNION = 2
CHECKED_IN_SHARE = 0.4


def add_work(prefix, *, rng, stdout):
    from activities.models import Activity, Registration, RegistrationStatus, Status
    from members.models import Member
    from orgs.models import OrgUnit, UnitKind
    from plans.models import ItemStatus, Plan, PlanStatus, ScheduleItem

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
    Plan.objects.bulk_create(plans, batch_size=BATCH)
    plan_of = dict(
        Plan.objects.filter(unit_id__in=[u[0] for u in unions], year=today.year).values_list("unit_id", "pk")
    )
    items = []
    for pk, _code, path in unions:
        assignees = [pk, *groups.get(path, [])]
        for month in range(1, ITEMS_PER_PLAN + 1):
            if month < today.month:
                status = ItemStatus.DONE if rng.random() < 0.8 else ItemStatus.PLANNED
            else:
                status = ItemStatus.PLANNED
            items.append(
                ScheduleItem(
                    plan_id=plan_of[pk],
                    unit_id=rng.choice(assignees),
                    month=month,
                    text=f"{month}月工作",
                    status=status,
                )
            )
    ScheduleItem.objects.bulk_create(items, batch_size=BATCH)
    stdout.write(f"  {len(plans)} plans, {len(items)} items ({time.monotonic() - started:.0f}s)")

    activities = []
    for pk, _code, _path in unions:
        for n in range(HELD_PER_UNION):
            activities.append(
                Activity(
                    unit_id=pk,
                    title=f"活动{n + 1}",
                    starts_at=now - datetime.timedelta(days=rng.randint(1, max(1, today.timetuple().tm_yday - 1))),
                    status=Status.HELD,
                    participant_times=0,
                    held_at=now,
                )
            )
        activities.append(
            Activity(unit_id=pk, title="报名中的活动", starts_at=now + datetime.timedelta(days=14), status=Status.OPEN)
        )
    Activity.objects.bulk_create(activities, batch_size=BATCH)
    held = {}
    for activity_id, unit_id in Activity.objects.filter(
        unit_id__in=[u[0] for u in unions], status=Status.HELD
    ).values_list("pk", "unit_id"):
        held.setdefault(unit_id, []).append(activity_id)
    stdout.write(f"  {len(activities)} activities ({time.monotonic() - started:.0f}s)")

    union_of = {}
    for pk, _code, path in unions:
        union_of[pk] = pk
        for group in groups.get(path, []):
            union_of[group] = pk
    registrations, times, written = [], {}, 0
    for member_id, unit_id in (
        Member.objects.filter(unit_id__in=list(union_of)).values_list("pk", "unit_id").iterator(chunk_size=BATCH)
    ):
        if rng.random() >= CHECKED_IN_SHARE:
            continue
        activity_id = rng.choice(held[union_of[unit_id]])
        registrations.append(
            Registration(
                activity_id=activity_id, member_id=member_id, status=RegistrationStatus.REGISTERED, checked_in_at=now
            )
        )
        times[activity_id] = times.get(activity_id, 0) + 1
        if len(registrations) == BATCH:
            Registration.objects.bulk_create(registrations)
            written += len(registrations)
            registrations = []
    Registration.objects.bulk_create(registrations)
    written += len(registrations)
    for activity_id, count in times.items():
        Activity.objects.filter(pk=activity_id).update(participant_times=count)
    stdout.write(f"  {written} check-ins ({time.monotonic() - started:.0f}s)")
