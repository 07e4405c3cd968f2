"""Payments: counted at once or after a second officer's approval, within the spending standards
and the budget, reversed but never deleted, and one record with the activity or care payment."""

import datetime
from decimal import Decimal

import pytest

from activities.models import Activity
from finance import services
from finance.models import BudgetLine, Payment, PaymentStatus, Purpose, Settings, Standard, StandardKind
from members.models import Member


def actual(line):
    return BudgetLine.objects.get(pk=line.pk).actual


def test_a_small_payment_counts_at_once_against_its_line(pay, line):
    payment = pay("320.50")
    assert payment.status == PaymentStatus.APPROVED
    assert actual(line) == Decimal("320.50")


def test_a_payment_above_the_threshold_waits_for_a_second_officer(pay, line, zhuxi, weiyuan):
    payment = pay("2500")
    assert payment.is_pending and actual(line) == 0
    with pytest.raises(services.FinanceError, match="另一位干部"):
        services.payment_approve(payment=payment, by=zhuxi)
    services.payment_approve(payment=payment, by=weiyuan)
    assert actual(line) == Decimal("2500.00")


def test_a_rejected_payment_never_counts(pay, line, weiyuan):
    payment = pay("3000")
    services.payment_reject(payment=payment, by=weiyuan)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.REJECTED and actual(line) == 0


def test_the_threshold_is_the_units_own(pay, units):
    Settings.objects.create(unit=units["school"], approval_threshold=Decimal("300"))
    assert pay("300").is_pending


@pytest.mark.parametrize("amount", ["0", "-5", "12.345", "abc"])
def test_amounts_are_positive_yuan_to_the_fen_and_nothing_is_written_otherwise(pay, amount):
    with pytest.raises(services.FinanceError) as refused:
        pay(amount if amount != "abc" else "NaN")
    assert refused.value.field == "amount"
    assert not Payment.objects.exists()


def test_amounts_stay_exact_decimals(pay, line):
    for amount in ("0.10", "0.20", "0.30"):
        pay(amount)
    assert actual(line) == Decimal("0.60")


def test_a_line_that_would_overspend_asks_first_then_records(pay, line):
    pay("9800")  # above the threshold: approve to count it
    services.payment_approve(payment=Payment.objects.get(), by=_other_officer(line))
    with pytest.raises(services.NeedsConfirmation, match="将超支 300.00 元"):
        pay("500")
    assert Payment.objects.count() == 1
    pay("500", confirm_overspend=True)
    assert actual(line) == Decimal("10300.00")


def test_beyond_the_tolerance_an_overspend_is_refused_even_when_confirmed(pay, line):
    with pytest.raises(services.FinanceError, match="超过允许的 10.00%"):
        pay("11001", confirm_overspend=True)
    assert not Payment.objects.exists()


def _other_officer(line):
    from conftest import make_person
    from orgs.roles import Role

    return make_person("fuzhuxi", "副主席", line.budget.unit, Role.VICE_CHAIR)


def test_a_standard_per_participant_names_the_limit_and_the_average(pay, units):
    Standard.objects.create(
        unit=units["school"],
        name="文体活动人均",
        purpose=Purpose.ACTIVITY,
        kind=StandardKind.PER_PARTICIPANT,
        amount=100,
    )
    with pytest.raises(services.FinanceError, match="请填写人数"):
        pay("1000", purpose=Purpose.ACTIVITY)
    with pytest.raises(services.FinanceError, match="人均 125.00 元"):
        pay("1000", purpose=Purpose.ACTIVITY, people=8)
    pay("1000", purpose=Purpose.ACTIVITY, people=10)


def test_a_standard_per_member_and_year_counts_what_the_member_already_had(pay, units, budget):
    Standard.objects.create(
        unit=units["school"], name="节日慰问", purpose=Purpose.FESTIVAL, kind=StandardKind.PER_MEMBER_YEAR, amount=500
    )
    member = Member.objects.create(unit=units["g1"], name="王芳", gender="F", birth_date=datetime.date(1980, 1, 1))
    festival = budget.lines.get(name="其他活动")
    pay("300", purpose=Purpose.FESTIVAL, member=member, line=festival)
    with pytest.raises(services.FinanceError, match="今年已发 300.00 元"):
        pay("300", purpose=Purpose.FESTIVAL, member=member, line=festival)
    pay("200", purpose=Purpose.FESTIVAL, member=member, line=festival)


def test_a_payment_is_reversed_never_deleted(pay, line, zhuxi):
    payment = pay("800")
    reversal = services.payment_reverse(payment=payment, by=zhuxi, reason="商家退款")
    assert reversal.amount == Decimal("-800.00") and reversal.reverses == payment
    assert actual(line) == 0
    assert Payment.objects.count() == 2
    with pytest.raises(services.FinanceError, match="已经冲销过了"):
        services.payment_reverse(payment=payment, by=zhuxi, reason="再冲一次")
    with pytest.raises(TypeError):
        payment.delete()
    with pytest.raises(TypeError):
        Payment.objects.all().delete()


def test_a_reversal_needs_a_reason(pay, zhuxi):
    with pytest.raises(services.FinanceError) as refused:
        services.payment_reverse(payment=pay("10"), by=zhuxi, reason=" ")
    assert refused.value.field == "reason"


def test_an_activitys_spend_is_the_sum_of_its_payments(pay, units, zhuxi):
    activity = Activity.objects.create(
        unit=units["school"],
        title="拔河比赛",
        kind="sports",
        place="操场",
        starts_at=datetime.datetime(2026, 5, 4, 15, tzinfo=datetime.UTC),
        budget=Decimal("1500"),
    )
    first = pay("600", activity=activity)
    pay("450.50", activity=activity)
    assert Activity.objects.get(pk=activity.pk).spend == Decimal("1050.50")
    services.payment_reverse(payment=first, by=zhuxi, reason="退货")
    assert Activity.objects.get(pk=activity.pk).spend == Decimal("450.50")


def test_nothing_is_spent_against_a_budget_the_committee_has_not_approved(units, zhuxi):
    draft = services.budget_create(unit=units["school"], year=2026, by=zhuxi)
    line = draft.lines.spending().get(name="文体活动")
    with pytest.raises(services.FinanceError, match="还是草稿") as refused:
        services.payment_record(
            unit=units["school"],
            by=zhuxi,
            line=line,
            amount="100",
            paid_on=datetime.date(2026, 5, 4),
            payee="城关镇体育用品商店",
            description="拔河绳",
        )
    assert refused.value.field == "line"
    assert not Payment.objects.exists() and actual(line) == 0


def test_a_payment_belongs_on_a_line_of_its_own_unit_and_year(pay, units, zhuxi, budget):
    other = services.budget_create(unit=units["office"], year=2026, by=zhuxi)
    with pytest.raises(services.FinanceError, match="本单位预算"):
        pay("10", line=other.lines.spending().first())
    with pytest.raises(services.FinanceError, match="2027"):
        pay("10", paid_on=datetime.date(2027, 1, 3))
