"""Keeping the roll-ups current, and checking them.

- ``touch(unit_ids)``: called in the transaction of a change (rollups.hooks, or an app after a
  bulk write). It marks the units (a ``Dirty`` row each) and, after commit, asks the worker to
  refresh them within ``DELAY_SECONDS``; with ``now=True`` (sources registered TRANSACTION) it
  recomputes them at once, inside the change's transaction.
- ``refresh()``: recomputes every marked unit's own figures, then the subtree totals of those
  units and of every unit above them, bottom-up (a unit's subtree = its own + its children's
  subtrees). Units moved in the tree since they were computed are found by their stored path,
  and their old ancestors recomputed too. One refresh at a time (a lock row), so two never
  interleave their writes.
- ``recompute_all()`` / ``drift()``: everything from scratch, for ``check_rollups``.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from orgs.access import ancestor_paths
from rollups import registry
from rollups.models import Dirty, Figures

DELAY_SECONDS = 10  # changes within this gather into one refresh; the page shows the time computed
BATCH = 2000  # marked units per refresh round
LOCK_NAME = "rollups.refresh"


def touch(unit_ids, *, now=False):
    """Mark units whose own figures changed (inside the caller's transaction)."""
    unit_ids = {int(u) for u in unit_ids if u}
    if not unit_ids:
        return
    if now:
        _refresh_units(unit_ids)
        return
    Dirty.objects.bulk_create([Dirty(unit_id=u) for u in unit_ids])
    transaction.on_commit(_schedule)


def _schedule():
    from rollups import tasks

    tasks.schedule_refresh()


def _lock():
    """Serialize refreshes: the row lock on PostgreSQL, SQLite's one writer anyway."""
    from core.models import StateVersion

    StateVersion.objects.get_or_create(name=LOCK_NAME)
    StateVersion.objects.select_for_update().filter(name=LOCK_NAME).update(version=F("version") + 1)


def refresh(*, batch=BATCH) -> int:
    """Refresh marked units (and moved ones) until none is left; returns how many units were recomputed."""
    total = 0
    while True:
        with transaction.atomic():
            _lock()
            marks = list(Dirty.objects.order_by("id").values_list("id", "unit_id")[:batch])
            units = {unit_id for _id, unit_id in marks}
            moved_old_paths = _moved_units()
            if not units and not moved_old_paths:
                return total
            _refresh_units(units, extra_paths=moved_old_paths, locked=True)
            Dirty.objects.filter(id__in=[mark_id for mark_id, _u in marks]).delete()
            total += len(units)


def _moved_units():
    """Old paths of units whose path changed since their figures were computed."""
    moved = Figures.objects.filter(year=0).exclude(path=F("unit__path")).values_list("path", flat=True)
    return set(moved)


@dataclass(frozen=True)
class _Unit:
    id: int
    path: str
    depth: int


def _units_by_paths(paths):
    from orgs.models import OrgUnit

    found = {}
    paths = list(paths)
    for start in range(0, len(paths), 500):
        for pk, path, depth in OrgUnit.objects.filter(path__in=paths[start : start + 500]).values_list(
            "pk", "path", "depth"
        ):
            found[pk] = _Unit(pk, path, depth)
    return found


def _units_by_ids(ids):
    from orgs.models import OrgUnit

    found = {}
    ids = list(ids)
    for start in range(0, len(ids), 500):
        for pk, path, depth in OrgUnit.objects.filter(pk__in=ids[start : start + 500]).values_list(
            "pk", "path", "depth"
        ):
            found[pk] = _Unit(pk, path, depth)
    return found


def own_figures(unit_ids) -> dict:
    """{(unit_id, year): {key: n}} of the units' own records, from every registered source."""
    merged = defaultdict(dict)
    for src in registry.sources():
        for (unit_id, year), figures in src.compute(list(unit_ids)).items():
            bucket = merged[(unit_id, year)]
            for key, value in figures.items():
                if value:
                    bucket[key] = bucket.get(key, 0) + value
    return merged


def _add_into(total, figures):
    for key, value in figures.items():
        total[key] = total.get(key, 0) + value


def _refresh_units(unit_ids, *, extra_paths=(), locked=False):
    if not locked:
        _lock()
    now = timezone.now()
    units = _units_by_ids(unit_ids)
    # The marked units, units moved since (their old ancestors are in extra_paths) and all above.
    old_rows = Figures.objects.filter(path__in=list(extra_paths), year=0).values_list("unit_id", flat=True)
    units.update(_units_by_ids(set(old_rows) - set(units)))
    above = set(ancestor_paths([u.path for u in units.values()]))
    above |= set(ancestor_paths(list(extra_paths)))
    everyone = dict(units)
    everyone.update(_units_by_paths(above))

    _write_own(units, now)
    _write_subtrees(everyone, now)


def _write_own(units, now):
    computed = own_figures(units.keys())
    stored = {(f.unit_id, f.year): f for f in _rows_of(units)}
    changed, created = [], []
    years_of = defaultdict(set)
    for unit_id, year in [*computed, *stored]:
        years_of[unit_id].add(year)
    for unit_id, unit in units.items():
        for year in years_of[unit_id] | {0}:
            own = computed.get((unit_id, year), {})
            row = stored.get((unit_id, year))
            if row is None:
                created.append(
                    Figures(unit_id=unit_id, year=year, own=own, subtree={}, path=unit.path, refreshed_at=now)
                )
            else:
                row.own, row.refreshed_at = own, now
                changed.append(row)
    Figures.objects.bulk_create(created, batch_size=1000)
    Figures.objects.bulk_update(changed, ["own", "refreshed_at"], batch_size=1000)


def _rows_of(units):
    ids = list(units)
    rows = []
    for start in range(0, len(ids), 500):
        rows.extend(Figures.objects.filter(unit_id__in=ids[start : start + 500]))
    return rows


def _children_rows(parents):
    """Figures rows of the children of ``parents`` (units), grouped by parent id."""
    from django.db.models import Q

    from orgs.access import subtree_range
    from orgs.models import OrgUnit

    by_parent = defaultdict(list)
    parents = list(parents)
    for start in range(0, len(parents), 100):
        part = parents[start : start + 100]
        ranges = Q()
        for parent in part:
            ranges |= Q(unit__path__range=subtree_range(parent.path), unit__depth=parent.depth + 1)
        length = {p.path: p.id for p in part}
        rows = Figures.objects.filter(ranges).values_list("unit__path", "year", "subtree")
        for path, year, subtree in rows:
            parent_id = length[path[: len(path) - OrgUnit.steplen]]
            by_parent[parent_id].append((year, subtree))
    return by_parent


def _write_subtrees(units, now):
    """Bottom-up: each unit's subtree = own + the children's subtrees (children already current)."""
    by_depth = defaultdict(list)
    for unit in units.values():
        by_depth[unit.depth].append(unit)
    for depth in sorted(by_depth, reverse=True):
        level = by_depth[depth]
        children = _children_rows(level)
        rows = defaultdict(dict)  # unit id -> year -> row
        for row in _rows_of({u.id: u for u in level}):
            rows[row.unit_id][row.year] = row
        changed, created = [], []
        for unit in level:
            totals = defaultdict(dict)
            for year, row in rows[unit.id].items():
                _add_into(totals[year], row.own)
            for year, subtree in children.get(unit.id, []):
                _add_into(totals[year], subtree)
            totals.setdefault(0, {})
            for year in set(totals) | set(rows[unit.id]):
                subtree = {k: v for k, v in totals.get(year, {}).items() if v}
                row = rows[unit.id].get(year)
                if row is None:
                    created.append(
                        Figures(unit_id=unit.id, year=year, own={}, subtree=subtree, path=unit.path, refreshed_at=now)
                    )
                else:
                    row.subtree, row.path, row.refreshed_at = subtree, unit.path, now
                    changed.append(row)
        Figures.objects.bulk_create(created, batch_size=1000)
        Figures.objects.bulk_update(changed, ["subtree", "path", "refreshed_at"], batch_size=1000)


# --- From scratch ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drift:
    unit_id: int
    unit_code: str
    year: int
    part: str  # "own" or "subtree"
    key: str
    stored: int
    actual: int


def _all_units():
    from orgs.models import OrgUnit

    return {pk: _Unit(pk, path, depth) for pk, path, depth in OrgUnit.objects.values_list("pk", "path", "depth")}


def recompute_all():
    """{(unit_id, year): (own, subtree)} for every unit, from the records themselves."""
    from orgs.models import OrgUnit

    units = _all_units()
    own = own_figures(units.keys())
    subtree = defaultdict(dict)
    by_path = {u.path: u.id for u in units.values()}
    for (unit_id, year), figures in own.items():
        path = units[unit_id].path
        for end in range(OrgUnit.steplen, len(path) + 1, OrgUnit.steplen):
            _add_into(subtree[(by_path[path[:end]], year)], figures)
    keys = set(own) | set(subtree)
    return units, {key: (own.get(key, {}), subtree.get(key, {})) for key in keys}


def drift(*, fix=False):
    """Every difference between the stored roll-ups and a recomputation; ``fix`` writes the latter."""
    from orgs.models import OrgUnit

    with transaction.atomic():
        _lock()
        units, actual = recompute_all()
        codes = dict(OrgUnit.objects.values_list("pk", "code"))
        stored = {(f.unit_id, f.year): f for f in Figures.objects.all()}
        found = []
        for key in sorted(set(actual) | set(stored)):
            unit_id, year = key
            own, subtree = actual.get(key, ({}, {}))
            row = stored.get(key)
            for part, want, have in (
                ("own", own, row.own if row else {}),
                ("subtree", subtree, row.subtree if row else {}),
            ):
                for name in sorted(set(want) | set(have)):
                    if want.get(name, 0) != have.get(name, 0):
                        found.append(
                            Drift(
                                unit_id, codes.get(unit_id, "?"), year, part, name, have.get(name, 0), want.get(name, 0)
                            )
                        )
            if row is not None and unit_id in units and row.path != units[unit_id].path and year == 0:
                found.append(Drift(unit_id, codes.get(unit_id, "?"), year, "path", row.path, 0, 0))
        if fix and found:
            _rewrite(units, actual, stored)
        return found


def _rewrite(units, actual, stored):
    now = timezone.now()
    Dirty.objects.all().delete()
    created, changed = [], []
    for (unit_id, year), (own, subtree) in actual.items():
        row = stored.pop((unit_id, year), None)
        if row is None:
            created.append(
                Figures(
                    unit_id=unit_id, year=year, own=own, subtree=subtree, path=units[unit_id].path, refreshed_at=now
                )
            )
        else:
            row.own, row.subtree, row.path, row.refreshed_at = own, subtree, units[unit_id].path, now
            changed.append(row)
    for row in stored.values():  # rows for which nothing is counted any more
        row.own, row.subtree, row.refreshed_at = {}, {}, now
        row.path = units[row.unit_id].path if row.unit_id in units else row.path
        changed.append(row)
    Figures.objects.bulk_create(created, batch_size=1000)
    Figures.objects.bulk_update(changed, ["own", "subtree", "path", "refreshed_at"], batch_size=1000)


def pending_since(unit) -> datetime.datetime | None:
    """When the oldest change not yet in ``unit``'s figures was made (None: all counted)."""
    from orgs.access import subtree_range
    from orgs.models import OrgUnit

    below = OrgUnit.objects.filter(path__range=subtree_range(unit.path)).values("pk")
    return Dirty.objects.filter(unit_id__in=below).order_by("created_at").values_list("created_at", flat=True).first()
