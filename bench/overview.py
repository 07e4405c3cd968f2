"""Overview pages at province scale: p95 server time per page and officer level, with the SQL floor.

    python -m bench overview --members N [--database postgres|sqlite] [--requests 10] [--json]

Builds (once, then reuses) a database of N members with ``seed_scale`` (plans, activities and
check-ins in proportion, roll-ups computed), then requests each overview page through Django's
test client as an officer of the province, a city, a county and a union: whole requests
(middleware, access rule, queries, template), DEBUG off. Beside each figure, the SQL floor of
the same run: the index-only count of the officer's subtree's members, the cheapest query a
page that counts live could make. Goal (issue 13): p95 under 100 ms for every page and level.

``--json`` prints ``{"pages": [{"name", "officer_level", "p95_ms", "floor_ms", ...}], ...}``.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

from bench import BENCH_VAR, JSON_MARK, ROOT, django_env, percentile, run_worker

GOAL_MS = 100
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
LEVELS = {"province": "province", "city": "c0", "county": "c0k0", "union": "u0"}
PAGES = [
    ("statistics (roll-ups)", "rollups:statistics"),
    ("home", "workbench:home"),
    ("home to-dos", "workbench:home_todos"),  # the home page's to-do card, fetched just after it
    ("home units below", "workbench:home_units"),  # a federation's table of units below, likewise
    ("member statistics", "members:statistics"),
    ("activity statistics", "activities:statistics"),
    ("activities list", "activities:list"),
    ("plans overview", "plans:index"),
    ("plan items", "plans:assigned"),
    ("care overview", "care:index"),  # with the visit reminders read from the roster
    ("care visits", "care:visits"),
    ("care roll-up", "care:rollup"),  # 帮扶统计: a federation's units below, from the roll-ups
    ("proposal statistics", "democracy:statistics"),  # 提案统计: likewise for a federation
]


def _options(argv):
    parser = argparse.ArgumentParser(prog="python -m bench overview")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _database_url(kind, members):
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        return f"sqlite:///{BENCH_VAR / f'members-{members}.sqlite3'}"
    import psycopg

    name = f"gonghui_bench_{members}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def main(argv):
    options = _options(argv)
    # The benchmarks' common environment (and encryption key: bench.registrations reuses this database),
    # with plain static storage; DEBUG off keeps no query log.
    env = django_env(_database_url(options.database, options.members), GONGHUI_TESTING="1")
    args = [f"--members={options.members}", f"--database={options.database}", f"--requests={options.requests}"]
    for figures in run_worker("bench.overview", args, env, json_output=options.json):
        print(figures)


# --- inside the benchmark database's process


def _seed(members):
    from django.core.management import call_command

    from orgs.models import OrgUnit
    from rollups.models import Figures

    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.filter(code="scale-province").exists():
        started = time.monotonic()
        # In a process of its own, so that this one's peak memory is the web worker's.
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "seed_scale", f"--members={members}", "--prefix=scale"],
            check=True,
            stdout=sys.stderr,
        )
        print(f"seeded {members:,} members with their work in {time.monotonic() - started:.0f}s")
    elif not Figures.objects.exists():  # a database seeded before the roll-ups existed
        from rollups.refresh import rebuild

        started = time.monotonic()
        rebuild()  # not drift(fix=True): with nothing stored, every figure would be a drift held in a list
        print(f"roll-ups computed in {time.monotonic() - started:.0f}s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _officers():
    from django.contrib.auth import get_user_model

    from orgs.models import OrgUnit, RoleAssignment
    from orgs.roles import Role

    officers = {}
    for level, suffix in LEVELS.items():
        unit = OrgUnit.objects.get(code=f"scale-{suffix}")
        user, _created = get_user_model().objects.get_or_create(username=f"bench-overview-{level}")
        RoleAssignment.objects.get_or_create(user=user, unit=unit, role=Role.CHAIR)
        officers[level] = (user, unit)
    return officers


def _floor(unit, repeat=5):
    """The index-only count of the subtree's members: what any live count pays at least."""
    from django.db import connection

    from orgs.access import subtree_range

    low, high = subtree_range(unit.path)
    sql = (
        "SELECT count(*) FROM members_member WHERE unit_id IN "
        "(SELECT id FROM orgs_orgunit WHERE path BETWEEN %s AND %s)"
    )
    timings = []
    with connection.cursor() as cursor:
        for _ in range(repeat + 1):
            started = time.perf_counter()
            cursor.execute(sql, [low, high])
            cursor.fetchone()
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings[1:])


def _time_page(client, url, repeat):
    from django.db import connection, reset_queries

    first = client.get(url)
    if first.status_code != 200:
        return None, first.status_code, 0
    client.get(url)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    connection.force_debug_cursor = True
    reset_queries()
    client.get(url)
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return timings, 200, queries


def worker(argv):
    options = _options(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from members.models import Member

    _seed(options.members)
    counted = Member.objects.count()
    print(f"--- {connection.vendor}: {counted:,} members; {options.requests} timed requests per page")
    rows = []
    for level, (user, unit) in _officers().items():
        client = Client()
        client.force_login(user)
        floor = _floor(unit)
        for name, url_name in PAGES:
            timings, status, queries = _time_page(client, reverse(url_name), options.requests)
            if status == 404:
                continue  # not this officer's page: a union's home has no table of units below
            p95 = None if timings is None else round(percentile(timings, 0.95), 1)
            median = None if timings is None else round(statistics.median(timings), 1)
            rows.append(
                {
                    "name": name,
                    "officer_level": level,
                    "p95_ms": p95,
                    "median_ms": median,
                    "floor_ms": round(floor, 2),
                    "queries": queries,
                    "status": status,
                    "goal_ms": GOAL_MS,
                    "ratio_to_goal": None if p95 is None else round(p95 / GOAL_MS, 2),
                }
            )
    memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'page':<24} {'officer':<9} {'median':>8} {'p95 ms':>8} {'floor ms':>9} {'queries':>7} {'p95/goal':>8}")
    for row in rows:
        if row["p95_ms"] is None:
            print(f"{row['name']:<24} {row['officer_level']:<9} answered {row['status']}")
            continue
        flag = "" if row["p95_ms"] <= GOAL_MS else "  over the goal"
        print(
            f"{row['name']:<24} {row['officer_level']:<9} {row['median_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['floor_ms']:>9.2f} {row['queries']:>7} {row['ratio_to_goal']:>8.2f}{flag}"
        )
    print(f"goal: p95 < {GOAL_MS} ms; peak memory of this process {memory_mb:.0f} MB (goal < 300 MB)")
    if options.json:
        report = {
            "database": connection.vendor,
            "members": counted,
            "goal_ms": GOAL_MS,
            "peak_memory_mb": round(memory_mb),
            "pages": rows,
        }
        print(JSON_MARK + json.dumps(report, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    if "--worker" in sys.argv[1:]:
        worker(sys.argv[1:])
    else:
        main(sys.argv[1:])
