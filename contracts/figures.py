"""What collective contracts contribute: coverage metrics for plan targets and the federation, a summary
paragraph, a home card, and renewals due on the to-do list."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import Contract, Stage
from contracts.services import coverage
from core.figures import Card, SummarySection, home_card, metric, summary_section
from core.language import written_date
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
    # Renewed ones are done: the card counts what still needs the chair, and all of it, not the three it names.
    expiring = Contract.objects.in_subtree(unit).expiring(today).filter(renewed_by__isnull=True)
    named = list(expiring.order_by("ends_on")[:3])
    if not named:
        return []
    return [
        Card(
            title=_("集体合同即将到期"),
            value=str(len(named) if len(named) < 3 else expiring.count()),
            url=reverse("contracts:index"),
            todos=[
                (
                    _("%(title)s（%(date)s）") % {"title": c.title, "date": written_date(c.ends_on)},
                    reverse("contracts:detail", args=[c.pk]),
                )
                for c in named
            ],
            order=66,
        )
    ]


@todo_source
def contracts_todos(user, *, today):
    """For whoever handles the bargaining: contracts to renew (ending within the notice period, or lapsed
    and not renewed, which is the more urgent), and signed contracts to file with the labour authority."""
    paths = scope_paths(user, "contracts.manage")
    if paths is not None and not paths:
        return []
    contracts = Contract.objects.select_related("unit")
    if paths is not None:
        contracts = contracts.filter(subtree_q(paths, "unit__path"))
    return [
        *(_renew_todo(c, today) for c in contracts.due_for_renewal(today).order_by("ends_on")[:20]),
        *(_file_todo(c, today) for c in contracts.filter(stage=Stage.SIGNED).order_by("signed_on")[:20]),
    ]


def _renew_todo(contract, today):
    lapsed = contract.ends_on < today
    title = _("集体合同已到期，尽快续签：%(title)s") if lapsed else _("集体合同到期前启动续签：%(title)s")
    return Todo(
        kind="contracts.renew",
        title=title % {"title": contract.title},
        url=reverse("contracts:detail", args=[contract.pk]),
        due=contract.ends_on,
        unit_name=contract.unit.name,
        urgent=lapsed,
    )


def _file_todo(contract, today):
    due = contract.filing_due()
    return Todo(
        kind="contracts.file",
        title=_("集体合同签订后报送劳动保障部门备案：%(title)s") % {"title": contract.title},
        url=reverse("contracts:detail", args=[contract.pk]),
        due=due,
        unit_name=contract.unit.name,
        urgent=due < today,
    )
