"""Totals reconcile: after any sequence of payments, approvals and reversals every line equals its payments."""

import contextlib
import io
import random
from decimal import Decimal

import pytest
from django.core.management import call_command

from finance import services
from finance.models import BudgetLine, Payment, PaymentStatus


def test_a_random_sequence_of_payments_and_reversals_leaves_no_difference(pay, budget, zhuxi, weiyuan):
    rng = random.Random(20261201)
    lines = list(budget.lines.spending())
    for _ in range(150):
        roll = rng.random()
        counted = list(
            Payment.objects.filter(status=PaymentStatus.APPROVED, reverses__isnull=True, reversed_by__isnull=True)
        )
        if roll < 0.2 and counted:
            services.payment_reverse(payment=rng.choice(counted), by=zhuxi, reason="随机冲销")
            continue
        pending = list(Payment.objects.filter(status=PaymentStatus.PENDING))
        if roll < 0.3 and pending:
            services.payment_approve(payment=rng.choice(pending), by=weiyuan) if rng.random() < 0.7 else (
                services.payment_reject(payment=rng.choice(pending), by=weiyuan)
            )
            continue
        amount = Decimal(rng.randint(1, 300000)) / 100
        with contextlib.suppress(services.FinanceError):  # beyond a line's tolerance: refused, nothing written
            pay(str(amount), line=rng.choice(lines), confirm_overspend=True)
    assert services.ledger_check() == []
    for line in lines:
        counted = Payment.objects.filter(line=line, status=PaymentStatus.APPROVED)
        assert BudgetLine.objects.get(pk=line.pk).actual == sum((p.amount for p in counted), Decimal("0"))


def test_check_ledger_reports_a_drifted_line_and_exits_non_zero(pay, line):
    pay("100")
    out = io.StringIO()
    call_command("check_ledger", stdout=out)
    assert "ledger balanced" in out.getvalue()
    BudgetLine.objects.filter(pk=line.pk).update(actual=Decimal("90"))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("check_ledger", "--unit", "demo-school", stdout=out, stderr=io.StringIO())
    assert exited.value.code == 1
    assert "recorded 90.00, payments add up to 100.00" in out.getvalue()
    call_command("check_ledger", "--fix", stdout=io.StringIO())
    assert services.ledger_check() == []
