"""会员登录 by SMS tells nobody whether a number has an account: a number nobody has is answered as a
member's is, at every step (the code page, a second request, the hourly limit, a code typed in);
only the member's phone receives a code."""

import re
from unittest import mock

import pytest
from django.test import Client
from django_tasks import default_task_backend

from core.testing import in_english, untranslated
from portal import sms
from portal.models import OneTimeCode
from portal.tests.conftest import make_member

pytestmark = pytest.mark.django_db
KNOWN, UNKNOWN = "13831500101", "13999990000"


@pytest.fixture
def member(units, huiyuan):
    """A member who signs in by her phone: her login carries it (a later sign-in)."""
    huiyuan.phone = KNOWN
    huiyuan.save()
    return make_member(units["g1"], "马春燕", phone=KNOWN, user=huiyuan)


def same(html, phone):
    """The page with what differs by design taken out: the number itself (typed, or masked) and the
    per-session tokens."""
    html = html.replace(phone, "PHONE").replace(phone[:3] + "****" + phone[-4:], "MASKED")
    html = re.sub(r"\b[A-Za-z0-9]{64}\b", "CSRF", html)  # the form's and htmx's CSRF token
    return re.sub(r'nonce="[^"]*"', "nonce=", html)


def browser(address):
    """A visitor from an address of its own: the pages' per-address limit is not what is compared."""
    return Client(REMOTE_ADDR=address)


def ask(client, phone):
    return client.post("/signin/", {"phone": phone, "id_number": ""})


def test_a_number_without_an_account_reads_exactly_like_a_members(
    member, sms_outbox, django_capture_on_commit_callbacks
):
    pages, wrong_code = {}, None
    for address, phone in (("10.0.0.1", KNOWN), ("10.0.0.2", UNKNOWN)):
        client = browser(address)
        with django_capture_on_commit_callbacks(execute=True):
            sent = ask(client, phone)
        assert (sent.status_code, sent["Location"]) == (302, "/signin/code/")
        if wrong_code is None:  # a code other than the one the member was sent, typed for both
            wrong_code = "111111" if "000000" in sms_outbox[0][1] else "000000"
        code_page = client.get("/signin/code/")
        again = ask(client, phone)  # at once: too soon, for either
        wrong = client.post("/signin/code/", {"code": wrong_code})
        pages[phone] = [(page.status_code, same(page.content.decode(), phone)) for page in (code_page, again, wrong)]
    assert pages[KNOWN] == pages[UNKNOWN]
    code_page, again, wrong = (html for _status, html in pages[UNKNOWN])
    assert "MASKED" in code_page and "请等一分钟后再重新获取" in again and "验证码不正确或已失效" in wrong
    # One code, to the member's phone only.
    assert [to for to, _text in sms_outbox] == [KNOWN]
    assert OneTimeCode.objects.count() == 1


def test_the_first_sign_in_without_the_id_number_is_not_told_apart_either(units, sms_outbox):
    make_member(units["g1"], "李娟", phone=KNOWN)  # on the roster, with no account yet
    first, nobody = browser("10.0.0.1"), browser("10.0.0.2")
    assert ask(first, KNOWN)["Location"] == ask(nobody, UNKNOWN)["Location"] == "/signin/code/"
    assert same(first.get("/signin/code/").content.decode(), KNOWN) == same(
        nobody.get("/signin/code/").content.decode(), UNKNOWN
    )
    assert sms_outbox == [] and not OneTimeCode.objects.exists()


def test_the_code_page_and_its_refusal_read_in_english(sms_outbox):
    client = in_english(browser("10.0.0.3"))
    ask(client, UNKNOWN)
    page = client.get("/signin/code/").content.decode()
    assert "If 139****0000 is the mobile number" in page and untranslated(page) == []
    refused = client.post("/signin/code/", {"code": "123456"}).content.decode()
    assert "The code is wrong or no longer valid" in refused and untranslated(refused) == []


@pytest.fixture
def gateway(settings, monkeypatch):
    """The SMS gateway, mocked: records each call instead of posting to the provider."""
    settings.SMS_BACKEND, settings.SMS_GATEWAY_URL = "", "https://sms.example.invalid/send"
    call = mock.Mock()
    monkeypatch.setattr(sms, "gateway", call)
    return call


@pytest.fixture
def queue(settings):
    """A task queue no worker takes from: a job waits in it until the test runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    return default_task_backend


def test_no_sms_gateway_is_called_within_the_request_for_any_number(
    member, gateway, queue, django_capture_on_commit_callbacks
):
    """The time the page takes must not tell a member's number from one nobody has: neither request
    waits for the gateway. Each queues a job; the worker makes and sends the member's code only."""
    clients = {KNOWN: browser("10.0.0.1"), UNKNOWN: browser("10.0.0.2")}
    for phone, client in clients.items():
        with django_capture_on_commit_callbacks(execute=True):  # the request's transaction commits
            assert ask(client, phone)["Location"] == "/signin/code/"
    gateway.assert_not_called()
    known, unknown = queue.results  # one job for each number
    for job in (known, unknown):
        with django_capture_on_commit_callbacks(execute=True):
            job.task.call(*job.args, **job.kwargs)
    gateway.assert_called_once()
    (to, text), _ = gateway.call_args
    code = re.search(r"\d{6}", text).group()
    assert to == KNOWN and "登录验证码" in text
    assert KNOWN not in repr((known.args, known.kwargs)) and code not in repr((known.args, known.kwargs))
    # The code the worker sent is the one stored: it signs her in.
    assert clients[KNOWN].post("/signin/code/", {"code": code})["Location"] == "/me/"


def test_a_code_queued_for_a_number_the_member_has_since_changed_is_not_sent_to_it(
    member, gateway, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(browser("10.0.0.1"), KNOWN)
    member.user.phone = member.phone = "13700000001"
    member.user.save()
    member.save()
    [job] = queue.results
    with django_capture_on_commit_callbacks(execute=True):
        assert job.task.call(*job.args, **job.kwargs) is False
    gateway.assert_not_called()
