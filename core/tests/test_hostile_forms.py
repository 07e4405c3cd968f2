"""Every form a person can reach, sent back with its fields holding what nobody types: a number
that is not one (NaN, 1e999), a digit that is not a decimal digit (²), a number past 64 bits, a
negative count, 5,000 characters, a date at either end of the calendar. The demo county is walked
from the home page as the school chair, the county federation's officer, the care officer, a member,
a congress representative, the department head who answers proposals, the funds auditor and the
safety inspector, following the product's own links (two pages of each kind); every POST form found
is tried once per kind. A form may refuse, show its errors or redirect, never fail (500). The hostile
query strings are core/tests/test_hostile_params.py."""

from urllib.parse import urlencode

from django.contrib.auth import get_user_model

from core.tests.test_hostile_params import HOSTILE as HOSTILE_PARAMS
from core.tests.walking import walk

HOSTILE = ["NaN", "1e999", "²", "99999999999999999999999", "-1", "中" * 5000, "9999-12-31", "0001-01-01"]

# Each page walked is also opened with the hostile query strings of test_hostile_params, all at once:
# the first value given for each name, then the last.
HOSTILE_QUERIES = [dict(reversed(HOSTILE_PARAMS)), dict(HOSTILE_PARAMS)]


def _failure(response):
    error = response.exc_info[1] if response.exc_info else ""
    return f"{response.status_code} {type(error).__name__}: {error}"


def _walk(client, failed):
    """The walk of core.tests.walking; each page is also opened with the hostile query strings, which
    reach the detail pages test_hostile_params cannot."""

    def try_page(path, response):
        if response.status_code >= 500:
            failed.append(f"GET {path} -> {response.status_code}")
        for query in HOSTILE_QUERIES:
            answer = client.get(path, query)
            if answer.status_code >= 500:
                failed.append(f"GET {path}?{urlencode(query)[:80]} -> {_failure(answer)}")

    return walk(client, on_page=try_page)


def _fuzzable(form):
    """The fields a person or a page could fill: not files (the parsers have tests of their own), not buttons."""
    for element in form.inputs:
        name = element.get("name")
        kind = (element.get("type") or "").lower()
        if name and name != "csrfmiddlewaretoken" and kind not in ("file", "submit", "button", "image", "reset"):
            yield name


def _try_form(client, page, action, form, failed):
    """Every fillable field at once holds the value: field by field took five times as long and found
    no failure this did not (a form validates all its fields; a crash in one shows with the others filled)."""
    values = [(name, value) for name, value in form.form_values() if name != "csrfmiddlewaretoken"]
    fuzzed = set(_fuzzable(form))
    for hostile in HOSTILE:
        data = {}
        for name, value in values:
            if name not in fuzzed:
                data.setdefault(name, []).append(value)
        data.update({name: [hostile] for name in fuzzed})
        response = client.post(action, data)
        if response.status_code >= 500:
            failed.append(f"POST {action} (form on {page}) all fields={hostile[:12]} -> {_failure(response)}")


# One demo county for all of them (building it is much of this test's time); the chair, whose forms
# change and remove the most in her union, goes after all but the county, whose forms reach units below it
# and would take away the chair's own role (the roles page lists the chair first). (xiaozu's pages are a
# part of the chair's.)
PERSONAS = ["huiyuan", "daibiao", "chuzhang", "jingshen", "anquan", "bangfu", "zhuxi", "xianzong"]


def test_no_form_fails_on_a_value_nobody_types(client, demo_county):
    client.raise_request_exception = False
    failed = []
    for persona in PERSONAS:
        client.force_login(get_user_model().objects.get(username=persona))
        found = []
        per_route, forms = _walk(client, found)
        assert len(per_route) >= 10 and len(forms) >= 3, persona  # the walk reached the persona's pages and forms
        # The forms that remove things last, so that what the others act on is still there.
        forms.sort(key=lambda form: any(word in form[1] for word in ("delete", "remove", "withdraw", "cancel")))
        for page, action, form in forms:
            _try_form(client, page, action, form, found)
        failed += [f"{persona}: {failure}" for failure in found]
    assert not failed, "\n".join(failed)
