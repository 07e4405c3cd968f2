"""Sports workflows: entries within quotas, the draw, results, final places and the unit ranking.

The pure rules live in ``brackets`` and ``standings``; this module stores their outcome.
Final places and team points are written to the entries whenever a result changes, so the
unit ranking is one aggregate query.
"""

import dataclasses
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from activities import brackets, standings
from activities.models import Entry, EventFormat, EventKind, Match, SportsEvent, Status
from activities.services import ActivityError


def open_for_changes(activity) -> bool:
    """Whether a meeting's events, entries and results may still change: not once the activity is
    cancelled (its members were told it will not take place; what was entered stays as the record).
    A held meeting still takes results, which are often typed in afterwards."""
    return activity.status != Status.CANCELLED


def _refuse_if_cancelled(activity):
    if not open_for_changes(activity):
        raise ActivityError(_("活动已取消，比赛项目、报名和成绩不能再修改。"))


def event_create(*, activity, event) -> SportsEvent:
    """Add an event (an unsaved SportsEvent from the form) at the end of the meeting's list."""
    _refuse_if_cancelled(activity)
    with transaction.atomic():
        event.activity = activity
        event.order = activity.sports_events.count()
        event.save()
        return event


def entry_add(*, event, unit, member=None, name="", seed=None):
    """Enter a person or a team for a unit, within the event's quota per unit."""
    _refuse_if_cancelled(event.activity)
    with transaction.atomic():
        # Entries for one event queue on its row: two officers entering at once would each count the
        # quota without the other's entry, or enter the same person twice.
        SportsEvent.objects.select_for_update().filter(pk=event.pk).first()
        if event.matches.filter(home_score__isnull=False).exists():
            raise ActivityError(_("已有比赛成绩，不能再增加参赛者。"))
        # A late entry voids a draw nobody has played yet; the page then offers to draw again.
        event.matches.all().delete()
        if event.kind == EventKind.INDIVIDUAL:
            if member is None:
                raise ActivityError(_("个人项目请选择运动员。"))
            if event.entries.filter(member=member).exists():
                raise ActivityError(_("%(name)s已报名本项目。") % {"name": member.name})
            unit = member.unit
        if event.quota_per_unit is not None:
            taken = event.entries.filter(unit=unit).count()
            if taken >= event.quota_per_unit:
                raise ActivityError(
                    _("%(unit)s本项目已报 %(taken)s 个，已达每单位限报数。")
                    % {"unit": unit.display_name, "taken": taken}
                )
        return Entry.objects.create(event=event, unit=unit, member=member, name=name, seed=seed)


def _results_in(event) -> bool:
    return (
        event.matches.filter(home_score__isnull=False).exists()
        or event.entries.filter(Q(result__isnull=False) | Q(place__isnull=False)).exists()
    )


def event_update(*, event, fields) -> SportsEvent:
    """Save an officer's changes to ``fields`` of an event (its name, its quota) until results are in;
    whether it is for persons or teams, and how it is played, only while nobody has entered. Under the
    event's row lock, which an entry takes too."""
    _refuse_if_cancelled(event.activity)
    with transaction.atomic():
        SportsEvent.objects.select_for_update().filter(pk=event.pk).first()
        if _results_in(event):
            raise ActivityError(_("已有比赛成绩，项目不能再修改。"))
        if {"kind", "format"} & set(fields) and event.entries.exists():
            raise ActivityError(_("已有报名，个人或团体、赛制不能再改；请先删除参赛者。"))
        event.save(update_fields=fields)
        return event


def event_delete(*, event) -> None:
    """Delete an event added by mistake, while nobody has entered it."""
    _refuse_if_cancelled(event.activity)
    with transaction.atomic():
        SportsEvent.objects.select_for_update().filter(pk=event.pk).first()
        if event.entries.exists():
            raise ActivityError(_("已有报名的项目不能删除，请先删除参赛者。"))
        event.delete()


def entry_remove(*, entry) -> bool:
    """Withdraw an entry before any result is in; the draw without it is void. Returns whether
    there was a draw to make again."""
    event = entry.event
    _refuse_if_cancelled(event.activity)
    with transaction.atomic():
        if event.matches.filter(home_score__isnull=False).exists():
            raise ActivityError(_("已有比赛成绩，不能再删除参赛者。"))
        had_draw = event.matches.exists()
        event.matches.all().delete()
        entry.delete()
        refresh_places(event)
    return had_draw


def draw_make(*, event, rng=None):
    """Draw the matches: seeds in order, the others by lot; knockout byes advance at once."""
    _refuse_if_cancelled(event.activity)
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        if event.matches.filter(home_score__isnull=False).exists():
            raise ActivityError(_("已有比赛成绩，不能重新抽签。"))
        event.matches.all().delete()
        entries = list(event.entries.all())
        if len(entries) < 2:
            raise ActivityError(_("至少需要两名（队）参赛者才能抽签。"))
        seeded = sorted((e for e in entries if e.seed), key=lambda e: e.seed)
        unseeded = [e for e in entries if not e.seed]
        rng.shuffle(unseeded)
        order = [e.pk for e in [*seeded, *unseeded]]
        if event.format == EventFormat.ROUND_ROBIN:
            pairings = brackets.round_robin(order)
            Match.objects.bulk_create(
                Match(event=event, round=p.round, position=p.position, home_id=p.home, away_id=p.away) for p in pairings
            )
        elif event.format == EventFormat.KNOCKOUT:
            _knockout_create(event, order)
        else:
            raise ActivityError(_("按成绩排名的项目不需要抽签。"))
        refresh_places(event)


def _knockout_create(event, order):
    first = brackets.single_elimination(order)
    matches = [
        Match(event=event, round=1, position=p.position, home_id=p.home, away_id=p.away, is_bye=p.is_bye) for p in first
    ]
    size = len(first)
    for round_number in range(2, brackets.elimination_rounds(len(order)) + 1):
        size //= 2
        matches += [Match(event=event, round=round_number, position=i) for i in range(size)]
    Match.objects.bulk_create(matches)
    for p in first:
        if p.is_bye:
            _advance(event, 1, p.position, p.home)


def _advance(event, round_number, position, winner_id):
    target, side = brackets.next_position(position)
    Match.objects.filter(event=event, round=round_number + 1, position=target).update(**{f"{side}_id": winner_id})


def match_record(*, match, home_score, away_score):
    """Enter or correct a match result; in a knockout the winner moves on to the next round."""
    event = match.event
    _refuse_if_cancelled(event.activity)
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.is_bye or match.home_id is None or match.away_id is None:
            raise ActivityError(_("对阵双方尚未确定，不能录入成绩。"))
        if event.format == EventFormat.KNOCKOUT:
            if home_score == away_score:
                raise ActivityError(_("淘汰赛必须分出胜负，请录入决胜局后的比分。"))
            target, side = brackets.next_position(match.position)
            following = Match.objects.filter(event=event, round=match.round + 1, position=target).first()
            if following is not None and following.is_played:
                raise ActivityError(_("下一轮比赛已有成绩，不能再修改本场比分。"))
        match.home_score, match.away_score = home_score, away_score
        match.save(update_fields=["home_score", "away_score"])
        if event.format == EventFormat.KNOCKOUT:
            _advance(event, match.round, match.position, match.winner.pk)
        refresh_places(event)
        return match


def settled_matches(event, matches) -> set:
    """Ids of the knockout matches whose winner has played the next round already: match_record refuses
    to change them, so the page shows their score rather than a form."""
    if event.format != EventFormat.KNOCKOUT:
        return set()
    played = {(m.round, m.position) for m in matches if m.is_played}
    return {m.pk for m in matches if (m.round + 1, brackets.next_position(m.position)[0]) in played}


def results_record(*, event, results):
    """Results of a ranked event: {entry id: value or None}."""
    _refuse_if_cancelled(event.activity)
    with transaction.atomic():
        for entry in event.entries.all():
            if entry.pk in results:
                entry.result = results[entry.pk]
                entry.save(update_fields=["result"])
        refresh_places(event)


def league_rows(event, entries=None, matches=None):
    """The event's league table (round robin): standings rows, each with the Entry it is about (``entry``)."""
    entries = entries if entries is not None else list(event.entries.select_related("member", "unit"))
    matches = matches if matches is not None else list(event.matches.all())
    by_id = {e.pk: e for e in entries}
    results = [standings.Result(m.home_id, m.away_id, m.home_score, m.away_score) for m in matches if m.is_played]
    rule = standings.PointsRule(win=event.win_points, draw=event.draw_points, loss=event.loss_points)
    rows = standings.league_table(by_id, results, rule)
    return [dataclasses.replace(row, entry=by_id[row.entrant]) for row in rows]


def final_places(event, entries, matches):
    """{entry id: place} once they are known; an unfinished event gives what is settled so far."""
    if event.format == EventFormat.RANKED:
        values = {e.pk: e.result for e in entries if e.result is not None}
        return {r.entrant: r.place for r in standings.ranked(values, lower_is_better=event.lower_is_better)}
    if event.format == EventFormat.ROUND_ROBIN:
        if not matches or any(not m.is_played for m in matches):
            return {}
        return {row.entrant: row.place for row in league_rows(event, entries, matches)}
    return _knockout_places(matches)


def _knockout_places(matches):
    """Champion 1, runner-up 2, both losing semi-finalists 3, quarter-final losers 5 ..."""
    if not matches:
        return {}
    last_round = max(m.round for m in matches)
    places = {}
    for m in matches:
        loser = m.loser
        if loser is not None:
            places[loser.pk] = 2 ** (last_round - m.round) + 1
    final = next(m for m in matches if m.round == last_round)
    if final.winner is not None:
        places[final.winner.pk] = 1
    return places


def refresh_places(event):
    entries = list(event.entries.all())
    matches = list(event.matches.select_related("home", "away"))
    places = final_places(event, entries, matches)
    points = standings.place_points(places) if event.counts_for_units else {}
    changed = []
    for entry in entries:
        place, earned = places.get(entry.pk), points.get(entry.pk)
        if (entry.place, entry.points) != (place, earned):
            entry.place, entry.points = place, earned
            changed.append(entry)
    Entry.objects.bulk_update(changed, ["place", "points"])


def unit_ranking(activity):
    """Units by team points over every event that counts, with their medals, in one query."""
    rows = list(
        Entry.objects.filter(event__activity=activity, event__counts_for_units=True, points__isnull=False)
        .values("unit", "unit__name", "unit__short_name", "unit__path")
        .annotate(
            total=Sum("points"),
            firsts=Count("id", filter=Q(place=1)),
            seconds=Count("id", filter=Q(place=2)),
            thirds=Count("id", filter=Q(place=3)),
        )
        .order_by()
    )
    # Shared places' points (7.33) summed by SQLite come back as binary fractions (25.8300000000000, or
    # 25.829999... beside another unit's 25.83): the total in hundredths, compared and ordered here.
    for row in rows:
        row["total"] = Decimal(str(row["total"])).quantize(Decimal("0.01"))
    rows.sort(key=lambda r: (-r["total"], -r["firsts"], -r["seconds"], -r["thirds"], r["unit__path"]))
    previous = None
    for index, row in enumerate(rows):
        key = (row["total"], row["firsts"], row["seconds"], row["thirds"])
        row["place"] = previous["place"] if previous and previous["key"] == key else index + 1
        row["key"] = key
        row["name"] = row["unit__short_name"] or row["unit__name"]
        previous = row
    return rows


def rounds_of(matches):
    grouped = defaultdict(list)
    for match in matches:
        grouped[match.round].append(match)
    return [grouped[number] for number in sorted(grouped)]
