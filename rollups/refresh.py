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

from django.db import reset_queries, transaction
from django.db.models import F
from django.utils import timezone

from core import bulk
from orgs.access import ancestor_paths
from rollups import registry
from rollups.models import Dirty, Figures
from rollups.sources import CHUNK_POSTGRESQL

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
            _refresh_units(units, extra_paths=moved_old_paths, locked=True, follows_moves=True)
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


def _refresh_units(unit_ids, *, extra_paths=(), locked=False, follows_moves=False):
    """Recompute ``unit_ids`` and everything above them. A row's stored path is how a later refresh
    finds that the unit moved and recomputes its old ancestors: only a refresh that has followed the
    moves (``follows_moves``, with their old paths in ``extra_paths``) may bring it up to date. One in
    a change's transaction (``touch(now=True)``, such as the history save of ``unit_move`` itself)
    leaves it, so the worker still takes the moved units out of their old ancestors' totals."""
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
    _write_subtrees(everyone, now, follows_moves=follows_moves)


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


def _write_subtrees(units, now, *, follows_moves):
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
                    row.subtree, row.refreshed_at = subtree, now
                    if follows_moves:
                        row.path = unit.path
                    changed.append(row)
        Figures.objects.bulk_create(created, batch_size=1000)
        fields = ["subtree", "path", "refreshed_at"] if follows_moves else ["subtree", "refreshed_at"]
        Figures.objects.bulk_update(changed, fields, batch_size=1000)


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


# Units whose own figures are computed together, from scratch: on PostgreSQL one statement per source.
SCRATCH_UNITS = CHUNK_POSTGRESQL
WRITE_ROWS = 2000  # rows written (or compared) together, from scratch


def _units_in_tree_order():
    """Every unit in path order (a parent before its subtree), a chunk at a time by keyset."""
    from orgs.models import OrgUnit

    after = ""
    while True:
        rows = OrgUnit.objects.filter(path__gt=after).order_by("path").values_list("pk", "path", "depth")
        chunk = [_Unit(*row) for row in rows[:SCRATCH_UNITS]]
        if not chunk:
            return
        yield chunk
        after = chunk[-1].path


def scratch():
    """Every unit's figures from the records: yields (unit, {year: (own, subtree)}), each unit after
    its subtree, year 0 always. Holds the own figures of one chunk of units and the running
    subtree totals of the units above the current one, never the whole tree's."""
    stack = []  # (unit, own by year, subtree by year) of the current unit and its open ancestors
    for chunk in _units_in_tree_order():
        by_unit = defaultdict(dict)
        for (unit_id, year), figures in own_figures([u.id for u in chunk]).items():
            by_unit[unit_id][year] = figures
        for unit in chunk:
            while stack and not unit.path.startswith(stack[-1][0].path):
                yield _close(stack)
            own = by_unit.pop(unit.id, {})
            stack.append((unit, own, {year: dict(figures) for year, figures in own.items()}))
    while stack:
        yield _close(stack)


def _close(stack):
    """Pop the top unit (its subtree complete), add its totals into its parent's; its figures."""
    unit, own, subtree = stack.pop()
    if stack:
        above = stack[-1][2]
        for year, figures in subtree.items():
            _add_into(above.setdefault(year, {}), figures)
    years = set(own) | set(subtree) | {0}
    return unit, {year: (own.get(year, {}), {k: v for k, v in subtree.get(year, {}).items() if v}) for year in years}


def _batches(units_figures, size):
    batch, rows = [], 0
    for item in units_figures:
        batch.append(item)
        rows += len(item[1])
        if rows >= size:
            yield batch
            batch, rows = [], 0
    if batch:
        yield batch


def recompute_all():
    """({unit_id: unit}, {(unit_id, year): (own, subtree)}) for every unit, from the records (tests;
    drift() and rebuild() stream the same figures instead of holding them)."""
    units, actual = {}, {}
    for unit, years in scratch():
        units[unit.id] = unit
        for year, pair in years.items():
            actual[(unit.id, year)] = pair
    return units, actual


def drift(*, fix=False):
    """Every difference between the stored roll-ups and a recomputation; ``fix`` writes the latter."""
    with transaction.atomic():
        _lock()
        if fix:
            Dirty.objects.all().delete()  # every unit is recomputed below
        found = []
        for batch in _batches(scratch(), WRITE_ROWS):
            found.extend(_compare(batch, fix=fix, now=timezone.now()))
            reset_queries()  # DEBUG's log would otherwise keep every batch's statements
        return found


def _compare(batch, *, fix, now):
    """The drifts of a batch of units' rows (all years of each); with ``fix``, rewrite those rows."""
    from orgs.models import OrgUnit

    stored = defaultdict(dict)
    for row in Figures.objects.filter(unit_id__in=[unit.id for unit, _years in batch]):
        stored[row.unit_id][row.year] = row
    found, created, changed = [], [], []
    for unit, years in batch:
        rows = stored[unit.id]
        for year in sorted(set(years) | set(rows)):
            own, subtree = years.get(year, ({}, {}))
            row = rows.get(year)
            drifts = [
                (part, name, have.get(name, 0), want.get(name, 0))
                for part, want, have in (
                    ("own", own, row.own if row else {}),
                    ("subtree", subtree, row.subtree if row else {}),
                )
                for name in sorted(set(want) | set(have))
                if want.get(name, 0) != have.get(name, 0)
            ]
            if row is not None and year == 0 and row.path != unit.path:
                drifts.append(("path", row.path, 0, 0))
            found.extend((unit.id, year, *d) for d in drifts)
            if not fix or not drifts:
                continue
            if row is None:
                created.append(
                    Figures(unit_id=unit.id, year=year, own=own, subtree=subtree, path=unit.path, refreshed_at=now)
                )
            else:
                row.own, row.subtree, row.path, row.refreshed_at = own, subtree, unit.path, now
                changed.append(row)
    Figures.objects.bulk_create(created, batch_size=1000)
    Figures.objects.bulk_update(changed, ["own", "subtree", "path", "refreshed_at"], batch_size=1000)
    codes = dict(OrgUnit.objects.filter(pk__in={d[0] for d in found}).values_list("pk", "code")) if found else {}
    return [Drift(unit_id, codes.get(unit_id, "?"), year, *rest) for unit_id, year, *rest in found]


def rebuild():
    """Every roll-up from scratch into an emptied table, nothing compared (seed_scale)."""
    with transaction.atomic():
        _lock()
        Dirty.objects.all().delete()
        Figures.objects.all().delete()
        now = timezone.now()
        for batch in _batches(scratch(), WRITE_ROWS):
            # By COPY on PostgreSQL, where bulk_create's arrays of JSON took half the time of a rebuild.
            bulk.insert(
                Figures(unit_id=unit.id, year=year, own=own, subtree=subtree, path=unit.path, refreshed_at=now)
                for unit, years in batch
                for year, (own, subtree) in years.items()
            )
            reset_queries()  # DEBUG's log would otherwise keep every batch's statements


def pending_since(unit) -> datetime.datetime | None:
    """When the oldest change not yet in ``unit``'s figures was made (None: all counted)."""
    from orgs.access import subtree_range
    from orgs.models import OrgUnit

    below = OrgUnit.objects.filter(path__range=subtree_range(unit.path)).values("pk")
    return Dirty.objects.filter(unit_id__in=below).order_by("created_at").values_list("created_at", flat=True).first()
