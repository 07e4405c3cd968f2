"""The race for the last places: many members registering at once against a real server.

Each request runs in its own server thread with its own database connection, as in
production. On PostgreSQL the activity row lock makes them queue; SQLite serialises
every writer anyway, so the race this test exists for cannot happen there.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from activities.models import RegistrationStatus
from orgs.models import RoleAssignment
from orgs.roles import Role

CAPACITY = 5
MEMBERS = 40

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="SQLite serialises writers, so there is no race to test; run with DATABASE_URL=postgres://...",
    ),
]

CSRF = "r" * 32  # any well-formed secret: the cookie and the header only have to agree


@pytest.mark.django_db(transaction=True)
def test_forty_members_racing_for_five_places(live_server, units, make_activity, member_factory):
    activity = make_activity(capacity=CAPACITY)
    User = get_user_model()
    sessions = []
    for n in range(MEMBERS):
        user = User.objects.create_user(username=f"racer{n}", password="x")
        RoleAssignment.objects.create(user=user, unit=units["g1"], role=Role.MEMBER)
        member_factory(f"会员{n:02d}", user=user)
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    url = live_server.url + reverse("activities:register", args=[activity.pk])

    def register(session_key):
        response = requests.post(
            url,
            cookies={settings.SESSION_COOKIE_NAME: session_key, settings.CSRF_COOKIE_NAME: CSRF},
            headers={"X-CSRFToken": CSRF, "Referer": live_server.url},
            allow_redirects=False,
            timeout=60,
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=MEMBERS) as pool:
        statuses = list(pool.map(register, sessions))

    assert statuses == [302] * MEMBERS
    registrations = activity.registrations.all()
    assert registrations.filter(status=RegistrationStatus.REGISTERED).count() == CAPACITY
    assert registrations.filter(status=RegistrationStatus.WAITING).count() == MEMBERS - CAPACITY
    assert registrations.values("member").distinct().count() == MEMBERS  # nobody lost, nobody twice
    waiting = list(registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at", "id"))
    registered_last = max(r.created_at for r in registrations.filter(status=RegistrationStatus.REGISTERED))
    assert all(w.created_at >= registered_last for w in waiting)  # places went to the first to arrive


@pytest.mark.django_db(transaction=True)
def test_one_member_tapping_twice_at_once_registers_once(live_server, units, make_activity, member_factory):
    activity = make_activity(capacity=CAPACITY)
    user = get_user_model().objects.create_user(username="doubletap", password="x")
    RoleAssignment.objects.create(user=user, unit=units["g1"], role=Role.MEMBER)
    member_factory("双击", user=user)
    client = Client()
    client.force_login(user)
    cookies = {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: CSRF,
    }
    url = live_server.url + reverse("activities:register", args=[activity.pk])

    def tap(_):
        return requests.post(url, cookies=cookies, headers={"X-CSRFToken": CSRF}, allow_redirects=False, timeout=60)

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(tap, range(8)))
    assert all(r.status_code == 302 for r in responses)
    assert activity.registrations.count() == 1


@pytest.mark.django_db(transaction=True)
def test_places_freed_while_others_register_go_to_the_waiting_list_in_order(
    live_server, units, make_activity, member_factory
):
    """Five with places cancel while twenty newcomers register: a freed place goes to the first
    waiting at once (never seen free), so the five who waited get them and every newcomer waits."""
    activity = make_activity(capacity=CAPACITY)
    User = get_user_model()

    def logged_in(name):
        user = User.objects.create_user(username=name, password="x")
        RoleAssignment.objects.create(user=user, unit=units["g1"], role=Role.MEMBER)
        member = member_factory(name, user=user)
        client = Client()
        client.force_login(user)
        return member, client.cookies[settings.SESSION_COOKIE_NAME].value

    def post(name, session_key):
        response = requests.post(
            live_server.url + reverse(name, args=[activity.pk]),
            cookies={settings.SESSION_COOKIE_NAME: session_key, settings.CSRF_COOKIE_NAME: CSRF},
            headers={"X-CSRFToken": CSRF, "Referer": live_server.url},
            allow_redirects=False,
            timeout=60,
        )
        return response.status_code

    placed = [logged_in(f"placed{n}") for n in range(CAPACITY)]
    queued = [logged_in(f"queued{n}") for n in range(CAPACITY)]
    for _member, key in placed + queued:
        assert post("activities:register", key) == 302
    newcomers = [logged_in(f"new{n}") for n in range(20)]
    calls = [("activities:cancel_mine", key) for _m, key in placed]
    calls += [("activities:register", key) for _m, key in newcomers]
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        statuses = list(pool.map(lambda call: post(*call), calls))

    assert statuses == [302] * len(calls)
    live = activity.registrations.exclude(status=RegistrationStatus.CANCELLED)
    assert {r.member_id for r in live.filter(status=RegistrationStatus.REGISTERED)} == {m.pk for m, _k in queued}
    waiting = list(live.filter(status=RegistrationStatus.WAITING).order_by("created_at", "id"))
    assert {r.member_id for r in waiting} == {m.pk for m, _k in newcomers}  # nobody lost, nobody twice
    assert live.count() == CAPACITY + len(newcomers)
