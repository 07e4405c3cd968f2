"""Sports competitions inside an activity: events, entries, the draw, results, the unit ranking."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import race_times, sports
from activities.forms import IndividualEntryForm, MatchForm, SportsEventForm, TeamEntryForm
from activities.models import Entry, EventFormat, EventKind, Match, SportsEvent
from activities.services import ActivityError
from activities.standings import RANKED_RULES, TIE_BREAK_RULES
from activities.views.common import breadcrumbs, get_activity, get_managed_activity
from core.forms import add_service_error
from members.models import Member
from orgs.access import has_permission
from orgs.models import OrgUnit


def _get_event(request, pk, manage=False):
    """The event if the user sees its meeting, else 404; ``manage``: if they run it (activities.manage
    reaches the meeting's own unit and those below, never an ancestor's meeting that they only see)."""
    permission = "activities.manage" if manage else "activities.view"
    events = SportsEvent.objects.visible_to(request.user, permission)
    return get_object_or_404(events.select_related("activity__unit"), pk=pk)


def _get_entry(request, pk):
    """An entry of an event the user runs, else 404; the query decides, nothing is read before."""
    entries = Entry.objects.visible_to(request.user, "activities.manage")
    return get_object_or_404(entries.select_related("event__activity__unit"), pk=pk)


def _get_match(request, pk):
    """A match of an event the user runs, else 404; the query decides, nothing is read before."""
    matches = Match.objects.visible_to(request.user, "activities.manage")
    return get_object_or_404(matches.select_related("event__activity__unit"), pk=pk)


def _can_change(request, activity):
    """Whether the page offers its forms: to the activity's officers, until it is cancelled."""
    return sports.open_for_changes(activity) and has_permission(request.user, "activities.manage", activity.unit)


def _event_context(event):
    entries = list(event.entries.select_related("member", "unit").order_by(F("seed").asc(nulls_last=True), "id"))
    matches = list(event.matches.select_related("home__member", "home__unit", "away__member", "away__unit"))
    context = {
        "event": event,
        "entries": entries,
        "rounds": sports.rounds_of(matches),
        "matches": matches,
        "any_played": any(m.is_played for m in matches),
        "settled": sports.settled_matches(event, matches),
        # What event_update refuses once a score or a result is in: the page then offers no edit.
        "results_in": any(m.is_played for m in matches) or any(e.result is not None for e in entries),
    }
    if event.format == EventFormat.ROUND_ROBIN and matches:
        context["table"] = sports.league_rows(event, entries, matches)
        context["rules"] = TIE_BREAK_RULES
    elif event.format == EventFormat.RANKED:
        context["rules"] = RANKED_RULES
    context["placed"] = sorted((e for e in entries if e.place), key=lambda e: (e.place, e.display_name))
    return context


@login_required
def overview(request, pk):
    """The sports meeting of an activity: its events and the unit ranking."""
    activity = get_activity(request, pk, "activities.view")
    events = list(activity.sports_events.all())
    return render(
        request,
        "activities/sports/overview.html",
        {
            "activity": activity,
            "events": events,
            "ranking": sports.unit_ranking(activity),
            "can_manage": _can_change(request, activity),
            "breadcrumbs": breadcrumbs(activity, _("比赛项目")),
        },
    )


@login_required
def event_create(request, pk):
    activity = get_managed_activity(request, pk)
    form = SportsEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = sports.event_create(activity=activity, event=form.save(commit=False))
        except ActivityError as error:
            messages.error(request, str(error))
            return redirect("activities:sports", activity.pk)
        messages.success(request, _("已新增项目“%(name)s”。") % {"name": event.name})
        return redirect("activities:event", event.pk)
    return render(
        request,
        "activities/sports/event_form.html",
        {
            "form": form,
            "activity": activity,
            "title": _("新增比赛项目"),
            "back": reverse("activities:sports", args=[activity.pk]),
            "breadcrumbs": breadcrumbs(activity, _("新增比赛项目")),
        },
    )


@login_required
def event_edit(request, pk):
    event = _get_event(request, pk, manage=True)
    form = SportsEventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            sports.event_update(event=form.save(commit=False), fields=list(form.changed_data) or ["name"])
        except ActivityError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("activities:event", event.pk)
    return render(
        request,
        "activities/sports/event_form.html",
        {
            "form": form,
            "activity": event.activity,
            "title": _("修改比赛项目"),
            "back": reverse("activities:event", args=[event.pk]),
            "breadcrumbs": breadcrumbs(event.activity, _("修改比赛项目")),
        },
    )


@login_required
@require_POST
def event_delete(request, pk):
    event = _get_event(request, pk, manage=True)
    try:
        sports.event_delete(event=event)
    except ActivityError as error:
        messages.error(request, str(error))
        return redirect("activities:event", event.pk)
    messages.success(request, _("已删除项目“%(name)s”。") % {"name": event.name})
    return redirect("activities:sports", event.activity_id)


@login_required
def event(request, pk):
    return _event_page(request, _get_event(request, pk))


def _event_page(request, event, *, typed=None, bad=(), score_typed=None, team_form=None):
    """The event's page; ``typed``: {entry id: what was typed} of a results form sent back with the
    entries in ``bad`` marked, so that one bad cell costs no other typed result; ``score_typed``: the match
    id and the two scores of a match's score refused, shown again in its boxes; ``team_form``: a team's
    entry refused, shown again with what was typed and why."""
    can_manage = _can_change(request, event.activity)
    context = _event_context(event)
    context.update(
        {
            "typed": typed,
            "bad": set(bad),
            "score_typed": score_typed,
            "activity": event.activity,
            "can_manage": can_manage,
            "team_form": team_form
            or (TeamEntryForm(units=_entry_units(event)) if event.kind == EventKind.TEAM else None),
            "breadcrumbs": [
                *breadcrumbs(event.activity),
                {"label": _("比赛项目"), "url": reverse("activities:sports", args=[event.activity_id])},
                {"label": event.name, "url": ""},
            ],
        }
    )
    return render(request, "activities/sports/event.html", context)


def _entry_units(event):
    return OrgUnit.objects.all().in_subtree(event.activity.unit).filter(is_active=True)


@login_required
def entry_search(request, pk):
    event = _get_event(request, pk, manage=True)
    query = request.GET.get("q", "").strip()
    found = []
    if query:
        found = list(
            Member.objects.in_subtree(event.activity.unit).in_union().search(query).select_related("unit")[:20]
        )
    return render(request, "activities/sports/_entry_results.html", {"event": event, "found": found, "query": query})


def _valid(form):
    """The entry form, valid, or its problems as the refusal the page shows (field: problem)."""
    if not form.is_valid():
        problems = [f"{field.label}：{error}" for field in form for error in field.errors]
        raise ActivityError("；".join(problems + list(form.non_field_errors())))
    return form


@login_required
@require_POST
def entry_add(request, pk):
    event = _get_event(request, pk, manage=True)
    if event.kind == EventKind.TEAM:
        return _team_entry_add(request, event)
    had_draw = event.matches.exists()
    try:
        members = Member.objects.in_subtree(event.activity.unit).in_union()
        form = _valid(IndividualEntryForm(request.POST, members=members))
        member = form.cleaned_data["member"]
        sports.entry_add(event=event, unit=member.unit, member=member, seed=form.cleaned_data["seed"])
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已报名，原抽签作废，请重新抽签。") if had_draw else _("已报名。"))
    return redirect("activities:event", event.pk)


def _team_entry_add(request, event):
    """A team entered from the event page's form; refused, the form comes back with its input and why."""
    had_draw = event.matches.exists()
    form = TeamEntryForm(request.POST, units=_entry_units(event))
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        try:
            sports.entry_add(
                event=event,
                unit=unit,
                name=form.cleaned_data["name"] or _("%(unit)s队") % {"unit": unit.display_name},
                seed=form.cleaned_data["seed"],
            )
        except ActivityError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已报名，原抽签作废，请重新抽签。") if had_draw else _("已报名。"))
            return redirect("activities:event", event.pk)
    return _event_page(request, event, team_form=form)


@login_required
@require_POST
def entry_remove(request, pk):
    entry = _get_entry(request, pk)
    try:
        had_draw = sports.entry_remove(entry=entry)
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已删除，请重新抽签。") if had_draw else _("已删除。"))
    return redirect("activities:event", entry.event_id)


@login_required
@require_POST
def draw(request, pk):
    event = _get_event(request, pk, manage=True)
    try:
        sports.draw_make(event=event)
    except ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("抽签完成，对阵已生成。"))
    return redirect("activities:event", event.pk)


@login_required
@require_POST
def match_result(request, pk):
    match = _get_match(request, pk)
    form = MatchForm(request.POST)
    try:
        if not form.is_valid():
            raise ActivityError(_("比分请填写 0 到 999 之间的整数。"))
        sports.match_record(match=match, **form.cleaned_data)
    except ActivityError as error:
        messages.error(request, str(error))
        typed = {"match": match.pk, "home": form.data.get("home_score", ""), "away": form.data.get("away_score", "")}
        return _event_page(request, match.event, score_typed=typed)
    messages.success(request, _("比分已保存。"))
    return redirect(reverse("activities:event", args=[match.event_id]) + f"#match-{match.pk}")


# What the result column holds; NaN and Infinity are "invalid" to it, as a word is.
RESULT = forms.DecimalField(max_digits=10, decimal_places=2, min_value=0)


def _result_value(event, raw):
    """The result typed for an entry: a timed race's clock (5:32.18) as seconds (ValueError when it is
    no time), else a number; either checked against what the column holds (ValidationError)."""
    if event.is_timed and race_times.is_clock(raw):
        return RESULT.clean(str(race_times.read(raw)))
    return RESULT.clean(race_times.plain(raw).replace(",", "."))


def _result_problem(event, entry, raw, error):
    codes = {problem.code for problem in error.error_list}
    if "invalid" in codes and event.is_timed:
        return _no_time(entry, raw)
    if "invalid" in codes:
        return _("%(name)s的成绩“%(value)s”不是数字。") % {"name": entry.display_name, "value": raw}
    if "min_value" in codes:
        return _("%(name)s的成绩不能为负数。") % {"name": entry.display_name}
    return _("%(name)s的成绩“%(value)s”：%(problem)s") % {
        "name": entry.display_name,
        "value": raw,
        "problem": "".join(error.messages),
    }


def _no_time(entry, raw):
    return _("%(name)s的成绩“%(value)s”不是有效的时间，可写作 5:32.18 或 5分32秒18。") % {
        "name": entry.display_name,
        "value": raw,
    }


@login_required
@require_POST
def results(request, pk):
    """Results of a ranked event, one field per entry; a bad value names the athlete."""
    event = _get_event(request, pk, manage=True)
    values, errors, typed, bad = {}, [], {}, []
    for entry in event.entries.select_related("member", "unit"):
        raw = typed[entry.pk] = request.POST.get(f"result-{entry.pk}", "").strip()
        if raw == "":
            values[entry.pk] = None
            continue
        try:
            values[entry.pk] = _result_value(event, raw)
        except ValueError:
            errors.append(_no_time(entry, raw))
            bad.append(entry.pk)
        except ValidationError as error:
            errors.append(_result_problem(event, entry, raw, error))
            bad.append(entry.pk)
    if errors:
        for error in errors:
            messages.error(request, error)
        return _event_page(request, event, typed=typed, bad=bad)
    else:
        try:
            sports.results_record(event=event, results=values)
        except ActivityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("成绩已保存，名次已更新。"))
    return redirect("activities:event", event.pk)


@login_required
def printable(request, pk):
    """Draws and results of every event on A4, for the notice board."""
    activity = get_activity(request, pk, "activities.view")
    events = [_event_context(e) for e in activity.sports_events.all()]
    return render(
        request,
        "activities/sports/print.html",
        {"activity": activity, "events": events, "ranking": sports.unit_ranking(activity)},
    )
