"""Assessments in the shared figures: a metric, a summary paragraph and a home card."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import CheckStatus, Round, RoundStatus, SelfCheck
from core.figures import CalendarEntry, Card, SummarySection, calendar_source, home_card, metric, summary_section
from orgs.access import ancestor_paths, has_permission


@metric("assessments.titles_held", gettext_lazy("持有的考核评比称号"), "个")
def titles_held(unit, year):
    """Titles held at the end of ``year`` by the unit and the units below it."""
    import datetime

    end = datetime.date(year, 12, 31)
    return (
        SelfCheck.objects.in_subtree(unit)
        .filter(awarded_on__isnull=False, awarded_on__lte=end, expires_on__gte=end)
        .count()
    )


@summary_section
def year_summary(unit, year):
    checks = list(
        SelfCheck.objects.in_subtree(unit)
        .filter(round__year=year, round__status=RoundStatus.CLOSED, status=CheckStatus.REVIEWED)
        .select_related("round", "unit")
        .order_by("unit__path")
    )
    organized = Round.objects.filter(unit=unit, year=year).count()
    if not checks and not organized:
        return None
    paragraphs = []
    awarded = [c for c in checks if c.awarded_on]
    if awarded:
        paragraphs.append(
            _("在上级组织的考核评比中，%(list)s。")
            % {
                "list": "；".join(
                    _("%(unit)s被评为“%(award)s”（%(total)s分）")
                    % {"unit": c.unit.name, "award": c.round.award_title, "total": c.total}
                    for c in awarded
                )
            }
        )
    elif checks:
        paragraphs.append(_("参加上级组织的考核评比%(count)s次，对照标准查找了不足。") % {"count": len(checks)})
    if organized:
        paragraphs.append(
            _("本级组织考核评比%(count)s次，对下级单位逐项审核、实地检查、排名表彰。") % {"count": organized}
        )
    return SummarySection(
        heading=_("考核评比"),
        paragraphs=paragraphs,
        figures=[(_("获得称号"), str(len(awarded)))],
        order=80,
    )


@home_card
def assessment_cards(request, unit):
    """Self-checks to finish (the unit's own) and self-checks to review (a federation's)."""
    user = request.user
    if not has_permission(user, "assessments.view", unit):
        return []
    cards = []
    if has_permission(user, "assessments.manage", unit):
        drafts = list(
            SelfCheck.objects.visible_to(user, "assessments.manage")
            .filter(unit=unit, status=CheckStatus.DRAFT, round__status=RoundStatus.OPEN)
            .select_related("round")
            .order_by("round__deadline")[:5]
        )
        if drafts:
            cards.append(
                Card(
                    title=_("考核自评"),
                    value=str(len(drafts)),
                    note=_("份自评待提交"),
                    url=reverse("assessments:index"),
                    todos=[
                        (
                            _("%(title)s（%(due)s截止）")
                            % {"title": c.round.title, "due": date_format(c.round.deadline)},
                            reverse("assessments:check", args=[c.pk]),
                        )
                        for c in drafts
                    ],
                    order=70,
                )
            )
    if has_permission(user, "assessments.review", unit) and unit.numchild:
        waiting = (
            SelfCheck.objects.visible_to(user, "assessments.review")
            .filter(round__unit=unit, round__status=RoundStatus.OPEN)
            .aggregate(
                submitted=Count("pk", filter=Q(status=CheckStatus.SUBMITTED)),
                total=Count("pk", filter=~Q(status=CheckStatus.DRAFT)),
            )
        )
        submitted, total = waiting["submitted"], waiting["total"]
        if total:
            cards.append(
                Card(
                    title=_("考核评比审核"),
                    value=f"{total - submitted}/{total}",
                    note=_("已审核/已提交；待审核 %(count)s 份") % {"count": submitted},
                    url=reverse("assessments:index"),
                    order=70,
                )
            )
    return cards


@calendar_source
def assessment_dates(user, unit, start, end):
    """Self-check deadlines of the rounds the unit organizes or may take part in."""
    rounds = (
        Round.objects.visible_to(user, "assessments.view")
        .filter(Q(unit=unit) | Q(unit__path__in=ancestor_paths([unit.path])))
        .filter(status=RoundStatus.OPEN, deadline__range=(start, end))[:50]
    )
    return [
        CalendarEntry(
            date=r.deadline,
            title=_("自评截止：%(title)s") % {"title": r.title},
            url=reverse("assessments:round", args=[r.pk]),
            kind="assessments",
        )
        for r in rounds
    ]
