"""Portal personas and helpers: a chair of the county federation (who routes applications), the
huiyuan persona's own member record, SMS caught in memory, and valid ID numbers."""

import datetime
import itertools
import random

import pytest
from django.core.cache import cache

from conftest import make_person
from core import idnumber
from members.models import Member
from orgs.models import OrgUnit, UnitKind
from orgs.roles import Role
from portal import sms

_rng = random.Random(16)
_days = itertools.count()


def new_id(birth=None, gender="F"):
    """A valid ID number never handed out before in this test run (each its own birth date)."""
    birth = birth or datetime.date(1980, 1, 1) + datetime.timedelta(days=next(_days))
    return idnumber.make(birth, gender, region="130534", rng=_rng)


def application_data(**overrides):
    data = {
        "name": "马春燕",
        "id_number": new_id(),
        "phone": "13831500101",
        "employer": "城关镇中心学校",
        "post": "食堂厨师",
        "is_migrant_worker": True,
        "agree": "on",
    }
    data.update(overrides)
    return data


def make_member(unit, name, *, user=None, phone="13900000000", id_number=None, **fields):
    member = Member(
        unit=unit,
        name=name,
        gender="F",
        id_number=id_number or new_id(),
        phone=phone,
        joined_on=datetime.date(2015, 9, 1),
        card_number=f"CARD-{name}",
        user=user,
        **fields,
    )
    member.save()
    return member


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Every SMS of a test lands in portal.sms.outbox; every test starts with an empty cache."""
    settings.SMS_BACKEND = "portal.sms.memory"
    sms.outbox.clear()
    cache.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def xianzhu(units):
    """The chair of the county federation: routes applications and sets recruitment drives."""
    return make_person("xianzhu", "郑国强", units["county"], Role.CHAIR)


@pytest.fixture
def huiyuan_member(huiyuan, units):
    """huiyuan's own record on the roster, linked to her login."""
    return make_member(units["g1"], "周小红", user=huiyuan, phone="13911112222")


def add_unions(parent, count):
    """``count`` unions 物流公司0工会… (codes wl-0…) directly below ``parent``: a federation too large to list."""
    for n in range(count):
        parent = OrgUnit.objects.get(pk=parent.pk)
        OrgUnit.objects.add_child(parent, {"code": f"wl-{n}", "name": f"物流公司{n}工会", "kind": UnitKind.UNION})
