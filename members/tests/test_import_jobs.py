"""Import jobs end (issue 8 item 7): a dead or missing worker, retry, cancel; stored copies bounded (item 9)."""

import datetime
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.sheets import jobs
from members import importing
from members.models import ImportJob, Member
from members.tests.sheets import id_for, xlsx

ZHANG = id_for(1985, 3, 2, "M", seed=1)
LI = id_for(1990, 1, 2, "F", seed=2)
GOOD = [1, "张伟", "男", ZHANG, "13812345678", "", "2010-09-01", ""]
BAD = [2, "李娜", "女", int(LI[:15] + "000"), "13900001111", "", "", ""]


def upload(client, path):
    with open(path, "rb") as handle:
        return client.post(
            reverse("members:import"), {"file": SimpleUploadedFile(path.name, handle.read())}, follow=True
        )


def checked_job(client, tmp_path, rows=(GOOD,)):
    upload(client, xlsx(tmp_path / "花名册.xlsx", list(rows)))
    return ImportJob.objects.latest("pk")


class NoWorker:
    """The task of a deployment whose worker is not running: enqueued, never run."""

    enqueued = []

    @classmethod
    def enqueue(cls, pk, language=None):
        cls.enqueued.append((pk, language))


@pytest.fixture
def no_worker(monkeypatch):
    from members import import_views

    monkeypatch.setattr(importing, "INLINE_MAX_BYTES", 0)
    monkeypatch.setattr(import_views, "TASKS", {"check": NoWorker, "run": NoWorker})
    NoWorker.enqueued = []
    return NoWorker


def test_a_queued_job_warns_that_the_worker_is_not_running_then_fails_after_the_timeout(
    client_for, zhuxi, tmp_path, no_worker
):
    client = client_for(zhuxi)
    upload(client, xlsx(tmp_path / "花名册.xlsx", [GOOD]))
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.CHECKING and no_worker.enqueued == [(job.pk, "zh-hans")]
    progress = reverse("members:import_progress", args=[job.pk])
    ImportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now())  # however slow the machine
    assert 'data-testid="worker-missing"' not in client.get(progress).content.decode()

    ImportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - datetime.timedelta(minutes=2))
    assert 'data-testid="worker-missing"' in client.get(progress).content.decode()

    ImportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - datetime.timedelta(minutes=11))
    page = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and "没有运行" in job.message
    assert 'data-testid="retry"' in page


def test_a_job_whose_worker_died_mid_import_is_marked_failed_and_retried(client_for, zhuxi, tmp_path, monkeypatch):
    client = client_for(zhuxi)
    job = checked_job(client, tmp_path)
    # The worker took the import, wrote some progress, then was killed: nothing committed.
    started = timezone.now() - datetime.timedelta(minutes=30)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.IMPORTING, step="run", started_at=started)
    jobs.progress_writer(job)(1, 3)
    progress_file = jobs._side_file(job, ".progress")
    old = started.timestamp()
    import os

    os.utime(progress_file, (old, old))
    response = client.get(reverse("members:import_progress", args=[job.pk]))
    assert response.status_code == 204  # the page reloads: the job is over
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.interrupted and "中断" in job.message
    assert not Member.objects.exists()

    client.post(reverse("members:import_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and Member.objects.get().name == "张伟"


def test_a_checked_job_started_from_two_pages_at_once_is_imported_once(client_for, zhuxi, tmp_path, monkeypatch):
    job = checked_job(client_for(zhuxi), tmp_path)
    first, second = ImportJob.objects.get(pk=job.pk), ImportJob.objects.get(pk=job.pk)  # both read it checked
    runs = []
    run = jobs._run
    monkeypatch.setattr(jobs, "_run", lambda job, **options: runs.append(job.pk) or run(job, **options))
    assert jobs.job_start(first, "run", task=None) is True
    assert jobs.job_start(second, "run", task=None) is False
    assert runs == [job.pk]
    assert second.state == ImportJob.State.DONE and Member.objects.get().name == "张伟"


def test_a_page_that_lost_the_start_to_another_changes_nothing_of_the_job(client_for, zhuxi, tmp_path):
    """One tab imports, skipping rows with errors; another, read before, re-maps the columns: the import
    keeps the columns it ran with, and the job says so."""
    job = checked_job(client_for(zhuxi), tmp_path, rows=(GOOD, BAD))
    importing_tab, mapping_tab = ImportJob.objects.get(pk=job.pk), ImportJob.objects.get(pk=job.pk)
    columns = dict(job.mapping)
    assert jobs.job_start(importing_tab, "run", task=None, choices={"skip_errors": True}) is True
    assert jobs.job_start(mapping_tab, "check", task=None, choices={"mapping": {"0": "name"}}) is False
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.skip_errors and job.mapping == columns
    with pytest.raises(ValueError):
        jobs.job_start(job, "check", task=None, choices={"state": "done"})


def test_a_job_still_making_progress_is_left_running(tmp_path, zhuxi, units):
    job = ImportJob.objects.create(
        unit=units["school"],
        created_by=zhuxi,
        file=SimpleUploadedFile("a.xlsx", b"x"),
        original_name="a.xlsx",
        state=ImportJob.State.IMPORTING,
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    jobs.progress_writer(job)(1000, 100000)  # written just now
    assert jobs.job_expire(job, now=timezone.now()).state == ImportJob.State.IMPORTING


def test_a_checked_job_can_be_cancelled_and_its_upload_is_deleted(client_for, zhuxi, tmp_path):
    client = client_for(zhuxi)
    job = checked_job(client, tmp_path)
    path = job.file.path
    client.post(reverse("members:import_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportJob.State.CANCELLED and not job.file
    import os

    assert not os.path.exists(path)
    assert client.post(reverse("members:import_run", args=[job.pk])).status_code == 404


def test_cancelling_a_running_import_stops_it_at_the_next_batch_and_writes_nothing(
    client_for, zhuxi, tmp_path, monkeypatch, no_worker
):
    client = client_for(zhuxi)
    monkeypatch.setattr(importing, "BATCH", 1)
    upload(client, xlsx(tmp_path / "花名册.xlsx", [GOOD, [2, "李娜", "女", LI, "", "", "", ""]]))
    job = ImportJob.objects.get()
    jobs.job_check(job)  # the worker checks it
    client.post(reverse("members:import_run", args=[job.pk]))  # queued for the worker
    job.refresh_from_db()
    job.started_at = timezone.now()  # the worker has taken it
    job.save(update_fields=["started_at"])
    client.post(reverse("members:import_cancel", args=[job.pk]))
    jobs.job_run(job)  # the worker runs it, and meets the marker after its first batch
    job.refresh_from_db()
    assert job.state == ImportJob.State.CANCELLED and not Member.objects.exists()


def test_the_preview_names_the_sheet_read_and_the_officer_picks_another(client_for, zhuxi, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "填表说明"
    book.active.append(["填表说明"])
    for name, person in (("在职", GOOD), ("退休", [1, "李娜", "女", LI, "", "", "", ""])):
        sheet = book.create_sheet(name)
        sheet.append(["序号", "姓名", "性别", "身份证号码", "手机号", "工会小组", "入会时间", "备注"])
        sheet.append(person)
    book.save(tmp_path / "花名册.xlsx")
    client = client_for(zhuxi)
    page = upload(client, tmp_path / "花名册.xlsx").content.decode()
    job = ImportJob.objects.get()
    assert job.result["sheet"] == "在职" and "“在职”" in page and 'data-testid="sheet-form"' in page
    client.post(reverse("members:import_sheet", args=[job.pk]), {"sheet": "退休"})
    client.post(reverse("members:import_run", args=[job.pk]))
    assert list(Member.objects.values_list("name", flat=True)) == ["李娜"]


def test_failed_rows_are_stored_encrypted_and_the_preview_holds_no_id_number_or_phone(client_for, zhuxi, tmp_path):
    job = checked_job(client_for(zhuxi), tmp_path, rows=[GOOD, BAD])
    stored = json.dumps(job.result, ensure_ascii=False)
    assert LI[:15] not in stored and "13900001111" not in stored
    rows, _sheets = jobs.failed_rows(job)
    assert rows[0][1][3] == LI[:15] + "000"


def test_uploads_and_failed_rows_are_purged_after_the_retention_period(client_for, zhuxi, tmp_path, settings):
    settings.PRIVATE_FILES_RETENTION_DAYS = 7
    client = client_for(zhuxi)
    old = checked_job(client, tmp_path, rows=[GOOD, BAD])
    recent = checked_job(client, tmp_path, rows=[GOOD, BAD])
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    old_path = old.file.path
    call_command("purge_imports", stdout=__import__("io").StringIO())
    old.refresh_from_db()
    recent.refresh_from_db()
    import os

    assert not old.file and not os.path.exists(old_path) and old.result["failed_rows"] == ""
    assert old.result["errors"]  # what went wrong stays readable; only the copies of the data go
    assert recent.file and recent.result["failed_rows"]
    assert client.get(reverse("members:import_failed_rows", args=[old.pk])).status_code == 404


def test_a_finished_import_deletes_its_upload(client_for, zhuxi, tmp_path):
    client = client_for(zhuxi)
    job = checked_job(client, tmp_path)
    client.post(reverse("members:import_run", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and not job.file


def test_large_sqlite_imports_are_warned_about(client_for, zhuxi, tmp_path, settings):
    from django.db import connection

    settings.SHEETS_SQLITE_LARGE_ROWS = 1
    client = client_for(zhuxi)
    job = checked_job(client, tmp_path, rows=[GOOD])
    page = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert ('data-testid="sqlite-warning"' in page) == (connection.vendor == "sqlite")


def test_the_blank_roster_template_downloads_with_the_columns_the_import_reads(client_for, zhuxi, xiaozu, tmp_path):
    response = client_for(zhuxi).get(reverse("members:import_template"))
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    from openpyxl import load_workbook

    header = [c.value for c in load_workbook(path).active[2]]
    assert header[:3] == ["序号", "姓名*", "身份证号*"] and "手机号" in header
    assert importing.roster_import(path, unit=None, dry_run=True).total == 0
    assert client_for(xiaozu).get(reverse("members:import_template")).status_code == 404


def test_the_page_says_at_once_when_the_database_queue_has_no_live_worker(
    client_for, zhuxi, tmp_path, no_worker, settings
):
    from core.models import WorkerHeartbeat

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    client = client_for(zhuxi)
    upload(client, xlsx(tmp_path / "花名册.xlsx", [GOOD]))
    job = ImportJob.objects.get()
    progress = reverse("members:import_progress", args=[job.pk])
    assert 'data-testid="worker-missing"' in client.get(progress).content.decode()
    WorkerHeartbeat.objects.create(worker_id="w1", host="h", pid=1, seen_at=timezone.now())
    assert 'data-testid="worker-missing"' not in client.get(progress).content.decode()


def test_a_job_whose_task_the_queue_gave_up_is_failed_without_waiting(client_for, zhuxi, tmp_path, monkeypatch):
    from django_tasks.base import TaskResultStatus

    client = client_for(zhuxi)
    job = checked_job(client, tmp_path)
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.IMPORTING, step="run", started_at=timezone.now(), task_id="t-1"
    )

    class Backend:
        def get_result(self, result_id):
            assert result_id == "t-1"
            return type("Result", (), {"status": TaskResultStatus.FAILED})()

    monkeypatch.setattr("django_tasks.default_task_backend", Backend())
    client.get(reverse("members:import_job", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.can_retry


def test_failed_rows_stored_in_clear_by_an_earlier_version_are_encrypted_by_the_migration(zhuxi, units):
    from importlib import import_module

    from django.apps import apps

    job = ImportJob.objects.create(
        unit=units["school"],
        created_by=zhuxi,
        original_name="old.xlsx",
        result={"failed_rows": [[4, ["2", "李娜", LI]]], "errors": []},
    )
    import_module("members.migrations.0008_fix_import_failed_rows_encrypted").encrypt_failed_rows(apps, None)
    job.refresh_from_db()
    assert LI not in json.dumps(job.result) and jobs.failed_rows(job)[0] == [[4, ["2", "李娜", LI]]]


def test_errors_of_a_workbook_with_a_sheet_per_group_name_their_sheet(client_for, zhuxi, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "东关完小"
    book.active.append(["姓名", "身份证号"])
    book.active.append(["张伟", ZHANG])
    other = book.create_sheet("西街完小")
    other.append(["姓名", "身份证号"])
    other.append(["", LI])
    book.save(tmp_path / "花名册.xlsx")
    page = upload(client_for(zhuxi), tmp_path / "花名册.xlsx").content.decode()
    assert "西街完小 · 第 2 行" in page


def test_a_queued_check_writes_its_messages_in_the_uploaders_language(client_for, zhuxi, tmp_path, no_worker):
    """The worker runs in the site's language; a chair on the English pages reads the check in English."""
    from django.utils import translation

    from core.testing import in_english
    from members import tasks

    client = in_english(client_for(zhuxi))
    upload(client, xlsx(tmp_path / "花名册.xlsx", [BAD]))
    job = ImportJob.objects.get()
    assert no_worker.enqueued == [(job.pk, "en")]
    with translation.override("zh-hans"):  # the worker's own language
        tasks.check_import.call(job.pk, "en")
    job.refresh_from_db()
    messages = [error["message"] for error in job.result["errors"]]
    assert job.state == ImportJob.State.CHECKED and len(messages) == 1
    assert not any("\u4e00" <= character <= "\u9fff" for character in messages[0]), messages


def test_cancelling_a_checked_import_asks_first_as_it_drops_the_check(client_for, zhuxi, tmp_path):
    """A slip of the finger on 取消这次导入 threw away a 3,000-row check and its failed rows unasked."""
    client = client_for(zhuxi)
    job = checked_job(client, tmp_path)
    page = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    button = re.search(r'<button [^>]*data-testid="cancel"[^>]*>', page)[0]
    assert 'data-confirm="取消后，这次检查的结果和错误行不再保留，名册不会有任何改动。确定取消这次导入吗？"' in button
