"""Finance personas beside the shared ones: jingshen, a member of demo-school's audit committee."""

import datetime
from decimal import Decimal

import pytest

from conftest import make_person
from finance import services
from orgs.roles import Role


@pytest.fixture
def jingshen(units):
    return make_person("jingshen", "吴桂兰", units["school"], Role.AUDITOR)


@pytest.fixture
def budget(units, zhuxi):
    """demo-school's approved budget for 2026: 10,000 yuan for 文体活动, 5,000 for 困难职工帮扶, the rest 1,000."""
    budget = services.budget_create(unit=units["school"], year=2026, by=zhuxi)
    amounts = {line.pk: Decimal("1000") for line in budget.lines.all()}
    amounts.update({line.pk: Decimal("10000") for line in budget.lines.filter(name="文体活动")})
    amounts.update({line.pk: Decimal("5000") for line in budget.lines.filter(name="困难职工帮扶")})
    services.budget_update_lines(budget=budget, amounts=amounts)
    return services.budget_approve(
        budget=budget, meeting="工会委员会第五次会议", on=datetime.date(2026, 1, 10), by=zhuxi
    )


@pytest.fixture
def line(budget):
    return budget.lines.get(name="文体活动")


@pytest.fixture
def pay(units, zhuxi, line):
    """``pay(amount, **fields)``: record a payment of demo-school as the chair."""

    def record(amount, **fields):
        values = {
            "unit": units["school"],
            "by": zhuxi,
            "line": line,
            "amount": Decimal(amount),
            "paid_on": datetime.date(2026, 5, 4),
            "payee": "城关镇体育用品商店",
            "description": "拔河绳和号码布",
        }
        values.update(fields)
        return services.payment_record(**values)

    return record
