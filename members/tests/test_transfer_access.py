"""Who meets a transfer, asked of ``Transfer.objects.visible_to``: both sides follow its progress, and
only one side acts on it: the receiving unit accepts or returns it, the sending unit takes it back."""

import datetime
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person
from members import services
from members.models import Transfer
from orgs.roles import Role

TRANSFER = "members.transfer"


@pytest.fixture
def office_chair(units):
    return make_person("jiguan", "孙丽", units["office"], Role.CHAIR)


@pytest.fixture
def transfer(make_member, units, zhuxi):
    """A member of the school's first group moving to the education bureau's union."""
    member = make_member("张伟", "g1")
    return services.member_transfer_start(member=member, to_unit=units["office"], reason="调动", by=zhuxi)


def seen(user, side=None):
    return list(Transfer.objects.visible_to(user, TRANSFER, side=side))


def test_both_sides_follow_a_transfer_and_each_acts_on_its_own_side(transfer, zhuxi, office_chair):
    assert seen(zhuxi) == [transfer] and seen(office_chair) == [transfer]
    assert seen(zhuxi, side="from") == [transfer] and seen(zhuxi, side="to") == []
    assert seen(office_chair, side="to") == [transfer] and seen(office_chair, side="from") == []


def test_the_county_covers_both_sides_and_the_neighbouring_county_neither(transfer, units, outsider):
    county_chair = make_person("xianzhuxi", "钱进", units["county"], Role.CHAIR)
    for side in (None, "from", "to"):
        assert seen(county_chair, side=side) == [transfer]
        assert seen(outsider, side=side) == []


def test_a_group_leader_holds_no_transfer_permission(transfer, xiaozu):
    assert seen(xiaozu) == [] and seen(xiaozu, side="from") == []


def test_a_site_administrator_sees_every_side(transfer):
    admin = get_user_model().objects.create_superuser("admin-transfer", password="x")
    assert seen(admin, side="to") == [transfer] and seen(admin, side="from") == [transfer]


def test_a_side_that_is_neither_is_a_programming_error(zhuxi):
    with pytest.raises(ValueError, match="side"):
        Transfer.objects.visible_to(zhuxi, TRANSFER, side="both")


def test_the_pages_open_each_step_to_its_side_only(client_for, transfer, zhuxi, office_chair, outsider):
    decide = reverse("members:transfer_decide", args=[transfer.pk])
    cancel = reverse("members:transfer_cancel", args=[transfer.pk])
    assert client_for(office_chair).get(decide).status_code == 200
    assert client_for(office_chair).get(cancel).status_code == 404
    assert client_for(zhuxi).get(cancel).status_code == 200
    assert client_for(zhuxi).get(decide).status_code == 404
    for step in (decide, cancel):
        assert client_for(outsider).get(step).status_code == 404


def test_the_transfers_list_reads_the_same_queries_however_many(client_for, make_member, units, zhuxi, office_chair):
    births = (datetime.date(1980, 1, 1) + datetime.timedelta(days=41 * n) for n in itertools.count())

    def start(count):
        for _number in range(count):
            member = make_member("李娜", "g1", gender="F", birth_date=next(births))
            services.member_transfer_start(member=member, to_unit=units["office"], reason="调动", by=zhuxi)

    def queries():
        client = client_for(office_chair)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("members:transfers"), {"box": "in"})
        return len(captured), len(response.context["page"].object_list)

    start(1)
    one, listed = queries()
    assert listed == 1
    start(9)
    assert queries() == (one, 10)
