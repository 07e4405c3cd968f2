"""The applicant's channel: the configured backend, else the SMS gateway, else the console in development."""

import json

import pytest
from django.db import transaction

from portal import sms


@pytest.mark.django_db
def test_gateway_receives_phone_and_text(settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = ""
    settings.SMS_GATEWAY_URL = "http://gateway.invalid/sms"
    posted = []

    class Answer:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return b"{}"

    def urlopen(request, timeout):
        posted.append((request.full_url, json.loads(request.data)))
        return Answer()

    monkeypatch.setattr(sms.urllib.request, "urlopen", urlopen)
    assert sms.is_configured()
    with django_capture_on_commit_callbacks(execute=True):
        sms.send("13831500101", "查询码 ABCD2345")
    assert posted == [("http://gateway.invalid/sms", {"phone": "13831500101", "text": "查询码 ABCD2345"})]


@pytest.mark.django_db
def test_console_in_development_and_nothing_without_a_channel(settings, capsys, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = ""
    settings.SMS_GATEWAY_URL = ""
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        assert sms.send("13831500101", "你好")
    assert "13831500101" in capsys.readouterr().out
    settings.DEBUG = False
    assert not sms.is_configured()
    assert not sms.send("13831500101", "你好")


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_work_is_rolled_back(settings):
    sms.outbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        sms.send("13831500101", "不会发出")
        raise RuntimeError
    assert sms.outbox == []
