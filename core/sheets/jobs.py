"""Import jobs: an uploaded sheet checked (the preview), then imported, on the page or by the worker.

An app's job model inherits ``SheetImportJob`` and names its importer. Small files are handled
within the request; large ones by a django-tasks task that only calls ``job_check`` or
``job_run``, while the page polls the progress the worker writes to a file next to the upload
(a file, not a row: the import's transaction would hide a row's updates until the very end, and
on SQLite would block the page's write).

Jobs end, whatever happens to the worker:
- a job nobody started within ``SHEETS_JOB_TIMEOUT_MINUTES`` (the worker is not running), or whose
  progress stopped for that long (the worker died mid-import: its transaction rolled back, nothing
  was written), is marked failed when its page is next looked at (``job_expire``), and can be
  retried or cancelled; the page says when a queued job has waited long enough that the worker
  is probably not running (``worker_missing``);
- cancelling a running job leaves a marker the worker sees between batches; it rolls back.

Stored copies are bounded: the failed rows (which hold ID numbers and phones) are kept encrypted,
the upload is deleted when the job is done or cancelled, and ``purge_jobs`` deletes uploads and
failed rows of every job uploaded more than ``PRIVATE_FILES_RETENTION_DAYS`` ago, ended or not
(``manage.py purge_imports``).
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core import encryption
from core.files import discard, private_storage, retention_cutoff
from core.sheets.importer import importer_for
from core.sheets.reading import ImportFileError
from core.sheets.running import run_import

INLINE_MAX_BYTES = 200 * 1024  # about 2,000 rows: checked within the request
WORKER_GRACE = datetime.timedelta(seconds=60)


def job_timeout():
    return datetime.timedelta(minutes=getattr(settings, "SHEETS_JOB_TIMEOUT_MINUTES", 10))


def upload_path(job, filename):
    return f"imports/{job._meta.app_label}/{timezone.now():%Y/%m}/{filename}"


class JobState(models.TextChoices):
    CHECKING = "checking", gettext_lazy("正在检查")
    CHECKED = "checked", gettext_lazy("已检查，待导入")
    IMPORTING = "importing", gettext_lazy("正在导入")
    DONE = "done", gettext_lazy("已导入")
    FAILED = "failed", gettext_lazy("未导入")
    CANCELLED = "cancelled", gettext_lazy("已取消")


class SheetImportJob(models.Model):
    """An uploaded sheet on its way in; an app's job model inherits this and sets ``importer_key``."""

    State = JobState
    importer_key = ""

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=gettext_lazy("导入到"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("上传时间"), auto_now_add=True)
    file = models.FileField(gettext_lazy("文件"), upload_to=upload_path, storage=private_storage, blank=True)
    original_name = models.CharField(gettext_lazy("文件名"), max_length=200)
    state = models.CharField(gettext_lazy("状态"), max_length=20, choices=JobState.choices, default=JobState.CHECKING)
    step = models.CharField(gettext_lazy("步骤"), max_length=10, default="check")  # "check" or "run"
    sheet = models.CharField(gettext_lazy("工作表"), max_length=100, blank=True)  # "" = found automatically
    mapping = models.JSONField(gettext_lazy("列对应关系"), default=dict, blank=True)  # {"column index": key}
    skip_errors = models.BooleanField(gettext_lazy("跳过错误行"), default=False)
    result = models.JSONField(gettext_lazy("检查结果"), default=dict, blank=True)
    message = models.TextField(gettext_lazy("说明"), blank=True)
    queued_at = models.DateTimeField(gettext_lazy("排队时间"), null=True, blank=True)
    started_at = models.DateTimeField(gettext_lazy("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("完成时间"), null=True, blank=True)
    interrupted = models.BooleanField(gettext_lazy("中断"), default=False)  # failed for a reason a retry may mend
    task_id = models.CharField(max_length=64, blank=True)  # the django-tasks result of the queued step

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def importer(self):
        return importer_for(self.importer_key)

    @property
    def is_running(self):
        return self.state in (JobState.CHECKING, JobState.IMPORTING)

    @property
    def can_retry(self):
        return self.interrupted and self.state == JobState.FAILED and bool(self.file)

    @property
    def can_cancel(self):
        return self.is_running or self.state == JobState.CHECKED


# --- progress, written by whoever runs the job


def _side_file(job, suffix):
    return Path(job.file.path).with_suffix(suffix)


def read_progress(job) -> tuple[int, int]:
    """(rows done, rows in the sheet), written by the worker between batches."""
    try:
        done, total = _side_file(job, ".progress").read_text().split()
        return int(done), int(total)
    except (OSError, ValueError):
        return 0, 0


class JobCancelled(Exception):
    pass


def progress_writer(job):
    path = _side_file(job, ".progress")
    cancel = _side_file(job, ".cancel")

    def write(done, total):
        if cancel.exists():
            raise JobCancelled
        temporary = path.with_suffix(".progress-tmp")
        temporary.write_text(f"{done} {total}")
        temporary.replace(path)  # also the heartbeat: its time says the worker is alive

    return write


def _heartbeat(job):
    try:
        return datetime.datetime.fromtimestamp(_side_file(job, ".progress").stat().st_mtime, tz=datetime.UTC)
    except (OSError, ValueError):
        return None


# --- what is stored of a result


def stored(result):
    rows = {"rows": result.failed_rows, "sheets": result.failed_sheets}
    return {
        "sheets": result.sheets,
        "sheet": result.sheet,
        "group_sheets": result.group_sheets,
        "header_row": result.header_row,
        "headers": result.headers,
        "mapping": {str(k): v for k, v in result.mapping.items()},
        "rows_in_file": result.rows_in_file,
        "total": result.total,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "failed": result.failed,
        "errors": [e.as_dict() for e in result.errors],
        "written": result.written,
        # The failed rows hold ID numbers and phones as typed: kept only encrypted.
        "failed_rows": encryption.encrypt(json.dumps(rows, ensure_ascii=False)) if result.failed_rows else "",
    }


def failed_rows(job) -> tuple[list, list]:
    """(failed rows, the sheet of each) of a job, decrypted."""
    token = (job.result or {}).get("failed_rows")
    if not token:
        return [], []
    data = json.loads(encryption.decrypt(token))
    return data["rows"], data["sheets"]


def job_mapping(job):
    return {int(k): v for k, v in job.mapping.items()} if job.mapping else None


# --- the two steps


def _begin(job, state, *, now=None):
    job.refresh_from_db(fields=["state"])
    if job.state == JobState.CANCELLED:
        return False
    job.state, job.started_at, job.interrupted = state, now or timezone.now(), False
    job.save(update_fields=["state", "started_at", "interrupted"])
    return True


def _run(job, **options):
    return run_import(
        job.importer,
        job.file.path,
        unit=job.unit,
        user=job.created_by,
        mapping=job_mapping(job),
        sheet=job.sheet or None,
        progress=progress_writer(job),
        file_name=job.original_name,
        **options,
    )


def job_check(job):
    """Check the sheet without writing: the preview the officer decides on."""
    if not _begin(job, JobState.CHECKING):
        return job
    try:
        result = _run(job, dry_run=True)
    except ImportFileError as error:
        partial = getattr(error, "result", None)
        job.result = stored(partial) if partial else {}
        job.message = str(error)
    except JobCancelled:
        return _end(job, JobState.CANCELLED, _("已取消。"))
    except Exception:
        # Never leave the page polling a check that is no longer running.
        _end(job, JobState.FAILED, _("检查这个文件时出错。请重试，或联系管理员。"), interrupted=True)
        raise
    else:
        job.result = stored(result)
        job.mapping = job.result["mapping"]
        job.message = ""
    job.state = JobState.CHECKED
    job.save(update_fields=["state", "result", "message", "mapping"])
    return job


def job_run(job):
    """Import for real, all or nothing (or the good rows with ``job.skip_errors``)."""
    if not _begin(job, JobState.IMPORTING):
        return job
    try:
        result = _run(job, skip_errors=job.skip_errors)
    except ImportFileError as error:
        return _end(job, JobState.FAILED, str(error))
    except JobCancelled:
        return _end(job, JobState.CANCELLED, _("已取消，没有写入任何数据。"))
    except Exception:
        _end(job, JobState.FAILED, _("导入中途出错，没有写入任何数据。请重试，或联系管理员。"), interrupted=True)
        raise
    job.result = stored(result)
    if result.written:
        return _end(job, JobState.DONE, "")
    message = _("有 %(count)d 行未通过检查，按“全部正确才导入”的规则，没有写入任何数据。") % {"count": result.failed}
    return _end(job, JobState.FAILED, message)


def _end(job, state, message, *, interrupted=False):
    job.state, job.message, job.interrupted = state, message, interrupted
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "message", "interrupted", "finished_at", "result"])
    if state in (JobState.DONE, JobState.CANCELLED):
        delete_upload(job)  # nothing more will be read from it
    return job


# What the officer may change of a checked job as they start it again: the columns, the sheet, and
# whether rows with errors are skipped.
JOB_CHOICES = frozenset({"mapping", "sheet", "skip_errors"})


def job_start(job, step, *, task, inline_max_bytes=INLINE_MAX_BYTES, now=None, choices=None):
    """Check (``step="check"``) or import (``"run"``): small sheets within the request, large ones queued.

    Only from the state ``job`` was read in: of two requests that read the same checked job (导入 tapped
    twice, two tabs), the second finds it taken and leaves it to the first, instead of importing the
    sheet again (members without an ID number would be added twice). ``choices`` (of JOB_CHOICES: the
    columns mapped, the sheet, skipping rows with errors) are written by the same claim, so a request
    that lost it changes nothing of the job the other is running. Returns whether this call started it."""
    choices = dict(choices or {})
    if not set(choices) <= JOB_CHOICES:
        raise ValueError(f"not an officer's choice of a job: {sorted(set(choices) - JOB_CHOICES)}")
    running = JobState.CHECKING if step == "check" else JobState.IMPORTING
    queued_at = now or timezone.now()
    claimed = (
        type(job)
        .objects.filter(pk=job.pk, state=job.state, queued_at=job.queued_at)
        .update(step=step, queued_at=queued_at, started_at=None, state=running, task_id="", **choices)
    )
    if not claimed:
        job.refresh_from_db()
        return False
    job.step, job.queued_at, job.started_at, job.state, job.task_id = step, queued_at, None, running, ""
    for name, value in choices.items():
        setattr(job, name, value)
    _side_file(job, ".cancel").unlink(missing_ok=True)
    _side_file(job, ".progress").unlink(missing_ok=True)
    work = job_check if step == "check" else job_run
    if job.file.size <= inline_max_bytes:
        work(job)
    else:
        # The worker writes the job's messages in the uploader's language, not its own (the task takes it).
        queued = task.enqueue(job.pk, get_language())
        job.task_id = str(getattr(queued, "id", "") or "")
        type(job).objects.filter(pk=job.pk).update(task_id=job.task_id)
    return True


# --- jobs that will not end by themselves


def worker_missing(job, *, now) -> bool:
    """Is this job waiting in a queue that no worker serves (or, whatever the queue says, for over a minute)?"""
    if not (job.is_running and job.started_at is None and job.queued_at is not None):
        return False
    from core import tasks

    return tasks.no_worker_for(job.queued_at, now=now, grace=WORKER_GRACE)


def task_failed(job) -> bool:
    """Did the queue itself give the job's task up (core.tasks marks a dead worker's task failed)?"""
    if not job.task_id:
        return False
    from django_tasks import default_task_backend
    from django_tasks.base import TaskResultStatus
    from django_tasks.exceptions import TaskResultDoesNotExist

    try:
        return default_task_backend.get_result(job.task_id).status == TaskResultStatus.FAILED
    except (NotImplementedError, TaskResultDoesNotExist):  # a backend that keeps no results, or one purged
        return False


def job_expire(job, *, now):
    """Mark failed a job whose task the queue gave up, or that never started, or whose progress
    stopped, ``job_timeout()`` ago."""
    if not job.is_running:
        return job
    if job.started_at is None:
        if job.queued_at and now - job.queued_at > job_timeout():
            minutes = int(job_timeout().total_seconds() // 60)
            return _end(
                job,
                JobState.FAILED,
                _("后台任务程序没有运行：排队 %(minutes)d 分钟仍未开始。请联系管理员启动后台任务程序后重试。")
                % {"minutes": minutes},
                interrupted=True,
            )
        return job
    last = max(filter(None, [job.started_at, _heartbeat(job)]))
    if now - last > job_timeout() or task_failed(job):
        return _end(
            job,
            JobState.FAILED,
            _("后台任务中断了（可能是服务重启或进程被终止），没有写入任何数据。可以重试。"),
            interrupted=True,
        )
    return job


def job_cancel(job):
    """Cancel a job: at once when nobody runs it, else at the worker's next batch (which rolls back)."""
    if job.is_running and job.started_at is not None:
        _side_file(job, ".cancel").touch()
        return job
    _end(job, JobState.CANCELLED, _("已取消。"))
    return job


def job_retry(job, *, task, inline_max_bytes=INLINE_MAX_BYTES, now=None) -> bool:
    return job_start(job, job.step, task=task, inline_max_bytes=inline_max_bytes, now=now)


# Above this many rows an import on SQLite holds the database's one write lock long enough
# (about a minute per 20,000 rows on a busy machine) that other people's saves wait and may fail.
SQLITE_LARGE_IMPORT_ROWS = 20_000


def blocks_other_writers(job) -> bool:
    """Would importing this job's sheet keep others from saving meanwhile? (SQLite, a large sheet.)"""
    from django.db import connection

    rows = (job.result or {}).get("rows_in_file", 0)
    return connection.vendor == "sqlite" and rows > getattr(
        settings, "SHEETS_SQLITE_LARGE_ROWS", SQLITE_LARGE_IMPORT_ROWS
    )


def delete_upload(job):
    if job.file:
        for suffix in (".progress", ".progress-tmp", ".cancel"):
            _side_file(job, suffix).unlink(missing_ok=True)
        discard(job.file)
        type(job).objects.filter(pk=job.pk).update(file="")


def purge_jobs(model, *, now, days=None) -> int:
    """Delete the uploads and the stored failed rows of ``model``'s jobs older than the retention period.

    Counted from the upload, not the end: a job left unfinished (checked, never imported) goes too.
    """
    count = 0
    # Read first, then write (core.files.purge_expired says why).
    for job in list(model.objects.filter(created_at__lt=retention_cutoff(now=now, days=days))):
        rows = (job.result or {}).get("failed_rows")
        if not job.file and not rows:
            continue
        delete_upload(job)
        if rows:
            job.result["failed_rows"] = ""
            model.objects.filter(pk=job.pk).update(result=job.result)
        count += 1
    return count
