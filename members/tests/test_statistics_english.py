"""The member statistics' table of units below counts members and staff in each unit: in English its heads
say so in the plural ("Members", "Staff"), not "Member" and "Worker", the words for one person elsewhere."""

import re

from django.urls import reverse

from core.testing import in_english
from rollups.refresh import refresh


def test_the_units_below_are_headed_members_and_staff_in_english(
    client_for, zhuxi, make_member, django_assert_max_num_queries
):
    make_member(name="周丽", unit="g1", gender="F")
    refresh()
    client = in_english(client_for(zhuxi))
    with django_assert_max_num_queries(10):
        html = client.get(reverse("members:statistics")).content.decode()
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", html)
    assert heads == ["Unit", "Members", "Staff", "Membership rate"]


def test_in_chinese_the_heads_stay_会员_and_职工(client_for, zhuxi, make_member):
    make_member(name="周丽", unit="g1", gender="F")
    refresh()
    html = client_for(zhuxi).get(reverse("members:statistics")).content.decode()
    assert re.findall(r"<th[^>]*>([^<]*)</th>", html) == ["单位", "会员", "职工", "入会率"]
