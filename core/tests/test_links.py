"""The product never shows a link its reader cannot follow.

Each demo persona starts at the home page and follows every link the pages show them (menus,
breadcrumbs, cards, lists, buttons that are links), each URL once; none may answer 4xx or 5xx.
"""

import datetime

import pytest
from django.utils import timezone

from activities.models import Activity, SportsEvent, Status
from activities.services import check_in, registration_add
from core.testing import crawl
from members.models import Member
from plans import services as plan_services


@pytest.fixture
def a_year_of_work(units, zhuxi, huiyuan):
    """What a school union has by autumn: a plan, members, a held sports day with an event, an open activity."""
    year = timezone.localdate().year
    plan = plan_services.plan_from_template(unit=units["school"], year=year, template_key="school", user=zhuxi)
    plan_services.plan_publish(plan=plan)
    me = Member.objects.create(
        unit=units["g1"], name="周小红", gender="F", birth_date=datetime.date(1992, 5, 1), user=huiyuan
    )
    Member.objects.create(unit=units["g2"], name="张伟", gender="M", birth_date=datetime.date(1985, 3, 2))
    now = timezone.now()
    sports_day = Activity.objects.create(
        unit=units["school"],
        title="秋季趣味运动会",
        kind="sports",
        starts_at=now - datetime.timedelta(days=2),
        place="中心小学操场",
        status=Status.OPEN,
    )
    SportsEvent.objects.create(activity=sports_day, name="拔河", kind="team", format="ranked")
    check_in(registration=registration_add(activity=sports_day, member=me, by=zhuxi), by=zhuxi)
    Activity.objects.filter(pk=sports_day.pk).update(status=Status.HELD, participant_times=40)
    Activity.objects.create(
        unit=units["g1"],
        title="读书分享会",
        kind="study",
        starts_at=now + datetime.timedelta(days=3),
        place="东关完小图书室",
        capacity=20,
        status=Status.OPEN,
    )
    return plan


@pytest.mark.parametrize("persona", ["zhuxi", "xiaozu", "bangfu", "xianzong", "weiyuan", "huiyuan"])
def test_every_link_a_persona_is_shown_opens(persona, request, client, a_year_of_work):
    client.force_login(request.getfixturevalue(persona))
    assert crawl(client, limit=250) == []
