import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gonghui.settings import envbool, envint

BASE = Path(settings.BASE_DIR)


def test_every_setting_read_from_the_environment_is_in_env_example():
    source = (BASE / "gonghui" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env(?:bool|int|list)\("([A-Z_]+)"', source))
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
