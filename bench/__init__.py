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
    """Run ``python -m <module> --worker <args>`` in ``env`` (a benchmark database's process). Without
    ``json_output`` its output goes straight to this one's; with it, the lines for people go to stderr
    and the figures (the JSON_MARK lines) are returned, for the caller to print."""
    command = [sys.executable, "-m", module, "--worker", *args]
    if not json_output:
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        return []
    done = subprocess.run([*command, "--json"], env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
    figures = []
    for line in done.stdout.splitlines():
        if line.startswith(JSON_MARK):
            figures.append(line[len(JSON_MARK) :])
        else:
            print(line, file=sys.stderr)
    return figures


def manage(database_url, *args):
    started = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=django_env(database_url), check=True)
    return time.monotonic() - started


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]
