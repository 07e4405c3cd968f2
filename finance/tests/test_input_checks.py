"""Input a slip of the keyboard gets wrong is refused on its field, saying what is expected."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from finance import services
from finance.models import Income, IncomeKind, Payment, Settings, Standard


@pytest.mark.parametrize("amount", ["1e9", "1E3", "2.5e2"])
def test_an_amount_in_exponent_notation_is_refused(client_for, zhuxi, budget, amount):
    response = client_for(zhuxi).post(
        reverse("finance:income_new"), {"kind": "other", "amount": amount, "received_on": "2026-03-01"}
    )
    assert "不要用科学计数法" in response.context["form"].errors["amount"][0]
    assert not Income.objects.exists()


def test_an_amount_beyond_the_ceiling_is_refused_on_the_page_and_by_the_service(client_for, units, zhuxi, budget):
    response = client_for(zhuxi).post(
        reverse("finance:income_new"), {"kind": "other", "amount": "1000000000", "received_on": "2026-03-01"}
    )
    assert "100,000,000.00" in response.context["form"].errors["amount"][0]
    with pytest.raises(services.FinanceError) as refused:
        services.income_record(
            unit=units["school"], by=zhuxi, kind="other", amount="100000000.01", received_on=datetime.date(2026, 3, 1)
        )
    assert refused.value.field == "amount"


def test_a_budget_line_beyond_the_ceiling_is_refused(client_for, units, zhuxi):
    budget = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    data = {f"line-{line.pk}": "0" for line in budget.lines.all()}
    line = budget.lines.get(key="culture")
    response = client_for(zhuxi).post(
        reverse("finance:budget_edit", args=[budget.pk]), {**data, line_field(line): "1e9"}
    )
    assert line_field(line) in response.context["form"].errors


def line_field(line):
    return f"line-{line.pk}"


def test_a_payment_dated_in_the_future_is_refused_as_such(client_for, zhuxi, line):
    data = {"line": line.pk, "amount": "80", "payee": "商店", "description": "绳子", "purpose": "other"}
    response = client_for(zhuxi).post(reverse("finance:payment_new"), {**data, "paid_on": "2030-05-04"})
    assert "不能晚于今天" in response.context["form"].errors["paid_on"][0]
    assert not Payment.objects.exists()


def test_a_budget_is_approved_in_its_year_or_the_one_before(units, zhuxi):
    budget = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    with pytest.raises(services.FinanceError) as refused:
        services.budget_approve(budget=budget, meeting="委员会会议", on=datetime.date(2019, 1, 1), by=zhuxi)
    assert refused.value.field == "on"
    services.budget_approve(budget=budget, meeting="委员会会议", on=datetime.date(2026, 12, 1), by=zhuxi)


def test_the_approval_page_refuses_a_meeting_still_to_come(client_for, units, zhuxi):
    budget = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    response = client_for(zhuxi).post(
        reverse("finance:budget_approve", args=[budget.pk]), {"meeting": "委员会会议", "on": "2099-01-05"}
    )
    assert "on" in response.context["form"].errors


@pytest.mark.parametrize("day", [datetime.date(2019, 1, 1), datetime.date(2030, 1, 1), datetime.date(2026, 1, 5)])
def test_an_adjustment_is_dated_in_the_budget_s_year_after_its_approval(budget, line, day):
    with pytest.raises(services.FinanceError) as refused:
        services.budget_adjust(budget=budget, amounts={line.pk: Decimal("12000")}, meeting="第七次会议", on=day)
    assert refused.value.field == "on"


def test_an_adjustment_below_what_is_spent_is_refused_saying_how_much(budget, line, pay):
    pay("1525.50")
    with pytest.raises(services.FinanceError) as refused:
        services.budget_adjust(
            budget=budget, amounts={line.pk: Decimal("100")}, meeting="第七次会议", on=datetime.date(2026, 7, 1)
        )
    assert refused.value.field == f"line-{line.pk}" and "1,525.50" in refused.value.message
    line.refresh_from_db()
    assert line.adjusted_amount is None


def test_dues_of_a_month_years_away_are_refused(units, zhuxi):
    with pytest.raises(services.FinanceError) as refused:
        services.income_record(
            unit=units["school"],
            by=zhuxi,
            kind=IncomeKind.DUES,
            amount="25",
            received_on=datetime.date(2026, 3, 1),
            dues_year=2030,
            dues_month=5,
        )
    assert refused.value.field == "dues_year"


@pytest.mark.parametrize(
    ("field", "value"),
    [("approval_threshold", "-100"), ("dues_upward_share", "150"), ("overspend_tolerance", "1000")],
)
def test_settings_out_of_range_are_refused_on_their_field(client_for, units, zhuxi, field, value):
    data = {
        "save_settings": "1",
        "settings-approval_threshold": "2000",
        "settings-overspend_tolerance": "10",
        "settings-dues_upward_share": "0",
        "settings-allocation_upward_share": "40",
        f"settings-{field}": value,
    }
    response = client_for(zhuxi).post(reverse("finance:settings"), data)
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if field != "approval_threshold":
        assert errors[field] == ["请填写 0 到 100 之间的数（百分比）。"]
    assert not Settings.objects.exists()


def test_a_standard_must_be_positive_and_not_a_duplicate(client_for, units, zhuxi):
    client = client_for(zhuxi)
    data = {
        "add_standard": "1",
        "standard-name": "节日慰问",
        "standard-purpose": "festival",
        "standard-kind": "per_payment",
    }
    response = client.post(reverse("finance:settings"), {**data, "standard-amount": "-5"})
    assert "amount" in response.context["standard_form"].errors
    assert client.post(reverse("finance:settings"), {**data, "standard-amount": "500"}).status_code == 302
    response = client.post(reverse("finance:settings"), {**data, "standard-amount": "300"})
    assert response.status_code == 200 and Standard.objects.count() == 1


def test_a_budget_takes_no_second_line_of_the_same_name(units, zhuxi):
    budget = services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    services.budget_line_add(budget=budget, direction="spending", category="新类别", name="新科目")
    for category, name in (("新类别", "新科目"), ("职工活动支出", "文体活动")):
        with pytest.raises(services.FinanceError, match="已有"):
            services.budget_line_add(budget=budget, direction="spending", category=category, name=name)


def test_an_amount_of_three_decimals_is_refused_in_words_about_money(client_for, zhuxi, budget):
    response = client_for(zhuxi).post(
        reverse("finance:income_new"), {"kind": "other", "amount": "12.345", "received_on": "2026-03-01"}
    )
    assert response.context["form"].errors["amount"] == ["金额最多保留两位小数（到分）。"]


def test_the_adjustment_page_marks_the_line_set_below_what_it_spent(client_for, budget, line, pay, zhuxi):
    pay("1525.50")
    data = {f"line-{each.pk}": str(each.budgeted) for each in budget.lines.all()}
    data.update({f"line-{line.pk}": "100", "meeting": "第七次会议", "on": "2026-07-01"})
    response = client_for(zhuxi).post(reverse("finance:budget_edit", args=[budget.pk]), data)
    assert "1,525.50" in response.context["form"].errors[f"line-{line.pk}"][0]


@pytest.mark.parametrize("amount", ["fee", "one hundred", "500元e"])
def test_text_with_an_e_that_is_no_number_is_not_called_exponent_notation(client_for, zhuxi, budget, amount):
    """Only a number written as 1e9 is told not to use exponent notation (zhuxi typing text into a budget
    line read 不要用科学计数法); words are told what an amount looks like."""
    response = client_for(zhuxi).post(
        reverse("finance:income_new"), {"kind": "other", "amount": amount, "received_on": "2026-03-01"}
    )
    assert response.context["form"].errors["amount"] == ["请填写金额，如 1280.50。"]
    assert not Income.objects.exists()
