"""The to-dos of assessments: self-checks due, reviews waiting, titles expiring (re-assessment).

Each source reads the units where the person holds a role (their own units, as federation.todos
does) and lists a bounded number of records.
"""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import CheckStatus, Round, RoundStatus, SelfCheck
from assessments.services import EXPIRY_WARNING_DAYS
from core.language import written_date
from core.todo import Todo, todo_source
from orgs.access import units_with

LISTED = 20
DUE_SOON_DAYS = 7


def own_units(user, permission):
    """The ids of the units where ``user`` holds a role granting ``permission`` (no query: the
    request has read the assignments)."""
    return [unit.pk for unit in units_with(user, permission)]


@todo_source
def selfchecks_due(user, *, today):
    units = own_units(user, "assessments.manage")
    if not units:
        return []
    checks = (
        SelfCheck.objects.filter(unit_id__in=units, status=CheckStatus.DRAFT, round__status=RoundStatus.OPEN)
        .select_related("round", "unit")
        .order_by("round__deadline")[:LISTED]
    )
    return [
        Todo(
            kind="assessments.selfcheck_due",
            title=_("完成并提交自评：%(title)s") % {"title": c.round.title},
            url=reverse("assessments:check", args=[c.pk]),
            due=c.round.deadline,
            unit_name=c.unit.name,
            urgent=c.round.deadline <= today + datetime.timedelta(days=DUE_SOON_DAYS),
        )
        for c in checks
    ]


@todo_source
def reviews_waiting(user, *, today):
    units = own_units(user, "assessments.review")
    if not units:
        return []
    checks = (
        SelfCheck.objects.filter(
            round__unit_id__in=units,
            status=CheckStatus.SUBMITTED,
            round__status=RoundStatus.OPEN,
        )
        .select_related("round", "unit")
        .order_by("submitted_at")[:LISTED]
    )
    return [
        Todo(
            kind="assessments.review",
            title=_("审核%(unit)s的自评：%(title)s") % {"unit": c.unit.name, "title": c.round.title},
            url=reverse("assessments:review", args=[c.pk]),
            unit_name=c.unit.name,
        )
        for c in checks
    ]


@todo_source
def titles_expiring(user, *, today):
    """The unit hears that its title lapses; the federation that awarded it, that it should re-assess."""
    horizon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    expiring = SelfCheck.objects.filter(expires_on__gte=today, expires_on__lte=horizon).select_related("round", "unit")
    managed, reviewed = own_units(user, "assessments.manage"), own_units(user, "assessments.review")
    todos = [
        Todo(
            kind="assessments.title_expiring",
            title=_("“%(award)s”称号将于%(date)s到期，请准备重新考核")
            % {"award": c.round.award_title, "date": written_date(c.expires_on)},
            url=reverse("assessments:titles"),
            due=c.expires_on,
            unit_name=c.unit.name,
        )
        for c in (expiring.filter(unit_id__in=managed).order_by("expires_on")[:LISTED] if managed else [])
    ]
    todos += [
        Todo(
            kind="assessments.reassess",
            title=_("%(unit)s的“%(award)s”称号将于%(date)s到期，安排重新考核")
            % {"unit": c.unit.name, "award": c.round.award_title, "date": written_date(c.expires_on)},
            url=reverse("assessments:round", args=[c.round_id]),
            due=c.expires_on,
            unit_name=c.unit.name,
        )
        for c in (expiring.filter(round__unit_id__in=reviewed).order_by("expires_on")[:LISTED] if reviewed else [])
    ]
    return todos


@todo_source
def publicity_to_settle(user, *, today):
    """The organizer of a round in its 公示: objections to answer, and once the period is over, the
    result to confirm (the titles are conferred only then)."""
    units = own_units(user, "assessments.review")
    if not units:
        return []
    rounds = (
        Round.objects.filter(unit_id__in=units, status=RoundStatus.PUBLICIZING)
        .select_related("unit")
        .annotate(unanswered=Count("objections", filter=Q(objections__answered_on__isnull=True)))
        .order_by("publicity_until")[:LISTED]
    )
    todos = []
    for round_ in rounds:
        url = reverse("assessments:round", args=[round_.pk])
        if round_.unanswered:
            n = round_.unanswered
            title = ngettext("答复“%(title)s”结果公示的%(n)s条异议", "答复“%(title)s”结果公示的%(n)s条异议", n) % {
                "title": round_.title,
                "n": n,
            }
            todos.append(
                Todo(kind="assessments.objections", title=title, url=url, unit_name=round_.unit.name, urgent=True)
            )
        elif round_.publicity_over(today):
            title = _("“%(title)s”公示期满，确认结果并授予称号") % {"title": round_.title}
            todos.append(
                Todo(
                    kind="assessments.confirm",
                    title=title,
                    url=url,
                    due=round_.publicity_until,
                    unit_name=round_.unit.name,
                )
            )
    return todos
