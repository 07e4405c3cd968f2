"""The care start page, the read log the chair keeps an eye on, and the roll-up a federation sees."""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from care import figures, reminders
from care import rollup as care_rollup
from care.models import Campaign, Household, RightsCase
from care.views.common import crumbs
from core.memo import shared_reads
from core.models import AccessLog
from core.pagination import CHILDREN_PER_PAGE, paginate
from orgs.access import current_unit_or_404, has_permission, permissions_on, subtree_range
from orgs.models import OrgUnit, UnitKind
from rollups import read as rollup_read

VISITS_SHOWN = 8  # the visit reminders on the care start page (the visits page has them all)


@login_required
def index(request):
    unit = current_unit_or_404(request, "care.view")
    today = timezone.localdate()
    households = Household.objects.visible_to(request.user, "care.view").in_subtree(unit)
    with shared_reads():  # birthdays and retirements read the subtree's members once (care.reminders)
        visits = reminders.birthdays(unit, today=today, limit=VISITS_SHOWN) + reminders.retirements(
            unit, today=today, limit=VISITS_SHOWN
        )
    context = {
        "unit": unit,
        "perms": permissions_on(request.user, unit),
        "in_hardship": households.in_hardship().count(),
        "due": households.due_for_review(today + datetime.timedelta(days=figures.REVIEW_AHEAD_DAYS)).count(),
        "never": households.never_helped().count(),
        "campaigns": Campaign.objects.visible_to(request.user, "care.view").in_subtree(unit).running()[:5],
        # Read up to what is shown: a city's reminders are a thin share of the province's indexes.
        "visits": visits[:VISITS_SHOWN],
        "open_cases": RightsCase.objects.visible_to(request.user, "care.view").in_subtree(unit).open().count(),
        "figures": _subtree_figures(unit, today.year),
        "year": today.year,
        "breadcrumbs": crumbs(),
    }
    return render(request, "care/index.html", context)


def _subtree_figures(unit, year):
    """A federation's from the roll-ups (care.rollup): a province's start page would otherwise sum every
    payment below it; a union's counted live."""
    if unit.kind == UnitKind.FEDERATION:
        return care_rollup.as_rollup(rollup_read.for_unit(unit, year))
    return figures.rollup(unit, year)


@login_required
def access_log(request):
    """Who opened which care file, case, receipt or attachment: for the chair (care.read_log)."""
    unit = current_unit_or_404(request, "care.read_log")
    logs = (
        AccessLog.objects.filter(content_type__app_label="care", unit__path__range=subtree_range(unit.path))
        .select_related("user", "unit", "content_type")
        .order_by("-at")
    )
    who = request.GET.get("user", "").strip()
    if who:
        logs = logs.filter(user__username=who)
    page = paginate(request, logs)
    # The chair may read every file, so the log names whose file was opened (one query per page).
    opened = [int(r.object_id) for r in page if r.content_type.model == "household" and r.object_id.isdecimal()]
    names = dict(Household.objects.filter(pk__in=opened).values_list("pk", "name"))
    context = {
        "unit": unit,
        "page": page,
        "rows": [(r, names.get(int(r.object_id)) if r.object_id.isdecimal() else None) for r in page],
        "who": who,
        "perms": permissions_on(request.user, unit),
        "breadcrumbs": crumbs((_("查阅记录"), "")),
    }
    return render(request, "care/access_log.html", context)


@login_required
def rollup(request):
    """Counts and amounts per unit below: what a federation sees, never a name."""
    unit = current_unit_or_404(request, "reports.view")
    # Counts of a small group could point at a person; below a federation only care roles see them.
    if unit.kind != UnitKind.FEDERATION and not has_permission(request.user, "care.view", unit):
        raise Http404
    year = timezone.localdate().year
    if unit.kind == UnitKind.FEDERATION:
        return _federation_rollup(request, unit, year)
    by_child = figures.rollups(unit, year)
    # The rows add up to the total: the unit's own records (本级) first, then each child's, a child no longer
    # active among them while it still has figures of the year.
    children = OrgUnit.objects.get_children(unit).filter(Q(is_active=True) | Q(path__in=list(by_child)))
    page = paginate(request, children, CHILDREN_PER_PAGE)
    context = {
        "unit": unit,
        "year": year,
        "total": figures.rollup(unit, year),
        "own": by_child.get(unit.path) or figures.empty_rollup(),
        "rows": [(child, by_child.get(child.path) or figures.empty_rollup()) for child in page.object_list],
        "page": page,
        "breadcrumbs": [{"label": _("帮扶统计"), "url": ""}],
    }
    return render(request, "care/rollup.html", context)


def _federation_rollup(request, unit, year):
    """A federation's 帮扶统计 from the roll-ups (care.rollup), a few queries whatever the size of its subtree,
    as of the worker's last refresh: the figures a union's own page counts live, and the payments' 人次."""
    total = rollup_read.for_unit(unit, year)
    page = paginate(request, rollup_read.children_listed(unit, year), CHILDREN_PER_PAGE)
    found = rollup_read.for_units([child.pk for child in page.object_list], year)
    context = {
        "unit": unit,
        "year": year,
        "total": care_rollup.as_rollup(total),
        "own": care_rollup.as_rollup(rollup_read.own_of(unit, year)),
        "rows": [(child, care_rollup.as_rollup(found[child.pk])) for child in page.object_list],
        "as_of": total.as_of,
        "page": page,
        "breadcrumbs": [{"label": _("帮扶统计"), "url": ""}],
    }
    return render(request, "care/rollup_federation.html", context)
