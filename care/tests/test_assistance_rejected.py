"""A payment waiting for approval with a mistake in it (a wrong amount, the wrong person) is decided
against: it was never handed over, counts towards no figure or cap, and leaves the approver's to-dos.
The officer who entered it may withdraw it; a reason is always written down."""

from decimal import Decimal

import pytest
from django.urls import reverse

from care import services
from care.figures import assistance_amount, care_todos
from care.models import Assistance, AssistanceCap, Household
from care.tests.conftest import TODAY, give

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(household, bangfu):
    return give(by=bangfu, household=household, purpose="medical", subject="骨折", amount="15000")  # one zero too many


def test_a_payment_not_approved_counts_nowhere_and_leaves_the_to_dos(pending, household, bangfu, zhuxi, units):
    AssistanceCap.objects.create(unit=units["school"], purpose="medical", per="subject", max_times=1)

    services.assistance_reject(assistance=pending, by=zhuxi, reason="金额多录一个零")

    pending.refresh_from_db()
    assert (pending.status, pending.approved_by, pending.reject_reason) == ("rejected", zhuxi, "金额多录一个零")
    assert assistance_amount(household.unit, 2027) == 0 and care_todos(zhuxi, today=TODAY) == []
    assert household in Household.objects.never_helped()
    # The cap of one a year for the same illness does not count it: the right amount can be entered.
    give(by=bangfu, household=household, purpose="medical", subject="骨折", amount="1500")


def test_a_reason_is_needed_and_a_decided_payment_stays_as_it_is(pending, zhuxi):
    with pytest.raises(services.CareError, match="请写明不予批准的原因") as refused:
        services.assistance_reject(assistance=pending, by=zhuxi, reason=" ")
    assert refused.value.field == "reason"
    services.assistance_approve(assistance=pending, by=zhuxi)
    with pytest.raises(services.CareError, match="已经审批过了"):
        services.assistance_reject(assistance=pending, by=zhuxi, reason="晚了")
    assert Assistance.objects.get().status == "approved"


def test_the_approver_refuses_on_the_payment_s_page_keeping_what_was_typed(client_for, zhuxi, pending):
    page = reverse("care:assistance_detail", args=[pending.pk])
    url = reverse("care:assistance_reject", args=[pending.pk])
    assert url in client_for(zhuxi).get(page).content.decode()

    too_long = client_for(zhuxi).post(url, {"reason": "金额多录一个零" * 30})
    assert too_long.status_code == 200 and "金额多录一个零金额多录一个零" in too_long.content.decode()
    assert Assistance.objects.get().is_pending

    assert client_for(zhuxi).post(url, {"reason": "金额多录一个零"}).status_code == 302
    assert "未批准原因" in client_for(zhuxi).get(page).content.decode()


def test_the_officer_who_entered_it_may_withdraw_it_and_a_member_may_not(client_for, bangfu, huiyuan, pending):
    url = reverse("care:assistance_reject", args=[pending.pk])
    assert client_for(huiyuan).post(url, {"reason": "x"}).status_code == 404
    assert client_for(bangfu).post(url, {"reason": "受助人登记错了"}).status_code == 302
    assert Assistance.objects.get().status == "rejected"


def test_a_campaign_entry_recorded_with_a_payment_not_approved_is_open_again(units, bangfu, zhuxi, add_household):
    from care.models import CampaignEntry

    household = add_household("张桂芳")
    campaign = services.campaign_create(
        unit=units["school"],
        by=bangfu,
        today=TODAY,
        kind="spring",
        title="春节送温暖",
        year=2027,
        starts_on=TODAY,
        ends_on=TODAY,
        levels=["deep"],
    )
    entry = CampaignEntry.objects.get(campaign=campaign, household=household)
    services.campaign_record(entry=entry, by=bangfu, amount=Decimal("5000"), given_on=TODAY, today=TODAY)
    entry.refresh_from_db()
    assert entry.done_on == TODAY and entry.payment.is_pending

    services.assistance_reject(assistance=entry.payment, by=zhuxi, reason="超过慰问标准")

    entry.refresh_from_db()
    assert (entry.payment, entry.done_on) == (None, None)
