"""A request for a sign-in code does the same work for every number: it is counted, and it queues one
job carrying the number and the ID number encrypted; nothing is looked up and nothing written for the
number. The task worker finds whether the number is a member's, and only then writes the code's row
and sends the SMS. So neither the page's time nor its load (queries, jobs) tells a member's number
from one nobody has. On both queues: the database's, and RQ's on Redis (skipped without Redis)."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks import default_task_backend
from django_tasks.signals import task_enqueued

from core.tasks import backend_name
from core.testing import in_english, redis_up
from portal import tasks
from portal.models import OneTimeCode
from portal.tests.conftest import make_member

pytestmark = pytest.mark.django_db
HUIYUAN, ROSTER, NOBODY = "13911112222", "13831500101", "13999990000"
REDIS_URL = "redis://127.0.0.1:6379/13"  # not core's (14): its tests empty theirs


@pytest.fixture(params=["database", "rq"])
def queue(request, settings):
    """The ids of the jobs queued during the test, on the database queue or on RQ; no worker runs them."""
    if request.param == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    else:
        if not redis_up():
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": []}}
        settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "ASYNC": True, "DEFAULT_TIMEOUT": 600}}
    ids = []

    def queued(sender, task_result, **kwargs):
        ids.append(task_result.id)

    task_enqueued.connect(queued)
    yield ids
    task_enqueued.disconnect(queued)
    if request.param == "rq":
        import django_rq
        from rq.job import Job

        for job_id in ids:  # only this test's: other runs may share the Redis database
            Job.fetch(job_id, connection=django_rq.get_connection()).delete()


def stored(job_id) -> str:
    """A job's arguments as the queue keeps them: the database row's JSON, or RQ's serialized job."""
    if backend_name() == "database":
        from django_tasks_db.models import DBTaskResult

        return json.dumps(DBTaskResult.objects.get(pk=job_id).args_kwargs, ensure_ascii=False)
    import django_rq
    from rq.job import Job

    return Job.fetch(job_id, connection=django_rq.get_connection()).data.decode("latin-1")


def work(job_id, capture):
    """What the worker does with a job: read it back from the queue and run it (its SMS once it commits)."""
    result = default_task_backend.get_result(job_id)
    with capture(execute=True):
        return result.task.call(*result.args, **result.kwargs)


def ask(phone, id_number="", address="10.0.0.1", english=False):
    client = Client(REMOTE_ADDR=address)  # an address of its own: the per-address limit is not compared
    if english:
        in_english(client)
    response = client.post("/signin/", {"phone": phone, "id_number": id_number})
    assert response["Location"] == "/signin/code/"
    return client


def shape(queries):
    """The statements run, their values (numbers, savepoints, session keys, phone indexes) left out."""
    return [re.sub(r"'(?:[^']|'')*'|\d+", "?", query["sql"]) for query in queries]


@pytest.fixture
def signs_in_by_phone(huiyuan, huiyuan_member):
    """huiyuan signs in with her phone: her login carries the roster's number (a later sign-in)."""
    huiyuan.phone = HUIYUAN
    huiyuan.save()
    return huiyuan_member


@pytest.fixture
def first_time(units):
    """A member on the roster without an account yet: her first sign-in needs her ID number."""
    return make_member(units["g1"], "马春燕", phone=ROSTER)


@pytest.mark.parametrize("first_sign_in", [False, True], ids=["by phone", "by ID number"])
def test_a_members_number_and_one_nobody_has_cost_the_request_the_same(
    first_sign_in, signs_in_by_phone, first_time, queue, django_capture_on_commit_callbacks, django_assert_num_queries
):
    phone, id_number = (ROSTER, first_time.id_number) if first_sign_in else (HUIYUAN, "")
    with CaptureQueriesContext(connection) as nobodys, django_capture_on_commit_callbacks(execute=True):
        ask(NOBODY, id_number, address="10.0.0.2")
    with django_assert_num_queries(len(nobodys)) as members, django_capture_on_commit_callbacks(execute=True):
        ask(phone, id_number)
    assert shape(members.captured_queries) == shape(nobodys.captured_queries)
    # Neither looks anything up or writes a code: the worker does.
    touched = " ".join(query["sql"] for query in members.captured_queries)
    assert not re.search(r"members_member|accounts_user|portal_onetimecode", touched)
    assert len(queue) == 2  # one job each
    assert not OneTimeCode.objects.exists()


def test_the_worker_sends_a_members_code_and_the_code_signs_her_in(
    signs_in_by_phone, queue, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client = ask(HUIYUAN)
    assert sms_outbox == []  # the page waited for no provider
    [job] = queue
    assert work(job, django_capture_on_commit_callbacks) is True
    [(to, text)] = sms_outbox
    code = re.search(r"\d{6}", text).group()
    assert to == HUIYUAN and "登录验证码" in text
    assert OneTimeCode.objects.get().member == signs_in_by_phone
    assert client.post("/signin/code/", {"code": code})["Location"] == "/me/"


def test_a_first_sign_in_by_id_number_is_sent_its_code_and_links_the_account(
    first_time, queue, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client = ask(ROSTER, first_time.id_number)
    [job] = queue
    assert work(job, django_capture_on_commit_callbacks) is True
    [(to, text)] = sms_outbox
    assert to == ROSTER
    assert client.post("/signin/code/", {"code": re.search(r"\d{6}", text).group()})["Location"] == "/me/"
    first_time.refresh_from_db()
    assert first_time.user.phone == ROSTER


@pytest.mark.parametrize("who", ["nobody", "wrong ID number", "ID number of another's phone"])
def test_the_worker_writes_and_sends_nothing_for_a_number_that_is_not_a_members(
    who, first_time, units, queue, sms_outbox, django_capture_on_commit_callbacks
):
    other = make_member(units["g1"], "李娟", phone="13700000000")
    phone, id_number = {
        "nobody": (NOBODY, ""),
        "wrong ID number": (ROSTER, other.id_number),
        "ID number of another's phone": (NOBODY, first_time.id_number),
    }[who]
    with django_capture_on_commit_callbacks(execute=True):
        ask(phone, id_number)
    [job] = queue
    assert work(job, django_capture_on_commit_callbacks) is False
    assert sms_outbox == [] and not OneTimeCode.objects.exists()


def test_a_second_request_within_the_minute_is_refused_and_queues_nothing(
    signs_in_by_phone, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client = ask(HUIYUAN)
        again = client.post("/signin/", {"phone": HUIYUAN, "id_number": ""})
    assert "请等一分钟后再重新获取" in again.text
    assert len(queue) == 1


def test_the_job_keeps_neither_the_number_nor_the_id_number_in_clear(
    first_time, queue, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(ROSTER, first_time.id_number)
    [job] = queue
    arguments = stored(job)
    work(job, django_capture_on_commit_callbacks)
    code = re.search(r"\d{6}", sms_outbox[0][1]).group()
    for secret in (ROSTER, first_time.id_number, code):
        assert secret not in arguments


def test_the_code_is_sent_in_the_language_of_the_page_that_asked(
    signs_in_by_phone, queue, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(HUIYUAN, english=True)
    [job] = queue
    work(job, django_capture_on_commit_callbacks)
    assert sms_outbox[0][1].startswith("[Union] Sign-in code ")


def test_a_job_queued_before_the_worker_wrote_the_codes_is_still_delivered(
    signs_in_by_phone, queue, sms_outbox, django_capture_on_commit_callbacks
):
    """A deploy finds jobs of the old kind in the queue: a row's id, the request having written it."""
    with django_capture_on_commit_callbacks(execute=True):
        ask(HUIYUAN)
    work(queue[0], django_capture_on_commit_callbacks)
    row = OneTimeCode.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_signin_code.enqueue(row.pk, "zh-hans")
    assert work(queue[1], django_capture_on_commit_callbacks) is True
    first, again = sms_outbox
    assert again == first  # the same code, worked out again from the row
