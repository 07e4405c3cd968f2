"""Competitions at work: scoring rounds over the period, judges' scores, rankings and winners.

Per round, a contestant's score on an item is the judges' combined score (``scoring``), the
round total weights the items, and the overall score is the mean of the round totals, a
round without a score counting 0 (a team that skipped a month cannot overtake one that took part).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Competition, Contestant, Period, Round, Score, ScoringItem
from activities.scoring import CENT, combine_judges, weighted_total
from activities.services import ActivityError
from activities.standings import assign_places
from core.notifications import notify
from core.unique import once
from orgs.access import EVERYTHING, scope_paths, subtree_q

RANKING_RULES = [
    gettext_lazy("每个评分项目：评委 5 人及以上时去掉一个最高分和一个最低分后取平均，不足 5 人时取全部评委的平均分。"),
    gettext_lazy("每轮得分：各评分项目得分（满分 100）按权重加权求和。"),
    gettext_lazy("总成绩：各轮得分的平均值，未参加的轮次按 0 分计。"),
    gettext_lazy("成绩相同则名次并列。"),
]


def _month_end(day):
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def round_label(period, first_day):
    """The name of a scoring round, in the reader's language: "2027年3月", "2027年第1季度"."""
    if period == Period.MONTHLY:
        return _("%(year)s年%(month)s月") % {"year": first_day.year, "month": first_day.month}
    if period == Period.QUARTERLY:
        quarter = (first_day.month - 1) // 3 + 1
        return _("%(year)s年第%(quarter)s季度") % {"year": first_day.year, "quarter": quarter}
    return _("评定")


def round_spans(competition):
    """(label, first day, last day) of each scoring round over the competition's period."""
    start, end = competition.starts_on, competition.ends_on
    if competition.period == Period.SINGLE:
        return [(round_label(Period.SINGLE, start), start, end)]
    spans = []
    day = start
    while day <= end:
        if competition.period == Period.MONTHLY:
            last = _month_end(day)
        else:
            quarter = (day.month - 1) // 3
            last = _month_end(datetime.date(day.year, quarter * 3 + 3, 1))
        spans.append((round_label(competition.period, day), day, min(last, end)))
        day = last + datetime.timedelta(days=1)
    return spans


@transaction.atomic
def competition_open(*, competition):
    """A new competition from the officer's form, with the scoring rounds of its period."""
    competition.save()
    rounds_create(competition=competition)
    return competition


# What a competition's rounds are made from, and what its list of contestants is: fixed once scored or entered.
ROUND_FIELDS = {"starts_on", "ends_on", "period"}


def competition_update(*, competition, fields) -> Competition:
    """Save an officer's changes to ``fields`` of a competition (the form's instance). Its dates and scoring
    period make its rounds, so they change only while nobody has scored (the rounds are then made again);
    whether teams or persons compete, only while nobody is on the list. Under the competition's row lock,
    which a judge's save takes too."""
    with transaction.atomic():
        _lock_competition(competition.pk)
        if ROUND_FIELDS & set(fields) and Score.objects.filter(round__competition=competition).exists():
            raise ActivityError(_("已有评分，竞赛的起止日期和评分周期不能再改。"))
        if "contestant_kind" in fields and competition.contestants.exists():
            raise ActivityError(_("已有参赛者，参赛对象不能再改；请先移出参赛者。"))
        competition.save(update_fields=fields)
        if ROUND_FIELDS & set(fields):
            rounds_create(competition=competition)
        return competition


def item_add(*, competition, item: ScoringItem):
    """A scoring item from the officer's form, after those the competition has. Under the competition's lock
    (as item_remove and a judge's save): two added at once would otherwise take the same place."""
    with transaction.atomic():
        _lock_competition(competition.pk)
        item.competition = competition
        item.order = competition.items.count()
        item.save()
    return item


def item_remove(*, item: ScoringItem):
    """A scoring item goes only while no judge has scored it. Under the competition's row lock, which
    a judge's save takes too: a score saved meanwhile would otherwise be deleted with its item."""
    with transaction.atomic():
        _lock_competition(item.competition_id)
        if item.scores.exists():
            raise ActivityError(_("该评分项目已有评分，不能删除。"))
        item.delete()


def _lock_competition(pk):
    return Competition.objects.select_for_update().get(pk=pk)


def contestant_add(*, competition, name, unit, member=None):
    """A team or a person on the competition's list, once per name: a second tap of 添加, or two
    officers adding the same one at once, is told so rather than met with a server error."""
    refused = ActivityError(_("“%(name)s”已在参赛名单中。") % {"name": name})
    if competition.contestants.filter(name=name).exists():
        raise refused
    if member is not None and member.user_id and competition.judges.filter(pk=member.user_id).exists():
        raise ActivityError(_("%(name)s是本竞赛的评委，不能同时参赛（评委不能给自己评分）。") % {"name": name})
    with once(refused):
        return Contestant.objects.create(competition=competition, unit=unit, member=member, name=name)


def contestant_remove(*, contestant):
    """Take a contestant added by mistake off the list, while no judge has scored them (under the
    competition's lock, which a judge's save takes too)."""
    with transaction.atomic():
        _lock_competition(contestant.competition_id)
        if contestant.scores.exists():
            raise ActivityError(_("“%(name)s”已有评分，不能移出参赛名单。") % {"name": contestant.name})
        contestant.delete()


def judge_candidates(*, competition: Competition, by) -> QuerySet:
    """The logins ``by`` may put on the competition's panel: active users with a role on an active unit
    in the host unit's subtree or in ``by``'s own ``activities.manage`` scope (people the officer works
    with already, members included), and the officers (any role but 会员) of every unit under the
    federation the host belongs to.

    Why the federation: a judge is often a colleague from another union of the same county (a chair
    or committee member of the school next door, someone of the county federation), and a chair expects
    to type that colleague's login rather than ask the county to do it. Those officers' names are known
    across the county's union work anyway. Members of other unions are left out: member logins are
    ``m<pk>``, easy to guess, and a judge's name is shown on the panel, so allowing them would let an
    officer read the neighbouring unions' rosters one login at a time. Nobody outside the federation,
    nor a login without any role, can be picked."""
    from django.contrib.auth import get_user_model

    from orgs.models import RoleAssignment
    from orgs.roles import Role

    paths = scope_paths(by, "activities.manage")
    if paths is EVERYTHING:
        held = Q()
    else:
        held = subtree_q([competition.unit.path, *paths], "unit__path")
        federation = _federation_of(competition.unit)
        if federation is not None:
            held |= subtree_q([federation.path], "unit__path") & ~Q(role=Role.MEMBER)
    roles = RoleAssignment.objects.filter(held, unit__is_active=True).order_by()
    return get_user_model().objects.filter(is_active=True, pk__in=roles.values("user_id"))


def _federation_of(unit):
    """The nearest federation at or above ``unit`` (normally the county's), None for a tree without one."""
    from orgs.models import OrgUnit, UnitKind

    if unit.kind == UnitKind.FEDERATION:
        return unit
    return OrgUnit.objects.get_ancestors(unit).filter(kind=UnitKind.FEDERATION).order_by("-depth").first()


def _not_a_candidate(username):
    # One answer whether the login does not exist or lies outside what the officer may pick: the form
    # must not tell anyone which logins exist in the installation.
    return ActivityError(
        _("不能添加“%(name)s”为评委：评委须是本单位（含下级单位）的会员或工会干部，或同一总工会所属单位的工会干部。")
        % {"name": username}
    )


def judge_add(*, competition: Competition, username: str, by):
    """Put the login ``username`` on the panel, if ``by`` may pick it (judge_candidates); the judge then
    sees the competition and fills in score sheets. Under the competition's lock, as judge_remove."""
    with transaction.atomic():
        _lock_competition(competition.pk)
        judge = judge_candidates(competition=competition, by=by).filter(username=username).first()
        if judge is None:
            raise _not_a_candidate(username)
        if competition.judges.filter(pk=judge.pk).exists():
            raise ActivityError(_("%(name)s已是本竞赛的评委。") % {"name": judge})
        if competition.contestants.filter(member__user=judge).exists():
            raise ActivityError(
                _("%(name)s在本竞赛的参赛名单中，不能担任评委（评委不能给自己评分）。") % {"name": judge}
            )
        competition.judges.add(judge)
        # A judge from another union has nothing else that leads to the score sheets: told where they are.
        notify(
            judge,
            text=gettext_lazy("您已被列为“%(title)s”的评委，请在竞赛页面的评分表中评分。"),
            params={"title": competition.title},
            url=reverse("activities:competition", args=[competition.pk]),
            kind="activities.judge",
        )
        return judge


def judge_remove(*, competition, judge):
    """Take a judge off the panel while they have scored nothing: a score counts only with its judge."""
    with transaction.atomic():
        _lock_competition(competition.pk)
        if Score.objects.filter(round__competition=competition, judge=judge).exists():
            raise ActivityError(_("%(name)s已经评过分，不能移除。") % {"name": judge})
        competition.judges.remove(judge)


def rounds_create(*, competition):
    """The scoring rounds of the period; rounds already scored are kept."""
    with transaction.atomic():
        if Score.objects.filter(round__competition=competition).exists():
            raise ActivityError(_("已有评分，不能重新生成评分轮次。"))
        competition.rounds.all().delete()
        Round.objects.bulk_create(
            Round(competition=competition, number=n, label=label, starts_on=first, ends_on=last)
            for n, (label, first, last) in enumerate(round_spans(competition), start=1)
        )


def scores_save(*, round, judge, values):
    """A judge's scores for one round: {(contestant id, item id): Decimal or None to clear}. Under the
    competition's lock, which judge_remove takes too: the panel, items and contestants read here stay
    as they are until the scores are in, so a judge taken off meanwhile saves nothing."""
    competition = round.competition
    with transaction.atomic():
        _lock_competition(competition.pk)
        if not competition.judges.filter(pk=judge.pk).exists():
            raise ActivityError(_("您不是本竞赛的评委。"))
        changed = ActivityError(_("评分表已变化，请刷新后重新填写。"))
        # Rounds are made again when an officer changes the dates while nobody has scored yet.
        if not competition.rounds.filter(pk=round.pk).exists():
            raise changed
        contestants = set(competition.contestants.values_list("pk", flat=True))
        own = set(competition.contestants.filter(member__user=judge).values_list("pk", flat=True))
        items = set(competition.items.values_list("pk", flat=True))
        for (contestant_id, item_id), value in values.items():
            if contestant_id not in contestants or item_id not in items:
                raise changed
            if contestant_id in own:
                if value is not None:
                    raise ActivityError(_("评委不能给自己评分。"))
                continue
            if value is None:
                Score.objects.filter(round=round, contestant_id=contestant_id, item_id=item_id, judge=judge).delete()
                continue
            if not Decimal(0) <= value <= Decimal(100):
                raise ActivityError(_("得分应在 0 到 100 之间。"))
            Score.objects.update_or_create(
                round=round,
                contestant_id=contestant_id,
                item_id=item_id,
                judge=judge,
                defaults={"value": value},
            )


@dataclass
class Standing:
    contestant: object
    rounds: list = field(default_factory=list)  # round totals, None where nothing was scored
    total: Decimal | None = None  # None, as the place, until a judge has scored anyone
    place: int | None = None


def rankings(competition):
    """(rounds, standings in overall order, {round id: standings in that round's order}) in four queries."""
    rounds = list(competition.rounds.all())
    items = list(competition.items.all())
    contestants = list(competition.contestants.select_related("unit"))
    weights = {item.pk: item.weight for item in items}
    judged = defaultdict(list)
    for round_id, contestant_id, item_id, value in Score.objects.filter(round__competition=competition).values_list(
        "round_id", "contestant_id", "item_id", "value"
    ):
        judged[(round_id, contestant_id, item_id)].append(value)
    overall = []
    per_round = {r.pk: [] for r in rounds}
    for contestant in contestants:
        standing = Standing(contestant)
        for r in rounds:
            item_scores = {
                item.pk: combine_judges(judged[(r.pk, contestant.pk, item.pk)])
                for item in items
                if judged.get((r.pk, contestant.pk, item.pk))
            }
            total = weighted_total(item_scores, weights) if item_scores else None
            standing.rounds.append(total)
            if total is not None:
                per_round[r.pk].append(Standing(contestant, total=total))
        overall.append(standing)
    # A round counts once anyone was scored in it; then a contestant missing from it has 0.
    held = [bool(per_round[r.pk]) for r in rounds]
    # Before any score nobody is first: the list stays as entered, without places or totals.
    if any(held):
        for standing in overall:
            totals = [t or Decimal(0) for t, was_held in zip(standing.rounds, held, strict=True) if was_held]
            standing.total = (sum(totals) / len(totals)).quantize(CENT)
        overall.sort(key=lambda s: s.total, reverse=True)
        assign_places(overall, lambda s: s.total)
    for standings in per_round.values():
        standings.sort(key=lambda s: s.total, reverse=True)
        assign_places(standings, lambda s: s.total)
    return rounds, overall, per_round


def winners_select(*, competition):
    """Mark the best ``winners_count`` (ties at the cut all included) as winners."""
    _rounds, overall, _per_round = rankings(competition)
    scored = [s for s in overall if s.total]
    chosen = {s.contestant.pk for s in scored if s.place <= competition.winners_count}
    with transaction.atomic():
        Contestant.objects.filter(competition=competition).update(is_winner=False)
        Contestant.objects.filter(pk__in=chosen).update(is_winner=True)
    return len(chosen)
