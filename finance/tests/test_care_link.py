"""A care payment and its finance payment are one record: booked when the care officer's entry is approved."""

import datetime
from decimal import Decimal

from care.models import Assistance
from finance.models import BudgetLine, Payment


def test_an_approved_care_payment_is_booked_once_on_the_care_line(units, bangfu, zhuxi, budget):
    assistance = Assistance.objects.create(
        unit=units["school"],
        recipient="王芳",
        amount=Decimal("800.00"),
        purpose="songnuan",
        given_on=datetime.date(2026, 1, 20),
        status="approved",
        entered_by=bangfu,
        approved_by=zhuxi,
    )
    payment = Payment.objects.get(assistance=assistance)
    assert payment.amount == assistance.amount and payment.payee == "王芳"
    assert payment.line.name == "困难职工帮扶"
    assert BudgetLine.objects.get(pk=payment.line_id).actual == Decimal("800.00")
    assistance.note = "已签收"
    assistance.save()
    assert Payment.objects.filter(assistance=assistance).count() == 1


def test_a_care_payment_waiting_for_approval_is_not_booked(units, bangfu, budget):
    assistance = Assistance.objects.create(
        unit=units["school"],
        recipient="李娜",
        amount=Decimal("3000.00"),
        purpose="medical",
        given_on=datetime.date(2026, 3, 2),
        status="pending",
        entered_by=bangfu,
    )
    assert not Payment.objects.filter(assistance=assistance).exists()


def test_help_given_to_a_groups_household_is_paid_from_the_unions_budget(units, bangfu, budget):
    assistance = Assistance.objects.create(
        unit=units["g1"],
        recipient="张伟",
        amount=Decimal("500.00"),
        purpose="songnuan",
        given_on=datetime.date(2026, 2, 1),
        status="approved",
        entered_by=bangfu,
        approved_by=bangfu,
    )
    payment = Payment.objects.get(assistance=assistance)
    assert payment.unit == units["school"] and payment.line.budget == budget
