"""Income recorded by mistake (a mistyped amount, the wrong member's dues) is undone as a payment is: by
an entry of the opposite amount pointing at it, on its budget line. Nothing is deleted; the dues it
covered are unpaid again."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from finance import services
from finance.models import Income, IncomeKind, Settings
from members.models import Member


@pytest.fixture
def allocation(units, zhuxi, budget):
    """拨缴经费 typed with one zero too many."""
    return services.income_record(
        unit=units["school"],
        by=zhuxi,
        kind=IncomeKind.ALLOCATION,
        amount="180000",
        received_on=datetime.date(2026, 4, 15),
    )


def test_a_reversal_takes_the_amount_off_its_line_and_off_what_is_owed_up(units, zhuxi, budget, allocation):
    Settings.objects.create(unit=units["school"], allocation_upward_share=Decimal("40"))

    reversal = services.income_reverse(income=allocation, by=zhuxi, reason="金额多录一个零")

    assert (reversal.amount, reversal.reverses, reversal.kind) == (Decimal("-180000.00"), allocation, allocation.kind)
    assert reversal.note == "冲销：金额多录一个零"
    assert budget.lines.get(name="拨缴经费收入").actual == Decimal("0.00")
    assert all(share.received == 0 for share in services.upward_shares(units["school"], 2026))
    assert Income.objects.count() == 2  # the mistake stays on record


def test_a_reversal_needs_a_reason_and_happens_once(zhuxi, allocation):
    with pytest.raises(services.FinanceError, match="请写明冲销的原因") as refused:
        services.income_reverse(income=allocation, by=zhuxi, reason="  ")
    assert refused.value.field == "reason"
    reversal = services.income_reverse(income=allocation, by=zhuxi, reason="重复登记")
    with pytest.raises(services.FinanceError, match="已经冲销过了"):
        services.income_reverse(income=allocation, by=zhuxi, reason="重复登记")
    with pytest.raises(services.FinanceError, match="冲销记录本身不能再冲销"):
        services.income_reverse(income=reversal, by=zhuxi, reason="撤销冲销")
    assert Income.objects.count() == 2


def test_dues_reversed_are_unpaid_again(units, zhuxi):
    member = Member.objects.create(unit=units["g1"], name="张伟", gender="M", birth_date=datetime.date(1985, 3, 2))
    dues = services.income_record(
        unit=units["school"],
        by=zhuxi,
        kind=IncomeKind.DUES,
        amount="25",
        received_on=datetime.date(2026, 3, 12),
        dues_year=2026,
        dues_month=3,
        member=member,
    )
    assert not services.dues_unpaid(units["school"], 2026, 3).exists()

    services.income_reverse(income=dues, by=zhuxi, reason="记错了人")

    assert list(services.dues_unpaid(units["school"], 2026, 3)) == [member]


def test_the_database_keeps_the_sign_of_an_entry_and_of_its_reversal(units, zhuxi, allocation):
    with pytest.raises(IntegrityError):
        Income.objects.create(
            unit=units["school"],
            kind=IncomeKind.OTHER,
            amount=Decimal("50"),
            received_on=datetime.date(2026, 5, 1),
            reverses=allocation,
            entered_by=zhuxi,
        )


def test_income_is_never_deleted(allocation):
    with pytest.raises(TypeError, match="reverse it"):
        allocation.delete()


# --- The chair's pages ------------------------------------------------------------------------


def test_the_chair_reverses_an_income_from_the_list(client_for, zhuxi, allocation):
    client = client_for(zhuxi)
    listing = client.get(reverse("finance:incomes")).content.decode()
    url = reverse("finance:income_reverse", args=[allocation.pk])
    assert url in listing

    missing = client.post(url, {"reason": ""})
    assert missing.status_code == 200 and not Income.objects.filter(reverses=allocation).exists()

    assert client.post(url, {"reason": "金额多录一个零"}).status_code == 302
    listing = client.get(reverse("finance:incomes")).content.decode()
    assert "已冲销" in listing and "冲销：金额多录一个零" in listing and url not in listing


def test_only_those_who_manage_the_money_reverse_it(client_for, huiyuan, jingshen, allocation):
    url = reverse("finance:income_reverse", args=[allocation.pk])
    for person in (huiyuan, jingshen):
        assert client_for(person).post(url, {"reason": "x"}).status_code == 404
    assert not Income.objects.filter(reverses=allocation).exists()


@pytest.mark.parametrize("typed", ["2099-12-31", "1900-01-01", "tomorrow"])
def test_income_dated_to_come_or_before_last_year_is_refused_beside_the_date(typed, units, zhuxi, client_for):
    from django.utils import timezone

    day = (timezone.localdate() + datetime.timedelta(days=1)).isoformat() if typed == "tomorrow" else typed
    form = {"kind": "allocation", "amount": "100", "received_on": day, "payer": "县总工会"}
    response = client_for(zhuxi).post("/finance/income/new/", form)
    assert list(response.context["form"].errors) == ["received_on"]
    assert response.context["form"]["payer"].value() == "县总工会" and not Income.objects.exists()
