"""Downloads: the plan and the summary as .docx, and a unit's year-end archive (.zip)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from core.language import in_site_language
from core.routing import reads_from_replica
from core.tables import file_name
from orgs.access import has_permission
from orgs.models import OrgUnit
from plans import documents
from plans.models import Plan, YearSummary


def _download(data, content_type, filename):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name(filename))
    return response


@login_required
@in_site_language
def plan_docx(request, pk):
    plan = get_object_or_404(Plan.objects.visible_to(request.user, "plans.view").select_related("unit"), pk=pk)
    return _download(documents.plan_docx(plan), documents.DOCX_TYPE, f"{plan.title}.docx")


@login_required
@in_site_language
def summary_docx(request, pk):
    summaries = YearSummary.objects.visible_to(request.user, "plans.view").select_related("unit")
    summary = get_object_or_404(summaries, pk=pk)
    return _download(documents.summary_docx(summary), documents.DOCX_TYPE, f"{summary.title}.docx")


@login_required
@reads_from_replica
@in_site_language
def archive_zip(request, unit_pk, year):
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user, "plans.view"), pk=unit_pk)
    plan = Plan.objects.filter(unit=unit, year=year).select_related("unit").first()
    summary = YearSummary.objects.filter(unit=unit, year=year).select_related("unit").first()
    if plan is None and summary is None:
        raise Http404
    extra = documents.roster_files(unit, year) if has_permission(request.user, "members.export", unit) else []
    data = documents.archive_zip(unit=unit, year=year, plan=plan, summary=summary, extra_files=extra)
    return _download(data, "application/zip", documents.archive_filename(unit, year))
