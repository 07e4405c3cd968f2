"""Safe to deploy: production settings fail closed, pass `check --deploy` behind the documented proxy,
believe the proxy's headers only behind it, and answer errors with the product's own Chinese pages."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from core import errors
from core.audit import client_ip

BASE = settings.BASE_DIR


def _production_env(tmp_path, **extra):
    # Not the test run's own switches (DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests).
    skip = ("GONGHUI_TESTING", "DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(
        DEBUG="false",
        SECRET_KEY="a-production-secret-key-of-fifty-characters-or-more-0123456789",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="gonghui.example.cn",
        CSRF_TRUSTED_ORIGINS="https://gonghui.example.cn",
        BEHIND_HTTPS_PROXY="true",
        VAR_DIR=str(tmp_path / "var"),
    )
    env.update(extra)
    return env


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_production_start_without_its_keys_stops_with_a_message_and_writes_no_key(tmp_path):
    env = _production_env(tmp_path)
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS"):
        del env[name]
    result = _manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY, FIELD_ENCRYPTION_KEYS is not set" in result.stderr
    assert not list((tmp_path / "var").glob("*key*"))


def test_without_allowed_hosts_collectstatic_runs_but_the_site_serves_nothing(tmp_path):
    env = _production_env(tmp_path)
    del env["ALLOWED_HOSTS"]
    assert _manage(env, "collectstatic", "--noinput", "-v0").returncode == 0
    deploy = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert deploy.returncode != 0 and "security.W020" in deploy.stdout + deploy.stderr  # ALLOWED_HOSTS empty


def test_check_deploy_is_clean_behind_the_documented_proxy_with_hsts_and_a_redirect(tmp_path):
    env = _production_env(tmp_path)
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    shown = _manage(
        env,
        "shell",
        "-v0",
        "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE)",
    )
    assert shown.stdout.split() == ["False", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')", "True"]
    assert not list((tmp_path / "var").glob("*key*"))


def test_debug_is_off_unless_set():
    source = (BASE / "gonghui" / "settings.py").read_text(encoding="utf-8")
    assert 'DEBUG = envbool("DEBUG", False)' in source


def test_pages_forbid_other_base_urls_in_their_content_security_policy(client, db):
    policy = client.get(reverse("accounts:login")).headers["Content-Security-Policy"]
    assert "base-uri 'self'" in policy and "object-src 'none'" in policy


# --- the client's address


def _request(remote="10.0.0.2", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_the_proxy_setting_a_forwarded_address_is_not_believed(settings):
    settings.BEHIND_HTTPS_PROXY = False
    assert client_ip(_request(forwarded="203.0.113.9")) == "10.0.0.2"


def test_behind_the_proxy_the_address_it_appended_is_the_client(settings):
    settings.BEHIND_HTTPS_PROXY = True
    # The client wrote the first entry itself; Nginx appended the last one.
    assert client_ip(_request(forwarded="1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request(forwarded="not-an-address")) == "10.0.0.2"
    assert client_ip(_request()) == "10.0.0.2"


def test_a_lockout_behind_the_proxy_falls_on_the_attacker_not_on_everybody(settings, zhuxi):
    settings.BEHIND_HTTPS_PROXY = True
    url = reverse("accounts:login")
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        attacker.post(url, {"username": "zhuxi", "password": "wrong"})
    assert attacker.post(url, {"username": "zhuxi", "password": "gonghui-demo"}).status_code != 302
    chair = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert chair.post(url, {"username": "zhuxi", "password": "gonghui-demo"}).status_code == 302


def test_the_access_log_records_the_address_behind_the_proxy(settings, client_for, zhuxi, units):
    from core.audit import log_sensitive_read

    settings.BEHIND_HTTPS_PROXY = True
    request = _request(remote="127.0.0.1", forwarded="203.0.113.9")
    request.user = zhuxi
    assert log_sensitive_read(request, units["school"], ["身份证号"]).ip_address == "203.0.113.9"


# --- error pages and files


def test_a_missing_page_is_the_chinese_404_in_the_layout(client, client_for, zhuxi):
    for reader in (client, client_for(zhuxi)):
        response = reader.get("/no-such-page/")
        assert response.status_code == 404
        html = response.content.decode()
        assert "页面不存在" in html and 'data-testid="error-page"' in html and "navbar" in html


def test_the_500_page_is_chinese_and_asks_nothing_of_the_database(django_assert_num_queries, db):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500 and "系统出错" in response.content.decode()
    # Without the request no form can carry a CSRF token: the footer's switches (which would answer 403
    # 页面已过期) are left off, as is any other form.
    assert "<form" not in response.content.decode()


def test_400_and_403_pages_are_chinese(rf, zhuxi):
    request = rf.get("/")
    request.user = zhuxi
    assert "请求有误" in errors.bad_request(request).content.decode()
    assert "无权访问" in errors.permission_denied(request).content.decode()


def test_a_form_from_an_old_page_gets_the_chinese_403(zhuxi):
    client = Client(enforce_csrf_checks=True)
    client.force_login(zhuxi)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


@pytest.mark.parametrize("path", ["/media/imports/members/2027/03/roster.xlsx", "/media/activities/summaries/a.jpg"])
def test_nothing_is_served_under_media(client, client_for, zhuxi, path, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / path.removeprefix("/media/")).parent.mkdir(parents=True)
    (tmp_path / path.removeprefix("/media/")).write_text("110105199003071234")
    assert client.get(path).status_code == 404
    assert client_for(zhuxi).get(path).status_code == 404
