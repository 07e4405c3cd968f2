"""The federation's statistics: the units directly below ranked by any figure, the year before
beside it, and the report of every unit below as .xlsx. Every figure comes from the roll-ups."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orgs.models import OrgUnit
from rollups import read

# (key, label, measure): what the ranking may be ordered by, and the report's columns.
FIGURES = [
    ("members", _("会员人数"), _("人")),
    ("women", _("女会员"), _("人")),
    # Whoever joined in the year, whatever their status now: as the plan's target, the summary and the
    # filings count 当年新入会 (members.figures.members_joined).
    ("entered", _("本年新入会"), _("人")),
    ("held", _("举办活动"), _("次")),
    ("participant_times", _("参与人次"), _("人次")),
    ("participants", _("参加过活动的会员"), _("人")),
    ("participation_rate", _("会员活动参与率"), "%"),
    ("items", pgettext_lazy("count", "计划事项"), _("项")),
    ("done", _("已完成事项"), _("项")),
    ("overdue", _("逾期事项"), _("项")),
    # Care (care.rollup): counts and amounts only. Files in hardship are counted as they are now.
    ("households", _("在档困难职工户数"), _("户")),
    ("songnuan", _("送温暖慰问人次"), _("人次")),
    ("care_amount", _("帮扶救助金额"), _("元")),
    ("lifted", _("当年脱困户数"), _("户")),
    ("rights_cases", _("受理维权求助件数"), _("件")),
    ("recovered", _("挽回经济损失"), _("元")),
    # Democratic management (democracy.rollup): those submitted in the year, and of them those answered.
    ("proposals", _("代表提案"), _("件")),
    ("proposals_answered", _("提案已答复"), _("件")),
    ("proposals_accepted", _("提案立案"), _("件")),
    ("proposal_satisfaction", _("提案满意率"), "%"),
    ("suggestions", pgettext_lazy("count", "合理化建议"), _("条")),
    ("suggestions_answered", _("建议已答复"), _("条")),
]
FIGURE_KEYS = [key for key, _label, _measure in FIGURES]
# Counted as it is now, not kept per year: a past year shows no value for it. (A past year's members and
# women are counted as the year ended, from the dates the roster keeps: rollups.read.Overview.value.)
CURRENT_ONLY = {"participation_rate", "households"}
MONEY = {"care_amount", "recovered"}  # yuan with two decimals (stored as whole fen)
MAX_CHILDREN = 3000  # units directly below one unit: more than any federation has


@dataclass(frozen=True)
class Row:
    unit: OrgUnit
    values: dict  # figure key -> this year's value
    last: dict  # figure key -> last year's value

    @property
    def cells(self):
        """(key, value, measure) of each figure in FIGURES' order: the ranking writes a rate's "%" after it."""
        return [(key, self.values[key], measure) for key, _label, measure in FIGURES]

    def change(self, key):
        now, before = self.values.get(key), self.last.get(key)
        if now is None or before is None:
            return None
        return Decimal(now) - Decimal(before)


def _values(overview, today, *, past=False):
    return {key: None if past and key in CURRENT_ONLY else overview.value(key, today) for key in FIGURE_KEYS}


def ranking(unit, *, year, sort, today) -> tuple[Row, list[Row]]:
    """The unit's own totals and its children's rows, ordered by ``sort`` (highest first)."""
    children = list(
        OrgUnit.objects.get_children(unit).only("id", "name", "short_name", "code", "path", "depth", "is_active")[
            :MAX_CHILDREN
        ]
    )
    ids = [unit.pk, *[c.pk for c in children]]
    now, before = read.for_units(ids, year), read.for_units(ids, year - 1)
    # The year before as it ended (its December and year-round items due too), or as it stands today
    # while it runs; a day of the year itself would count it as still running.
    then = min(today, datetime.date(year, 1, 1))
    # A past year's page shows no figure counted as it is today: today's members are not that year's.
    past = year < today.year
    rows = [Row(c, _values(now[c.pk], today, past=past), _values(before[c.pk], then, past=True)) for c in children]
    rows.sort(key=lambda r: (r.values[sort] is None, -(r.values[sort] or 0), r.unit.path))
    total = Row(unit, _values(now[unit.pk], today, past=past), _values(before[unit.pk], then, past=True))
    return total, rows


def as_of(unit, year):
    return read.for_unit(unit, year).as_of


def report_rows(unit, *, year, today):
    """Every unit of the subtree in tree order with its subtree figures: the statistics report."""
    from orgs.access import subtree_range

    units = OrgUnit.objects.filter(path__range=subtree_range(unit.path)).only(
        "id", "name", "code", "path", "depth", "is_active"
    )
    batch = []
    for member in units.order_by("path").iterator(chunk_size=2000):
        batch.append(member)
        if len(batch) == 2000:
            yield from _report_batch(batch, unit, year, today)
            batch = []
    yield from _report_batch(batch, unit, year, today)


def _report_batch(units, top, year, today):
    figures = read.for_units([u.pk for u in units], year)
    past = year < today.year  # as on the page: no figure counted as it is today in a past year's report
    for unit in units:
        indent = "　" * (unit.depth - top.depth)
        values = _values(figures[unit.pk], today, past=past)
        yield [f"{indent}{unit.name}{unit.inactive_mark}", unit.code, *[_cell(values[k]) for k in FIGURE_KEYS]]


def _cell(value):
    return "" if value is None else value
