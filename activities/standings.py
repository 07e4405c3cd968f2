"""League tables, ranked results and place points, independent of the database.

The tie-break rules are stated once here (TIE_BREAK_RULES) and shown on the standings
page, so what officers read is what the code does.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

TIE_BREAK_RULES = [
    _("积分高者名次列前（胜一场得胜分，平一场得平分，负一场得负分，弃权不得分）。"),
    _("积分相同时，比较相关各方之间相互比赛的积分。"),
    _("仍相同时，比较全部比赛的净胜分（局）。"),
    _("仍相同时，比较全部比赛的总得分（局）。"),
    _("仍相同则名次并列。"),
]

RANKED_RULES = [
    _("按成绩排名：计时项目用时少者列前，计分项目得分高者列前。"),
    _("成绩相同则名次并列，下一名次顺延（如两个第 2 名之后为第 4 名）。"),
]


@dataclass(frozen=True)
class PointsRule:
    win: int = 2
    draw: int = 1
    loss: int = 1
    forfeit: int = 0  # a loss by walkover


@dataclass(frozen=True)
class Result:
    home: object
    away: object
    home_score: int
    away_score: int
    forfeit: object = None  # the entrant who gave up, if the match was a walkover


@dataclass
class Row:
    entrant: object
    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    scored: int = 0
    conceded: int = 0
    points: int = 0
    place: int = 0
    tie_note: str = ""
    head_to_head: int = field(default=0, repr=False)
    entry: object = field(default=None, repr=False, compare=False)  # what the entrant stands for, to show

    @property
    def difference(self):
        return self.scored - self.conceded


def _points(result, rule):
    """(home points, away points) of one result."""
    if result.forfeit is not None:
        if result.forfeit == result.home:
            return rule.forfeit, rule.win
        return rule.win, rule.forfeit
    if result.home_score > result.away_score:
        return rule.win, rule.loss
    if result.home_score < result.away_score:
        return rule.loss, rule.win
    return rule.draw, rule.draw


def league_table(entrants, results, rule=PointsRule()):
    """Rows in finishing order with places; entrants without results still appear (0 played)."""
    rows = {entrant: Row(entrant) for entrant in entrants}
    for result in results:
        home, away = rows[result.home], rows[result.away]
        home_points, away_points = _points(result, rule)
        for row, scored, conceded, points in (
            (home, result.home_score, result.away_score, home_points),
            (away, result.away_score, result.home_score, away_points),
        ):
            row.played += 1
            row.scored += scored
            row.conceded += conceded
            row.points += points
            if scored > conceded:
                row.won += 1
            elif scored < conceded:
                row.lost += 1
            else:
                row.drawn += 1
    by_points = defaultdict(list)
    for row in rows.values():
        by_points[row.points].append(row)
    for tied in by_points.values():
        if len(tied) < 2:
            continue
        group = {row.entrant for row in tied}
        for result in results:
            if result.home in group and result.away in group:
                home_points, away_points = _points(result, rule)
                rows[result.home].head_to_head += home_points
                rows[result.away].head_to_head += away_points
    ordered = sorted(rows.values(), key=_sort_key, reverse=True)
    assign_places(ordered, _sort_key)
    return ordered


def _sort_key(row):
    return (row.points, row.head_to_head, row.difference, row.scored)


def assign_places(ordered, key):
    """Competition ranking (1, 2, 2, 4): equal keys share a place, the next place is skipped."""
    for index, row in enumerate(ordered):
        if index and key(row) == key(ordered[index - 1]):
            row.place = ordered[index - 1].place
        else:
            row.place = index + 1


@dataclass
class RankedRow:
    entrant: object
    value: Decimal
    place: int = 0


def ranked(values, *, lower_is_better):
    """Places from times (lower is better) or scores (higher is better): {entrant: value}."""
    rows = [RankedRow(entrant, Decimal(value)) for entrant, value in values.items()]
    rows.sort(key=lambda r: r.value, reverse=not lower_is_better)
    assign_places(rows, lambda r: r.value)
    return rows


DEFAULT_PLACE_POINTS = (9, 7, 6, 5, 4, 3, 2, 1)


def place_points(places, table=DEFAULT_PLACE_POINTS):
    """Team points for final places {entrant: place}; tied entrants share the points of the places they cover.

    Two entrants tied for 2nd take (7 + 6) / 2 each with the default table, so the points
    handed out never depend on how a tie was broken.
    """
    by_place = defaultdict(list)
    for entrant, place in places.items():
        by_place[place].append(entrant)
    awarded = {}
    for place, tied in by_place.items():
        covered = [table[p - 1] if p - 1 < len(table) else 0 for p in range(place, place + len(tied))]
        share = Decimal(sum(covered)) / len(tied)
        for entrant in tied:
            awarded[entrant] = share.quantize(Decimal("0.01"))
    return awarded
