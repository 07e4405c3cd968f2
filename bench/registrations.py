"""Registration under load: a burst of members registering for one activity, beside pgbench.

    python -m bench registrations [--members 100000] [--clients 32] [--burst 400] [--capacity 100]
                                  [--workers 4] [--threads 1] [--repeat 3] [--json]

On the PostgreSQL benchmark database of ``bench overview`` (seeded once): gunicorn with DEBUG off
and persistent connections serves the app; ``--burst`` members (each logged in) register for one
activity with ``--capacity`` places from ``--clients`` concurrent clients, while ``pgbench -c 8 -j 2
-T 20`` runs its TPC-B-like load on a database of its own on the same server. Prints
registrations/s, pgbench's tps and their share (goal: at least 0.05), and checks that exactly the
capacity was registered and everyone else waits, none lost.

Each client sends what the activity page's button does: an htmx POST, answered with the new registration
card. Before the measured burst every worker serves the same requests for an activity of its own
(WARMUP_PER_WORKER each), so the figures are those of a server that has been up a while, not of workers
importing their views and compiling their templates on their first requests. Beside the rates, the CPU milliseconds per registration of the gunicorn workers, of the app
database's backends and of the load generator itself, which shares the machine's cores.

Both rates are taken over the same seconds: pgbench's tps is averaged over the burst from its
per-second progress lines (``pgbench_tps``); its average over its whole 20 s, most of which it may
spend alone once the burst is over, is ``pgbench_tps_whole_run``. A burst that outlasts pgbench counts
the registrations answered while pgbench ran (``seconds_beside_pgbench``), not those served alone after.

The machine's speed drifts from minute to minute, so the burst is run ``--repeat`` times (each for an
activity of its own, with a fresh server and pgbench) and the run with the median share is reported;
every run's share is printed beside it.
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time

from bench import ROOT, django_env

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
SHARE_GOAL = 0.05
PGBENCH_DB = "gonghui_pgbench"
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own on the local Redis (15 is the test suite's)
WARMUP_PER_WORKER = 20  # requests before the measured burst, per gunicorn worker


def _options(argv):
    parser = argparse.ArgumentParser(prog="python -m bench registrations")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--burst", type=int, default=400)
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread when above 1)")
    parser.add_argument("--database", help="PostgreSQL database (default gonghui_bench_<members>, seeded if new)")
    parser.add_argument("--repeat", type=int, default=3, help="bursts run; the one with the median share is reported")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _say(options, text):
    print(text, file=sys.stderr if options.json else sys.stdout, flush=True)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pgbench_ready():
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PGBENCH_DB]).fetchone():
            return
        connection.execute(f'CREATE DATABASE "{PGBENCH_DB}"')
    subprocess.run(["pgbench", "-i", "-q", "-s", "10", "-h", "127.0.0.1", "-U", "postgres", PGBENCH_DB], check=True)


def _database_ready(name):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def main(argv):
    options = _options(argv)
    name = options.database or f"gonghui_bench_{options.members}"
    _database_ready(name)
    url = f"{PG_SERVER}/{name}"
    # As the production set-up of README runs: persistent connections, the cache (and so sessions) in Redis.
    env = django_env(
        url,
        GONGHUI_TESTING="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="false",
        DB_CONN_MAX_AGE="60",
        REDIS_URL=REDIS_URL,
    )
    runs = sorted((_burst(options, env, name) for _run in range(max(1, options.repeat))), key=lambda r: r["share"] or 0)
    result = runs[len(runs) // 2]
    shares = ", ".join(f"{r['share']:.3f}" for r in runs)
    _say(
        options,
        f"registrations/s {result['registrations_per_s']:.1f} over the {result['seconds_beside_pgbench']} s beside "
        f"pgbench (the burst took {result['burst_seconds']} s); "
        f"pgbench {result['pgbench_tps']:.0f} tps in those seconds ({result['pgbench_tps_whole_run']:.0f} over its 20 s); "
        f"share {result['share']:.3f} (goal at least {SHARE_GOAL}, ratio {result['share'] / SHARE_GOAL:.2f}; "
        f"the median of {len(runs)} runs: {shares}); "
        f"registered {result['registered']} of capacity {options.capacity}, waiting {result['waiting']}, "
        f"lost {result['lost']}; CPU per registration: {result['cpu_ms_per_registration']} ms",
    )
    if options.json:
        print(json.dumps(result))


def _burst(options, env, name):
    """One measured burst: its activity and sessions made, gunicorn started, the burst beside pgbench,
    and the registrations' states counted afterwards."""
    # Activity and sessions of the burst, made inside Django (the seed is bench overview's).
    setup = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.registrations",
            "--setup",
            f"--count={options.burst}",
            f"--capacity={options.capacity}",
            f"--members={options.members}",
        ],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    plan = json.loads(setup.stdout.strip().splitlines()[-1])
    _pgbench_ready()

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "gonghui.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(options.workers),
            "--threads",
            str(options.threads),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        result = _run(options, plan, port, server, name)
    finally:
        server.terminate()
        server.wait(timeout=30)
    counted = subprocess.run(
        [sys.executable, "-m", "bench.registrations", "--setup", "--count=0"],
        env=dict(env, BENCH_ACTIVITY=str(plan["activity"])),
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    states = json.loads(counted.stdout.strip().splitlines()[-1])
    result.update(
        registered=states["registered"],
        capacity=options.capacity,
        waiting=states["waiting"],
        lost=options.burst - states["registered"] - states["waiting"],
    )
    _say(options, f"a burst: share {result['share']}, {result['registrations_per_s']} registrations/s")
    return result


def _run(options, plan, port, server, database):
    import requests

    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            requests.get(f"{base}/healthz", timeout=20)
            break
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    token = secrets.token_hex(16)  # CSRF: the cookie's secret sent back in the header

    def one(session_key, activity=plan["activity"]):
        # What the activity page's button sends (an htmx POST, answered with the new registration card),
        # on a connection of its own as from a phone. http.client rather than requests: the load generator
        # shares the server's 2 cores, and requests spends several times the CPU per call.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            connection.request(
                "POST",
                f"/activities/{activity}/register/",
                headers={
                    "Cookie": f"sessionid={session_key}; csrftoken={token}",
                    "X-CSRFToken": token,
                    "Referer": base,
                    "HX-Request": "true",
                },
            )
            response = connection.getresponse()
            response.read()
            return response.status, time.time()
        finally:
            connection.close()

    # Steady state, as a server that has been up a while: every worker has imported its views, compiled its
    # templates and read its catalogues (about 0.6 s of CPU each, a tenth of the burst's) before the
    # measured seconds, by the same requests for an activity of their own.
    with concurrent.futures.ThreadPoolExecutor(options.clients) as pool:
        list(
            pool.map(
                lambda key: one(key, plan["warmup_activity"]), plan["sessions"][: WARMUP_PER_WORKER * options.workers]
            )
        )
    pgbench = subprocess.Popen(
        ["pgbench", "-c", "8", "-j", "2", "-T", "20", "-P", "1", "--progress-timestamp"]
        + ["-h", "127.0.0.1", "-U", "postgres", PGBENCH_DB],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    time.sleep(2)  # pgbench connected and running
    server_pids, database_cpu = _children(server.pid), _backends_cpu(database)
    server_cpu, client_cpu = _cpu_seconds(server_pids), time.process_time()
    started, started_at = time.perf_counter(), time.time()
    with concurrent.futures.ThreadPoolExecutor(options.clients) as pool:
        answers = list(pool.map(one, plan["sessions"]))
    took, ended_at = time.perf_counter() - started, time.time()
    statuses = [status for status, _at in answers]
    server_cpu = _cpu_seconds(server_pids) - server_cpu
    client_cpu = time.process_time() - client_cpu
    database_cpu = sum(now - database_cpu.get(pid, 0.0) for pid, now in _backends_cpu(database).items())
    output = pgbench.communicate()[0]
    found = re.search(r"tps = ([\d.]+)", output)
    whole_run = float(found[1]) if found else 0.0
    # A burst that outlasts pgbench is counted up to pgbench's last second only: after it the
    # registrations run alone, and the share compares the two rates over the same seconds.
    until = min(ended_at, max((float(at) for at in re.findall(r"progress: ([\d.]+) s", output)), default=ended_at))
    rate = sum(1 for _status, at in answers if at <= until) / (until - started_at)
    tps = _tps_between(output, started_at, until) or whole_run
    return {
        "registrations_per_s": round(rate, 1),
        "pgbench_tps": round(tps, 1),
        "share": round(rate / tps, 4) if tps else None,
        "pgbench_tps_whole_run": round(whole_run, 1),
        "burst_seconds": round(took, 1),
        "seconds_beside_pgbench": round(until - started_at, 1),
        "answers": {str(code): statuses.count(code) for code in sorted(set(statuses))},
        # CPU per registration over the burst (less noisy than the rates on a shared machine): the gunicorn
        # workers, the database backends of the app's database, and this load generator.
        "cpu_ms_per_registration": {
            "server": round(server_cpu / len(statuses) * 1000, 2),
            "database": round(database_cpu / len(statuses) * 1000, 2),
            "client": round(client_cpu / len(statuses) * 1000, 2),
        },
    }


def _cpu_seconds(pids):
    """User and system CPU the processes have used so far, from /proc (Linux); 0 for one gone."""
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime and stime, the stat's 14th and 15th fields
    return ticks / os.sysconf("SC_CLK_TCK")


def _children(parent):
    """The processes whose parent is ``parent`` (gunicorn's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                if entry.isdigit() and int(stat.read().rsplit(")", 1)[1].split()[1]) == parent:
                    found.append(int(entry))
        except (OSError, ValueError):
            continue
    return found


def _backends_cpu(database):
    """{pid: CPU seconds so far} of the PostgreSQL backends connected to ``database``."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'", [database]
        ).fetchall()
    return {pid: _cpu_seconds([pid]) for (pid,) in rows}


def _tps_between(output, start, end):
    """pgbench's tps while the burst ran, from its per-second progress lines (``-P 1 --progress-timestamp``):
    each line's figure covers the second before its time, weighted by how much of it lies in the burst."""
    weighted = covered = 0.0
    for at, tps in re.findall(r"progress: ([\d.]+) s, ([\d.]+) tps", output):
        at, tps = float(at), float(tps)
        overlap = max(0.0, min(at, end) - max(at - 1, start))
        weighted += tps * overlap
        covered += overlap
    return weighted / covered if covered else None


def setup(options):
    """Inside Django: an open activity of a county with ``capacity`` places and ``count`` members
    logged in (their session keys), or (``--count=0``) the registration states of BENCH_ACTIVITY."""
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.utils import timezone

    from activities.models import Activity, Registration, RegistrationStatus, Status
    from members.models import Member
    from orgs.models import OrgUnit, RoleAssignment
    from orgs.roles import Role

    if not options.count:
        activity_id = int(os.environ["BENCH_ACTIVITY"])
        rows = Registration.objects.filter(activity_id=activity_id)
        print(
            json.dumps(
                {
                    "registered": rows.filter(status=RegistrationStatus.REGISTERED).count(),
                    "waiting": rows.filter(status=RegistrationStatus.WAITING).count(),
                }
            )
        )
        return
    from bench.overview import _seed

    _seed(options.members)  # once: bench overview's database, reused
    county = OrgUnit.objects.get(code="scale-c0k0")
    activity, warmup = (
        Activity.objects.create(
            unit=county,
            title=title,
            starts_at=timezone.now() + timezone.timedelta(days=7),
            status=Status.OPEN,
            capacity=options.capacity,
        )
        for title in ("基准测试活动", "基准测试活动（预热）")
    )
    # The same members each run (a fresh activity): the county's first members, given a login once.
    members = list(Member.objects.in_subtree(county).in_union().select_related("user").order_by("pk")[: options.count])
    users = get_user_model()
    sessions = []
    for member in members:
        user = member.user
        if user is None:
            user, _created = users.objects.get_or_create(username=f"bench-member-{member.pk}")
            Member.objects.filter(pk=member.pk).update(user=user)
        RoleAssignment.objects.get_or_create(user=user, unit_id=member.unit_id, role=Role.MEMBER)
        store = import_module(settings.SESSION_ENGINE).SessionStore()  # as a sign-in stores it
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    print(json.dumps({"activity": activity.pk, "warmup_activity": warmup.pk, "sessions": sessions}))


if __name__ == "__main__":
    arguments = _options(sys.argv[1:])
    if arguments.setup:
        setup(arguments)
    else:
        main(sys.argv[1:])
