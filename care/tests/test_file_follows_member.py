"""A hardship file follows its member to another union: one file per household across the tree, so the new union
could not open its own, and the old one should no longer hold a family's hardship it does not look after."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from care.models import EventKind, Household, Pairing
from conftest import make_person
from members import services as roster
from members.models import Member
from orgs.roles import Role

moved_before = importlib.import_module("care.migrations.0006_household_moved_with_member").forwards


@pytest.fixture
def guifang(add_member, add_household):
    """张桂芳 of the school's first group; her household's file is the school's, paired with 王老师."""
    member = add_member("张桂芳", unit="g1")
    household = add_household(unit="school", id_number=member.id_number)
    Pairing.objects.create(
        unit=household.unit,
        helper="王老师",
        household=household,
        helped="张桂芳家",
        started_on=timezone.localdate() - datetime.timedelta(days=90),
    )
    return member, household


@pytest.fixture
def office_care(units):
    return make_person("office-care", "周干事", units["office"], Role.CARE_OFFICER)


def test_a_member_transferred_to_another_union_takes_the_file_along(
    guifang, units, zhuxi, bangfu, office_care, client_for
):
    member, household = guifang
    assert household.member == member
    transfer = roster.member_transfer_start(member=member, to_unit=units["office"], reason="工作调动", by=zhuxi)
    roster.member_transfer_accept(transfer=transfer, by=office_care)

    household.refresh_from_db()
    assert household.unit == units["office"]
    moved = household.events.get(kind=EventKind.MOVED)
    assert moved.reason == "随会员由城关镇中心学校工会转至县教育局机关工会" and moved.by is None
    assert moved.on == timezone.localdate()
    assert Pairing.objects.get(household=household).ended_on == timezone.localdate()  # 王老师 is the school's
    told = office_care.notifications.get(kind="care.household_moved")
    assert told.text == "张桂芳转入本单位，其困难职工档案已随之转来，请及时复核、安排帮扶。"
    assert told.url == reverse("care:household_detail", args=[household.pk])
    assert not bangfu.notifications.filter(kind="care.household_moved").exists()

    url = reverse("care:household_detail", args=[household.pk])
    assert client_for(bangfu).get(url).status_code == 404  # the school no longer holds the family's hardship
    page = client_for(office_care).get(url).content.decode()
    assert "随会员转移" in page and "随会员由城关镇中心学校工会转至县教育局机关工会" in page


def test_a_move_to_another_group_of_the_same_union_leaves_the_file(guifang, units):
    member, household = guifang
    member.unit = units["g2"]
    roster.member_save(member=member, reason="调整小组")
    household.refresh_from_db()
    assert household.unit == units["school"] and not household.events.filter(kind=EventKind.MOVED).exists()
    assert Pairing.objects.get(household=household).ended_on is None


def test_a_file_kept_by_a_group_moves_with_its_member_to_the_next_group(add_member, add_household, units):
    member = add_member("李秀英", unit="g1")
    household = add_household("李秀英", unit="g1", id_number=member.id_number)
    member.unit = units["g2"]
    roster.member_save(member=member, reason="调整小组")
    household.refresh_from_db()
    assert household.unit == units["g2"]


def test_a_member_who_dies_leaves_the_file_where_it_is(guifang, units):
    member, household = guifang
    roster.member_status_change(member=member, status="deceased", reason="deceased")
    household.refresh_from_db()
    assert household.unit == units["school"] and Pairing.objects.get(household=household).ended_on is None


def test_files_left_behind_before_are_moved_once_by_the_migration(guifang, units):
    member, household = guifang
    Member.objects.filter(pk=member.pk).update(unit=units["office"])  # a move the file did not follow
    moved_before(apps, None)
    moved_before(apps, None)  # twice: nothing doubled
    household.refresh_from_db()
    assert household.unit == units["office"]
    event = household.events.get(kind=EventKind.MOVED)
    assert event.reason == "随会员由城关镇中心学校工会转至县教育局机关工会"
    assert Household.objects.get(pk=household.pk).pairings.get().ended_on is not None
