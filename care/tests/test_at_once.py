"""Two officers (or one double tap) at the same moment on the same household, list or product:
the second queues behind the first and finds its work, or is told why, never a server error."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from care import services
from care.models import CampaignEntry, Household, InsuranceEnrollment, InsuranceProduct
from care.tests.conftest import TODAY
from core.idnumber import make as make_id
from core.testing import second_while_first_open

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: there is no race to test")


def test_the_same_household_filed_twice_at_once_is_filed_once(add_household):
    number = make_id(datetime.date(1980, 1, 1), "F")
    with pytest.raises(services.CareError, match="该户已有困难档案"):
        second_while_first_open(
            lambda: add_household("张桂芳", id_number=number), lambda: add_household("张桂芳", id_number=number)
        )
    assert Household.objects.count() == 1


def test_building_a_campaign_list_twice_at_once_lists_each_household_once(units, bangfu, add_household):
    add_household("甲")
    campaign = services.campaign_create(
        unit=units["school"],
        by=bangfu,
        today=TODAY,
        kind="spring",
        title="2027年春节送温暖",
        year=2027,
        starts_on=datetime.date(2027, 1, 20),
        ends_on=datetime.date(2027, 2, 5),
        standard_amount=Decimal("500"),
        levels=["deep"],
    )
    add_household("乙")
    added = second_while_first_open(
        lambda: services.campaign_build_list(campaign=campaign, today=TODAY),
        lambda: services.campaign_build_list(campaign=campaign, today=TODAY),
    )
    assert added == 0  # the first added 乙; the second, queued behind it, found nobody missing
    assert sorted(CampaignEntry.objects.values_list("name", flat=True)) == ["乙", "甲"]


def test_the_same_list_enrolled_twice_at_once_enrols_each_member_once(units, add_member):
    product = InsuranceProduct.objects.create(
        unit=units["school"], name="女职工安康互助保险", premium=Decimal("30"), women_only=True, max_age=60
    )
    women = [add_member("李红"), add_member("王芳")]
    added = second_while_first_open(
        lambda: services.insurance_enroll(product=product, year=2027, members=women, today=TODAY),
        lambda: services.insurance_enroll(product=product, year=2027, members=women, today=TODAY),
    )
    assert added == 0 and InsuranceEnrollment.objects.count() == 2
