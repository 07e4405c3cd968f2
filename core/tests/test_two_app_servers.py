"""Two app servers on one database, as behind a load balancer: a session opened on one holds on the
other, and an administrator's change to the official calendar reaches both."""

import datetime
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SATURDAY = datetime.date(2031, 5, 10)  # a weekend day the administrator makes a working day


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp_path):
    """The test database, as a URL another process can open (SQLite's in-memory one copied to a file)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    return f"sqlite:///{path}"


def _start(port, database_url):
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="gonghui.settings",
        DATABASE_URL=database_url,
        GONGHUI_TESTING="1",  # plain static files and a fast password hasher; no other difference
        DEBUG="false",
        SECRET_KEY="shared-by-every-app-server",
        FIELD_ENCRYPTION_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS),
        SECURE_COOKIES="false",
        CALENDAR_CHECK_SECONDS="0",  # check the version on every use, so the test need not wait
        LOG_LEVEL="WARNING",
    )
    command = [sys.executable, "-m", "gunicorn", "gonghui.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_until_serving(base, process, seconds=240):
    deadline = time.monotonic() + seconds
    while True:
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        try:
            requests.get(f"{base}/healthz", timeout=20)
            return
        except (requests.ConnectionError, requests.Timeout):
            assert time.monotonic() < deadline, "the app server did not start"
            time.sleep(0.2)


def _log_in(session, base, path, username):
    page = session.get(f"{base}{path}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    response = session.post(
        f"{base}{path}",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": f"{base}{path}"},
    )
    assert response.status_code == 200 and "/login/" not in response.url, response.url


def _is_swapped_workday(session, base):
    page = session.get(f"{base}/plans/calendar/{SATURDAY.year}/{SATURDAY.month}/")
    assert page.status_code == 200
    cell = re.search(rf'class="(cal-day[^"]*)" data-date="{SATURDAY:%Y-%m-%d}"', page.text)
    return "cal-swapped" in cell[1]


@pytest.fixture
def admin_user(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("siteadmin", "admin@example.com", PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_an_administrators_calendar_change_reaches_both_app_servers(zhuxi, admin_user, tmp_path):
    url = _database_url(tmp_path)
    servers = []
    try:
        bases = []
        for _ in range(2):
            port = _free_port()
            servers.append(_start(port, url))
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, servers, strict=True):
            _wait_until_serving(base, process)
        first, second = bases

        chair = requests.Session()
        _log_in(chair, first, "/accounts/login/", "zhuxi")
        # The session opened on the first server holds on the second (it lives in the database).
        assert not _is_swapped_workday(chair, first)
        assert not _is_swapped_workday(chair, second)  # both servers have the year in memory now

        admin = requests.Session()
        _log_in(admin, second, "/admin/login/", "siteadmin")
        form = admin.get(f"{second}/admin/core/officialday/add/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
        saved = admin.post(
            f"{second}/admin/core/officialday/add/",
            data={
                "csrfmiddlewaretoken": token,
                "date": f"{SATURDAY:%Y-%m-%d}",
                "kind": "workday",
                "holiday": "laodong",
                "year": SATURDAY.year,
            },
            headers={"Referer": f"{second}/admin/core/officialday/add/"},
        )
        assert saved.status_code == 200 and "/add/" not in saved.url, saved.text[-1500:]

        assert _is_swapped_workday(chair, second)
        assert _is_swapped_workday(chair, first)  # the other process dropped its copy of 2031
    finally:
        for process in servers:
            process.terminate()
            process.wait(timeout=30)
