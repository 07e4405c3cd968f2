"""What safety contributes: plan-target metrics, a summary paragraph, a home card, and overdue
hazards on the to-do list of whoever must act (officers who may close them)."""

from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.figures import Card, SummarySection, home_card, metric, summary_section
from core.todo import Todo, todo_source
from orgs.access import has_permission, scope_paths, subtree_q
from safety.models import Hazard, HazardStatus, Inspection


@metric("safety.inspections", gettext_lazy("安全检查次数"), "次")
def inspections(unit, year):
    return Inspection.objects.in_subtree(unit).in_year(year).count()


@metric("safety.hazards_closed_rate", gettext_lazy("隐患整改销号率"), "%")
def hazards_closed_rate(unit, year):
    counts = (
        Hazard.objects.in_subtree(unit)
        .filter(inspection__inspected_on__year=year)
        .aggregate(n=Count("id"), closed=Count("id", filter=Q(status=HazardStatus.CLOSED)))
    )
    if not counts["n"]:
        return None
    return (Decimal(counts["closed"]) * 100 / counts["n"]).quantize(Decimal("0.1"))


@summary_section
def safety_section(unit, year):
    done = inspections(unit, year)
    counts = (
        Hazard.objects.in_subtree(unit)
        .filter(inspection__inspected_on__year=year)
        .aggregate(n=Count("id"), closed=Count("id", filter=Q(status=HazardStatus.CLOSED)))
    )
    if not done and not counts["n"]:
        return None
    return SummarySection(
        heading=_("劳动保护"),
        paragraphs=[
            _("全年开展劳动保护监督检查%(done)s次，发现安全隐患%(n)s处，已整改销号%(closed)s处。")
            % {"done": done, "n": counts["n"], "closed": counts["closed"]}
        ],
        figures=[(_("安全检查"), str(done)), (_("发现隐患"), str(counts["n"]))],
        order=70,
    )


@home_card
def safety_card(request, unit):
    if not has_permission(request.user, "safety.view", unit):
        return []
    today = timezone.localdate()
    hazards = Hazard.objects.in_subtree(unit)
    counts = hazards.aggregate(
        open=Count("id", filter=~Q(status=HazardStatus.CLOSED)),
        overdue=Count("id", filter=Q(status=HazardStatus.OPEN, deadline__lt=today)),
    )
    if not counts["open"] and not has_permission(request.user, "safety.inspect", unit):
        return []
    return [
        Card(
            title=_("安全隐患"),
            value=str(counts["open"]),
            note=_("未销号，其中 %(n)s 处逾期") % {"n": counts["overdue"]},
            url=reverse("safety:index"),
            todos=[(_("登记一次安全检查"), reverse("safety:inspection_new"))]
            if has_permission(request.user, "safety.inspect", unit)
            else [],
            order=65,
        )
    ]


@todo_source
def safety_todos(user, *, today):
    """Hazards past their deadline go to the officers who may close them; fixed ones wait for their check.
    An inspector without that power follows up the overdue hazards they found."""
    paths = scope_paths(user, "safety.manage")
    if paths is not None and not paths:
        return _follow_ups(user, today)
    found = Hazard.objects.filter(
        Q(status=HazardStatus.OPEN, deadline__lt=today) | Q(status=HazardStatus.FIXED)
    ).select_related("unit")
    if paths is not None:
        found = found.filter(subtree_q(paths, "unit__path"))
    return [
        Todo(
            kind="safety.overdue" if h.status == HazardStatus.OPEN else "safety.close",
            title=(_("督促整改逾期隐患：%(what)s") if h.status == HazardStatus.OPEN else _("核实整改并销号：%(what)s"))
            % {"what": h.description[:30]},
            url=reverse("safety:hazard", args=[h.pk]),
            due=h.deadline,
            unit_name=h.unit.name,
            urgent=h.status == HazardStatus.OPEN,
        )
        for h in found.order_by("deadline")[:20]
    ]


def _follow_ups(user, today):
    """The overdue hazards an inspector found (within their reach), to press the unit about."""
    if not scope_paths(user, "safety.inspect"):
        return []
    found = (
        Hazard.objects.visible_to(user, "safety.inspect")
        .filter(status=HazardStatus.OPEN, deadline__lt=today, inspection__inspector=user)
        .select_related("unit")
    )
    return [
        Todo(
            kind="safety.follow_up",
            title=_("逾期未整改，请跟进：%(what)s") % {"what": h.description[:30]},
            url=reverse("safety:hazard", args=[h.pk]),
            due=h.deadline,
            unit_name=h.unit.name,
            urgent=True,
        )
        for h in found.order_by("deadline")[:20]
    ]
