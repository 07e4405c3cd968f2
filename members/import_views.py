"""The roster import pages: upload, preview (sheet, mapping, errors), import, progress, retry, cancel.

Thin over core.sheets: the jobs, their progress and their ends are core.sheets.jobs; what is
the roster's own is its importer (members.importing) and who may see its failed rows.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import tables
from core.audit import log_sensitive_read
from core.sheets import jobs, output
from members import importing, tasks
from members.forms import MappingForm, SheetForm, UploadForm
from members.models import ImportJob
from members.views import SENSITIVE_FIELDS
from orgs.access import current_unit_or_404, has_permission

ERRORS_SHOWN = 200
TASKS = {"check": tasks.check_import, "run": tasks.run_import}


def _get_job(request, pk):
    job = get_object_or_404(
        ImportJob.objects.visible_to(request.user, "members.import").select_related("unit", "created_by"), pk=pk
    )
    # A job whose worker never came or died ends here, the next time anyone looks at it.
    return jobs.job_expire(job, now=timezone.now())


def _checked_job(request, pk):
    """A job waiting for the officer's decision on its preview; any other answers 404."""
    job = _get_job(request, pk)
    if job.state != ImportJob.State.CHECKED:
        raise Http404
    return job


def _start(job, step, **choices):
    """Small sheets are handled within the request; large ones by the worker, the page polling. The
    officer's ``choices`` (core.sheets.jobs.JOB_CHOICES) go with the start, or not at all."""
    return jobs.job_start(job, step, task=TASKS[step], inline_max_bytes=importing.INLINE_MAX_BYTES, choices=choices)


def _breadcrumbs(*items):
    return [{"label": _("会员名册"), "url": reverse("members:list")}, *items]


@login_required
def import_upload(request):
    unit = current_unit_or_404(request, "members.import")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(unit=unit, created_by=request.user, file=upload, original_name=upload.name[:200])
        _start(job, "check")
        return redirect("members:import_job", job.pk)
    now = timezone.now()
    recent = [
        jobs.job_expire(job, now=now)
        for job in ImportJob.objects.visible_to(request.user, "members.import").select_related("created_by")[:10]
    ]
    return render(
        request,
        "members/import_upload.html",
        {
            "form": form,
            "unit": unit,
            "recent": recent,
            "fields": importing.FIELDS,
            "breadcrumbs": _breadcrumbs({"label": _("导入"), "url": ""}),
        },
    )


@login_required
def import_template(request):
    """A blank roster to fill in: the columns the import reads, the required ones marked."""
    current_unit_or_404(request, "members.import")
    return output.template_response(importing.ROSTER, name=_("会员花名册模板"))


def _progress(done, total):
    return {"done": done, "total": total, "percent": int(done * 100 / total) if total else 0}


@login_required
def import_job(request, pk):
    job = _get_job(request, pk)
    result = job.result or {}
    mapping_form = sheet_form = None
    if job.state == ImportJob.State.CHECKED and result.get("headers"):
        mapping_form = MappingForm(headers=result["headers"], mapping=job.mapping or result.get("mapping", {}))
    if job.state == ImportJob.State.CHECKED and len(result.get("sheets", [])) > 1:
        sheet_form = SheetForm(sheets=result["sheets"], initial={"sheet": job.sheet})
    errors = result.get("errors", [])
    done, total = jobs.read_progress(job)
    return render(
        request,
        "members/import_job.html",
        {
            "job": job,
            "result": result,
            "errors": errors[:ERRORS_SHOWN],
            "more_errors": max(0, len(errors) - ERRORS_SHOWN),
            "mapping_form": mapping_form,
            "sheet_form": sheet_form,
            "progress": _progress(done, total),
            "worker_missing": jobs.worker_missing(job, now=timezone.now()),
            "blocks_others": job.state == ImportJob.State.CHECKED and jobs.blocks_other_writers(job),
            "good_rows": result.get("created", 0) + result.get("updated", 0),
            "breadcrumbs": _breadcrumbs(
                {"label": _("导入"), "url": reverse("members:import")}, {"label": job.original_name, "url": ""}
            ),
        },
    )


@login_required
def import_progress(request, pk):
    """The progress bar, polled by htmx; once the job is finished the page reloads itself."""
    job = _get_job(request, pk)
    if not job.is_running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    done, total = jobs.read_progress(job)
    context = {
        "job": job,
        "progress": _progress(done, total),
        "worker_missing": jobs.worker_missing(job, now=timezone.now()),
    }
    return render(request, "members/_import_progress.html", context)


@login_required
@require_POST
def import_mapping(request, pk):
    job = _checked_job(request, pk)
    form = MappingForm(request.POST, headers=job.result.get("headers", []), mapping={})
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("members:import_job", job.pk)
    _start(job, "check", mapping=form.mapping())
    return redirect("members:import_job", job.pk)


@login_required
@require_POST
def import_sheet(request, pk):
    """Read another sheet of the workbook than the one found; its columns are guessed afresh."""
    job = _checked_job(request, pk)
    form = SheetForm(request.POST, sheets=job.result.get("sheets", []))
    if form.is_valid():
        _start(job, "check", sheet=form.cleaned_data["sheet"], mapping={})
    return redirect("members:import_job", job.pk)


@login_required
@require_POST
def import_run(request, pk):
    job = _checked_job(request, pk)
    if job.message:
        raise Http404  # the file could not be read: nothing to import
    _start(job, "run", skip_errors=request.POST.get("skip_errors") == "1")
    job.refresh_from_db()
    if job.state == ImportJob.State.DONE:
        messages.success(
            request,
            _("导入完成：新增 %(created)d 人，更新 %(updated)d 人。")
            % {"created": job.result["created"], "updated": job.result["updated"]},
        )
    return redirect("members:import_job", job.pk)


@login_required
@require_POST
def import_retry(request, pk):
    job = _get_job(request, pk)
    if not job.can_retry:
        raise Http404
    _start(job, job.step)
    return redirect("members:import_job", job.pk)


@login_required
@require_POST
def import_cancel(request, pk):
    job = _get_job(request, pk)
    if not job.can_cancel:
        raise Http404
    jobs.job_cancel(job)
    if job.is_running:
        messages.info(request, _("正在取消：后台任务会在处理完当前这批行后停止，不写入任何数据。"))
    return redirect("members:import_job", job.pk)


@login_required
def import_failed_rows(request, pk):
    """The rows that failed, as they were, with an error column: fix them and import the file again."""
    job = _get_job(request, pk)
    # The failed rows hold ID numbers in clear: they go back to the officer who uploaded them,
    # or to a role that may see ID numbers anyway (and that read is logged).
    if request.user != job.created_by:
        if not has_permission(request.user, "members.view_sensitive", job.unit):
            raise Http404
        log_sensitive_read(request, job, [*SENSITIVE_FIELDS, _("导入错误行")], unit=job.unit)
    rows, sheets = jobs.failed_rows(job)
    if not rows:
        raise Http404  # none failed, or kept no longer (SHEETS_RETENTION_DAYS)
    result = job.result
    roster = importing.ROSTER
    content = output.failed_rows_xlsx(
        headers=result.get("headers", []),
        failed_rows=rows,
        errors=result.get("errors", []),
        failed_sheets=sheets,
        # Units read from the sheets' names go back as a 所在单位 column: the file imported again puts each row there.
        group_header=roster.column(roster.group_column).label if result.get("group_sheets") else None,
    )
    response = HttpResponse(content, content_type=tables.XLSX_TYPE)
    from django.utils.http import content_disposition_header

    stem = job.original_name.rsplit(".", 1)[0]
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}-{_('错误行')}.xlsx")
    return response
