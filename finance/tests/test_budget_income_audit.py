"""The budget's life (standard lines, approval at a meeting, an adjustment that keeps the original),
income and dues, and the audit committee's year."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from docx import Document

from finance import documents, services
from finance.categories import BY_KEY
from finance.models import (
    Audit,
    Budget,
    BudgetStatus,
    Direction,
    Finding,
    Income,
    IncomeKind,
    Payment,
    Purpose,
    Settings,
)
from members.models import Member


def test_a_new_budget_has_the_standard_lines_of_a_grassroots_union(units, zhuxi):
    budget = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    names = set(budget.lines.values_list("name", flat=True))
    assert {"会费收入", "拨缴经费收入", "文体活动", "困难职工帮扶", "资本性支出"} <= names
    assert set(budget.lines.values_list("category", flat=True)) >= {"职工活动支出", "维权支出", "业务支出"}
    with pytest.raises(services.FinanceError, match="已经存在"):
        services.budget_create(unit=units["school"], year=2027, by=zhuxi)


def test_a_budget_drawn_up_in_english_takes_payments_and_income_recorded_in_chinese(units, zhuxi):
    """The chair works with the English UI, the care officer and the treasurer in Chinese: a line is
    found by what it is, not by its name in someone's language."""
    with translation.override("en"):
        budget = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
        hardship = budget.lines.get(key="hardship")
        assert (hardship.category, hardship.name) == ("维权支出", "困难职工帮扶")  # the record, as written
        assert str(hardship) == "Rights protection—Help for staff in hardship"  # the page, as read
    services.budget_approve(budget=budget, meeting="委员会会议", on=datetime.date(2027, 1, 5), by=zhuxi)
    with translation.override("zh-hans"):
        assert str(hardship) == "维权支出—困难职工帮扶"
        assert services.line_for_purpose(units["school"], 2027, Purpose.CARE) == hardship
        assert services.line_for_purpose(units["school"], 2027, Purpose.FESTIVAL).key == "activity_other"
        income = services.income_record(
            unit=units["school"],
            by=zhuxi,
            kind=IncomeKind.SUBSIDY_UPPER,
            amount="5000",
            received_on=datetime.date(2027, 3, 1),
        )
    assert income.line.key == "subsidy_upper"


def test_a_line_the_chair_added_keeps_her_name_and_takes_no_payment_by_default(units, zhuxi):
    budget = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    added = services.budget_line_add(
        budget=budget, direction=Direction.SPENDING, category="职工活动支出", name="读书角"
    )
    with translation.override("en"):
        assert str(added) == "职工活动支出—读书角"  # typed by her, shown as typed
    services.budget_approve(budget=budget, meeting="委员会会议", on=datetime.date(2027, 1, 5), by=zhuxi)
    assert services.line_for_purpose(units["school"], 2027, Purpose.OTHER).key == "other"


def test_the_migration_recognises_standard_lines_named_in_either_language(units, zhuxi):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("finance.migrations.0002_budget_line_key")
    budget = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    budget.lines.update(key="")  # as before the migration
    budget.lines.filter(name="困难职工帮扶").update(category="Rights protection", name="Help for staff in hardship")
    services.budget_line_add(budget=budget, direction=Direction.SPENDING, category="职工活动支出", name="读书角")
    migration.set_keys(apps, None)
    lines = {line.name: line for line in budget.lines.all()}
    assert lines["困难职工帮扶"].key == "hardship" and lines["困难职工帮扶"].category == "维权支出"
    assert lines["会费收入"].key == "dues" and lines["读书角"].key == ""
    assert set(budget.lines.exclude(name="读书角").values_list("key", flat=True)) == set(BY_KEY)


def test_approval_needs_the_meeting_and_then_only_an_adjustment_changes_it(units, zhuxi):
    budget = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    with pytest.raises(services.FinanceError) as refused:
        services.budget_approve(budget=budget, meeting="", on=datetime.date(2027, 1, 5), by=zhuxi)
    assert refused.value.field == "meeting"
    services.budget_approve(budget=budget, meeting="委员会会议", on=datetime.date(2027, 1, 5), by=zhuxi)
    assert Budget.objects.get(pk=budget.pk).status == BudgetStatus.APPROVED
    with pytest.raises(services.FinanceError, match="预算调整"):
        services.budget_update_lines(budget=budget, amounts={})


def test_an_edit_or_a_second_approval_sent_from_a_page_opened_before_the_approval_is_refused(units, zhuxi):
    budget = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    seen_as_draft = Budget.objects.get(pk=budget.pk)  # another tab, or a second officer, still on the draft
    line = budget.lines.spending().first()
    services.budget_approve(budget=budget, meeting="委员会会议", on=datetime.date(2027, 1, 5), by=zhuxi)
    with pytest.raises(services.FinanceError, match="预算调整"):
        services.budget_update_lines(budget=seen_as_draft, amounts={line.pk: Decimal("99")})
    with pytest.raises(services.FinanceError, match="预算调整"):
        services.budget_line_add(
            budget=seen_as_draft, direction=Direction.SPENDING, category="职工活动支出", name="读书角"
        )
    with pytest.raises(services.FinanceError, match="已经批准过了"):
        services.budget_approve(budget=seen_as_draft, meeting="另一次会议", on=datetime.date(2027, 2, 1), by=zhuxi)
    approved = Budget.objects.get(pk=budget.pk)
    assert (approved.approval_meeting, approved.approved_at) == ("委员会会议", datetime.date(2027, 1, 5))
    assert budget.lines.get(pk=line.pk).amount == 0 and not budget.lines.filter(name="读书角").exists()


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
    # The group's dues are the union's income: on the school's 会费收入 line, in its statement.
    assert budget.lines.get(key="dues").actual == Decimal("25.00")
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
    closed_on = timezone.make_aware(datetime.datetime(2026, 12, 20, 10))
    services.audit_close(audit=audit, conclusion="收支基本规范", now=closed_on)
    document = Document(io.BytesIO(documents.audit_report(audit, reader=jingshen, today=datetime.date(2027, 1, 5))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "缺少购物清单" in text and "已补齐清单" in text and "收支基本规范" in text and "2026年12月20日" in text


def test_a_closed_audit_takes_no_finding_and_keeps_its_conclusion(pay, units, jingshen):
    pay("100")
    audit = services.audit_open(unit=units["school"], year=2026, title="审查", by=jingshen, rng=random.Random(1))
    seen_open = Audit.objects.get(pk=audit.pk)  # another tab, opened before the closing
    services.audit_close(audit=audit, conclusion="收支基本规范")
    with pytest.raises(services.FinanceError, match="审查已经结束"):
        services.audit_close(audit=seen_open, conclusion="另一个结论")
    with pytest.raises(services.FinanceError, match="不能再添加意见"):
        services.finding_add(audit=seen_open, by=jingshen, text="迟到的意见")
    closed = Audit.objects.get(pk=audit.pk)
    assert closed.conclusion == "收支基本规范" and closed.closed_at == audit.closed_at
    assert not closed.findings.exists()


def test_a_closed_finding_keeps_its_response_and_its_date(pay, units, zhuxi, jingshen):
    pay("100")
    audit = services.audit_open(unit=units["school"], year=2026, title="审查", by=jingshen, rng=random.Random(1))
    finding = services.finding_add(audit=audit, by=jingshen, text="缺少购物清单")
    services.finding_respond(finding=finding, by=zhuxi, response="已补齐清单")
    seen_open = Finding.objects.get(pk=finding.pk)  # the page as it was before the closing
    closed_on = timezone.make_aware(datetime.datetime(2026, 11, 2, 9))
    services.finding_close(finding=finding, now=closed_on)
    with pytest.raises(services.FinanceError, match="已经销号"):
        services.finding_close(finding=seen_open, now=closed_on + datetime.timedelta(days=3))
    with pytest.raises(services.FinanceError, match="已经销号"):
        services.finding_respond(finding=seen_open, by=zhuxi, response="另一种说法")
    finding.refresh_from_db()
    assert (finding.response, finding.closed_at) == ("已补齐清单", closed_on)


AUDIT_DAY = datetime.date(2026, 12, 6)


def test_an_audit_of_a_year_still_to_come_is_refused_beside_the_year(pay, units, jingshen):
    pay("100")
    for year in (2027, 2030, 2099):
        with pytest.raises(services.FinanceError, match="不能晚于今年（2026年）") as refused:
            services.audit_open(unit=units["school"], year=year, title="审查", by=jingshen, today=AUDIT_DAY)
        assert refused.value.field == "year"
    assert not Audit.objects.exists()
    audit = services.audit_open(unit=units["school"], year=2026, title="审查", by=jingshen, today=AUDIT_DAY)
    assert audit.sampled.count() == 1


def test_an_audit_with_no_counted_payment_to_sample_is_refused_beside_what_was_chosen(pay, units, bangfu, jingshen):
    from care.models import Campaign

    pay("2600")  # waiting for a second officer's approval: not yet spent, nothing to sample
    with pytest.raises(services.FinanceError, match="2026年没有入账的支出") as refused:
        services.audit_open(unit=units["school"], year=2026, title="审查", by=jingshen, today=AUDIT_DAY)
    assert refused.value.field == "year"
    with pytest.raises(services.FinanceError, match="2019年没有入账的支出"):
        services.audit_open(unit=units["school"], year=2019, title="审查", by=jingshen, today=AUDIT_DAY)
    campaign = Campaign.objects.create(
        unit=units["school"],
        kind="spring",
        title="2026年春节送温暖",
        year=2026,
        starts_on=datetime.date(2026, 1, 10),
        ends_on=datetime.date(2026, 2, 10),
        created_by=bangfu,
    )
    with pytest.raises(services.FinanceError, match="慰问活动还没有入账的支出") as refused:
        services.audit_open(
            unit=units["school"], year=2026, title="审查", by=jingshen, campaign=campaign, today=AUDIT_DAY
        )
    assert refused.value.field == "campaign"
    assert not Audit.objects.exists()


def test_an_audit_opened_by_mistake_is_deleted_while_open_and_without_findings(pay, units, zhuxi, jingshen):
    payment = pay("100")
    mistake = services.audit_open(unit=units["school"], year=2026, title="误开的审查", by=jingshen, today=AUDIT_DAY)
    assert mistake.is_deletable
    services.audit_delete(audit=mistake)
    assert not Audit.objects.exists()
    assert payment.audits.count() == 0 and Payment.objects.filter(pk=payment.pk).exists()  # the payment stays

    with_finding = services.audit_open(unit=units["school"], year=2026, title="审查", by=jingshen, today=AUDIT_DAY)
    seen_empty = Audit.objects.get(pk=with_finding.pk)  # the page as it was before the finding
    services.finding_add(audit=with_finding, by=jingshen, text="缺少购物清单")
    with pytest.raises(services.FinanceError, match="尚未提出审查意见"):
        services.audit_delete(audit=seen_empty)

    closed = services.audit_open(unit=units["school"], year=2026, title="审查二", by=jingshen, today=AUDIT_DAY)
    services.audit_close(audit=closed, conclusion="收支基本规范")
    with pytest.raises(services.FinanceError, match="还在进行"):
        services.audit_delete(audit=closed)
    assert Audit.objects.count() == 2 and not closed.is_deletable


def test_a_payment_reads_in_one_line_with_its_number_and_its_amount_in_yuan(pay, jingshen):
    payment = pay("2860")
    assert (
        payment.label_for(jingshen)
        == f"第{payment.pk}号 · 2026年5月4日 · 拔河绳和号码布 · 城关镇体育用品商店 · ¥2,860.00"
    )
    with translation.override("en"):
        assert " · May 4, 2026 · " in payment.label_for(jingshen)
