"""The roster record behind a login (Member.objects.of_login): what a member's own pages and the tap on
报名 start from. The 会员 persona 周小红 has one; the school chair has none; nobody signed in has none."""

import pytest
from django.contrib.auth.models import AnonymousUser

from members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(huiyuan, units):
    return Member.objects.create(unit=units["g1"], name="周小红", gender="F", phone="13900001111", user=huiyuan)


def test_a_members_login_finds_her_record_and_its_unit_in_one_query(django_assert_num_queries, huiyuan, linked):
    with django_assert_num_queries(1):
        member = Member.objects.of_login(huiyuan)
        assert (member.pk, member.unit.name) == (linked.pk, linked.unit.name)


def test_an_officer_without_a_record_and_an_anonymous_visitor_find_none(zhuxi, linked):
    assert Member.objects.of_login(zhuxi) is None
    assert Member.objects.of_login(AnonymousUser()) is None


def test_what_is_left_out_stays_unread(django_assert_num_queries, huiyuan, linked):
    member = Member.objects.defer("id_number", "phone").of_login(huiyuan)
    assert member.get_deferred_fields() == {"id_number", "phone"}
    with django_assert_num_queries(1):
        assert member.phone == "13900001111"  # read (and decrypted) only when asked for
