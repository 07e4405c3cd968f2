"""Every page without a parameter, opened by the officers of each level: the slowest first.

    python -m bench pages [--members 1000000] [--database postgres|sqlite] [--top 15] [--json]

On the database of ``bench overview`` (seeded once, then reused): every page the URL configuration
has without a parameter (lists, overviews and forms; not the admin, exports, downloads, the API or
language switching) is requested by the officer of the province, a city, a county and a union, and
the median of three requests after a first is taken. ``bench overview`` times the pages chosen for
the goal; this one finds those nobody chose. On 2 December it found forms of 2 to 7 s at a province
(a <select> of every unit), and live counts of a province's members. Goal as overview's: 100 ms.

``--json`` prints ``{"pages": [{"url", "officer_level", "median_ms", "status"}...]}``, slowest first.
"""

import argparse
import json
import statistics
import sys
import time

from bench import JSON_MARK, django_env, run_worker
from bench.overview import GOAL_MS, _database_url

SKIPPED = ("admin/", "logout", "export", "download", "api/", "healthz", "i18n", "static/", "media/")


def _options(argv):
    parser = argparse.ArgumentParser(prog="python -m bench pages")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--top", type=int, default=15, help="pages printed (all in --json)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv):
    options = _options(argv)
    env = django_env(_database_url(options.database, options.members), GONGHUI_TESTING="1", LOG_LEVEL="CRITICAL")
    args = [f"--members={options.members}", f"--database={options.database}", f"--top={options.top}"]
    for figures in run_worker("bench.pages", args, env, json_output=options.json):
        print(figures)


# --- inside the benchmark database's process


def _urls():
    """The paths of the URL configuration that take no parameter, minus SKIPPED."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, prefix):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            elif isinstance(pattern, URLPattern) and not any(c in route for c in "<(^$"):
                yield "/" + route

    return sorted({url for url in walk(get_resolver(), "") if not any(s in url for s in SKIPPED)})


def _median_ms(client, url):
    """(status, median ms of three requests after a first): the first warms caches and templates."""
    status = client.get(url).status_code
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return status, statistics.median(timings)


def worker(options):
    import django

    django.setup()
    from django.test import Client

    from bench.overview import _officers, _seed

    _seed(options.members)
    rows = []
    for level, (user, _unit) in _officers().items():
        client = Client()
        client.force_login(user)
        for url in _urls():
            status, ms = _median_ms(client, url)
            if status == 200:  # not this officer's page (404), or a POST-only one (405)
                rows.append({"url": url, "officer_level": level, "median_ms": round(ms, 1), "status": status})
    rows.sort(key=lambda row: -row["median_ms"])
    print(f"{'page':<42} {'officer':<9} {'median ms':>9}")
    for row in rows[: options.top]:
        flag = "  over the goal" if row["median_ms"] > GOAL_MS else ""
        print(f"{row['url']:<42} {row['officer_level']:<9} {row['median_ms']:>9.1f}{flag}")
    over = sum(1 for row in rows if row["median_ms"] > GOAL_MS)
    print(f"{len(rows)} pages answered 200; {over} over {GOAL_MS} ms")
    if options.json:
        print(JSON_MARK + json.dumps({"pages": rows}))


if __name__ == "__main__":
    arguments = _options(sys.argv[1:])
    if arguments.worker:
        worker(arguments)
    else:
        main(sys.argv[1:])
