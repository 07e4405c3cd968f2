"""Pages that count a subtree's members count them up to core.keyset.COUNT_CAP: at a province they are
millions, and the exact figures are the roll-ups'. Above the cap a page says "more than"."""

import datetime

import pytest
from django.utils import timezone

from members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_women(units):
    for n, unit in enumerate(["g1", "g1", "g2"]):
        Member.objects.create(unit=units[unit], name=f"女会员{n}", gender="F", birth_date=datetime.date(1985, 1, 1))


@pytest.fixture
def cap(monkeypatch):
    from core import keyset

    monkeypatch.setattr(keyset, "COUNT_CAP", 2)


def test_women_not_yet_checked_are_counted_up_to_the_cap(client_for, zhuxi, three_women, cap):
    html = client_for(zhuxi).get("/care/women/").content.decode()
    assert f"{timezone.localdate().year}年尚未体检（超过 2 人）" in html


def test_unpaid_dues_are_counted_up_to_the_cap_and_listed_in_name_order(client_for, zhuxi, three_women, cap):
    response = client_for(zhuxi).get("/finance/income/")
    assert "超过 2 人未交" in response.content.decode()
    assert [m.name for m in response.context["unpaid"]] == ["女会员0", "女会员1", "女会员2"]


def test_members_with_and_without_an_account_are_counted_up_to_the_cap(client_for, zhuxi, three_women, cap):
    html = client_for(zhuxi).get("/invitations/").content.decode()
    assert 'data-testid="without-account">超过 2<' in html
    assert 'data-testid="with-account">0<' in html


def test_below_the_cap_the_counts_are_exact(client_for, zhuxi, three_women):
    assert f"{timezone.localdate().year}年尚未体检（3人）" in client_for(zhuxi).get("/care/women/").content.decode()
    assert "3 人未交" in client_for(zhuxi).get("/finance/income/").content.decode()
    assert 'data-testid="without-account">3<' in client_for(zhuxi).get("/invitations/").content.decode()
