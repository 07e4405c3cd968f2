"""A list of record numbers from outside may hold one no row can have (past 64 bits): it matches nothing."""

import pytest
from django.contrib.auth import get_user_model

from members.models import Member

PAST_64_BITS = 2**63


@pytest.mark.django_db
def test_a_number_past_64_bits_in_a_list_of_ids_matches_nothing_and_the_rest_still_match(zhuxi):
    users = get_user_model().objects
    assert list(users.filter(pk__in=[PAST_64_BITS])) == []
    assert list(users.filter(pk__in=[str(PAST_64_BITS), zhuxi.pk])) == [zhuxi]
    assert list(users.filter(pk__in=[-PAST_64_BITS - 1, zhuxi.pk])) == [zhuxi]


@pytest.mark.django_db
def test_the_largest_64_bit_number_is_still_asked_for_and_subqueries_are_left_alone(zhuxi):
    users = get_user_model().objects
    assert list(users.filter(pk__in=[PAST_64_BITS - 1])) == []
    assert list(users.filter(pk__in=users.filter(pk=zhuxi.pk).values("pk"))) == [zhuxi]
    assert Member.objects.filter(pk__in=[PAST_64_BITS]).count() == 0


@pytest.mark.django_db
def test_a_foreign_key_list_with_a_number_past_64_bits_matches_only_the_real_ones(units):
    member = Member.objects.create(unit=units["g1"], name="张伟", gender="M")
    members = Member.objects
    assert list(members.filter(unit__in=[PAST_64_BITS])) == []
    assert list(members.filter(unit__in=[PAST_64_BITS, member.unit_id])) == [member]
    assert list(members.filter(unit_id__in=[str(PAST_64_BITS), member.unit])) == [member]
    assert list(members.filter(unit__in=members.values("unit"))) == [member]  # a subquery is left alone
