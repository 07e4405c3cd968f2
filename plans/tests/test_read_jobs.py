"""Old Word (.doc) and PDF plans are read by the background worker (issue 19): the import page
polls until the review is ready, shows a refusal on the file field, and never waits for ever."""

import datetime
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.testing import in_english, untranslated
from orgs.models import RoleAssignment
from plans import read_jobs, reading
from plans.models import PlanReadJob
from plans.tests.test_import_views import main_part, without_examples

CORPUS = Path(__file__).resolve().parent / "corpus"
URL = reverse("plans:import")
TITLE = "卫生院工会2027年工作计划"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
HTMX = {"HTTP_HX_REQUEST": "true"}


def upload(client, name, content=None, **extra):
    content = (CORPUS / name).read_bytes() if content is None else content
    return client.post(URL, {"step": "read", "file": SimpleUploadedFile(name, content)}, **extra)


def job_page(job):
    return reverse("plans:import_read", args=[job.pk])


def stored_path(job):
    return Path(job.file.path)


class NoWorker:
    """The task of a deployment whose worker is not running: enqueued, never run."""

    enqueued = []

    @classmethod
    def enqueue(cls, *args):
        cls.enqueued.append(args)


@pytest.fixture
def no_worker(monkeypatch):
    monkeypatch.setattr("plans.tasks.read_plan_file", NoWorker)
    NoWorker.enqueued = []
    return NoWorker


def test_a_text_pdf_is_read_by_the_worker_and_its_review_shown_with_the_upload_deleted(client_for, zhuxi, no_worker):
    client = client_for(zhuxi)
    response = upload(client, "15-text-layer.pdf")
    job = PlanReadJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_page(job)
    assert (job.unit.code, job.created_by, job.original_name) == ("demo-school", zhuxi, "15-text-layer.pdf")
    assert no_worker.enqueued == [(job.pk, "zh-hans")]
    path = stored_path(job)
    assert path.is_file()

    read_jobs.read(job.pk)  # the worker

    job.refresh_from_db()
    assert job.state == PlanReadJob.State.DONE and TITLE in job.text
    assert not job.file and not path.exists()
    response = client.get(job_page(job))
    assert response.templates[0].name == "plans/import_review.html"
    assert response.context["form"]["title"].value() == TITLE
    assert 'action="/plans/import/"' in response.content.decode()  # saved like any import


@pytest.mark.parametrize("name", ["15-text-layer.pdf", "14-word-97.doc"])
def test_with_the_tests_backend_the_upload_goes_straight_to_the_review(client_for, zhuxi, name):
    if name.endswith(".doc") and not reading.soffice_path():
        if os.environ.get("CI"):
            pytest.fail("soffice is missing: .ci/run installs libreoffice-writer")
        pytest.skip("LibreOffice (soffice) is not installed")
    response = upload(client_for(zhuxi), name, follow=True)
    assert response.templates[0].name == "plans/import_review.html", name
    assert response.context["form"]["title"].value() == TITLE
    assert PlanReadJob.objects.get().state == PlanReadJob.State.DONE


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("14-word-97.doc", None, "这是旧版 Word 文件（.doc），请先在 Word 中另存为 .docx 再导入。"),
        ("16-scanned.pdf", None, "这个 PDF 是扫描件（图片），没有可读取的文字。"),
        ("plan.pdf", b"%PDF-1.7\n" + bytes(200), "无法打开这个 PDF 文件"),
    ],
)
def test_a_refused_file_shows_the_upload_form_again_with_the_reason_on_the_file_field(
    client_for, zhuxi, monkeypatch, name, content, message
):
    monkeypatch.setattr(reading, "soffice_path", lambda: None)  # a worker without LibreOffice
    response = upload(client_for(zhuxi), name, content, follow=True)
    assert response.templates[0].name == "plans/import.html"
    assert message in response.context["form"].errors["file"][0]
    assert 'action="/plans/import/"' in response.content.decode()
    job = PlanReadJob.objects.get()
    assert job.state == PlanReadJob.State.FAILED and not job.file and job.finished_at


def test_a_refusal_is_written_in_the_uploaders_language(client_for, db):
    from conftest import make_person
    from orgs.models import OrgUnit, UnitKind
    from orgs.roles import Role

    root = OrgUnit.objects.add_root({"code": "en-union", "name": "Riverside Union", "kind": UnitKind.UNION})
    client = in_english(client_for(make_person("chair-en", "Wang", root, Role.CHAIR)))
    response = upload(client, "16-scanned.pdf", follow=True)
    assert "scan" in response.context["form"].errors["file"][0]
    assert untranslated(without_examples(main_part(response.content.decode()))) == []


# The database worker closes its connection after a task: a test of its own transactions.
@pytest.mark.django_db(transaction=True)
def test_the_reading_page_polls_then_shows_the_review_on_the_database_queue(client_for, zhuxi, settings):
    settings.TASKS = DATABASE_QUEUE
    client = client_for(zhuxi)
    response = upload(client, "15-text-layer.pdf", follow=True)
    job = PlanReadJob.objects.get()
    html = response.content.decode()
    assert response.templates[0].name == "plans/import_reading.html"
    assert "正在读取文件……" in html and 'hx-trigger="every 2s"' in html
    assert 'data-testid="worker-missing"' in html  # no worker beats: said at once

    from core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.create(worker_id="w1", host="h", pid=1, seen_at=timezone.now())
    poll = client.get(job_page(job), **HTMX)
    assert poll.status_code == 200 and 'data-testid="worker-missing"' not in poll.content.decode()

    call_command("tasks_worker", burst=True, verbosity=0)

    poll = client.get(job_page(job), **HTMX)
    assert poll.status_code == 204 and poll["HX-Refresh"] == "true"  # the page reloads with the result
    response = client.get(job_page(job))
    assert response.context["form"]["title"].value() == TITLE
    assert not PlanReadJob.objects.get().file


def test_a_poll_reads_a_bounded_number_of_rows(client_for, zhuxi, no_worker, django_assert_max_num_queries):
    client = client_for(zhuxi)
    upload(client, "15-text-layer.pdf")
    job = PlanReadJob.objects.get()
    with django_assert_max_num_queries(8):
        assert client.get(job_page(job), **HTMX).status_code == 200


def test_a_queued_read_warns_that_the_worker_is_not_running_then_fails_after_the_timeout(client_for, zhuxi, no_worker):
    client = client_for(zhuxi)
    upload(client, "15-text-layer.pdf")
    job = PlanReadJob.objects.get()
    path = stored_path(job)
    assert 'data-testid="worker-missing"' not in client.get(job_page(job), **HTMX).content.decode()

    PlanReadJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert 'data-testid="worker-missing"' in client.get(job_page(job), **HTMX).content.decode()

    PlanReadJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    response = client.get(job_page(job))
    assert "后台任务程序没有运行：排队 10 分钟仍未开始读取" in response.context["form"].errors["file"][0]
    job.refresh_from_db()
    assert job.state == PlanReadJob.State.FAILED and not path.exists()


def test_a_read_whose_worker_died_is_failed_and_a_late_worker_leaves_it_so(client_for, zhuxi, no_worker):
    client = client_for(zhuxi)
    upload(client, "15-text-layer.pdf")
    job = PlanReadJob.objects.get()
    PlanReadJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(minutes=6))
    assert client.get(job_page(job), **HTMX).status_code == 204
    job.refresh_from_db()
    assert job.state == PlanReadJob.State.FAILED and "中断" in job.message and not job.file

    read_jobs.read(job.pk)  # the task, run again by a queue that retries
    job.refresh_from_db()
    assert job.state == PlanReadJob.State.FAILED and job.text == ""


def test_a_read_still_within_its_time_is_left_waiting(client_for, zhuxi, no_worker):
    client = client_for(zhuxi)
    upload(client, "15-text-layer.pdf")
    PlanReadJob.objects.update(started_at=timezone.now() - datetime.timedelta(minutes=1))
    job = read_jobs.expire(PlanReadJob.objects.get(), now=timezone.now())
    assert job.is_waiting and job.file


def test_an_unexpected_error_in_the_worker_ends_the_job_rather_than_leave_the_page_polling(
    client_for, zhuxi, no_worker, monkeypatch
):
    upload(client_for(zhuxi), "15-text-layer.pdf")
    job = PlanReadJob.objects.get()

    def broken(data, filename):
        raise RuntimeError("a bug")

    monkeypatch.setattr(read_jobs, "read_text", broken)
    with pytest.raises(RuntimeError):
        read_jobs.read(job.pk)
    job.refresh_from_db()
    assert job.state == PlanReadJob.State.FAILED and "读取这个文件时出错" in job.message and not job.file


def test_only_the_uploader_sees_the_job_and_only_while_they_may_change_plans(
    client_for, zhuxi, weiyuan, outsider, no_worker
):
    upload(client_for(zhuxi), "15-text-layer.pdf")
    job = PlanReadJob.objects.get()
    assert client_for(weiyuan).get(job_page(job)).status_code == 404  # the same unit's committee
    assert client_for(outsider).get(job_page(job)).status_code == 404
    assert client_for(zhuxi).get(job_page(job)).status_code == 200
    RoleAssignment.objects.filter(user=zhuxi).delete()
    assert client_for(zhuxi).get(job_page(job)).status_code == 404


@pytest.mark.parametrize("name", ["13-table.docx", "17-gb18030.txt", None])
def test_docx_text_and_pasted_plans_stay_within_the_request(client_for, zhuxi, no_worker, name):
    client = client_for(zhuxi)
    if name:
        response = upload(client, name)
    else:
        response = client.post(URL, {"step": "read", "text": f"{TITLE}\n三月份\n1. 植树"})
    assert response.templates[0].name == "plans/import_review.html"
    assert not PlanReadJob.objects.exists() and no_worker.enqueued == []


def test_the_reading_page_in_english_is_translated(client_for, db, no_worker):
    from conftest import make_person
    from orgs.models import OrgUnit, UnitKind
    from orgs.roles import Role

    root = OrgUnit.objects.add_root({"code": "en-union", "name": "Riverside Union", "kind": UnitKind.UNION})
    client = in_english(client_for(make_person("chair-en", "Wang", root, Role.CHAIR)))
    upload(client, "15-text-layer.pdf")
    job = PlanReadJob.objects.get()
    PlanReadJob.objects.update(original_name="plan.pdf", created_at=timezone.now() - datetime.timedelta(minutes=2))
    html = client.get(job_page(job)).content.decode()
    assert 'data-testid="worker-missing"' in html
    assert untranslated(main_part(html)) == []


def test_purge_imports_deletes_read_jobs_past_their_retention(zhuxi, units, settings):
    settings.PRIVATE_FILES_RETENTION_DAYS = 30
    old = PlanReadJob.objects.create(
        unit=units["school"], created_by=zhuxi, file=SimpleUploadedFile("old.pdf", b"%PDF-"), original_name="old.pdf"
    )
    recent = PlanReadJob.objects.create(unit=units["school"], created_by=zhuxi, original_name="new.pdf", text="计划")
    PlanReadJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    path = stored_path(old)
    call_command("purge_imports", stdout=__import__("io").StringIO())
    assert list(PlanReadJob.objects.all()) == [recent] and not path.exists()
