"""GET /healthz: what a load balancer and monitoring read, with no login and no personal data."""

import pytest
from cryptography.fernet import Fernet
from django.db import OperationalError

from core import encryption, health
from core.models import KeySentinel


@pytest.fixture
def fresh_key_cache():
    encryption._fernet.cache_clear()
    yield
    encryption._fernet.cache_clear()


def test_health_answers_without_login_with_database_cache_and_queue(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["cache"]["ok"] is True
    assert {"backend", "workers", "queued", "oldest_queued_seconds"} <= set(body["queue"])
    assert body["status"] in ("ok", "degraded")
    assert "encryption" not in body  # only on ?deep=1


def test_health_is_503_when_the_database_is_unreachable(client, db, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as stopped:  # undone before the test database is torn down
        stopped.setattr(health.connection, "cursor", refuse)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False
    assert response.json()["status"] == "down"


def test_deep_health_writes_the_sentinel_once_and_decrypts_it(client, db):
    response = client.get("/healthz?deep=1")
    assert response.status_code == 200
    assert response.json()["encryption"] == {"ok": True}
    token = KeySentinel.objects.get(name=health.SENTINEL_NAME).token
    client.get("/healthz?deep=1")
    assert KeySentinel.objects.get(name=health.SENTINEL_NAME).token == token


def test_deep_health_reports_a_wrong_key(client, db, settings, fresh_key_cache):
    client.get("/healthz?deep=1")  # the sentinel, written with the right key
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # a restore beside the wrong key
    encryption._fernet.cache_clear()
    response = client.get("/healthz?deep=1")
    assert response.status_code == 503
    assert response.json()["encryption"]["ok"] is False
    assert "key" in response.json()["encryption"]["error"]
    # An ordinary check still answers: the balancer keeps the server, monitoring raises the alarm.
    assert client.get("/healthz").status_code == 200


def test_health_shows_no_personal_data(client, db, zhuxi):
    body = client.get("/healthz?deep=1").content.decode()
    assert "zhuxi" not in body and zhuxi.get_full_name() not in body
