"""Competitions at work: set-up, judges' score sheets, rankings and the winners."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import contests
from activities.exporting import standing_columns, standing_rows
from activities.forms import (
    CompetitionEditForm,
    CompetitionForm,
    JudgeForm,
    ScoreSheetForm,
    ScoringItemForm,
    TeamContestantForm,
    schedule_items_for,
)
from activities.models import Competition, Contestant, ContestantKind, Round, Score, ScoringItem
from activities.services import ActivityError
from core.pagination import paginate
from core.params import id_param
from core.tables import table_response
from members.models import Member
from orgs.access import has_permission
from orgs.models import OrgUnit


def _crumbs(competition=None, *extra):
    crumbs = [{"label": _("劳动竞赛"), "url": reverse("activities:competitions")}]
    if competition is not None:
        crumbs.append({"label": competition.title, "url": reverse("activities:competition", args=[competition.pk])})
    crumbs.extend({"label": label, "url": ""} for label in extra)
    return crumbs


def _get(request, pk, manage=False):
    """The competition if the user sees it (its judges do too), else 404; ``manage``: if they run it,
    which only the host's officers do (CompetitionQuerySet.visible_to)."""
    permission = "activities.manage" if manage else "activities.view"
    return get_object_or_404(Competition.objects.visible_to(request.user, permission).select_related("unit"), pk=pk)


def _get_item(request, pk):
    """A scoring item of a competition the user runs, else 404; the query decides, nothing is read before."""
    return get_object_or_404(ScoringItem.objects.visible_to(request.user, "activities.manage"), pk=pk)


def _get_contestant(request, pk):
    """A contestant of a competition the user runs, else 404; the query decides, nothing is read before."""
    return get_object_or_404(Contestant.objects.visible_to(request.user, "activities.manage"), pk=pk)


def _get_round(request, pk):
    """A scoring round of a competition the user judges, else 404: a score sheet is a judge's own, the
    host's officers included only when they sit on the panel."""
    rounds = Round.objects.visible_to(request.user, "activities.view").filter(competition__judges=request.user)
    return get_object_or_404(rounds.select_related("competition__unit"), pk=pk)


@login_required
def competition_list(request):
    if not has_permission(request.user, "activities.view") and not request.user.judged_competitions.exists():
        raise Http404
    found = Competition.objects.visible_to(request.user, "activities.view").select_related("unit")
    if request.unit is not None:
        found = found.filter(pk__in=found.in_subtree(request.unit).values("pk")) | found.filter(judges=request.user)
    return render(
        request,
        "activities/contests/list.html",
        {
            "page": paginate(request, found.distinct().order_by("-starts_on", "-id")),
            "can_manage": request.unit is not None and has_permission(request.user, "activities.manage", request.unit),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def competition_create(request):
    unit = request.unit
    if unit is None or not has_permission(request.user, "activities.manage", unit):
        raise Http404
    form = CompetitionForm(
        request.POST or None,
        initial={"unit": unit},
        units=OrgUnit.objects.visible_to(request.user, "activities.manage").filter(is_active=True),
        items=schedule_items_for(request.user, unit),
    )
    if request.method == "POST" and form.is_valid():
        competition = contests.competition_open(competition=form.save(commit=False))
        messages.success(request, _("已新建竞赛，请设置评分项目、参赛者和评委。"))
        return redirect("activities:competition", competition.pk)
    return render(
        request,
        "activities/contests/form.html",
        {"form": form, "title": _("新建劳动竞赛"), "breadcrumbs": _crumbs(None, _("新建"))},
    )


@login_required
def competition_edit(request, pk):
    competition = _get(request, pk, manage=True)
    items = schedule_items_for(request.user, competition.unit, keep=competition.schedule_item_id)
    form = CompetitionEditForm(request.POST or None, instance=competition, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            contests.competition_update(competition=form.save(commit=False), fields=form.changed_data or ["title"])
        except ActivityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已保存。"))
            return redirect("activities:competition", competition.pk)
    return render(
        request,
        "activities/contests/form.html",
        {
            "form": form,
            "competition": competition,
            "title": _("修改竞赛"),
            "breadcrumbs": _crumbs(competition, _("修改")),
        },
    )


@login_required
def competition(request, pk):
    return _page(request, _get(request, pk))


def _page(request, competition, *, item_form=None, judge_form=None):
    """The competition's page; ``item_form`` or ``judge_form`` bound to what was just typed when it was
    refused, so that the officer corrects it rather than typing it again."""
    can_manage = has_permission(request.user, "activities.manage", competition.unit)
    rounds, overall, per_round = contests.rankings(competition)
    items = list(competition.items.all())
    weight_total = sum((i.weight for i in items), Decimal(0))
    shown_round = next((r for r in rounds if str(r.pk) == request.GET.get("round")), None)
    return render(
        request,
        "activities/contests/detail.html",
        {
            "competition": competition,
            "can_manage": can_manage,
            "is_judge": competition.judges.filter(pk=request.user.pk).exists(),
            "items": items,
            "weight_total": weight_total,
            "rounds": rounds,
            "overall": overall,
            "any_scored": any(s.place for s in overall),
            "shown_round": shown_round,
            "round_standings": per_round.get(shown_round.pk) if shown_round else None,
            "judges": list(competition.judges.all()),
            # Who may still be taken off: contestants no judge has scored, judges who have scored nothing.
            "scored": _scored(competition) if can_manage else {"contestants": set(), "judges": set()},
            "winners": [s for s in overall if s.contestant.is_winner],
            "rules": contests.RANKING_RULES,
            "item_form": (item_form or ScoringItemForm()) if can_manage else None,
            "team_form": TeamContestantForm(units=_contestant_units(competition))
            if can_manage and competition.contestant_kind == ContestantKind.TEAM
            else None,
            "judge_form": (judge_form or JudgeForm()) if can_manage else None,
            "breadcrumbs": _crumbs(competition),
        },
    )


def _scored(competition):
    """The contestants and the judges with a score, in one query (a pair per contestant and judge)."""
    pairs = set(
        Score.objects.filter(round__competition=competition).values_list("contestant_id", "judge_id").distinct()
    )
    return {"contestants": {c for c, _j in pairs}, "judges": {j for _c, j in pairs}}


def _contestant_units(competition):
    return OrgUnit.objects.all().in_subtree(competition.unit).filter(is_active=True).exclude(pk=competition.unit_id)


@login_required
@require_POST
def item_add(request, pk):
    competition = _get(request, pk, manage=True)
    form = ScoringItemForm(request.POST)
    if not form.is_valid():
        return _page(request, competition, item_form=form)
    item = contests.item_add(competition=competition, item=form.save(commit=False))
    messages.success(request, _("已新增评分项目“%(name)s”。") % {"name": item.name})
    return redirect("activities:competition", competition.pk)


@login_required
@require_POST
def item_remove(request, pk):
    item = _get_item(request, pk)
    try:
        contests.item_remove(item=item)
    except ActivityError as error:
        messages.error(request, str(error))
    return redirect("activities:competition", item.competition_id)


@login_required
@require_POST
def contestant_remove(request, pk):
    contestant = _get_contestant(request, pk)
    try:
        contests.contestant_remove(contestant=contestant)
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已将“%(name)s”移出参赛名单。") % {"name": contestant.name})
    return redirect("activities:competition", contestant.competition_id)


@login_required
@require_POST
def judge_remove(request, pk, user_pk):
    competition = _get(request, pk, manage=True)
    judge = get_object_or_404(competition.judges.all(), pk=user_pk)
    try:
        contests.judge_remove(competition=competition, judge=judge)
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已移除评委%(name)s。") % {"name": judge})
    return redirect("activities:competition", competition.pk)


@login_required
def contestant_search(request, pk):
    competition = _get(request, pk, manage=True)
    query = request.GET.get("q", "").strip()
    found = []
    if query:
        found = list(Member.objects.in_subtree(competition.unit).in_union().search(query).select_related("unit")[:20])
    return render(
        request,
        "activities/contests/_contestant_results.html",
        {"competition": competition, "found": found, "query": query},
    )


@login_required
@require_POST
def contestant_add(request, pk):
    competition = _get(request, pk, manage=True)
    if competition.contestant_kind == ContestantKind.TEAM:
        form = TeamContestantForm(request.POST, units=_contestant_units(competition))
        if not form.is_valid():
            messages.error(request, _("请选择班组或单位。"))
            return redirect("activities:competition", competition.pk)
        unit, member, name = form.cleaned_data["unit"], None, form.cleaned_data["unit"].display_name
    else:
        member = get_object_or_404(
            Member.objects.in_subtree(competition.unit).in_union(),
            pk=id_param(request.POST.get("member"), name="member"),
        )
        unit, name = member.unit, member.name
    try:
        contests.contestant_add(competition=competition, name=name, unit=unit, member=member)
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已添加“%(name)s”。") % {"name": name})
    return redirect("activities:competition", competition.pk)


@login_required
@require_POST
def judge_add(request, pk):
    competition = _get(request, pk, manage=True)
    form = JudgeForm(request.POST)
    if form.is_valid():
        try:
            judge = contests.judge_add(competition=competition, username=form.cleaned_data["username"], by=request.user)
        except ActivityError as error:
            form.add_error("username", error.message)  # every refusal is about the login typed
        else:
            messages.success(request, _("已添加评委%(name)s。") % {"name": judge})
            return redirect("activities:competition", competition.pk)
    return _page(request, competition, judge_form=form)


@login_required
def score_sheet(request, pk):
    """A judge's sheet for one round: a row per contestant, a column per item."""
    round_ = _get_round(request, pk)
    competition = round_.competition
    items = list(competition.items.all())
    saved = Score.objects.filter(round=round_, judge=request.user).values_list("contestant_id", "item_id", "value")
    form = ScoreSheetForm(
        request.POST or None,
        contestants=list(competition.contestants.select_related("unit")),
        items=items,
        initial={ScoreSheetForm.name(contestant, item): value for contestant, item, value in saved},
    )
    errors = []
    if form.is_bound:
        errors = form.cell_errors()
        if form.is_valid():
            try:
                contests.scores_save(round=round_, judge=request.user, values=form.scores())
            except ActivityError as error:
                errors.append(str(error))
            else:
                messages.success(request, _("评分已保存。"))
                return redirect("activities:competition", competition.pk)
    context = {
        "competition": competition,
        "round": round_,
        "items": items,
        "rows": form.rows(),
        "errors": errors,
        "breadcrumbs": _crumbs(competition, _("评分：%(round)s") % {"round": round_.display_label}),
    }
    return render(request, "activities/contests/score_sheet.html", context)


@login_required
def standings_export(request, pk):
    """The standings as the page shows them, for the commendation file or the group chat."""
    competition = _get(request, pk)
    rounds, overall, _per_round = contests.rankings(competition)
    return table_response(
        standing_columns(rounds),
        standing_rows(competition, overall),
        filename=_("%(title)s成绩") % {"title": competition.title},
        title=competition.title,
        numbered=False,  # the places number the rows
    )


@login_required
@require_POST
def winners(request, pk):
    competition = _get(request, pk, manage=True)
    count = contests.winners_select(competition=competition)
    messages.success(
        request,
        _("已按总成绩评出 %(count)s 名（个）%(title)s。")
        % {"count": count, "title": competition.award_title or _("获奖者")},
    )
    return redirect("activities:competition", competition.pk)
