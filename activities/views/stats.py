"""Statistics of a unit's subtree for a year: per unit, type and month, attendance, money."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.figures import kinds_held, months_held, participation, year_figures
from activities.models import Activity
from activities.views.common import breadcrumbs
from orgs.access import has_permission
from orgs.models import OrgUnit

CHILDREN_SHOWN = 100


def per_child_unit(unit, year):
    """Held activities, participant-times, budget and spend per child unit's subtree (the unit itself first).

    One aggregate grouped by the activity's unit path, then summed up to the child whose
    path it starts with: two queries whatever the size of the tree.
    """
    children = list(OrgUnit.objects.get_children(unit)[:CHILDREN_SHOWN])
    rows = {c.path: {"unit": c, "held": 0, "times": 0, "budget": Decimal(0), "spend": Decimal(0)} for c in children}
    own = {"unit": unit, "held": 0, "times": 0, "budget": Decimal(0), "spend": Decimal(0), "own": True}
    grouped = (
        Activity.objects.in_subtree(unit)
        .held()
        .in_year(year)
        .values("unit__path")
        .annotate(n=Count("id"), times=Sum("participant_times"), budget=Sum("budget"), spend=Sum("spend"))
    )
    width = len(unit.path) + OrgUnit.steplen
    for g in grouped:
        target = own if g["unit__path"] == unit.path else rows.get(g["unit__path"][:width])
        if target is None:
            continue
        target["held"] += g["n"]
        target["times"] += g["times"] or 0
        target["budget"] += g["budget"] or 0
        target["spend"] += g["spend"] or 0
    return [own, *rows.values()]


@login_required
def statistics(request):
    unit = request.unit
    if unit is None or not has_permission(request.user, "activities.view", unit):
        raise Http404
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year + 1)
    totals = year_figures(unit, year)
    took_part, members = participation(unit, year)
    kinds = kinds_held(unit, year)
    months = months_held(unit, year)
    chart = {
        "months": [_("%(m)s月") % {"m": m} for m, _n, _t in months],
        "held": [n for _m, n, _t in months],
        "times": [t for _m, _n, t in months],
        "kinds": [{"name": str(label), "value": n} for label, n, _t in kinds],
        "labels": {"held": _("活动次数"), "times": _("参与人次")},
    }
    return render(
        request,
        "activities/statistics.html",
        {
            "unit": unit,
            "year": year,
            "years": list(range(this_year, this_year - 5, -1)),
            "totals": totals,
            "took_part": took_part,
            "members": members,
            "rate": (Decimal(took_part) * 100 / members).quantize(Decimal("0.1")) if members else None,
            "kinds": kinds,
            "months": months,
            "units": per_child_unit(unit, year),
            "chart": chart,
            # Budgets and spending are the committee's business, not every member's.
            "show_money": has_permission(request.user, "activities.manage", unit)
            or has_permission(request.user, "reports.view", unit),
            "chart_table": {
                "caption": _("各月活动次数和参与人次"),
                "headers": [_("月份"), chart["labels"]["held"], chart["labels"]["times"]],
                "rows": list(zip(chart["months"], chart["held"], chart["times"], strict=True)),
            },
            "breadcrumbs": breadcrumbs(None, _("活动统计")),
        },
    )
