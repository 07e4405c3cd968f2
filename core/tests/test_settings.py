import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gonghui.settings import envbool, envint

BASE = Path(settings.BASE_DIR)


def test_every_setting_read_from_the_environment_is_in_env_example():
    source = (BASE / "gonghui" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env(?:bool|int|list|path)\("([A-Z_]+)"', source))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', source))
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", (BASE / ".env.example").read_text(encoding="utf-8"), re.M))
    assert read - {"GONGHUI_TESTING"} <= listed, f"missing from .env.example: {sorted(read - listed)}"


def test_malformed_values_stop_start_up_with_the_name(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        envbool("DEBUG", True)
    monkeypatch.setenv("PAGE_SIZE", "thirty")
    with pytest.raises(ImproperlyConfigured, match="PAGE_SIZE must be a whole number"):
        envint("PAGE_SIZE", 30)


def test_chinese_is_the_default_language():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_with_a_shared_cache_sessions_are_read_from_it_and_kept_in_the_database():
    """Production with REDIS_URL: the settings pick cached sessions; without it, sessions stay in the
    database alone (a process's own memory is no cache for several app servers)."""

    def engine(**env):
        script = "from django.conf import settings; print(settings.SESSION_ENGINE)"
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "gonghui.settings", "GONGHUI_TESTING": "1", **env}
        found = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {script}"],
            env=environment,
            cwd=BASE,
            capture_output=True,
            text=True,
            check=True,
        )
        return found.stdout.strip()

    assert engine(REDIS_URL="redis://127.0.0.1:6379/0") == "django.contrib.sessions.backends.cached_db"
    assert engine(REDIS_URL="") == "django.contrib.sessions.backends.db"


@pytest.mark.django_db
def test_a_cached_session_outlives_the_cache_and_ends_everywhere_at_sign_out(client, zhuxi, settings):
    from django.core.cache import cache
    from django.urls import reverse

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(zhuxi)
    assert client.get(reverse("workbench:home")).status_code == 200
    cache.clear()  # Redis restarted: the session is read from the database again
    assert client.get(reverse("workbench:home")).status_code == 200
    cookie = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    client.cookies["sessionid"] = cookie  # the old cookie, replayed
    assert client.get(reverse("workbench:home")).status_code == 302


def _settings_in(cwd, *, script, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "gonghui.settings", **env}
    return subprocess.run([sys.executable, "-c", script], env=environment, cwd=cwd, capture_output=True, text=True)


def test_relative_folders_are_the_projects_whichever_folder_a_worker_starts_in(tmp_path):
    """A worker started from another folder reads the same private files as the site."""
    script = (
        f"import sys; sys.path.insert(0, {str(BASE)!r}); import django; django.setup(); "
        "from django.conf import settings; print(settings.VAR_DIR); print(settings.PRIVATE_MEDIA_ROOT)"
    )
    found = _settings_in(tmp_path, script=script, GONGHUI_TESTING="1", VAR_DIR="var", PRIVATE_MEDIA_ROOT="")
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == [str(BASE / "var"), str(BASE / "var" / "private")]


def test_the_web_server_will_not_start_in_production_without_allowed_hosts():
    """Else every page answers 400 and the site only looks broken; migrate and collectstatic need no host."""
    from cryptography.fernet import Fernet

    production = {
        "DEBUG": "false",
        "GONGHUI_TESTING": "0",
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }
    refused = _settings_in(BASE, script="import gonghui.wsgi", ALLOWED_HOSTS="", **production)
    assert refused.returncode != 0 and "ALLOWED_HOSTS is not set" in refused.stderr
    served = _settings_in(BASE, script="import gonghui.wsgi", ALLOWED_HOSTS="gonghui.example.cn", **production)
    assert served.returncode == 0, served.stderr
