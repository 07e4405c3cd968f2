"""What plans contribute to other pages: the items-done metric for plan targets and the
home-page cards (registered in PlansConfig.ready())."""

from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.figures import Card, home_card, metric
from orgs.access import has_permission
from plans.models import ItemStatus, Plan, PlanStatus, ScheduleItem, TargetState
from plans.services import target_statuses
from rollups import read

HOME_TODOS = 5


@metric("plans.items_done_rate", gettext_lazy("计划事项按期完成率"), "%")
def items_done_rate(unit, year, today=None):
    """Share (%) of the items due so far in published plans of the subtree that are done.

    Only items whose month has ended count, so the rate is a level that can be read at
    any time of the year; None when nothing is due yet.
    """
    today = today or timezone.localdate()
    items = ScheduleItem.objects.in_subtree(unit).filter(plan__year=year, plan__status=PlanStatus.PUBLISHED)
    items = items.exclude(status=ItemStatus.CANCELLED)
    if today.year == year:
        # By the month each item is now due in: a postponed item is not due before its new month.
        items = items.filter(
            Q(month__gte=1, month__lt=today.month) & ~Q(status=ItemStatus.POSTPONED)
            | Q(status=ItemStatus.POSTPONED, postponed_to__lt=today.month)
        )
    elif today.year < year:
        return None
    due = items.count()
    if not due:
        return None
    done = items.filter(status=ItemStatus.DONE).count()
    return Decimal(done * 100) / due


def _with_unit(item, unit):
    """An item's text, with the unit carrying it out when that is a unit below: a federation's
    list holds the items of many unions."""
    if item.unit_id == unit.pk:
        return item.text
    return _("%(text)s（%(unit)s）") % {"text": item.text, "unit": item.unit.display_name}


def _home_todos(items, unit, today):
    """The few to-dos of the month card: the overdue items first, then the open ones of this
    month."""
    # Each read in the order of the (month, plan, order) index: a province takes its first few
    # instead of sorting all its items.
    in_order = ("month", "plan_id", "order", "pk")
    overdue = items.overdue(today).select_related("unit").order_by(*in_order)
    todos = [
        (_("逾期：%(text)s") % {"text": _with_unit(i, unit)}, reverse("plans:item", args=[i.pk]))
        for i in overdue[:HOME_TODOS]
    ]
    this_month = items.in_month(today.year, today.month)
    open_now = this_month.filter(status__in=[ItemStatus.PLANNED, ItemStatus.IN_PROGRESS]).order_by(*in_order)
    todos += [
        (_with_unit(i, unit), reverse("plans:item", args=[i.pk]))
        for i in open_now.select_related("unit")[: HOME_TODOS - len(todos)]
    ]
    return todos


def _month_card(today, done, total, overdue_count, todos):
    """This month's items: how many are done, how many are late."""
    return Card(
        title=_("本月计划事项"),
        value=f"{done}/{total}",
        note=_("本月已完成/计划；逾期未完成 %(count)s 项") % {"count": overdue_count},
        url=reverse("plans:assigned") + f"?year={today.year}&month={today.month}",
        todos=todos,
        order=20,
    )


def _no_plan_card(today):
    """The nudge to draw up this year's plan, for whoever may."""
    return Card(
        title=_("%(year)s年工作计划") % {"year": today.year},
        value=_("未编制"),
        note=_("从模板或去年的计划开始，几分钟排好全年工作。"),
        url=reverse("plans:create"),
        order=20,
    )


def _targets_card(plan, today):
    """The published plan's targets: how many are achieved, the ones at risk as to-dos."""
    targets = target_statuses(plan.targets.select_related("plan__unit"), today=today)
    states = [t.state for t in targets]
    at_risk = [t.target for t in targets if t.state == TargetState.AT_RISK]
    url = reverse("plans:detail", args=[plan.pk]) + "#targets"
    return Card(
        title=_("%(year)s年工作目标") % {"year": today.year},
        value=f"{states.count(TargetState.ACHIEVED)}/{len(targets)}",
        note=_("已达成；有风险 %(count)s 项") % {"count": len(at_risk)} if at_risk else _("已达成；其余均在进度内"),
        url=url,
        todos=[(_("有风险：%(name)s") % {"name": t.name}, url) for t in at_risk[:HOME_TODOS]],
        order=21,
    )


@home_card
def plan_cards(request, unit):
    """This year's plan: items due this month, overdue items as to-dos, targets at risk."""
    if not has_permission(request.user, "plans.view", unit):
        return []
    today = timezone.localdate()
    items = (
        ScheduleItem.objects.visible_to(request.user, "plans.view")
        .in_subtree(unit)
        .filter(plan__year=today.year, plan__status=PlanStatus.PUBLISHED)
    )
    # The counts from the roll-ups (plans refresh them in the transaction of each change: exact),
    # the to-dos from the few rows shown.
    rolled = read.for_unit(unit, today.year)
    total, done = rolled.in_month(today.month), rolled.get(f"plans.done.{today.month}")
    overdue_count = rolled.overdue(today)
    own = Plan.objects.filter(unit=unit, year=today.year).first()
    cards = []
    if total or overdue_count:  # the items themselves are read only when the roll-ups say there are some
        cards.append(_month_card(today, done, total, overdue_count, _home_todos(items, unit, today)))
    elif own is None and has_permission(request.user, "plans.change", unit):
        cards.append(_no_plan_card(today))
    if own is not None and own.status == PlanStatus.PUBLISHED:
        cards.append(_targets_card(own, today))
    return cards
