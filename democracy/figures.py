"""What democratic management contributes to other apps: plan metrics, the year-end summary's
paragraph, home cards for representatives, handlers and the committee, to-dos, plan evidence and
calendar entries. Registered from DemocracyConfig.ready()."""

from decimal import Decimal

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.figures import (
    CalendarEntry,
    Card,
    Evidence,
    SummarySection,
    calendar_source,
    evidence,
    home_card,
    metric,
    summary_section,
)
from core.memo import shared
from core.todo import Todo, todo_source
from democracy.models import (
    Answer,
    Ballot,
    DisclosureItem,
    Kind,
    Notice,
    Opinion,
    Outcome,
    Proposal,
    ProposalStatus,
    Representative,
    Session,
)
from democracy.models.ballots import BallotStatus
from democracy.models.congress import SessionStatus
from democracy.models.proposals import OPEN_STATUSES
from democracy.services.proposals import handling_figures
from orgs.access import has_permission

TODO_CAP = 5


def _percent(part, whole):
    return None if not whole else (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def _proposals(unit, year):
    return Proposal.objects.in_subtree(unit).filter(kind=Kind.PROPOSAL, submitted_on__year=year)


@metric("democracy.proposals_on_time", gettext_lazy("提案按期答复率"), "%")
def proposals_on_time(unit, year):
    [row] = handling_figures(_proposals(unit, year))
    return _percent(row.on_time, row.answered)


@metric("democracy.satisfaction", gettext_lazy("提案人满意率"), "%")
def satisfaction(unit, year):
    [row] = handling_figures(_proposals(unit, year))
    return _percent(row.satisfied, row.rated)


@metric("democracy.disclosure_on_time", gettext_lazy("公开事项按时公开率"), "%")
def disclosure_on_time(unit, year):
    figures = (
        DisclosureItem.objects.in_subtree(unit)
        .filter(due_on__year=year, due_on__lte=timezone.localdate(), corrects__isnull=True)
        .aggregate(due=Count("pk"), on_time=Count("pk", filter=Q(published_on__lte=F("due_on"))))
    )
    return _percent(figures["on_time"], figures["due"])


@metric("democracy.suggestions_adopted", gettext_lazy("合理化建议采纳条数"), "条")
def suggestions_adopted(unit, year):
    return (
        Proposal.objects.in_subtree(unit)
        .filter(kind=Kind.SUGGESTION, submitted_on__year=year, outcome__in=[Outcome.ADOPTED, Outcome.PARTLY])
        .count()
    )


@metric("democracy.sessions_held", gettext_lazy("召开教代会（职代会）次数"), "次")
def sessions_held(unit, year):
    return Session.objects.in_subtree(unit).filter(status=SessionStatus.CLOSED, held_on__year=year).count()


@summary_section
def year_summary(unit, year):
    sessions = list(
        Session.objects.in_subtree(unit).filter(held_on__year=year).select_related("congress__unit", "unit")
    )
    [proposals] = handling_figures(_proposals(unit, year))
    suggestions = Proposal.objects.in_subtree(unit).received().filter(kind=Kind.SUGGESTION, submitted_on__year=year)
    adopted = suggestions.filter(outcome__in=[Outcome.ADOPTED, Outcome.PARTLY]).count()
    # A correction stands for the item it corrects: one disclosure, not two.
    disclosed = DisclosureItem.objects.in_subtree(unit).filter(published_on__year=year, corrects__isnull=True).count()
    if not (sessions or proposals.received or adopted or disclosed):
        return None
    paragraphs = []
    if sessions:
        paragraphs.append(
            _("全年召开%(names)s，代表依法行使民主权利。") % {"names": "、".join(s.name for s in sessions)}
        )
    if proposals.received:
        still_open = proposals.accepted - proposals.answered
        # The summary claims every proposal answered only when it is so: an officer hands this text in.
        closing = (
            _("另有%(open)s件正在办理。") % {"open": still_open}
            if still_open > 0
            else _("做到条条有答复、件件有落实。")
        )
        paragraphs.append(
            _(
                "收到代表提案%(received)s件，立案%(accepted)s件，已答复%(answered)s件，其中按期答复%(on_time)s件；"
                "提案人评价%(rated)s件，满意和基本满意%(satisfied)s件，"
            )
            % proposals.__dict__
            + closing
        )
    if suggestions.exists() or disclosed:
        paragraphs.append(
            _("征集合理化建议%(suggestions)s条，采纳%(adopted)s条；校务（厂务）公开%(disclosed)s项。")
            % {"suggestions": suggestions.count(), "adopted": adopted, "disclosed": disclosed}
        )
    figures = [
        (_("提案按期答复率"), _format(_percent(proposals.on_time, proposals.answered))),
        (_("提案人满意率"), _format(_percent(proposals.satisfied, proposals.rated))),
    ]
    return SummarySection(heading=_("民主管理"), paragraphs=paragraphs, figures=figures, order=35)


def _format(value):
    return "—" if value is None else f"{value}%"


# --- home cards and to-dos


def _to_answer(user):
    return Proposal.objects.filter(handler=user, status__in=OPEN_STATUSES).order_by("due_on")


def _first_to_answer(user):
    """The first proposals this person is to answer (with their unit): the home page's card and
    to-do source list the same ones, read once per page."""
    return shared(("democracy.to_answer", user.pk), lambda: list(_to_answer(user).select_related("unit")[:TODO_CAP]))


def _to_rate(user):
    unrated = Answer.objects.filter(rating="").values("proposal_id")
    return Proposal.objects.filter(author=user, status=ProposalStatus.ANSWERED, pk__in=unrated)


def _to_vet(user):
    return Proposal.objects.visible_to(user, "democracy.manage").filter(status=ProposalStatus.SUBMITTED)


@home_card
def democracy_cards(request, unit):
    user = request.user
    today = timezone.localdate()
    cards = [
        _representative_card(user, today),
        _answering_card(user, today),
        _management_card(user, unit, today) if has_permission(user, "democracy.manage", unit) else None,
    ]
    return [card for card in cards if card is not None]


def _representative_card(user, today):
    """A congress representative's own work: proposals to write, co-sign and rate."""
    representative = Representative.objects.serving(today).filter(member__user=user).select_related("congress").first()
    if representative is None:
        return None
    open_sessions = [
        s
        for s in Session.objects.filter(congress=representative.congress).exclude(status=SessionStatus.CLOSED)
        if s.window_open(today)
    ]
    cosigning = Proposal.objects.filter(
        session__congress=representative.congress, status=ProposalStatus.COSIGNING
    ).exclude(Q(author=user) | Q(cosigns__user=user))
    todos = [
        (_("写提案（%(name)s）") % {"name": s.short_name}, reverse("democracy:proposal_create", args=[s.pk]))
        for s in open_sessions
    ]
    todos += [
        (_("附议：%(title)s") % {"title": p.title}, reverse("democracy:proposal", args=[p.pk])) for p in cosigning[:3]
    ]
    todos += [
        (_("评价：%(title)s") % {"title": p.title}, reverse("democracy:proposal", args=[p.pk]))
        for p in _to_rate(user)[:3]
    ]
    return Card(title=_("代表工作"), value=str(len(todos)), url=reverse("democracy:index"), todos=todos, order=20)


def _answering_card(user, today):
    """The proposals and suggestions a handler has to answer, the late ones counted."""
    to_answer = _first_to_answer(user)
    if not to_answer:
        return None
    overdue = sum(1 for p in to_answer if p.due_on < today)
    return Card(
        title=_("待答复提案和建议"),
        # Fewer than the cap listed means that is all of them: no second statement to count.
        value=str(len(to_answer) if len(to_answer) < TODO_CAP else _to_answer(user).count()),
        note=_("其中 %(n)s 件已超期") % {"n": overdue} if overdue else "",
        url=reverse("democracy:proposals") + "?status=mine",
        todos=[
            (f"{p.title}（{date_format(p.due_on)}）", reverse("democracy:proposal", args=[p.pk])) for p in to_answer
        ],
        order=15,
    )


def _management_card(user, unit, today):
    """What the unit's democratic management owes: proposals to vet, late answers, opinions, disclosures."""
    # democracy.manage on the unit covers its whole subtree, so the proposals to vet there are
    # all those submitted in it: both counts from one statement.
    counts = Proposal.objects.in_subtree(unit).aggregate(
        to_vet=Count("pk", filter=Q(status=ProposalStatus.SUBMITTED)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
    )
    unreplied = Opinion.objects.in_subtree(unit).filter(replied_on__isnull=True).count()
    late_disclosures = DisclosureItem.objects.in_subtree(unit).overdue(today).count()
    to_vet, overdue = counts["to_vet"], counts["overdue"]
    # ngettext with the same Chinese twice: English says "1 opinion", "2 opinions".
    lines = (
        (
            to_vet,
            ngettext("%(n)s 件提案或建议待审查", "%(n)s 件提案或建议待审查", to_vet),
            reverse("democracy:proposals") + "?status=submitted",
        ),
        (overdue, ngettext("%(n)s 件超期未答复", "%(n)s 件超期未答复", overdue), reverse("democracy:statistics")),
        (
            unreplied,
            ngettext("%(n)s 条意见未答复", "%(n)s 条意见未答复", unreplied),
            reverse("democracy:opinion_inbox"),
        ),
        (
            late_disclosures,
            ngettext("%(n)s 项应公开未公开", "%(n)s 项应公开未公开", late_disclosures),
            reverse("democracy:disclosure"),
        ),
    )
    todos = [(text % {"n": n}, url) for n, text, url in lines if n]
    return Card(
        title=_("民主管理"),
        value=str(len(todos)),
        note=_("待办事项"),
        url=reverse("democracy:index"),
        todos=todos,
        order=25,
    )


@todo_source
def democracy_todos(user, *, today):
    found = []
    for proposal in _first_to_answer(user):
        found.append(
            Todo(
                kind="democracy.answer",
                title=_("答复%(kind)s：%(title)s") % {"kind": proposal.get_kind_display(), "title": proposal.title},
                url=reverse("democracy:proposal", args=[proposal.pk]),
                due=proposal.due_on,
                unit_name=proposal.unit.display_name,
                urgent=proposal.due_on < today,
            )
        )
    for proposal in _to_rate(user)[:TODO_CAP]:
        found.append(
            Todo(
                kind="democracy.rate",
                title=_("评价办理结果：%(title)s") % {"title": proposal.title},
                url=reverse("democracy:proposal", args=[proposal.pk]),
            )
        )
    for proposal in _to_vet(user).select_related("unit")[:TODO_CAP]:
        found.append(
            Todo(
                kind="democracy.vet",
                title=_("审查%(kind)s：%(title)s") % {"kind": proposal.get_kind_display(), "title": proposal.title},
                url=reverse("democracy:proposal", args=[proposal.pk]),
                unit_name=proposal.unit.display_name,
            )
        )
    return found


@evidence
def sessions_for_items(item_ids):
    found = {}
    for session in Session.objects.filter(schedule_item_id__in=item_ids).select_related("congress__unit", "unit"):
        found.setdefault(session.schedule_item_id, []).append(
            Evidence(
                label=session.name, url=reverse("democracy:session", args=[session.pk]), permission="democracy.view"
            )
        )
    return found


@calendar_source
def democracy_dates(user, unit, start, end):
    entries = [
        CalendarEntry(date=s.held_on, title=s.name, url=reverse("democracy:session", args=[s.pk]), kind="democracy")
        for s in Session.objects.readable_by(user)
        .in_subtree(unit)
        .filter(held_on__range=(start, end))
        .select_related("congress__unit", "unit")[:50]
    ]
    entries += [
        CalendarEntry(
            date=n.ends_on,
            title=_("公示截止：%(t)s") % {"t": n.title},
            url=reverse("democracy:notice", args=[n.pk]),
            kind="democracy",
        )
        for n in Notice.objects.readable_by(user).in_subtree(unit).filter(ends_on__range=(start, end))[:50]
    ]
    entries += [
        CalendarEntry(
            date=timezone.localdate(b.closed_at),
            title=_("投票截止：%(t)s") % {"t": b.title},
            url=reverse("democracy:ballot", args=[b.pk]),
            kind="democracy",
        )
        for b in Ballot.objects.readable_by(user)
        .in_subtree(unit)
        .filter(status=BallotStatus.CLOSED, closed_at__date__range=(start, end))[:50]
    ]
    return entries
