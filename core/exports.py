"""Exports too large for a request: written by the worker into a private file the officer downloads later.

A roster of a few hundred members is written while the officer waits; a county's tens of thousands
take longer than a web worker may hold a request (gunicorn stops it at 30 s, and the officer sees an
error after a minute of nothing). From ``INLINE_MAX_ROWS`` rows on, the page starts an ``ExportJob``
instead: the worker rebuilds the table as its officer would see it (``Exporter.build``: the same
filters, the access rule applied as that officer, in their language), writes it chunk by chunk to a
file in private storage, and tells the officer in the app when it is ready.

The file is the officer's alone: only the one who asked may download it, and only while they still
hold the permission the export needs (a revoked role reads nothing it could no longer read on the
page). Each download of a file with full ID numbers is logged like a reveal. Files are deleted
``KEPT_DAYS`` after they were written (``purge_imports``), or when the officer deletes them.

Jobs end, whatever happens to the worker (as the import jobs of core.sheets.jobs do): one never
started within ``job_timeout()`` (no worker running), or whose worker stopped giving signs of life
for as long, is marked failed when its page is next looked at, and can be tried again.
"""

import datetime
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from core import tables
from core.files import discard, retention_cutoff
from core.language import language_of, site_language
from core.models import ExportJob, ExportState
from core.notifications import notify
from core.sheets.jobs import WORKER_GRACE, job_timeout, task_failed

RUNNING_STATES = (ExportState.QUEUED, ExportState.RUNNING)
INLINE_MAX_ROWS = 5_000  # about two seconds of writing: more goes to the worker
CHUNK = 2_000  # rows between two signs of life (progress, and a look for a cancel)
KEPT_DAYS = 7  # a file of a whole roster is not left lying on the server for the usual 30 days


@dataclass(frozen=True)
class Table:
    """What an exporter hands the writer: the columns, the rows (a generator) and how many there are."""

    columns: Sequence[tables.Column]
    rows: Iterable[Sequence]
    count: int
    title: str = ""
    sheet: str = ""


@dataclass(frozen=True)
class Exporter:
    """A list that can be exported in the background. ``build(job)`` rebuilds its table from the job's
    unit, officer and query string; ``permission`` is needed to ask for it and to download it, and
    ``sensitive_permission`` as well for a file with full numbers (``job.unmasked``), whose every
    download is logged as a read of ``sensitive_fields``."""

    key: str
    label: str
    permission: str
    build: Callable[[ExportJob], Table]
    back_url: str  # the list the export was taken from (a URL name)
    sensitive_permissions: tuple[str, ...] = ()  # each needed, on the job's unit, for a file with full numbers
    sensitive_fields: tuple = ()
    # A document handed on (an insurer's list) is in the site's language, not its officer's (core.language).
    in_site_language: bool = False

    def allowed(self, job, user) -> bool:
        from orgs.access import has_permission

        if user.pk != job.created_by_id or not has_permission(user, self.permission, job.unit):
            return False
        return not job.unmasked or all(has_permission(user, p, job.unit) for p in self.sensitive_permissions)

    def language(self, job):
        """The language the file is written in (its words; the job's own messages stay its officer's)."""
        return site_language() if self.in_site_language else language_of(job.created_by)


_registry: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    _registry[exporter.key] = exporter
    return exporter


def exporter_for(key) -> Exporter:
    return _registry[key]


def fits_in_request(queryset, *, limit=None) -> bool:
    """Is ``queryset`` small enough to be written while the officer waits? Counts at most limit + 1 rows."""
    limit = INLINE_MAX_ROWS if limit is None else limit
    return queryset.order_by()[: limit + 1].count() <= limit


def query_of(job) -> QueryDict:
    """The list's filters as the page had them, for ``Exporter.build``."""
    return QueryDict(job.query)


# --- starting, running, ending


def export_start(*, kind, unit, user, query, fmt, unmasked, name, now=None) -> ExportJob:
    """Queue the export of ``kind`` for ``user``; the worker writes it (core.exports.run_export). The same
    export asked for again while the first is queued or running is that one (开始生成 tapped twice)."""
    fmt = "csv" if fmt == "csv" else "xlsx"
    same = ExportJob.objects.filter(
        created_by=user, kind=kind, unit=unit, query=query, fmt=fmt, unmasked=unmasked, state__in=RUNNING_STATES
    ).first()
    if same is not None:
        return same
    job = ExportJob.objects.create(
        kind=kind,
        unit=unit,
        created_by=user,
        query=query,
        fmt=fmt,
        unmasked=unmasked,
        name=tables.file_name(name)[:200],
        queued_at=now or timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job):
    queued = run_export.enqueue(job.pk)
    task_id = str(getattr(queued, "id", "") or "")
    ExportJob.objects.filter(pk=job.pk).update(task_id=task_id)


@task()
def run_export(job_id):
    export_run(ExportJob.objects.select_related("unit", "created_by").get(pk=job_id))


class _Cancelled(Exception):
    pass


class _TooLarge(Exception):
    pass


# Rows an Excel sheet holds, less the title and the header.
XLSX_MAX_ROWS = 1_048_576 - 2


def export_run(job, *, now=None) -> ExportJob:
    """The worker's part: write the table into the job's file, or say why not (and tell its officer)."""
    now = now or timezone.now()
    claimed = ExportJob.objects.filter(pk=job.pk, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING, started_at=now, rows_done=0
    )
    if not claimed:  # cancelled meanwhile, or another worker has it
        job.refresh_from_db()
        return job
    job.state, job.started_at = ExportState.RUNNING, now
    with language_of(job.created_by):  # the job's messages, as its officer reads them
        try:
            return _produce(job)
        finally:
            _progress_file(job).unlink(missing_ok=True)


def _produce(job):
    exporter = exporter_for(job.kind)
    if not exporter.allowed(job, job.created_by):
        return _failed(job, _("你已没有导出这份名单的权限，没有生成文件。"))
    try:
        with tempfile.TemporaryFile() as written:
            with exporter.language(job):
                _write(job, exporter.build(job), written)
            job.file.save(f"{get_random_string(16)}.{job.fmt}", File(written), save=False)
    except _Cancelled:  # by the officer, who set the state: nothing more to write
        job.refresh_from_db()
        return job
    except _TooLarge:
        message = _("共 %(count)s 行，超过 Excel 一个工作表能容纳的行数：请导出 CSV，或按下级单位分别导出。")
        return _failed(job, message % {"count": job.rows_total})
    except Exception:
        _failed(job, _("生成文件时出错。可以重试，或联系管理员。"))
        raise
    job.state, job.rows_done, job.finished_at = ExportState.DONE, job.rows_total, timezone.now()
    finished = ExportJob.objects.filter(pk=job.pk, state=ExportState.RUNNING).update(
        state=job.state, file=job.file.name, rows_done=job.rows_done, finished_at=job.finished_at, message=""
    )
    if not finished:  # cancelled after the last chunk: the file goes too
        discard(job.file)
        job.refresh_from_db()
        return job
    _tell(job, gettext_lazy("%(name)s已生成，可以下载（保留 %(days)s 天）。"), days=KEPT_DAYS)
    return job


def _write(job, table, target):
    """The table written into the binary file ``target``, with progress every CHUNK rows; ``target`` is
    left at its start, for the storage to copy. Raises _Cancelled once the file is closed (the writer
    is left to end its file, not torn down mid-row) when the officer cancelled meanwhile.

    Nothing is written to the database while the rows are read: on SQLite a connection that writes
    while its own read is open fails ("database is locked") as soon as anyone else has written since
    the read began, a heartbeat or another officer's save. Progress goes to a file (as an import's
    does), and the rows are closed before anything is written after them, whatever happened."""
    job.rows_total = table.count
    ExportJob.objects.filter(pk=job.pk).update(rows_total=table.count)
    if job.fmt == "xlsx" and table.count > XLSX_MAX_ROWS:
        raise _TooLarge
    cancelled = []
    rows = _with_progress(job, table.rows, cancelled)
    try:
        if job.fmt == "csv":
            tables.save_csv(table.columns, rows, target)
        else:
            tables.save_xlsx(table.columns, rows, target, title=table.title, sheet=table.sheet)
    finally:
        rows.close()
        getattr(table.rows, "close", lambda: None)()
    if cancelled:
        raise _Cancelled
    target.seek(0)


def _with_progress(job, rows, cancelled):
    """``rows``, with progress and a sign of life every CHUNK rows; they stop early (noting it in
    ``cancelled``) when the officer cancelled the export."""
    for done, row in enumerate(rows, start=1):
        yield row
        if done % CHUNK == 0 and not _beat(job, done):
            cancelled.append(done)
            return


def _progress_file(job):
    return Path(settings.PRIVATE_MEDIA_ROOT) / "exports" / "running" / f"{job.pk}.progress"


def _beat(job, done) -> bool:
    """Progress and a sign of life (the file's time); False when the export is no longer running (cancelled:
    a read, which an open read does not hinder)."""
    path = _progress_file(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(str(done))
    temporary.replace(path)
    return ExportJob.objects.filter(pk=job.pk, state=ExportState.RUNNING).exists()


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self):
        return min(100, self.done * 100 // self.total) if self.total else 0


def progress(job) -> Progress:
    """How far the worker is: the rows written so far (its progress file while it runs), of all."""
    if not job.is_running:
        return Progress(job.rows_done, job.rows_total or 0)
    try:
        done = int(_progress_file(job).read_text())
    except (OSError, ValueError):
        done = 0
    return Progress(done, job.rows_total or 0)


def _last_sign_of_life(job):
    try:
        return datetime.datetime.fromtimestamp(_progress_file(job).stat().st_mtime, tz=datetime.UTC)
    except OSError:
        return job.started_at


def _end(job, state, message) -> bool:
    """End a job still queued or running; False when it had ended meanwhile (the worker finished it while
    its page found it silent, the officer cancelled it while the worker failed), which is left as it is."""
    finished_at = timezone.now()
    ended = ExportJob.objects.filter(pk=job.pk, state__in=RUNNING_STATES).update(
        state=state, message=message, finished_at=finished_at
    )
    if ended:
        job.state, job.message, job.finished_at = state, message, finished_at
    else:
        job.refresh_from_db()
    return bool(ended)


def _failed(job, message):
    """End ``job`` as failed, and tell its officer, who may have left the page."""
    if _end(job, ExportState.FAILED, message):
        _tell(job, gettext_lazy("%(name)s没有生成：%(reason)s"), reason=message)
    return job


def _tell(job, text, **params):
    notify(
        job.created_by,
        text=text,
        params={"name": job.file_name, **params},
        url=reverse("core:export", args=[job.pk]),
        kind="export",
        send=False,
    )


# --- what the officer does with a job


def export_cancel(job) -> ExportJob:
    """Stop a queued or running export (a running one stops at its next chunk)."""
    if job.is_running:
        _end(job, ExportState.CANCELLED, _("已取消。"))
    return job


def export_retry(job, *, now=None) -> bool:
    """Queue a failed export again, as it was asked for. Returns whether it was queued."""
    queued_at = now or timezone.now()
    again = ExportJob.objects.filter(pk=job.pk, state=ExportState.FAILED).update(
        state=ExportState.QUEUED,
        queued_at=queued_at,
        started_at=None,
        finished_at=None,
        rows_done=0,
        rows_total=None,
        message="",
        task_id="",
    )
    job.refresh_from_db()
    if again:
        transaction.on_commit(lambda: _enqueue(job))
    return bool(again)


def export_delete(job):
    """The file and the job gone (a running export is cancelled first)."""
    export_cancel(job)
    discard(job.file)
    job.delete()


def export_expire(job, *, now) -> ExportJob:
    """Mark failed an export no worker started ``job_timeout()`` after it was queued, or whose worker
    stopped giving signs of life for as long, or whose task the queue gave up (a worker that died: the
    database queue knows within a minute), and tell its officer."""
    if job.state == ExportState.QUEUED and job.queued_at and now - job.queued_at > job_timeout():
        minutes = int(job_timeout().total_seconds() // 60)
        return _failed(
            job,
            _("后台任务程序没有运行：排队 %(minutes)d 分钟仍未开始。请联系管理员启动后台任务程序后重试。")
            % {"minutes": minutes},
        )
    if job.state == ExportState.RUNNING and (now - _last_sign_of_life(job) > job_timeout() or task_failed(job)):
        _progress_file(job).unlink(missing_ok=True)
        return _failed(job, _("后台任务中断了（可能是服务重启或进程被终止）。可以重试。"))
    return job


def worker_missing(job, *, now) -> bool:
    """Is this export waiting in a queue no worker serves?"""
    from core import tasks

    return job.state == ExportState.QUEUED and tasks.no_worker_for(job.queued_at, now=now, grace=WORKER_GRACE)


def purge(*, now, days=None) -> int:
    """Delete the files of exports written more than KEPT_DAYS (or fewer ``days``) ago; the jobs stay, saying so."""
    cutoff = retention_cutoff(now=now, days=KEPT_DAYS if days is None else min(days, KEPT_DAYS))
    count = 0
    # Read first, then write (core.files.purge_expired says why).
    for job in list(ExportJob.objects.filter(finished_at__lt=cutoff).exclude(file="")):
        discard(job.file)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        count += 1
    return count
