"""Care test ground: members with valid ID numbers, a hardship file, and two care personas of our own.

demo-county   qinggong: a federation care officer (CARE_OFFICER on the county: may open files, logged)
demo-school   bangfu (root conftest), zhuxi the chair (also a care role: the second officer for approvals)
"""

import datetime
import itertools
from decimal import Decimal

import pytest

from care import services
from conftest import make_person
from core import idnumber
from members.models import Member
from orgs.roles import Role

TODAY = datetime.date(2027, 3, 1)


@pytest.fixture
def qinggong(units):
    return make_person("qinggong", "钱总干", units["county"], Role.CARE_OFFICER)


_sequence = itertools.count(2)


def make_id(birth, gender):
    """A valid ID number, never the same twice in a test run (random ones may collide)."""
    n = next(_sequence) % 500
    sequence = n * 2 + (1 if gender == "M" else 0)
    first17 = f"130534{birth:%Y%m%d}{sequence:03d}"
    return first17 + idnumber.check_char(first17)


@pytest.fixture
def add_member(units):
    def add(name, unit="g1", *, gender="F", birth=datetime.date(1985, 6, 1), **fields):
        number = make_id(birth, gender)
        return Member.objects.create(
            unit=units[unit] if isinstance(unit, str) else unit,
            name=name,
            gender=gender,
            birth_date=birth,
            id_number=number,
            **fields,
        )

    return add


@pytest.fixture
def add_household(units, bangfu):
    def add(name="张桂芳", *, unit="g1", level="deep", today=TODAY, id_number=None, **fields):
        number = id_number or make_id(datetime.date(1980, 1, 1), "F")
        return services.household_create(
            unit=units[unit],
            by=bangfu,
            name=name,
            id_number=number,
            level=level,
            categories=fields.pop("categories", ["illness"]),
            situation=fields.pop("situation", "本人患病，长期服药。"),
            today=today,
            **fields,
        )

    return add


@pytest.fixture
def household(add_household):
    return add_household()


def give(*, by, household=None, unit=None, amount="500", purpose="songnuan", on=TODAY, **fields):
    return services.assistance_give(
        unit=unit or household.unit,
        by=by,
        household=household,
        recipient=fields.pop("recipient", ""),
        amount=Decimal(amount),
        purpose=purpose,
        given_on=on,
        today=fields.pop("today", max(on, TODAY)),  # the care suite's world is set on TODAY
        **fields,
    )
