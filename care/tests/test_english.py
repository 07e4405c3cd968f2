"""Care pages read as English does: one assistance is "1 time", not "1 times"."""

from django.urls import reverse

from care.tests.conftest import give
from core.testing import in_english


def test_a_file_given_assistance_once_says_one_time(client_for, bangfu, household):
    give(by=bangfu, household=household, amount="500")
    html = in_english(client_for(bangfu)).get(reverse("care:household_detail", args=[household.pk])).content.decode()
    assert "1 time, ¥500.00" in html and "1 times" not in html
