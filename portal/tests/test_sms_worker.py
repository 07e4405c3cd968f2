"""Every SMS is sent by the task worker, never within the page that causes it: a slow or dead provider
holds a worker, not a web request. The queued job carries the number and the text only encrypted (the
queue is not encrypted at rest) and no one-time code at all; a provider that fails is logged with the
number masked, and the step it reports on stands."""

import json
import logging
import re

import pytest
from django_tasks import default_task_backend

from core.encryption import decrypt
from portal import services
from portal.models import ApplicationStatus
from portal.tests.conftest import application_data

pytestmark = pytest.mark.django_db
APPLICANT = "13831500101"  # application_data's phone
NEW_NUMBER = "13655556666"


@pytest.fixture
def queue(settings):
    """A task queue no worker takes from: a job waits in it until the test runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    return default_task_backend


def stored(job):
    """The job's arguments as the queue keeps them (JSON)."""
    return json.dumps([job.args, job.kwargs], ensure_ascii=False)


def run(job):
    """What the worker does with a job: its arguments read back from the queue, then the task."""
    args, kwargs = json.loads(stored(job))
    return job.task.call(*args, **kwargs)


def submit(unit):
    data = application_data()
    data.pop("agree")
    return services.application_submit(unit=unit, data=data)


def refusing(phone, text):
    """A provider that does not answer."""
    raise ConnectionError("the SMS provider timed out")


def test_an_officer_asking_for_more_texts_the_applicant_through_the_worker(
    client_for, zhuxi, units, queue, sms_outbox, django_capture_on_commit_callbacks
):
    application = submit(units["school"]).application
    with django_capture_on_commit_callbacks(execute=True):  # the request's transaction commits
        response = client_for(zhuxi).post(f"/applications/{application.pk}/more/", {"note": "请补充工作证照片"})
    assert response.status_code == 302
    assert sms_outbox == []  # the page waited for no provider
    [job] = queue.results
    with django_capture_on_commit_callbacks(execute=True):
        assert run(job) is True
    [(to, text)] = sms_outbox
    assert to == APPLICANT and "您的入会申请需要补充：请补充工作证照片" in text


def test_the_queued_job_carries_neither_the_number_nor_the_query_code_in_clear(
    units, queue, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit(units["school"])
    [job] = queue.results
    for secret in (APPLICANT, submitted.code, "马春燕"):
        assert secret not in stored(job)
    with django_capture_on_commit_callbacks(execute=True):
        run(job)
    [(to, text)] = sms_outbox
    assert to == APPLICANT and submitted.code in text


def test_the_code_confirming_a_new_number_is_worked_out_by_the_worker_and_not_queued(
    client_for, huiyuan, huiyuan_member, queue, sms_outbox, django_capture_on_commit_callbacks
):
    client = client_for(huiyuan)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/me/phone/", {"phone": NEW_NUMBER})["Location"] == "/me/phone/confirm/"
    assert sms_outbox == []
    [job] = queue.results
    with django_capture_on_commit_callbacks(execute=True):
        assert run(job) is True
    [(to, text)] = sms_outbox
    code = re.search(r"\d{6}", text).group()
    assert to == NEW_NUMBER and "修改手机号" in text
    assert NEW_NUMBER not in stored(job) and code not in stored(job)
    # Not even to whoever holds the field key: the worker works the code out under the site's secret.
    assert code not in json.dumps([decrypt(arg) if str(arg).startswith("gAAAA") else arg for arg in job.args])
    # The code the worker sent is the one the page expects.
    assert client.post("/me/phone/confirm/", {"code": code}).status_code == 302
    huiyuan_member.refresh_from_db()
    assert huiyuan_member.phone == NEW_NUMBER


def test_a_provider_that_fails_is_logged_by_the_worker_and_the_decision_stands(
    client_for, zhuxi, units, settings, queue, caplog, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "portal.tests.test_sms_worker.refusing"
    application = submit(units["school"]).application
    with caplog.at_level(logging.ERROR, logger="portal.sms"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(zhuxi).post(f"/applications/{application.pk}/decline/", {"note": "不是本校职工"})
        assert response.status_code == 302 and caplog.records == []  # the page never met the provider
        [job] = queue.results
        with django_capture_on_commit_callbacks(execute=True):
            assert run(job) is False  # logged, not raised: the queue does not retry a message
    assert [record.getMessage() for record in caplog.records] == ["SMS to 138**** failed"]
    assert APPLICANT not in caplog.text
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
