"""One member's invitation slip, printed from her page on the roster by the officers who may invite there."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import services
from portal.models import Invitation
from portal.tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(units):
    return make_member(units["g1"], "马春燕", phone="13831500101")


def slip_url(member):
    return reverse("portal:member_invitation", args=[member.pk])


def test_the_members_page_offers_the_slip_to_an_officer_who_may_invite(client_for, zhuxi, member):
    page = client_for(zhuxi).get(reverse("members:detail", args=[member.pk]))
    assert slip_url(member) in page.text and "打印邀请码" in page.text
    assert "未开通" in page.text


@pytest.mark.parametrize("persona", ["zhuxi", "xiaozu"])
def test_an_officer_makes_and_prints_the_slip_of_a_member_without_a_code(request, client_for, persona, member):
    client = client_for(request.getfixturevalue(persona))
    before = client.get(slip_url(member))
    assert "生成邀请码" in before.text and not Invitation.objects.exists()
    made = client.post(slip_url(member))
    assert made.url == slip_url(member)
    invitation = Invitation.objects.get(member=member)
    slip = client.get(slip_url(member))
    assert invitation.code in slip.text and "/invite/" in slip.text
    assert slip.text.count('class="invite-slip"') == 1
    # Clicked again: the same code, not a new one that would void the slip already handed out.
    client.post(slip_url(member))
    assert Invitation.objects.get(member=member).code == invitation.code


def test_the_slip_made_by_the_bulk_run_is_printed_as_it_is(client_for, zhuxi, units, member):
    services.invitations_create(unit=units["school"], by=zhuxi)
    code = Invitation.objects.get(member=member).code
    assert code in client_for(zhuxi).get(slip_url(member)).text


def test_an_expired_code_is_replaced(client_for, zhuxi, units, member):
    long_ago = timezone.now() - datetime.timedelta(days=365)
    services.invitations_create(unit=units["g1"], by=zhuxi, now=long_ago)
    old = Invitation.objects.get(member=member).code
    client = client_for(zhuxi)
    assert old not in client.get(slip_url(member)).text
    client.post(slip_url(member))
    fresh = Invitation.objects.get(member=member)
    assert fresh.code != old and fresh.is_usable(timezone.now())
    assert fresh.code in client.get(slip_url(member)).text


def test_a_member_with_an_account_has_joined_and_gets_no_code(client_for, zhuxi, huiyuan, units):
    joined = make_member(units["g1"], "周小红", user=huiyuan)
    client = client_for(zhuxi)
    page = client.get(reverse("members:detail", args=[joined.pk]))
    assert slip_url(joined) not in page.text and "已开通" in page.text
    slip = client.get(slip_url(joined))
    assert "已经开通了会员账号" in slip.text and "生成邀请码" not in slip.text
    refused = client.post(slip_url(joined), follow=True)
    assert "不需要邀请码" in refused.text
    assert not Invitation.objects.exists()


def test_a_member_who_left_gets_no_code(client_for, zhuxi, units):
    left = make_member(units["g1"], "已退会", status="left")
    client = client_for(zhuxi)
    assert slip_url(left) not in client.get(reverse("members:detail", args=[left.pk])).text
    client.post(slip_url(left))
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "xianzong", "bangfu", "huiyuan"])
def test_officers_who_may_not_invite_there_get_404(request, client_for, persona, member):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(slip_url(member)).status_code == 404
    assert client.post(slip_url(member)).status_code == 404
    assert not Invitation.objects.exists()


def test_a_group_leader_cannot_print_a_sibling_groups_member(client_for, xiaozu, units):
    sibling = make_member(units["g2"], "西街会员")
    assert client_for(xiaozu).get(slip_url(sibling)).status_code == 404


def test_the_care_officer_sees_the_page_without_the_action(client_for, bangfu, member):
    page = client_for(bangfu).get(reverse("members:detail", args=[member.pk]))
    assert page.status_code == 200 and slip_url(member) not in page.text


def test_the_slip_page_queries_are_bounded(client_for, zhuxi, units, member, django_assert_max_num_queries):
    services.invitations_create(unit=units["g1"], by=zhuxi)
    client = client_for(zhuxi)
    client.get(slip_url(member))
    with django_assert_max_num_queries(6):
        response = client.get(slip_url(member))
    assert Invitation.objects.get(member=member).code in response.text
