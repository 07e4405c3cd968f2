"""Reading an uploaded .doc or PDF in the background worker, while the import page polls.

LibreOffice may take a minute and gigabytes converting a .doc, pypdf seconds on a long PDF: the
web request only stores the upload and queues ``plans.tasks.read_plan_file``, which reads it with
the bounded readers of ``plans.reading`` and keeps the text or the reason it was refused.

Jobs end, whatever happens to the worker: one never started within ``QUEUE_TIMEOUT`` (no worker
runs), or started and silent beyond ``READ_TIMEOUT`` (the worker died: the readers' own limits are
far shorter), is marked failed when its page is next looked at. The upload is deleted as soon as the
job ends; ``PlanReadJob.purge_uploads`` deletes whole jobs after the retention period
(``manage.py purge_imports``).
"""

import datetime

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import tasks as queue
from core.files import discard
from plans.models import PlanReadJob
from plans.reading import PlanParseError, kind_of, read_text

BACKGROUND_KINDS = ("doc", "pdf")  # .docx and text are read within the request: fast and bounded
WORKER_GRACE = datetime.timedelta(seconds=60)
QUEUE_TIMEOUT = datetime.timedelta(minutes=10)
READ_TIMEOUT = datetime.timedelta(minutes=5)  # LibreOffice's 60 s and the .docx's 15 s, many times over


def reads_in_background(data: bytes, filename: str) -> bool:
    return kind_of(data, filename) in BACKGROUND_KINDS


def start(*, unit, user, upload) -> PlanReadJob:
    """Store the upload privately and queue its reading (run at once by the tests' backend)."""
    from plans.tasks import read_plan_file

    job = PlanReadJob.objects.create(unit=unit, created_by=user, file=upload, original_name=upload.name[:200])
    # The worker writes its refusal in the uploader's language, not its own.
    read_plan_file.enqueue(job.pk, get_language())
    return job


def read(job_id, *, now=None):
    """In the worker: the text of the job's file, or why it cannot be read. A job already ended
    (failed by a timeout meanwhile) is left alone."""
    now = now or timezone.now()
    if not PlanReadJob.objects.filter(pk=job_id, state=PlanReadJob.State.QUEUED, started_at=None).update(
        started_at=now
    ):
        return
    job = PlanReadJob.objects.get(pk=job_id)
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        text = read_text(data, job.original_name)
    except PlanParseError as error:
        _end(job, PlanReadJob.State.FAILED, message=str(error))
    except Exception:
        # Never leave the page polling a read that is no longer running.
        _end(job, PlanReadJob.State.FAILED, message=_("读取这个文件时出错。请重新上传，或联系管理员。"))
        raise
    else:
        _end(job, PlanReadJob.State.DONE, text=text)


def _end(job, state, *, text="", message=""):
    """End a job still waiting (only once: the worker and a timeout may race), deleting its upload."""
    discard(job.file)
    PlanReadJob.objects.filter(pk=job.pk, state=PlanReadJob.State.QUEUED).update(
        state=state, text=text, message=message, file="", finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def expire(job, *, now):
    """Fail a job no worker took within ``QUEUE_TIMEOUT``, or that a worker took and never finished."""
    if not job.is_waiting:
        return job
    if job.started_at is None and now - job.created_at > QUEUE_TIMEOUT:
        minutes = int(QUEUE_TIMEOUT.total_seconds() // 60)
        message = _(
            "后台任务程序没有运行：排队 %(minutes)d 分钟仍未开始读取。请联系管理员启动后台任务程序后重新上传。"
        ) % {"minutes": minutes}
        return _end(job, PlanReadJob.State.FAILED, message=message)
    if job.started_at is not None and now - job.started_at > READ_TIMEOUT:
        message = _("读取这个文件的后台任务中断了（可能是服务重启或进程被终止）。请重新上传。")
        return _end(job, PlanReadJob.State.FAILED, message=message)
    return job


def worker_missing(job, *, now) -> bool:
    """Is this job waiting for a worker that is probably not running?"""
    return (
        job.is_waiting and job.started_at is None and queue.no_worker_for(job.created_at, now=now, grace=WORKER_GRACE)
    )
