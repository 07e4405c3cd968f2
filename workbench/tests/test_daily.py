"""One daily command runs every app's daily job, and goes on past one that fails."""

import io

import pytest
from django.core.management import call_command

from workbench.management.commands import daily


@pytest.mark.django_db
def test_daily_runs_every_job_of_the_installed_apps():
    out = io.StringIO()
    call_command("daily", stdout=out)
    for name, _arguments, _what in daily.JOBS:
        assert f"{name}:" in out.getvalue()


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others_but_fails_the_run(monkeypatch):
    monkeypatch.setattr(daily, "JOBS", [("no_such_job_but_known", [], "x"), ("purge_portal", [], "y")])
    monkeypatch.setattr(daily, "get_commands", lambda: {"no_such_job_but_known": "core", "purge_portal": "portal"})
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        call_command("daily", stdout=out, stderr=err)
    assert "no_such_job_but_known failed" in err.getvalue() and "purge_portal:" in out.getvalue()
