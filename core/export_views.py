"""The pages of a background export (core.exports): its progress, then its file, for the officer who asked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import exports
from core.audit import log_sensitive_read
from core.files import serve
from core.models import ExportJob, ExportState

RECENT_SHOWN = 5


def _get_job(request, pk):
    """The user's own export (anyone else's answers 404), ended here if its worker never came or died."""
    job = get_object_or_404(ExportJob.objects.select_related("unit", "created_by"), pk=pk, created_by=request.user)
    return exports.export_expire(job, now=timezone.now())


@login_required
def export_job(request, pk):
    job = _get_job(request, pk)
    exporter = exports.exporter_for(job.kind)
    recent = ExportJob.objects.filter(created_by=request.user).exclude(pk=job.pk).select_related("unit")
    context = {
        "job": job,
        "exporter": exporter,
        "allowed": exporter.allowed(job, request.user),
        "worker_missing": exports.worker_missing(job, now=timezone.now()),
        "progress": exports.progress(job),
        "kept_days": exports.KEPT_DAYS,
        "recent": recent[:RECENT_SHOWN],
        "breadcrumbs": [
            {"label": exporter.label, "url": reverse(exporter.back_url)},
            {"label": _("导出"), "url": ""},
        ],
    }
    return render(request, "core/export_job.html", context)


@login_required
def export_progress(request, pk):
    """The progress bar, polled by htmx; once the export has ended the page reloads itself."""
    job = _get_job(request, pk)
    if not job.is_running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    context = {
        "job": job,
        "progress": exports.progress(job),
        "worker_missing": exports.worker_missing(job, now=timezone.now()),
    }
    return render(request, "core/_export_progress.html", context)


@login_required
def export_download(request, pk):
    job = _get_job(request, pk)
    exporter = exports.exporter_for(job.kind)
    if job.state != ExportState.DONE or not job.file or not exporter.allowed(job, request.user):
        raise Http404
    if job.unmasked:
        log_sensitive_read(request, job.unit, [str(field) for field in exporter.sensitive_fields], unit=job.unit)
    return serve(job.file, filename=job.file_name, as_attachment=True)


@login_required
@require_POST
def export_cancel(request, pk):
    exports.export_cancel(_get_job(request, pk))
    return redirect("core:export", pk)


@login_required
@require_POST
def export_retry(request, pk):
    job = _get_job(request, pk)
    if not exports.export_retry(job):
        messages.info(request, _("这次导出不需要重试。"))
    return redirect("core:export", pk)


@login_required
@require_POST
def export_delete(request, pk):
    job = _get_job(request, pk)
    back = reverse(exports.exporter_for(job.kind).back_url)
    exports.export_delete(job)
    messages.success(request, _("已删除导出的文件。"))
    return redirect(back)
