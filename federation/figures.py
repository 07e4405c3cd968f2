"""Per-unit figures of the units directly below a federation, for its home page.

``unit_figures(parent, year, today=)`` is the one place they are computed. Members, activities
held and items due come from the maintained roll-ups (one query for all units below, whatever the
size of their subtrees); headcounts and targets from one grouped query each, every unit's subtree
counted by the prefix of the tree path that is its own path.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from federation.models import CallKind, Filing, FilingCall, UnitState
from members.services import share
from orgs.access import subtree_range
from orgs.models import OrgUnit
from rollups import read

SORT_KEYS = (
    "name",
    "plan",
    "items_rate",
    "targets_met",
    "members",
    "membership_rate",
    "activities",
    "summary",
)
_STATE_ORDER = {
    UnitState.ACCEPTED: 0,
    UnitState.FILED: 1,
    UnitState.RETURNED: 2,
    UnitState.DRAFT: 3,
    UnitState.NOT_STARTED: 4,
    UnitState.LATE: 5,
    UnitState.NOT_ASKED: 6,
}


@dataclass(frozen=True)
class UnitFigures:
    unit: OrgUnit
    plan_state: str
    items_due: int
    items_done: int
    targets_total: int
    targets_met: int
    members: int
    headcount: int
    activities: int
    summary_state: str

    @property
    def items_rate(self) -> Decimal | None:
        return Decimal(self.items_done * 100) / self.items_due if self.items_due else None

    @property
    def membership_rate(self) -> Decimal | None:
        return Decimal(self.members * 100) / self.headcount if self.headcount else None

    @property
    def plan_label(self):
        return UnitState(self.plan_state).label

    @property
    def summary_label(self):
        return UnitState(self.summary_state).label

    def sort_value(self, key):
        if key == "name":
            return self.unit.path
        if key in ("plan", "summary"):
            return _STATE_ORDER[self.plan_state if key == "plan" else self.summary_state]
        value = getattr(self, key)
        return Decimal(-1) if value is None else -Decimal(value)  # biggest first, no data last


def _branch(parent, field):
    """The path prefix naming the unit directly below ``parent`` that a row belongs to."""
    return Substr(field, 1, len(parent.path) + OrgUnit.steplen)


def _below(queryset, parent, field):
    low, high = subtree_range(parent.path)
    return (
        queryset.filter(**{f"{field}__range": (low, high)})
        .exclude(**{field: parent.path})
        .annotate(branch=_branch(parent, field))
        .order_by()  # a default ordering (OrgUnit's path) would split the groups
        .values("branch")
    )


def _rolled(children, year):
    """{child path: its subtree's roll-up figures in ``year``}."""
    figures = read.for_units([c.pk for c in children], year)
    return {c.path: figures[c.pk] for c in children}


def _members(rolled):
    return {path: figures.members for path, figures in rolled.items()}


def _headcounts(rolled):
    return {path: figures.headcount for path, figures in rolled.items()}


def _activities(rolled):
    return {path: figures.held for path, figures in rolled.items()}


def _items(rolled, today):
    """Items of published plans due by the end of last month (or the whole year once it is over),
    and those done, by the month first scheduled."""
    return {path: figures.due_by(today) for path, figures in rolled.items()}


def _targets(parent, year, figures_by_branch):
    """Targets of the units' own plans met: typed actuals compared in the query, and live ones whose
    metric is among GROUPED_METRICS."""
    from plans.models import Target, TargetOp

    rows = _below(Target.objects.filter(plan__year=year), parent, "plan__unit__path").filter(
        plan__unit__depth=parent.depth + 1
    )
    result = {}
    for row in rows.values("branch", "op", "value", "metric", "actual_manual"):
        actual = (
            row["actual_manual"] if not row["metric"] else figures_by_branch.get(row["branch"], {}).get(row["metric"])
        )
        total, met = result.get(row["branch"], (0, 0))
        ok = actual is not None and (
            actual >= row["value"]
            if row["op"] == TargetOp.AT_LEAST
            else actual <= row["value"]
            if row["op"] == TargetOp.AT_MOST
            else actual == row["value"]
        )
        result[row["branch"]] = (total + 1, met + ok)
    return result


def _filing_states(parent, year, kinds, today):
    """{kind: (each unit's state for the parent's call of that kind in ``year``, the call)}, the
    latest call of each kind if several (None when there is none): both kinds in two statements."""
    calls = {}
    for call in FilingCall.objects.filter(unit=parent, kind__in=kinds, year=year).order_by("-due", "-pk"):
        calls.setdefault(call.kind, call)
    states = {kind: {} for kind in kinds}
    if calls:
        kind_of = {call.pk: kind for kind, call in calls.items()}
        for filing in Filing.objects.filter(call__in=list(calls.values())).only("unit_id", "status", "due", "call_id"):
            states[kind_of[filing.call_id]][filing.unit_id] = filing.unit_state(today)
    return {kind: (states[kind], calls.get(kind)) for kind in kinds}


def metric_values(figures: read.Overview, today) -> dict:
    """The metrics (core.figures) of one subtree that its roll-up holds, by their own definitions:
    the same value, rounding included, that ``metric_value`` would compute from the records."""
    return {
        "members.count": figures.members,
        "members.membership_rate": share(figures.members, figures.headcount),
        "members.joined": figures.entered,  # whatever their status now, as members.figures counts
        "members.women_share": share(figures.women, figures.members),
        "activities.held": figures.held,
        "activities.participant_times": figures.participant_times,
        "activities.participation_rate": figures.participation_rate,
        "plans.items_done_rate": figures.items_done_rate(today),
    }


# The metrics this module computes for all units below at once, from their roll-ups; other metrics
# are computed unit by unit by whoever needs them.
GROUPED_METRICS = frozenset(
    {
        "members.count",
        "members.membership_rate",
        "members.joined",
        "members.women_share",
        "activities.held",
        "activities.participant_times",
        "activities.participation_rate",
        "plans.items_done_rate",
    }
)


def metric_by_unit(parent, key, year, *, today, children) -> dict[int, Decimal | None] | None:
    """``key``'s value for each unit below ``parent`` in one query, or None when ``key`` is not one
    of GROUPED_METRICS (the caller then asks core.figures unit by unit)."""
    if key not in GROUPED_METRICS:
        return None
    rolled = _rolled(children, year)
    return {child.pk: metric_values(rolled[child.path], today)[key] for child in children}


def unit_figures(parent, year, *, today, limit=None) -> list[UnitFigures]:
    """Figures of every active unit directly below ``parent`` for ``year``, in tree order (the
    first ``limit`` of them only, when given)."""
    children = list(
        OrgUnit.objects.filter(is_active=True, depth=parent.depth + 1)
        .filter(path__range=subtree_range(parent.path))
        .order_by("path")[:limit]
    )
    rolled = _rolled(children, year)
    members = _members(rolled)
    headcounts = _headcounts(rolled)
    activities = _activities(rolled)
    items = _items(rolled, today)
    targets = _targets(parent, year, {path: metric_values(figures, today) for path, figures in rolled.items()})
    filed = _filing_states(parent, year, [CallKind.PLAN, CallKind.SUMMARY], today)
    (plans, plan_call), (summaries, summary_call) = filed[CallKind.PLAN], filed[CallKind.SUMMARY]
    return [
        UnitFigures(
            unit=child,
            plan_state=plans.get(child.pk, _unfiled(plan_call, child, today)),
            items_due=items.get(child.path, (0, 0))[0],
            items_done=items.get(child.path, (0, 0))[1],
            targets_total=targets.get(child.path, (0, 0))[0],
            targets_met=targets.get(child.path, (0, 0))[1],
            members=members.get(child.path, 0),
            headcount=headcounts.get(child.path, 0),
            activities=activities.get(child.path, 0),
            summary_state=summaries.get(child.pk, _unfiled(summary_call, child, today)),
        )
        for child in children
    ]


def _unfiled(call, unit, today):
    if call is not None and not call.asks(unit):
        return UnitState.NOT_ASKED
    return UnitState.LATE if call is not None and today > call.due else UnitState.NOT_STARTED


def sort_columns():
    """The table's columns as (sort key, heading)."""
    return [
        ("name", _("单位")),
        ("plan", _("计划报备")),
        ("items_rate", _("事项按期完成率")),
        ("targets_met", _("目标达成")),
        ("members", pgettext_lazy("count", "会员")),
        ("membership_rate", _("入会率")),
        ("activities", _("活动")),
        ("summary", _("总结报备")),
    ]


def sort_figures(rows, key, descending=False):
    key = key if key in SORT_KEYS else "name"
    ordered = sorted(rows, key=lambda r: r.sort_value(key))
    return list(reversed(ordered)) if descending else ordered
