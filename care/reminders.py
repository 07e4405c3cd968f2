"""Visits the roster tells us are coming: birthdays and retirements (with the 2025 reform's dates)."""

import calendar
import datetime
import functools
from dataclasses import dataclass

from django.db.models import Q
from django.utils import dateformat
from django.utils.translation import gettext as _

from care.models import Visit, VisitKind, settings_for
from care.retirement import retirement_date
from core.memo import shared
from members.models import IN_UNION, Member, birth_range_for_ages
from orgs.models import OrgUnit

BIRTHDAY_DAYS = 14
BIRTHDAY_LIMIT = 200  # the soonest; a province's fortnight of birthdays is tens of thousands
# A birthday visit this recent is for the coming birthday (made early) or the last one (made late), never
# for the one a year before: "this calendar year" would hide January's birthdays all through late December.
BIRTHDAY_VISIT_DAYS = 183
RETIREMENT_LIMIT = 200  # the soonest; a province's quarter of retirements is tens of thousands


@dataclass(frozen=True)
class Reminder:
    kind: str  # VisitKind value
    member_id: int
    name: str
    unit_name: str
    on: datetime.date

    def occasion(self):
        """What the date is, as a reminder line says it: "2026年8月4日起病休", "12月10日生日", "2027年1月退休".
        A sick leave's start keeps its year (a long one began last year or before); a birthday is the coming one."""
        if self.kind == VisitKind.SICKNESS:
            return _("%(date)s起病休") % {"date": dateformat.format(self.on, _("Y年n月j日"))}
        if self.kind == VisitKind.BIRTHDAY:
            return _("%(date)s生日") % {"date": dateformat.format(self.on, _("n月j日"))}
        return _("%(month)s退休") % {"month": dateformat.format(self.on, _("Y年n月"))}


def _members(unit):
    """The unit's subtree's members in the union, shaped for its size (MemberQuerySet.under): a
    union's few hundred are read by unit and sorted, a province's millions by walking the birthday
    or birth-date index in order until the list is full, each row's unit checked by key. Birthdays
    and retirements of one page share it (core.memo), and with it the read of the subtree's units."""
    return shared(
        ("care.reminders.members", unit.path),
        lambda: Member.objects.under([unit.path]).members.filter(status__in=IN_UNION),
    )


def _birthday_keys(today, days):
    """The next ``days`` days by their month-day key (as Member.birth_monthday keeps them), in order.
    In a year without 29 February, those born on it are remembered on the 28th, in their own month."""
    found = {}
    for n in range(days):
        day = today + datetime.timedelta(days=n)
        found[day.month * 100 + day.day] = day
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            found[229] = day
    return found


def birthdays(unit, *, today, days=BIRTHDAY_DAYS, limit=None) -> list[Reminder]:
    """Members whose birthday falls in the next ``days`` days and who have had no birthday visit in the
    last half year (BIRTHDAY_VISIT_DAYS): the soonest ``limit`` (BIRTHDAY_LIMIT)."""
    limit = limit or BIRTHDAY_LIMIT
    days_by_key = _birthday_keys(today, days)
    since = today - datetime.timedelta(days=BIRTHDAY_VISIT_DAYS)
    visited = Visit.objects.filter(kind=VisitKind.BIRTHDAY, visited_on__gte=since, member__isnull=False)
    members = _members(unit).exclude(pk__in=visited.values("member_id"))
    found = []  # (member id, name, unit id, day)
    for low, high in _key_ranges(list(days_by_key)):
        # In key order (the index's own), not by pk: within a day any order will do, and a province's
        # day holds tens of thousands, which a tie-break would have to read and sort.
        rows = (
            members.filter(birth_monthday__range=(low, high))
            .values_list("pk", "name", "unit_id", "birth_date")
            .order_by("birth_monthday")[: limit - len(found)]
        )
        found += [(pk, name, unit_id, days_by_key[birth.month * 100 + birth.day]) for pk, name, unit_id, birth in rows]
        if len(found) >= limit:
            break
    return _reminders(VisitKind.BIRTHDAY, found)


def _reminders(kind, found):
    """Reminders of ``kind`` for (member id, name, unit id, day) rows, soonest first, each with its unit's
    name read for the rows alone: joined in the reminders' query, a city's thousand units made PostgreSQL
    read the whole units table into a hash beside the members' index."""
    names = dict(
        OrgUnit.objects.filter(pk__in={unit_id for _pk, _name, unit_id, _on in found}).values_list("pk", "name")
    )
    reminders = [Reminder(kind, pk, name, names.get(unit_id, ""), on) for pk, name, unit_id, on in found]
    return sorted(reminders, key=lambda r: (r.on, r.name))


def _key_ranges(keys):
    """The month-day keys of consecutive days as (first, last) ranges: one, or two when the days run
    into the new year (December's, then January's). A range also holds numbers that are no day
    (1132), which no birth date has."""
    wrap = next((n for n in range(1, len(keys)) if keys[n] < keys[n - 1]), len(keys))
    return [(part[0], part[-1]) for part in (keys[:wrap], keys[wrap:]) if part]


def retirements(unit, *, today, days=None, limit=None) -> list[Reminder]:
    """Working members who reach their statutory retirement date within ``days`` (the unit's notice)
    and have had no retirement visit: the soonest ``limit`` (RETIREMENT_LIMIT)."""
    limit = limit or RETIREMENT_LIMIT
    rules = settings_for(unit)
    days = rules.retirement_notice_days if days is None else days
    horizon = today + datetime.timedelta(days=days)
    visited = Visit.objects.filter(kind=VisitKind.RETIREMENT, member__isnull=False)
    working = (
        _members(unit).exclude(status="retired").filter(is_retiree=False).exclude(pk__in=visited.values("member_id"))
    )
    found = []  # (member id, name, unit id, day)
    # Retirement dates grow with the birth date under each rule, so those falling in the window are
    # one birth-date range per rule, and the soonest are its first rows in the birth-date index.
    for gender_is_male in (True, False):
        births = _births_retiring(today, horizon, "M" if gender_is_male else "F", rules.women_retirement)
        rows = (
            working.filter(birth_date__range=births)
            .filter(Q(gender="M") if gender_is_male else ~Q(gender="M"))
            .values_list("pk", "name", "unit_id", "birth_date", "gender")
            .order_by("birth_date")[:limit]
        )
        for pk, name, unit_id, birth, gender in rows:
            on = retirement_date(birth, gender, women_old_age=rules.women_retirement)
            if today <= on <= horizon:  # so by the range's making; checked, as the list's promise
                found.append((pk, name, unit_id, on))
    found.sort(key=lambda row: (row[3], row[1]))
    return _reminders(VisitKind.RETIREMENT, found[:limit])


@functools.lru_cache(maxsize=32)  # the same window all day on every home page; pure date arithmetic
def _births_retiring(start, end, gender, women_old_age):
    """The birth dates (first, last) whose retirement date under ``gender``'s rule falls from
    ``start`` to ``end``; an empty range (first after last) when none does."""
    # Everyone who could retire in a window is between the youngest old age (50) and the oldest new one (63).
    low, high = birth_range_for_ages(49, 64, start)

    def retires(day):
        return retirement_date(day, gender, women_old_age=women_old_age)

    def first_birth(at_least):  # the first birth date in [low, high + 1 day] retiring on or after ``at_least``
        lo, hi = low.toordinal(), high.toordinal() + 1
        while lo < hi:
            mid = (lo + hi) // 2
            if retires(datetime.date.fromordinal(mid)) >= at_least:
                hi = mid
            else:
                lo = mid + 1
        return datetime.date.fromordinal(lo)

    first = first_birth(start)
    last = first_birth(end + datetime.timedelta(days=1)) - datetime.timedelta(days=1)
    return first, last


SICK_VISIT_DAYS = 90


def sick_leave(unit, *, today, every_days=SICK_VISIT_DAYS) -> list[Reminder]:
    """Members on long sick leave (care tags) not visited for sickness in the last ``every_days`` days."""
    from care.models import CareTag

    recent = Visit.objects.filter(
        kind=VisitKind.SICKNESS, visited_on__gte=today - datetime.timedelta(days=every_days), member__isnull=False
    ).values("member_id")
    tags = (
        CareTag.objects.in_subtree(unit)
        .active_on(today)
        .filter(kind="sick_leave")
        .exclude(member_id__in=recent)
        .values_list("member_id", "member__name", "unit__name", "since")
        .order_by("since", "member_id")[:200]
    )
    return [Reminder(VisitKind.SICKNESS, pk, name, unit_name, since) for pk, name, unit_name, since in tags]
