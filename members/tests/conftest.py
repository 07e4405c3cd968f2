import datetime
import random

import pytest
from django.core.cache import cache

from core import idnumber
from members.models import Member


@pytest.fixture
def make_member(units):
    """``make_member(name, unit="g1", **fields)``: a member with a valid ID number matching the gender."""
    counter = iter(range(1, 100000))

    def make(name="张伟", unit="g1", *, gender="M", birth_date=datetime.date(1985, 3, 2), **fields):
        n = next(counter)
        fields.setdefault("id_number", idnumber.make(birth_date, gender, rng=random.Random(n)))
        fields.setdefault("phone", f"138{n:08d}")
        member = Member(unit=units[unit], name=name, gender=gender, birth_date=birth_date, **fields)
        member.save()
        return member

    return make


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Uploaded sheets (core.files.private_storage) go to the test's own folder, not var/private."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def fresh_budgets():
    """Every test starts with no ID number checked this hour (members.privacy.ID_CHECKS_PER_HOUR): the
    counters are kept in the cache by user id, and ids come back after a test's rollback."""
    cache.clear()
    yield
    cache.clear()
