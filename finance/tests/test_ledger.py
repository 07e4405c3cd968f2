"""Totals reconcile: after any sequence of payments, approvals and reversals every line equals its payments."""

import contextlib
import datetime
import io
import random
from decimal import Decimal

import pytest
from django.core.management import call_command

from finance import reports, services
from finance.models import Budget, BudgetLine, Income, Payment, PaymentStatus


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


def test_income_received_before_the_budget_is_approved_counts_once_it_is(units, zhuxi):
    school = units["school"]
    subsidy = services.income_record(
        unit=school, by=zhuxi, kind="subsidy_upper", amount="100", received_on=datetime.date(2025, 1, 1)
    )
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("check_ledger", stdout=out, stderr=io.StringIO())
    assert f"income #{subsidy.pk} 100.00: on no budget line" in out.getvalue()
    budget = services.budget_create(unit=school, year=2025, by=zhuxi)
    services.budget_approve(budget=budget, meeting="委员会会议", on=datetime.date(2025, 3, 10), by=zhuxi)
    assert budget.lines.get(key="subsidy_upper").actual == Decimal("100.00")
    assert reports.budget_overview(budget).income_actual == Decimal("100.00")
    assert services.ledger_check() == [] and services.ledger_unplaced() == ([], 0)


def test_a_group_s_dues_before_approval_go_on_its_union_s_dues_line(units, zhuxi):
    services.budget_create(unit=units["school"], year=2025, by=zhuxi)  # the draft: the school keeps the accounts
    services.income_record(
        unit=units["g1"],
        by=zhuxi,
        kind="dues",
        amount="38",
        received_on=datetime.date(2025, 1, 20),
        dues_year=2025,
        dues_month=1,
    )
    budget = Budget.objects.get(unit=units["school"], year=2025)
    services.budget_approve(budget=budget, meeting="委员会会议", on=datetime.date(2025, 3, 10), by=zhuxi)
    assert budget.lines.get(key="dues").actual == Decimal("38.00")


def test_check_ledger_fix_places_what_an_approved_budget_can_take(units, zhuxi, budget):
    Income.objects.create(
        unit=units["school"], kind="other", amount=Decimal("5"), received_on=datetime.date(2026, 2, 1), entered_by=zhuxi
    )
    call_command("check_ledger", "--fix", stdout=io.StringIO(), stderr=io.StringIO())
    assert budget.lines.get(key="income_other").actual == Decimal("5.00")
    assert services.ledger_unplaced() == ([], 0)


def test_check_ledger_names_the_first_entries_on_no_line_and_counts_them_all(units, zhuxi):
    for day in range(1, 6):
        Income.objects.create(
            unit=units["school"],
            kind="other",
            amount=Decimal("5"),
            received_on=datetime.date(2031, 2, day),
            entered_by=zhuxi,
        )
    listed, count = services.ledger_unplaced(limit=2)
    assert count == 5 and [i.received_on.day for i in listed] == [1, 2]
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        call_command("check_ledger", stdout=out, stderr=err)
    assert "5 entries are on no budget line" in err.getvalue()
