"""What collective contracts contribute: coverage metrics for plan targets and the federation, a summary
paragraph, a home card, and renewals due on the to-do list."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import EXPIRY_NOTICE_DAYS, Contract
from contracts.services import coverage
from core.figures import Card, SummarySection, home_card, metric, summary_section
from core.todo import Todo, todo_source
from orgs.access import has_permission, scope_paths, subtree_q


def _year_end(year):
    return min(timezone.localdate(), datetime.date(year, 12, 31))


@metric("contracts.coverage_rate", gettext_lazy("集体合同职工覆盖率"), "%")
def coverage_rate(unit, year):
    return coverage(unit, _year_end(year)).rate


@metric("contracts.in_force", gettext_lazy("有效集体合同"), "份")
def in_force(unit, year):
    return Contract.objects.in_subtree(unit).in_force(_year_end(year)).count()


@summary_section
def contracts_section(unit, year):
    signed = Contract.objects.in_subtree(unit).filter(signed_on__year=year)
    figures = coverage(unit, _year_end(year))
    if not signed.exists() and not figures.workers_covered:
        return None
    return SummarySection(
        heading=_("集体协商"),
        paragraphs=[
            _("全年签订集体合同%(n)s份，有效合同覆盖职工%(covered)s人%(rate)s。")
            % {
                "n": signed.count(),
                "covered": figures.workers_covered,
                "rate": _("，覆盖率%(rate)s%%") % {"rate": figures.rate} if figures.rate is not None else "",
            }
        ],
        figures=[(_("签订集体合同"), str(signed.count()))],
        order=75,
    )


@home_card
def contracts_card(request, unit):
    if not has_permission(request.user, "contracts.view", unit):
        return []
    today = timezone.localdate()
    expiring = list(Contract.objects.in_subtree(unit).expiring(today).order_by("ends_on")[:3])
    if not expiring:
        return []
    return [
        Card(
            title=_("集体合同即将到期"),
            value=str(len(expiring)),
            url=reverse("contracts:index"),
            todos=[(f"{c.title}（{c.ends_on:%Y-%m-%d}）", reverse("contracts:detail", args=[c.pk])) for c in expiring],
            order=66,
        )
    ]


@todo_source
def contracts_todos(user, *, today):
    """Contracts ending within the notice period and not yet renewed, for whoever handles the bargaining."""
    paths = scope_paths(user, "contracts.manage")
    if paths is not None and not paths:
        return []
    due = Contract.objects.expiring(today, EXPIRY_NOTICE_DAYS).filter(renewed_by__isnull=True).select_related("unit")
    if paths is not None:
        due = due.filter(subtree_q(paths, "unit__path"))
    return [
        Todo(
            kind="contracts.renew",
            title=_("集体合同到期前启动续签：%(title)s") % {"title": c.title},
            url=reverse("contracts:detail", args=[c.pk]),
            due=c.ends_on,
            unit_name=c.unit.name,
        )
        for c in due.order_by("ends_on")[:20]
    ]
