from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.figures import home_cards
from core.memo import shared_reads
from core.models import AccessLog
from core.pagination import paginate
from core.todo import todos_for
from members.models import Member
from orgs.access import current_unit_or_404, has_permission, permissions_on, roles_of
from orgs.models import UnitKind
from orgs.roles import Role

HOME_TODOS = 8
# Units below listed on a federation's home; a province has a hundred cities, listed whole (and
# sortable) on the federation's units page.
HOME_UNITS = 20


@login_required
def home(request):
    """The current unit's home page: what waits for this person first (returned work, their own
    items; loaded just after the page by ``home_todos``), then figures contributed by every app; a
    federation's home lists the units below it (``home_units``, also loaded just after the page)."""
    unit = request.unit
    if unit is None and Member.objects.filter(user=request.user).exists():
        # A member's login without a role: one who left the union, whose own record and data stay open.
        return redirect("portal:me")
    context = {"unit": unit}
    if unit is not None:
        with shared_reads():  # several cards read the unit's roll-ups
            context["cards"] = home_cards(request, unit)
        context["perms"] = permissions_on(request.user, unit)
        context["lists_units_below"] = _lists_units_below(request.user, unit)
        # Nothing to show yet: the page says what to do next, and the to-do card removes that once it arrives.
        context["shows_empty_state"] = not context["cards"] and not context["lists_units_below"]
    return render(request, "workbench/home.html", context)


def _lists_units_below(user, unit):
    return unit.kind == UnitKind.FEDERATION and has_permission(user, "reports.view", unit)


@login_required
def home_todos(request):
    """The home page's to-do card, fetched as soon as the page is shown, with the navbar's count
    swapped in beside it: the page does not wait for every app's to-do sources, and a visit to the
    home page reads them once (other pages ask ``todo_count``)."""
    with shared_reads():  # several sources ask the same question (e.g. the proposals waiting for this person)
        todos = todos_for(request.user, today=timezone.localdate())
    return render(
        request,
        "workbench/_home_todos.html",
        {
            "todos": todos[:HOME_TODOS],
            "more_todos": max(0, len(todos) - HOME_TODOS),
            "count": len(todos),
            # Only a page showing the empty state has one to remove (htmx reports a swap without a target).
            "drops_empty_state": request.GET.get("empty") == "1",
        },
    )


@login_required
def home_units(request):
    """A federation's table of its first units below, fetched as soon as its home page is shown:
    the page does not wait for the figures of twenty units (the units page lists them all)."""
    from federation.figures import sort_columns, unit_figures
    from rollups.statistics import as_of

    unit = request.unit
    if unit is None or not _lists_units_below(request.user, unit):
        raise Http404
    today = timezone.localdate()
    rows = unit_figures(unit, today.year, today=today, limit=HOME_UNITS + 1)
    context = {
        "below": rows[:HOME_UNITS],
        "more_below": len(rows) > HOME_UNITS,
        "below_as_of": as_of(unit, today.year),
        "sort_columns": sort_columns(),
        "year": today.year,
    }
    return render(request, "workbench/_home_units.html", context)


@login_required
def todo(request):
    """Everything waiting for this person, urgent first, then by deadline."""
    today = timezone.localdate()
    # A member (no officer's role) waits for other things than returned work and filings.
    member_only = not request.user.is_superuser and roles_of(request.user) <= {Role.MEMBER}
    return render(
        request,
        "workbench/todo.html",
        {"todos": todos_for(request.user, today=today), "today": today, "member_only": member_only, "breadcrumbs": []},
    )


@login_required
def todo_count(request):
    """The navbar's badge, loaded after the page so that no page pays for the to-do sources."""
    count = len(todos_for(request.user, today=timezone.localdate()))
    if not count:
        return HttpResponse("")
    return render(request, "workbench/_todo_badge.html", {"count": count})


@login_required
def access_log(request):
    """Who read which sensitive data, and when: for the chair of the current unit and its subtree.

    Reads of care records are listed only to those who may read the care archive's own log too.
    """
    unit = current_unit_or_404(request, "core.access_log")
    logs = AccessLog.objects.visible_to(request.user, "core.access_log").in_subtree(unit)
    if not has_permission(request.user, "care.read_log", unit):
        logs = logs.exclude(content_type__app_label="care")
    who = request.GET.get("who", "").strip()[:50]
    if who:
        logs = logs.filter(Q(user__username__icontains=who) | Q(user__full_name__icontains=who))
    page = paginate(request, logs.select_related("user", "unit", "content_type").order_by("-at", "-id"))
    return render(
        request,
        "workbench/access_log.html",
        {
            "unit": unit,
            "page": page,
            "who": who,
            "breadcrumbs": [{"label": _("敏感信息查看记录"), "url": ""}],
        },
    )
