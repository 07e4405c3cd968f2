"""The statistics page of a federation (or any unit with units below): every figure from the roll-ups."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import in_site_language
from core.pagination import paginate
from core.params import year_param
from core.routing import reads_from_replica
from core.tables import MONEY, Column, table_response
from orgs.access import current_unit_or_404
from rollups import statistics
from rollups.refresh import DELAY_SECONDS, pending_since

PERMISSION = "reports.view"
CHART_UNITS = 20


def _unit(request):
    unit = current_unit_or_404(request, PERMISSION)
    return unit


def _year(request, today):
    year = year_param(request.GET.get("year", today.year))
    if year is None or year > today.year + 1:
        raise Http404
    return year


def _series(chart):
    """The chart's columns: the units, this year and, for a figure kept per year, last year."""
    return [chart["units"], chart["now"]] + ([chart["before"]] if chart["before"] is not None else [])


@login_required
@reads_from_replica
def statistics_page(request):
    unit = _unit(request)
    today = timezone.localdate()
    year = _year(request, today)
    sort = request.GET.get("sort", "members")
    if sort not in statistics.FIGURE_KEYS:
        sort = "members"
    total, rows = statistics.ranking(unit, year=year, sort=sort, today=today)
    labels = {key: label for key, label, _measure in statistics.FIGURES}
    page = paginate(request, rows)
    lines = [(page.start_index() + n, row, row.change(sort)) for n, row in enumerate(page)]
    cards = [(key, label, measure, total.values[key], total.last[key]) for key, label, measure in statistics.FIGURES]
    top = rows[:CHART_UNITS]
    chart = {
        "title": str(labels[sort]),
        "shown": len(top),
        "units": [f"{r.unit.display_name}{r.unit.inactive_mark}" for r in top],
        "now": [float(r.values[sort] or 0) for r in top],
        # None when the figure is not kept per year (statistics.CURRENT_ONLY): the chart draws this year alone.
        "before": None
        if sort in statistics.CURRENT_ONLY
        else [None if r.last[sort] is None else float(r.last[sort]) for r in top],
        "legend": [_("%(year)s年") % {"year": year}, _("%(year)s年") % {"year": year - 1}],
    }
    return render(
        request,
        "rollups/statistics.html",
        {
            "unit": unit,
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "sort": sort,
            "figures": statistics.FIGURES,
            "money": statistics.MONEY,
            "cards": cards,
            "page": page,
            "lines": lines,
            "sort_label": labels[sort],
            "chart": chart,
            "chart_table": {
                "caption": str(labels[sort]),
                "headers": [_("单位"), str(year), str(year - 1)][: 3 if chart["before"] is not None else 2],
                "rows": [list(row) for row in zip(*_series(chart), strict=True)],
            },
            "as_of": statistics.as_of(unit, year),
            "pending": pending_since(unit),
            "delay_seconds": DELAY_SECONDS,
        },
    )


@login_required
@reads_from_replica
@in_site_language
def statistics_export(request):
    unit = _unit(request)
    today = timezone.localdate()
    year = _year(request, today)
    columns = [Column(_("单位"), 36), Column(_("代码"), 14)] + [
        Column(f"{label}（{measure}）", 14 if key in statistics.MONEY else 12, MONEY if key in statistics.MONEY else "")
        for key, label, measure in statistics.FIGURES
    ]
    title = _("%(unit)s%(year)s年工会工作统计表") % {"unit": unit.name, "year": year}
    stamp = timezone.localdate().strftime("%Y%m%d")
    return table_response(
        columns,
        statistics.report_rows(unit, year=year, today=today),
        filename=f"{title}-{stamp}",  # the unit's name, as the sheet's title: an officer files it by name
        title=title,
        sheet=_("统计表"),
    )
