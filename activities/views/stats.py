"""Statistics of a unit's subtree for a year: per unit, type and month, attendance, money; read
from the roll-ups (rollups.read), a few seconds behind the records."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Kind
from activities.views.common import breadcrumbs
from core.pagination import children_page
from core.params import year_param
from orgs.access import has_permission
from rollups import read


def per_child_unit(unit, children, year):
    """Held activities, participant-times, budget and spend of the unit's own activities, then of
    each of ``children``'s subtrees: from the roll-ups, two queries whatever the size of the tree."""
    children = list(children)
    rolled = read.for_units([c.pk for c in children], year)
    own = read.own_of(unit, year)
    return [
        {**_row(own), "unit": unit, "own": True},
        *[{**_row(rolled[c.pk]), "unit": c} for c in children],
    ]


def _row(figures):
    return {"held": figures.held, "times": figures.participant_times, "budget": figures.budget, "spend": figures.spend}


def _kinds(figures):
    """(type label, held, participant-times) of the types held, most held first."""
    labels = dict(Kind.choices)
    rows = [(labels.get(kind, kind), n, times) for kind, (n, times) in figures.kinds().items()]
    return sorted(rows, key=lambda row: -row[1])


@login_required
def statistics(request):
    unit = request.unit
    if unit is None or not has_permission(request.user, "activities.view", unit):
        raise Http404
    this_year = timezone.localdate().year
    year = min(year_param(request.GET.get("year"), this_year), this_year + 1)
    figures = read.for_unit(unit, year)
    totals = {
        "held": figures.held,
        "participant_times": figures.participant_times,
        "budget": figures.budget,
        "spend": figures.spend,
    }
    took_part, members = figures.participants, figures.members
    kinds = _kinds(figures)
    months = figures.months()
    children = children_page(request, unit)
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
            "as_of": figures.as_of,
            "years": list(range(this_year, this_year - 5, -1)),
            "totals": totals,
            "took_part": took_part,
            "members": members,
            "rate": (Decimal(took_part) * 100 / members).quantize(Decimal("0.1")) if members else None,
            "kinds": kinds,
            "months": months,
            "units": per_child_unit(unit, children.object_list, year),
            "page": children,
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
