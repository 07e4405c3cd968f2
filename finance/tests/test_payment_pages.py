"""What a payment's and a budget's pages say once nothing more can be done, or who can do it."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_person
from finance import services


def test_a_pending_payment_names_who_may_approve_it(client_for, pay, units, zhuxi):
    payment = pay("2600")  # over the threshold, entered by the chair
    page = client_for(zhuxi).get(reverse("finance:payment", args=[payment.pk])).content.decode()
    assert 'data-testid="approvers"' in page and "没有其他干部有审批权限" in page
    make_person("fuzhuxi", "刘副主席", units["school"], "vice_chair")
    page = client_for(zhuxi).get(reverse("finance:payment", args=[payment.pk])).content.decode()
    assert "刘副主席" in page


def test_changes_after_approval_leave_out_the_payment_s_own_entry(client_for, pay, zhuxi):
    payment = pay("80")
    page = client_for(zhuxi).get(reverse("finance:payment", args=[payment.pk])).content.decode()
    assert "批准后没有任何修改" in page


def test_the_pages_of_a_done_record_say_so_instead_of_showing_the_form(client_for, pay, budget, zhuxi):
    client = client_for(zhuxi)
    response = client.get(reverse("finance:budget_approve", args=[budget.pk]), follow=True)
    assert "已经批准过了" in response.content.decode() and "form" not in response.context
    payment = pay("80")
    services.payment_reverse(payment=payment, by=zhuxi, reason="记错")
    response = client.get(reverse("finance:payment_reverse", args=[payment.pk]), follow=True)
    assert "已经冲销过了" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("finance:payment", args=[payment.pk])


def test_the_year_selector_filters_the_pending_and_recent_payments(client_for, pay, zhuxi):
    pay("2600", description="空调两台")
    page = client_for(zhuxi).get(reverse("finance:home") + "?year=2025").content.decode()
    assert "空调两台" not in page
    page = client_for(zhuxi).get(reverse("finance:home") + "?year=2026").content.decode()
    assert "空调两台" in page


def test_the_adjusted_column_of_the_statement_adds_up_and_rates_are_numbers(client_for, pay, budget, line, zhuxi):
    pay("500")
    services.budget_adjust(
        budget=budget, amounts={line.pk: Decimal("40000")}, meeting="第七次会议", on=datetime.date(2026, 7, 1)
    )
    response = client_for(zhuxi).get(reverse("finance:report_export") + "?year=2026")
    rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True)]
    spending = [r for r in rows if r[1] == "支出" and r[2] != "合计"]
    total = next(r for r in rows if r[1] == "支出" and r[2] == "合计")
    assert sum(r[5] for r in spending) == total[5] == 55000
    assert total[0] is None and isinstance(spending[0][7], float | int)


def test_the_reverse_page_of_a_reversed_income_says_so(client_for, units, budget, zhuxi):
    income = services.income_record(
        unit=units["school"], by=zhuxi, kind="other", amount="50", received_on=datetime.date(2026, 3, 1)
    )
    services.income_reverse(income=income, by=zhuxi, reason="记错")
    response = client_for(zhuxi).get(reverse("finance:income_reverse", args=[income.pk]), follow=True)
    assert "已经冲销过了" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("finance:incomes")


def test_refusing_a_payment_or_closing_a_finding_asks_first_for_neither_can_be_undone(
    client_for, pay, units, zhuxi, jingshen
):
    vice_chair = make_person("fuzhuxi", "刘副主席", units["school"], "vice_chair")
    payment = pay("2600")  # over the threshold, entered by the chair: the vice chair decides it
    page = client_for(vice_chair).get(reverse("finance:payment", args=[payment.pk])).content.decode()
    refuse = page.split('value="reject"')[1].split("</button>")[0]
    assert 'data-confirm="不予批准后这笔支出不会入账，也不能再改为批准。确定吗？"' in refuse
    approve = page.split('value="approve"')[1].split("</button>")[0]
    assert "data-confirm" not in approve  # approving is the step expected; it is not asked twice

    pay("80")  # a booked payment for the audit to sample
    audit = services.audit_open(unit=units["school"], year=2026, title="审查", by=jingshen)
    finding = services.finding_add(audit=audit, by=jingshen, text="缺少购物清单")
    services.finding_respond(finding=finding, by=zhuxi, response="已补齐清单")
    page = client_for(jingshen).get(reverse("finance:audit", args=[audit.pk])).content.decode()
    close = page.split('data-testid="finding-close"')[1].split("</button>")[0]
    assert 'data-confirm="销号后这条审查意见不能再重新打开。确定整改已核实吗？"' in close
