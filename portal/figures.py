"""What the portal contributes elsewhere: to-dos for officers, and metrics for handed-down targets."""

import datetime

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.figures import Card, home_card, metric
from core.todo import Todo, todo_source
from orgs.access import has_permission
from portal.models import Application, ApplicationStatus

# An application unanswered this long is marked urgent: the applicant is waiting on their phone.
URGENT_AFTER_DAYS = 7


@todo_source
def applications_waiting(user, *, today):
    """One to-do per union with applications to decide (one query, however many there are)."""
    rows = (
        Application.objects.visible_to(user, "members.change")
        .filter(status=ApplicationStatus.PENDING)
        .values("unit__name")
        .annotate(count=Count("id"), oldest=Min("created_at"))
        .order_by("oldest")[:10]
    )
    todos = []
    for row in rows:
        oldest = timezone.localdate(row["oldest"])
        todos.append(
            Todo(
                kind="portal.application",
                title=_("审批入会申请（%(count)s份）") % {"count": row["count"]},
                url="/applications/",
                due=oldest + datetime.timedelta(days=URGENT_AFTER_DAYS),
                unit_name=row["unit__name"],
                urgent=(today - oldest).days >= URGENT_AFTER_DAYS,
            )
        )
    return todos


def _approved_in(unit, year):
    return Application.objects.approved().in_subtree(unit).filter(decided_at__year=year)


@metric("portal.joined_online", gettext_lazy("线上申请入会人数"), "人")
def joined_online(unit, year):
    return _approved_in(unit, year).count()


@metric("portal.migrant_joined_online", gettext_lazy("农民工线上申请入会人数"), "人")
def migrant_joined_online(unit, year):
    return _approved_in(unit, year).filter(is_migrant_worker=True).count()


@metric("portal.new_form_joined_online", gettext_lazy("新就业形态劳动者线上申请入会人数"), "人")
def new_form_joined_online(unit, year):
    return _approved_in(unit, year).filter(is_new_form_worker=True).count()


@home_card
def applications_card(request, unit):
    """Join applications waiting in the unit's subtree, and the way to the poster that brings them."""
    if not has_permission(request.user, "members.view", unit):
        return []
    waiting = Application.objects.visible_to(request.user, "members.view").in_subtree(unit).pending().count()
    return [
        Card(
            title=_("入会申请"),
            value=_("%(count)s 份待审批") % {"count": waiting},
            note=_("职工扫入会海报的二维码即可申请"),
            url="/applications/",
            todos=[(_("打印入会海报"), f"/join/{unit.code}/poster/")],
            order=25,
        )
    ]
