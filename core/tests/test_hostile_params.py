"""Every page without a record in its address, opened with a query string nobody's link would hold: a
year no date can hold, a month of 13, a record number that is a word or past 64 bits, a cursor that
is not one, a page far past the end, a search of 3,000 characters. A page may refuse (400, 404) or
show its usual view, never fail (500). Run as the school chair and as a site administrator (whose
pages start at the top of the tree). Found: /democracy/disclosure/ and the commendation list with
?year=200000, and the care visit and tag forms with ?member=x."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

HOSTILE = [
    ("year", "200000"),
    ("year", "abc"),
    ("month", "13"),
    ("after", "zz"),
    ("before", "!!"),
    ("after", "zhang~᧚"),  # a cursor whose number is a digit to isdigit() (New Tai Lue one) that int() cannot read
    ("page", "99999999999999999999"),
    ("sort", "-nope"),
    ("format", "exe"),
    ("status", "x" * 300),
    ("unit", "99999999999999999999999"),
    ("unit", "²"),  # a digit to str.isdigit(), not to int(): input is checked with isdecimal()
    ("session", "²"),
    ("ballot", "²"),
    ("month", "²"),
    ("renews", "²"),
    ("member", "x"),
    ("household", "x"),
    ("item", "²"),
    ("kind", "中" * 300),
    ("root", "-1"),
    ("q", "中" * 3000),
]
SKIPPED = ("logout", "api/", "healthz", "media/", "static/")


def _plain_paths(resolver=None, prefix=""):
    """Paths of the URL patterns that take no argument (the admin's left out: site administrators only)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if "admin" not in route:
                yield from _plain_paths(pattern, prefix + route)
        elif isinstance(pattern, URLPattern) and not any(mark in route for mark in ("<", "(?P", "^")):
            path = "/" + prefix + route
            if not any(skip in path for skip in SKIPPED):
                yield path


@pytest.mark.parametrize("persona", ["zhuxi", "admin"])
def test_no_page_fails_on_a_query_string_nobody_links_to(client_for, zhuxi, units, persona, django_user_model):
    user = zhuxi if persona == "zhuxi" else django_user_model.objects.create_superuser("admin-probe", password="x")
    client = client_for(user)
    paths = sorted(set(_plain_paths()))
    assert len(paths) > 50  # the walk found the product's pages
    failed = []
    for path in paths:
        for name, value in HOSTILE:
            status = client.get(path, {name: value}).status_code
            if status >= 500:
                failed.append(f"{path}?{name}={value[:20]} -> {status}")
    assert not failed, "\n".join(failed)
