"""Figures of a budget for pages and sheets: lines against what was spent, by month, by activity and
by campaign, and the year's income and spending statement in the layout federations collect."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.tables import MONEY, Column
from finance import services
from finance.models import ZERO, Budget, BudgetLine, Direction, yuan


@dataclass(frozen=True)
class Overview:
    income: list[BudgetLine]
    spending: list[BudgetLine]
    income_budgeted: Decimal
    income_actual: Decimal
    spending_budgeted: Decimal
    spending_actual: Decimal

    @property
    def spending_share(self) -> Decimal | None:
        if not self.spending_budgeted:
            return None
        return (self.spending_actual * 100 / self.spending_budgeted).quantize(Decimal("0.1"))


def budget_overview(budget: Budget) -> Overview:
    lines = list(budget.lines.all())
    income = [line for line in lines if line.direction == Direction.INCOME]
    spending = [line for line in lines if line.direction == Direction.SPENDING]
    return Overview(
        income=income,
        spending=spending,
        income_budgeted=sum((line.budgeted for line in income), ZERO),
        income_actual=sum((line.actual for line in income), ZERO),
        spending_budgeted=sum((line.budgeted for line in spending), ZERO),
        spending_actual=sum((line.actual for line in spending), ZERO),
    )


def report_context(budget: Budget) -> dict:
    """Budget against actual by line and month (a chart and its table), by activity and by campaign."""
    from activities.models import Activity
    from care.models import Campaign

    overview = budget_overview(budget)
    by_month = services.lines_spent_by_month(budget)
    months = list(range(1, 13))
    monthly_total = [sum((by_month.get(line.pk, {}).get(m, ZERO) for line in overview.spending), ZERO) for m in months]
    activity_totals = services.spending_by(budget.unit, budget.year, "activity")
    activities = Activity.objects.in_bulk([pk for pk, _t in activity_totals])
    campaign_totals = services.spending_by(budget.unit, budget.year, "campaign")
    campaigns = Campaign.objects.in_bulk([pk for pk, _t in campaign_totals])
    month_label = [_("%(m)s月") % {"m": m} for m in months]
    return {
        "overview": overview,
        "line_months": [(line, [by_month.get(line.pk, {}).get(m, ZERO) for m in months]) for line in overview.spending],
        "months": months,
        "chart": {
            "months": month_label,
            "spent": [str(v) for v in monthly_total],
            "lines": [str(line) for line in overview.spending],
            "budgeted": [str(line.budgeted) for line in overview.spending],
            "actual": [str(line.actual) for line in overview.spending],
            "labels": {"spent": _("当月支出"), "budgeted": _("预算数"), "actual": _("执行数")},
        },
        "chart_table": {
            "caption": _("各月支出"),
            "headers": [_("月份"), _("当月支出（元）")],
            "rows": [(label, f"{total:,.2f}") for label, total in zip(month_label, monthly_total, strict=True)],
        },
        "by_activity": [(activities.get(pk), yuan(total)) for pk, total in activity_totals],
        "by_campaign": [(campaigns.get(pk), yuan(total)) for pk, total in campaign_totals],
    }


PERCENT = "0.0%"

STATEMENT_COLUMNS = [
    # Its own 序号 (the sheet's would number the 合计 and 结余 rows too): the lines only.
    Column(gettext_lazy("序号"), 6),
    Column(gettext_lazy("收支"), 8),
    Column(gettext_lazy("类别"), 16),
    Column(gettext_lazy("科目"), 18),
    Column(gettext_lazy("年初预算数（元）"), 16, MONEY),
    Column(gettext_lazy("调整后预算数（元）"), 18, MONEY),
    Column(gettext_lazy("执行数（元）"), 16, MONEY),
    Column(gettext_lazy("执行率"), 10, PERCENT),
    Column(gettext_lazy("说明"), 24),
]


def _rate(actual, budgeted):
    """The share executed as a number the sheet formats as a percentage (0.424 → 42.4%); '' without a budget."""
    return (actual / budgeted).quantize(Decimal("0.001")) if budgeted else ""


def statement_rows(budget: Budget):
    """The year's income and spending, line by line, with subtotals for each side. Once the budget was
    adjusted, 调整后预算数 is filled on every line (an unchanged line's is its original amount), so that
    the column adds up to its total."""
    overview = budget_overview(budget)
    number = 0
    for label, lines, budgeted, actual in (
        (_("收入"), overview.income, overview.income_budgeted, overview.income_actual),
        (_("支出"), overview.spending, overview.spending_budgeted, overview.spending_actual),
    ):
        adjusted = any(line.adjusted_amount is not None for line in lines)
        for line in lines:
            number += 1
            yield [
                number,
                label,
                line.category_label,
                line.label,
                line.amount,
                line.budgeted if adjusted else "",
                line.actual,
                _rate(line.actual, line.budgeted),
                line.note,
            ]
        total = sum((line.amount for line in lines), Decimal(0))
        yield ["", label, _("合计"), "", total, budgeted if adjusted else "", actual, _rate(actual, budgeted), ""]
    yield ["", _("结余"), "", "", "", "", overview.income_actual - overview.spending_actual, "", ""]
