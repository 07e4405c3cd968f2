"""What finance contributes to other apps: plan-target metrics, the year-end summary's paragraph,
the home card, and the to-dos (payments to approve, audit findings to answer or to close)."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.figures import Card, SummarySection, home_card, metric, summary_section
from core.money import yuan_figure
from core.todo import Todo, todo_source
from finance.models import Budget, BudgetLine, Direction, Finding, Income, Payment, PaymentStatus, yuan
from orgs.access import has_permission, scope_paths, subtree_q


def _year_lines(unit, year):
    """The approved budget lines of the year in ``unit``'s subtree (a federation's roll-up is their totals)."""
    return BudgetLine.objects.filter(budget__year=year, budget__unit__path__startswith=unit.path)


@metric("finance.spending", gettext_lazy("经费支出"), "元")
def spending(unit, year):
    return Payment.objects.in_subtree(unit).counted().in_year(year).total()


@metric("finance.income", gettext_lazy("经费收入"), "元")
def income(unit, year):
    return Income.objects.in_subtree(unit).filter(received_on__year=year).total()


@metric("finance.execution_rate", gettext_lazy("预算执行率"), "%")
def execution_rate(unit, year):
    totals = (
        _year_lines(unit, year)
        .spending()
        .aggregate(actual=Sum("actual"), budgeted=Sum(Coalesce("adjusted_amount", "amount")))
    )
    budgeted = yuan(totals["budgeted"])
    if not budgeted:
        return None
    return (yuan(totals["actual"]) * 100 / budgeted).quantize(Decimal("0.1"))


@metric("finance.care_spending", gettext_lazy("帮扶慰问支出"), "元")
def care_spending(unit, year):
    return Payment.objects.in_subtree(unit).counted().in_year(year).filter(purpose="care").total()


@summary_section
def finance_section(unit, year):
    budget = Budget.objects.filter(unit=unit, year=year).first()
    spent = spending(unit, year)
    received = income(unit, year)
    if budget is None and not spent and not received:
        return None
    paragraphs = []
    if budget is not None and budget.is_approved:
        paragraphs.append(
            _("年度经费预算经%(meeting)s审议批准%(adjusted)s。")
            % {
                "meeting": budget.approval_meeting,
                "adjusted": _("，年中按程序作了调整") if budget.is_adjusted else "",
            }
        )
    rate = execution_rate(unit, year)
    paragraphs.append(
        _("全年经费收入%(received)s元，支出%(spent)s元%(rate)s；帮扶慰问支出%(care)s元。")
        % {
            "received": yuan_figure(received),
            "spent": yuan_figure(spent),
            "rate": _("，预算执行率%(rate)s%%") % {"rate": rate} if rate is not None else "",
            "care": yuan_figure(care_spending(unit, year)),
        }
    )
    return SummarySection(
        heading=_("经费管理"),
        paragraphs=paragraphs,
        figures=[(_("经费收入（元）"), str(received)), (_("经费支出（元）"), str(spent))],
        order=80,
    )


@home_card
def finance_card(request, unit):
    user = request.user
    if not has_permission(user, "finance.view", unit) or not Budget.objects.filter(unit=unit).exists():
        return []
    from django.utils import timezone

    year = timezone.localdate().year
    lines = BudgetLine.objects.filter(budget__unit=unit, budget__year=year, direction=Direction.SPENDING)
    totals = lines.aggregate(actual=Sum("actual"), amount=Sum("amount"))
    pending = Payment.objects.filter(unit=unit, status=PaymentStatus.PENDING).count()
    todos = []
    if pending and has_permission(user, "finance.approve", unit):
        todos.append(
            (
                ngettext("%(n)s 笔支出待审批", "%(n)s 笔支出待审批", pending) % {"n": pending},
                reverse("finance:payments") + "?status=pending",
            )
        )
    return [
        Card(
            title=_("经费支出"),
            value=f"¥{yuan(totals['actual']):,.2f}",
            note=_("预算 ¥%(budget)s") % {"budget": f"{yuan(totals['amount']):,.2f}"},
            url=reverse("finance:home"),
            todos=todos,
            order=60,
        )
    ]


@todo_source
def finance_todos(user, *, today):
    todos = []
    approve = scope_paths(user, "finance.approve")
    if approve is None or approve:
        pending = Payment.objects.filter(status=PaymentStatus.PENDING).exclude(entered_by=user)
        if approve is not None:
            pending = pending.filter(subtree_q(approve, "unit__path"))
        for row in pending.values("unit__name").annotate(n=Count("id")).order_by("unit__name")[:20]:
            todos.append(
                Todo(
                    kind="finance.approve",
                    title=ngettext("审批支出 %(n)s 笔", "审批支出 %(n)s 笔", row["n"]) % {"n": row["n"]},
                    url=reverse("finance:payments") + "?status=pending",
                    unit_name=row["unit__name"],
                )
            )
    manage = scope_paths(user, "finance.manage")
    audit = scope_paths(user, "finance.audit")
    findings = Finding.objects.filter(closed_at__isnull=True)
    for paths, condition, kind, title in (
        (manage, Q(response=""), "finance.finding_respond", _("答复经费审查意见")),
        (audit, ~Q(response=""), "finance.finding_close", _("核实整改并销号")),
    ):
        if paths is not None and not paths:
            continue
        found = findings.filter(condition)
        if paths is not None:
            found = found.filter(subtree_q(paths, "audit__unit__path"))
        for finding in found.select_related("audit__unit")[:10]:
            todos.append(
                Todo(
                    kind=kind,
                    title=_("%(task)s：%(finding)s") % {"task": title, "finding": finding.text[:30]},
                    url=reverse("finance:audit", args=[finding.audit_id]),
                    unit_name=finding.audit.unit.name,
                    urgent=kind == "finance.finding_respond",
                )
            )
    return todos
