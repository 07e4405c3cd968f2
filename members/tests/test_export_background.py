"""A roster too large to write within a request is written by the worker (core.exports): the chair asks,
leaves, is told when it is ready, and alone may download it while still allowed to."""

import datetime
import io
import os
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import exports
from core.export_views import RECENT_SHOWN
from core.models import AccessLog, ExportJob, Notification
from orgs.models import RoleAssignment


@pytest.fixture(autouse=True)
def small_requests(monkeypatch):
    """Two members are already "too many" for a request here, so that a few rows show the background path."""
    monkeypatch.setattr(exports, "INLINE_MAX_ROWS", 1)


@pytest.fixture
def roster(make_member):
    return [make_member("张伟", "g1"), make_member("李娜", "g2", gender="F"), make_member("王刚", "g1")]


def start(client, django_capture_on_commit_callbacks, **data):
    """The start page, then its button (the worker runs at once in tests)."""
    page = client.get(reverse("members:export"), data)
    assert page.status_code == 200 and 'data-testid="export-start"' in page.content.decode()
    form = {
        "query": page.context["query"],
        "format": page.context["fmt"],
        "unmasked": "1" if page.context["unmasked"] else "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:export_start"), form)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:export", args=[job.pk])
    return job


def downloaded_rows(client, job):
    response = client.get(reverse("core:export_download", args=[job.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "private, no-store"
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_a_large_masked_roster_is_written_in_the_background_and_the_chair_is_told(
    client_for, zhuxi, roster, django_capture_on_commit_callbacks
):
    client = client_for(zhuxi)
    job = start(client, django_capture_on_commit_callbacks, gender="M", masked="1")
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.rows_total == 2 and not job.unmasked
    assert job.file_name.startswith("城关中心校-会员名册-") and job.file_name.endswith(".xlsx")
    told = Notification.objects.get(user=zhuxi)
    assert told.url == reverse("core:export", args=[job.pk]) and job.file_name in told.text
    page = client.get(told.url).content.decode()
    assert 'data-testid="export-download"' in page and "共 2 行" in page
    rows = downloaded_rows(client, job)
    assert rows[0][0] == "城关镇中心学校工会会员名册"
    assert sorted(r[1] for r in rows[2:]) == ["张伟", "王刚"]  # the filter the page had
    assert roster[0].id_number not in str(rows) and rows[2][3] == datetime.datetime(1985, 3, 2)
    assert not AccessLog.objects.exists()


def test_a_full_roster_asks_first_and_every_download_is_logged(
    client_for, zhuxi, roster, django_capture_on_commit_callbacks
):
    client = client_for(zhuxi)
    warning = client.get(reverse("members:export"))
    assert "完整名册含全部身份证号" in warning.content.decode() and not ExportJob.objects.exists()
    job = start(client, django_capture_on_commit_callbacks, confirm="1")
    assert ExportJob.objects.get().unmasked and job.file_name.endswith("-完整号码.xlsx")  # told from the masked one
    assert not AccessLog.objects.exists()  # asked for, not yet read
    rows = downloaded_rows(client, job)
    assert roster[0].id_number in str(rows)
    downloaded_rows(client, job)
    assert AccessLog.objects.filter(user=zhuxi, fields__contains="导出名册").count() == 2


def test_csv_in_the_background(client_for, zhuxi, roster, django_capture_on_commit_callbacks):
    client = client_for(zhuxi)
    job = start(client, django_capture_on_commit_callbacks, masked="1", format="csv")
    job.refresh_from_db()
    response = client.get(reverse("core:export_download", args=[job.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert job.file_name.endswith(".csv") and text.splitlines()[0].startswith("姓名,性别,出生日期")
    assert len(text.splitlines()) == 4


def test_the_file_is_its_officers_alone_and_only_while_they_may_export(
    client_for, zhuxi, weiyuan, huiyuan, roster, django_capture_on_commit_callbacks
):
    job = start(client_for(zhuxi), django_capture_on_commit_callbacks, masked="1")
    for other in (weiyuan, huiyuan):  # a fellow officer with the export permission, and a member
        client = client_for(other)
        for name in ("core:export", "core:export_download", "core:export_progress"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
        assert client.post(reverse("core:export_delete", args=[job.pk])).status_code == 404
    assert client_for(huiyuan).post(reverse("members:export_start"), {"query": ""}).status_code == 404
    RoleAssignment.objects.filter(user=zhuxi).delete()
    client = client_for(zhuxi)
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404
    assert "你已没有导出这份名单的权限" in client.get(reverse("core:export", args=[job.pk])).content.decode()


def test_an_officer_who_lost_the_permission_before_the_worker_ran_gets_no_file(zhuxi, units, roster):
    job = exports.export_start(
        kind="members.roster", unit=units["school"], user=zhuxi, query="", fmt="xlsx", unmasked=True, name="名册"
    )
    RoleAssignment.objects.filter(user=zhuxi).delete()
    exports.export_run(job)
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED and not job.file and "没有导出这份名单的权限" in job.message


def test_a_job_whose_worker_never_came_or_died_ends_failed_and_can_be_tried_again(
    client_for, zhuxi, units, roster, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    never = exports.export_start(
        kind="members.roster", unit=units["school"], user=zhuxi, query="", fmt="xlsx", unmasked=False, name="名册"
    )
    died = exports.export_start(
        kind="members.roster",
        unit=units["school"],
        user=zhuxi,
        query="gender=F",
        fmt="xlsx",
        unmasked=False,
        name="名册二",
    )
    ExportJob.objects.filter(pk=never.pk).update(queued_at=long_ago)
    ExportJob.objects.filter(pk=died.pk).update(state="running", queued_at=long_ago, started_at=long_ago)
    client = client_for(zhuxi)
    assert "后台任务程序没有运行" in client.get(reverse("core:export", args=[never.pk])).content.decode()
    page = client.get(reverse("core:export", args=[died.pk])).content.decode()
    assert "后台任务中断了" in page
    assert 'data-confirm="确定删除这条导出记录吗？需要时请重新导出。"' in page  # deleting the record asks first
    assert set(ExportJob.objects.values_list("state", flat=True)) == {"failed"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:export_retry", args=[died.pk]))
    died.refresh_from_db()
    assert died.state == ExportJob.State.DONE and died.file and died.rows_total == 1  # the women of the roster


def test_a_cancelled_export_stops_at_its_next_chunk_and_keeps_no_file(monkeypatch, zhuxi, units, roster):
    monkeypatch.setattr(exports, "CHUNK", 1)
    job = exports.export_start(
        kind="members.roster", unit=units["school"], user=zhuxi, query="", fmt="xlsx", unmasked=False, name="名册"
    )
    build = exports.exporter_for("members.roster").build

    def cancelled_after_the_first_row(job):
        table = build(job)

        def rows():
            for number, row in enumerate(table.rows):
                if number == 1:
                    exports.export_cancel(ExportJob.objects.get(pk=job.pk))
                yield row

        return exports.Table(table.columns, rows(), table.count, table.title, table.sheet)

    roster_exporter = exports.exporter_for("members.roster")
    monkeypatch.setitem(
        exports._registry, "members.roster", replace(roster_exporter, build=cancelled_after_the_first_row)
    )
    exports.export_run(job)
    job.refresh_from_db()
    assert job.state == ExportJob.State.CANCELLED and not job.file
    assert not Notification.objects.exists()  # the officer cancelled it: nothing to tell


def test_files_are_deleted_after_a_week_and_the_page_says_so(
    client_for, zhuxi, roster, django_capture_on_commit_callbacks, settings
):
    client = client_for(zhuxi)
    job = start(client, django_capture_on_commit_callbacks, masked="1")
    job.refresh_from_db()
    path = job.file.path
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=exports.KEPT_DAYS + 1)
    )
    call_command("purge_imports", "--days", "30")  # never longer than a week, whatever the imports keep
    job.refresh_from_db()
    assert not job.file and not os.path.exists(path)
    assert 'data-testid="export-expired"' in client.get(reverse("core:export", args=[job.pk])).content.decode()


def test_the_officer_deletes_the_file_after_downloading_it(
    client_for, zhuxi, roster, django_capture_on_commit_callbacks
):
    client = client_for(zhuxi)
    job = start(client, django_capture_on_commit_callbacks, masked="1")
    job.refresh_from_db()
    path = job.file.path
    page = client.get(reverse("core:export", args=[job.pk])).content.decode()
    assert "确定删除这个导出文件吗" in page  # asked before it goes
    response = client.post(reverse("core:export_delete", args=[job.pk]))
    assert response["Location"] == reverse("members:list")
    assert not ExportJob.objects.exists() and not os.path.exists(path)


def test_the_job_page_reads_a_bounded_number_of_rows(client_for, zhuxi, units, roster, django_assert_max_num_queries):
    for number in range(12):
        exports.export_start(
            kind="members.roster",
            unit=units["school"],
            user=zhuxi,
            query=f"page={number}",
            fmt="xlsx",
            unmasked=False,
            name=f"名册{number}",
        )
    job = ExportJob.objects.first()
    client = client_for(zhuxi)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("core:export", args=[job.pk]))
    assert page.content.decode().count("list-group-item") == RECENT_SHOWN


def test_a_small_roster_is_still_written_at_once(client_for, zhuxi, make_member, monkeypatch):
    monkeypatch.setattr(exports, "INLINE_MAX_ROWS", 5000)
    make_member("张伟", "g1")
    response = client_for(zhuxi).get(reverse("members:export"), {"masked": "1"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats") and not ExportJob.objects.exists()


def test_nothing_is_written_to_the_database_while_the_rows_are_read(monkeypatch, zhuxi, units, roster):
    """On SQLite a write on the connection whose read is still open fails as soon as anyone else has
    written meanwhile (a worker's heartbeat, another officer's save): progress goes to a file instead."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(exports, "CHUNK", 1)
    job = exports.export_start(
        kind="members.roster", unit=units["school"], user=zhuxi, query="", fmt="csv", unmasked=False, name="名册"
    )
    build = exports.exporter_for("members.roster").build
    marks = {}

    def watched(job):
        table = build(job)

        def rows():
            for row in table.rows:
                marks.setdefault("first", len(captured.captured_queries))
                yield row
            marks["last"] = len(captured.captured_queries)

        return exports.Table(table.columns, rows(), table.count, table.title, table.sheet)

    monkeypatch.setitem(
        exports._registry, "members.roster", replace(exports.exporter_for("members.roster"), build=watched)
    )
    with CaptureQueriesContext(connection) as captured:
        exports.export_run(job)
    while_reading = [q["sql"] for q in captured.captured_queries[marks["first"] : marks["last"]]]
    assert while_reading and not [sql for sql in while_reading if not sql.lstrip().upper().startswith("SELECT")]
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.rows_done == 3


def test_asking_twice_gives_the_export_already_on_its_way(zhuxi, units, roster):
    ask = {"kind": "members.roster", "unit": units["school"], "user": zhuxi, "query": "gender=M", "fmt": "xlsx"}
    ask["unmasked"] = False
    first = exports.export_start(**ask, name="名册")
    assert exports.export_start(**ask, name="名册") == first and ExportJob.objects.count() == 1
    assert exports.export_start(**{**ask, "fmt": "csv"}, name="名册") != first


def test_a_failed_export_is_told_to_its_officer(zhuxi, units, roster):
    job = exports.export_start(
        kind="members.roster", unit=units["school"], user=zhuxi, query="", fmt="xlsx", unmasked=False, name="名册"
    )
    RoleAssignment.objects.filter(user=zhuxi).delete()
    exports.export_run(job)
    told = Notification.objects.get(user=zhuxi)
    assert "名册.xlsx没有生成" in told.text and told.url == reverse("core:export", args=[job.pk])


def test_a_task_the_queue_gave_up_fails_at_once_not_after_the_timeout(client_for, zhuxi, units, roster, monkeypatch):
    job = exports.export_start(
        kind="members.roster", unit=units["school"], user=zhuxi, query="", fmt="xlsx", unmasked=False, name="名册"
    )
    ExportJob.objects.filter(pk=job.pk).update(state="running", started_at=timezone.now(), task_id="gone")
    monkeypatch.setattr(exports, "task_failed", lambda job: job.task_id == "gone")  # the dead worker's task
    page = client_for(zhuxi).get(reverse("core:export", args=[job.pk])).content.decode()
    assert "后台任务中断了" in page


def test_a_roster_longer_than_an_excel_sheet_asks_for_csv(monkeypatch, zhuxi, units, roster):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)  # Excel's 1,048,574 rows, in small
    job = exports.export_start(
        kind="members.roster", unit=units["school"], user=zhuxi, query="", fmt="xlsx", unmasked=False, name="名册"
    )
    exports.export_run(job)
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED and "请导出 CSV" in job.message and not job.file


def test_an_export_the_worker_finished_is_not_failed_by_a_page_that_read_it_running(zhuxi, units, roster):
    job = exports.export_start(
        kind="members.roster", unit=units["school"], user=zhuxi, query="", fmt="xlsx", unmasked=False, name="名册"
    )
    seen_running = ExportJob.objects.get(pk=job.pk)
    seen_running.state, seen_running.started_at = "running", timezone.now() - datetime.timedelta(hours=1)
    exports.export_run(job)  # the worker finishes meanwhile
    exports.export_expire(seen_running, now=timezone.now())  # the page's stale copy finds it silent
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.file and seen_running.state == ExportJob.State.DONE
    assert [n.text for n in Notification.objects.filter(user=zhuxi)] == ["名册.xlsx已生成，可以下载（保留 7 天）。"]
