"""The budget's life (standard lines, approval at a meeting, an adjustment that keeps the original),
income and dues, and the audit committee's year."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from docx import Document

from finance import documents, services
from finance.models import Budget, BudgetStatus, Income, IncomeKind, Settings
from members.models import Member


def test_a_new_budget_has_the_standard_lines_of_a_grassroots_union(units, zhuxi):
    budget = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    names = set(budget.lines.values_list("name", flat=True))
    assert {"会费收入", "拨缴经费收入", "文体活动", "困难职工帮扶", "资本性支出"} <= names
    assert set(budget.lines.values_list("category", flat=True)) >= {"职工活动支出", "维权支出", "业务支出"}
    with pytest.raises(services.FinanceError, match="已经存在"):
        services.budget_create(unit=units["school"], year=2027, by=zhuxi)


def test_approval_needs_the_meeting_and_then_only_an_adjustment_changes_it(units, zhuxi):
    budget = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    with pytest.raises(services.FinanceError) as refused:
        services.budget_approve(budget=budget, meeting="", on=datetime.date(2027, 1, 5), by=zhuxi)
    assert refused.value.field == "meeting"
    services.budget_approve(budget=budget, meeting="委员会会议", on=datetime.date(2027, 1, 5), by=zhuxi)
    assert Budget.objects.get(pk=budget.pk).status == BudgetStatus.APPROVED
    with pytest.raises(services.FinanceError, match="预算调整"):
        services.budget_update_lines(budget=budget, amounts={})


def test_an_adjustment_keeps_the_original_beside_the_adjusted_figure(budget, line):
    services.budget_adjust(
        budget=budget, amounts={line.pk: Decimal("12000")}, meeting="第七次会议", on=datetime.date(2026, 7, 1)
    )
    line.refresh_from_db()
    assert (line.amount, line.adjusted_amount, line.budgeted) == (
        Decimal("10000.00"),
        Decimal("12000.00"),
        Decimal("12000.00"),
    )


def test_dues_from_a_group_cover_its_members_and_the_rest_are_listed_unpaid(units, zhuxi, budget):
    paid_group = Member.objects.create(
        unit=units["g1"], name="周小红", gender="F", birth_date=datetime.date(1992, 5, 1)
    )
    unpaid = Member.objects.create(unit=units["g2"], name="张伟", gender="M", birth_date=datetime.date(1985, 3, 2))
    services.income_record(
        unit=units["g1"],
        by=zhuxi,
        kind=IncomeKind.DUES,
        amount="25",
        received_on=datetime.date(2026, 3, 10),
        dues_year=2026,
        dues_month=3,
        headcount=1,
    )
    assert list(services.dues_unpaid(units["school"], 2026, 3)) == [unpaid]
    services.income_record(
        unit=units["school"],
        by=zhuxi,
        kind=IncomeKind.DUES,
        amount="25",
        received_on=datetime.date(2026, 3, 12),
        dues_year=2026,
        dues_month=3,
        member=unpaid,
    )
    assert not services.dues_unpaid(units["school"], 2026, 3).exists()
    assert paid_group.pk


def test_dues_name_their_month(units, zhuxi):
    with pytest.raises(services.FinanceError) as refused:
        services.income_record(
            unit=units["school"], by=zhuxi, kind=IncomeKind.DUES, amount="25", received_on=datetime.date(2026, 3, 1)
        )
    assert refused.value.field == "dues_month"
    assert not Income.objects.exists()


def test_income_lands_on_its_budget_line_and_the_share_owed_up_follows_the_ratio(units, zhuxi, budget):
    Settings.objects.create(unit=units["school"], allocation_upward_share=Decimal("40"))
    services.income_record(
        unit=units["school"],
        by=zhuxi,
        kind=IncomeKind.ALLOCATION,
        amount="18000",
        received_on=datetime.date(2026, 4, 15),
    )
    assert budget.lines.get(name="拨缴经费收入").actual == Decimal("18000.00")
    allocation = [s for s in services.upward_shares(units["school"], 2026) if s.received][0]
    assert allocation.owed == Decimal("7200.00")


def test_an_audit_samples_payments_and_ends_only_when_every_finding_is_closed(pay, units, zhuxi, jingshen):
    payments = [pay(str(100 + i)) for i in range(8)]
    audit = services.audit_open(
        unit=units["school"], year=2026, title="2026年度经费审查", by=jingshen, sample_size=5, rng=random.Random(1)
    )
    assert audit.sampled.count() == 5 and set(audit.sampled.all()) <= set(payments)
    finding = services.finding_add(audit=audit, by=jingshen, payment=audit.sampled.first(), text="缺少购物清单")
    with pytest.raises(services.FinanceError, match="未销号"):
        services.audit_close(audit=audit, conclusion="收支基本规范")
    with pytest.raises(services.FinanceError, match="答复整改"):
        services.finding_close(finding=finding)
    services.finding_respond(finding=finding, by=zhuxi, response="已补齐清单")
    services.finding_close(finding=finding)
    services.audit_close(audit=audit, conclusion="收支基本规范")
    document = Document(io.BytesIO(documents.audit_report(audit, today=datetime.date(2026, 12, 20))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "缺少购物清单" in text and "已补齐清单" in text and "收支基本规范" in text and "2026年12月20日" in text
