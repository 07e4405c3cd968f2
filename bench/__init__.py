"""Benchmarks: scale figures printed for people to read, not tests with pass/fail thresholds.

``python -m bench`` runs every benchmark module of this package; ``python -m bench members``
runs one. Each module has ``main(argv)`` and prints its figures and their ratio to targets.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"


def django_env(database_url, **extra):
    """The environment for a Django process on a benchmark database (not the app's own)."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="gonghui.settings", DATABASE_URL=database_url, DEBUG="false")
    env.update(SECRET_KEY=env.get("SECRET_KEY", "bench-only"), AXES_ENABLED="false", LOG_LEVEL="WARNING")
    env.setdefault("FIELD_ENCRYPTION_KEYS", "wQW3bA3wnrx0wdbTR3JuyOhT2v6FpYEzXBBU8vOa7Jw=")
    env.update(extra)
    return env


JSON_MARK = "BENCH_JSON "  # a worker's line of figures for --json, among the lines it prints for people


def run_worker(module, args, env, *, json_output):
    """Run ``python -m <module> --worker <args>`` in ``env`` (a benchmark database's process) and pass its
    output on: with ``json_output`` the figures (the JSON_MARK lines) on stdout and the rest on stderr."""
    done = subprocess.run(
        [sys.executable, "-m", module, "--worker", *args, *(["--json"] if json_output else [])],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in done.stdout.splitlines():
        if line.startswith(JSON_MARK):
            print(line[len(JSON_MARK) :])
        else:
            print(line, file=sys.stderr if json_output else sys.stdout)


def manage(database_url, *args):
    started = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=django_env(database_url), check=True)
    return time.monotonic() - started


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]
