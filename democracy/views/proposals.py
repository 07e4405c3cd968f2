"""Proposal and suggestion pages: write, co-sign, vet and route, answer, rate, lists and figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import refusal_on_form
from core.pagination import CHILDREN_PER_PAGE, paginate
from core.params import id_param, year_param
from democracy.forms import AnswerForm, ProposalForm, RateForm, ReassignForm, RoutingForm, VetForm
from democracy.models import Kind, Outcome, Proposal, ProposalStatus, Session
from democracy.models.proposals import OPEN_STATUSES
from democracy.rollup import handling_of
from democracy.services import DemocracyError
from democracy.services import proposals as svc
from democracy.views.common import MANAGE, VIEW, home_union, refused, require, today
from orgs.access import has_permission, subtree_range
from orgs.models import UnitKind
from rollups import read as rollup_read


def _get(request, pk):
    return get_object_or_404(
        Proposal.objects.for_user(request.user).select_related("session__congress__unit", "unit", "author", "handler"),
        pk=pk,
    )


@login_required
def proposal_list(request):
    union = home_union(request)
    day = today()
    author = "me" if request.GET.get("author") == "me" else ""
    items = Proposal.objects.for_user(request.user)
    # One's own wherever they were made (as the overview's "我的提案和建议" counts them), else the union's.
    items = items.filter(author=request.user) if author else items.filter(unit=union)
    items = (
        items.select_related("author", "handler", "session__congress")
        .annotate(cosign_count=Count("cosigns"))
        .order_by("-submitted_on", "-pk")
    )
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    if kind in Kind.values:
        items = items.filter(kind=kind)
    if status == "overdue":
        items = items.overdue(day)
    elif status == "mine":
        items = items.filter(handler=request.user)
    elif status in ProposalStatus.values:
        items = items.filter(status=status)
    page = paginate(request, items)
    template = "democracy/_proposal_rows.html" if request.htmx else "democracy/proposal_list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "union": union,
            "kind": kind,
            "status": status,
            "author": author,
            "statuses": ProposalStatus.choices,
            "today": day,
            "can_manage": has_permission(request.user, MANAGE, union),
            "open_sessions": [
                s
                for s in Session.objects.filter(congress__representatives__member__user=request.user).select_related(
                    "congress__unit", "unit"
                )
                if s.window_open(day)
            ],
        },
    )


@login_required
def proposal_create(request, session_pk):
    session = get_object_or_404(
        Session.objects.filter(congress__representatives__member__user=request.user).select_related(
            "congress__unit", "unit"
        ),
        pk=session_pk,
    )
    form = ProposalForm(request.POST or None)
    similar = []
    if request.method == "POST" and form.is_valid():
        try:
            proposal = svc.proposal_submit(session=session, author=request.user, today=today(), **form.cleaned_data)
        except DemocracyError as error:
            form.add_error(error.field, error.message)
        else:
            if proposal.status == ProposalStatus.COSIGNING:
                messages.success(request, _("提案已提交。它还需要其他代表附议：可以把本页的链接发给他们。"))
            else:
                messages.success(request, _("提案已提交，等待提案委员会审查。"))
            return redirect("democracy:proposal", proposal.pk)
    return render(
        request,
        "democracy/proposal_form.html",
        {"form": form, "session": session, "similar": similar, "title": _("写提案")},
    )


@login_required
def suggestion_create(request):
    union = home_union(request)
    # Anyone working in the union (any role on it or below it) may make a suggestion to it.
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = svc.suggestion_submit(unit=union, author=request.user, today=today(), **form.cleaned_data)
        except DemocracyError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("建议已提交。"))
            return redirect("democracy:proposal", proposal.pk)
    return render(request, "democracy/proposal_form.html", {"form": form, "session": None, "title": _("提合理化建议")})


@login_required
def similar(request):
    """htmx: earlier proposals resembling what is being written."""
    union = home_union(request)
    title = request.GET.get("title", "")[:100]
    found = (
        svc.similar_items(unit=union, user=request.user, title=title, reasons=request.GET.get("reasons", "")[:300])
        if len(title) >= 4
        else []
    )
    return render(request, "democracy/_similar.html", {"found": _with_answers(found)})


def _with_answers(found):
    """(proposal, its latest answer or None) for each similar proposal, in one query."""
    answers = svc.latest_answers([p for p, _score in found])
    return [(p, answers.get(p.pk)) for p, _score in found]


@login_required
def proposal_detail(request, pk):
    return _render_proposal(request, _get(request, pk))


def _render_proposal(request, proposal, bound=None):
    """The proposal's page; ``bound`` holds a form just sent (by its name in the page), with its input and
    errors, in place of the empty one."""
    user = request.user
    day = today()
    can_manage = has_permission(user, MANAGE, proposal.unit)
    is_rep = proposal.session_id and svc.is_representative(user, proposal.session.congress)
    answers = list(proposal.answers.select_related("by"))
    cosigns = list(proposal.cosigns.select_related("user"))
    found = svc.similar_items(
        unit=proposal.unit, user=user, title=proposal.title, reasons=proposal.reasons, exclude_pk=proposal.pk
    )
    forms = {
        "routing_form": RoutingForm(unit=proposal.unit),
        "vet_form": VetForm(),
        "answer_form": AnswerForm(is_proposal=proposal.is_proposal),
        "rate_form": RateForm(),
        "reassign_form": ReassignForm(
            unit=proposal.unit,
            initial={"department": proposal.department, "handler": proposal.handler_id, "due_on": proposal.due_on},
        ),
        **(bound or {}),
    }
    return render(
        request,
        "democracy/proposal_detail.html",
        {
            "proposal": proposal,
            "answers": answers,
            "cosigns": cosigns,
            "co_handlers": list(proposal.co_handlers.all()),
            "can_cosign": proposal.status == ProposalStatus.COSIGNING
            and is_rep
            and proposal.author_id != user.pk
            and all(c.user_id != user.pk for c in cosigns),
            "can_vet": can_manage and proposal.status == ProposalStatus.SUBMITTED,
            "can_close": can_manage and proposal.status == ProposalStatus.ANSWERED,
            "can_reassign": can_manage and proposal.status in OPEN_STATUSES,
            "can_answer": proposal.may_answer(user),
            "can_withdraw": svc.may_withdraw(proposal, user),
            "can_invite": proposal.status == ProposalStatus.COSIGNING and proposal.author_id == user.pk,
            "share_url": request.build_absolute_uri(reverse("democracy:proposal", args=[proposal.pk])),
            "can_rate": proposal.author_id == user.pk
            and proposal.status == ProposalStatus.ANSWERED
            and answers
            and not answers[-1].rating,
            **forms,
            "found": _with_answers(found),
            "today": day,
            "overdue": proposal.is_overdue(day),
            "required": proposal.session.congress.cosigners_required if proposal.session_id else 0,
        },
    )


def _sent_back(request, proposal, name, form, error=None):
    """The proposal's page again with the form just sent, what was typed in it and what is wrong (a
    refusal about the proposal's state, which may no longer offer the form, goes above the page)."""
    if error is not None and not refusal_on_form(request, form, error):
        return redirect("democracy:proposal", proposal.pk)
    return _render_proposal(request, proposal, bound={name: form})


@login_required
@require_POST
def proposal_cosign(request, pk):
    proposal = _get(request, pk)
    try:
        svc.proposal_cosign(proposal=proposal, user=request.user, today=today())
        messages.success(request, _("已附议。"))
    except DemocracyError as error:
        refused(request, error)
    return redirect("democracy:proposal", proposal.pk)


@login_required
@require_POST
def proposal_route(request, pk):
    """Accept a proposal (立案) and route it, or route a suggestion."""
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user, MANAGE), pk=pk)
    form = RoutingForm(request.POST, unit=proposal.unit)
    if not form.is_valid():
        return _sent_back(request, proposal, "routing_form", form)
    routing = dict(form.cleaned_data)
    try:
        if proposal.is_proposal:
            svc.proposal_vet(
                proposal=proposal, decision=svc.Decision.ACCEPT, by=request.user, today=today(), routing=routing
            )
        else:
            svc.item_route(proposal=proposal, today=today(), **routing)
    except DemocracyError as error:
        return _sent_back(request, proposal, "routing_form", form, error)
    messages.success(request, _("已交办。"))
    return redirect("democracy:proposal", proposal.pk)


@login_required
@require_POST
def proposal_vet(request, pk):
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user, MANAGE), pk=pk)
    form = VetForm(request.POST)
    if not form.is_valid():
        return _sent_back(request, proposal, "vet_form", form)
    merged_into = None
    if form.cleaned_data["decision"] == svc.Decision.MERGE and form.cleaned_data["merged_into"]:
        number = form.cleaned_data["merged_into"]
        merged_into = Proposal.objects.filter(
            unit=proposal.unit, session=proposal.session, kind=Kind.PROPOSAL, number=number
        ).first()
        if merged_into is None:
            form.add_error("merged_into", _("本次会议没有编号为%(n)s的提案（编号在立案时给出）。") % {"n": number})
            return _sent_back(request, proposal, "vet_form", form)
    try:
        svc.proposal_vet(
            proposal=proposal,
            decision=form.cleaned_data["decision"],
            by=request.user,
            today=today(),
            reason=form.cleaned_data["reason"],
            merged_into=merged_into,
        )
    except DemocracyError as error:
        return _sent_back(request, proposal, "vet_form", form, error)
    return redirect("democracy:proposal", proposal.pk)


@login_required
@require_POST
def proposal_answer(request, pk):
    proposal = _get(request, pk)
    form = AnswerForm(request.POST, is_proposal=proposal.is_proposal)
    if not form.is_valid():
        return _sent_back(request, proposal, "answer_form", form)
    try:
        svc.item_answer(proposal=proposal, by=request.user, today=today(), **form.cleaned_data)
    except DemocracyError as error:
        return _sent_back(request, proposal, "answer_form", form, error)
    messages.success(request, _("已答复，等待提出人评价。"))
    return redirect("democracy:proposal", proposal.pk)


@login_required
@require_POST
def proposal_rate(request, pk):
    proposal = _get(request, pk)
    form = RateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            svc.item_rate(
                proposal=proposal, by=request.user, rating=data["rating"], reason=data["reason"], today=today()
            )
        except DemocracyError as error:
            # A refusal about the proposal's state (rated already, reopened) goes above the page: the
            # rating form is no longer shown to hold it.
            return _sent_back(request, proposal, "rate_form", form, error)
        messages.success(request, _("感谢您的评价。"))
        return redirect("democracy:proposal", proposal.pk)
    # Refused: the page again with the rating and the reason as typed, not lost to a redirect.
    return _render_proposal(request, proposal, bound={"rate_form": form})


@login_required
@require_POST
def proposal_reassign(request, pk):
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user, MANAGE), pk=pk)
    form = ReassignForm(request.POST, unit=proposal.unit)
    if not form.is_valid():
        return _sent_back(request, proposal, "reassign_form", form)
    try:
        svc.item_reassign(proposal=proposal, today=today(), **form.cleaned_data)
    except DemocracyError as error:
        return _sent_back(request, proposal, "reassign_form", form, error)
    messages.success(request, _("已改派，新的主办人会收到通知。"))
    return redirect("democracy:proposal", proposal.pk)


@login_required
@require_POST
def proposal_withdraw(request, pk):
    proposal = _get(request, pk)
    try:
        svc.item_withdraw(proposal=proposal, by=request.user, today=today())
    except DemocracyError as error:
        refused(request, error)
        return redirect("democracy:proposal", proposal.pk)
    messages.success(request, _("已撤回“%(title)s”。") % {"title": proposal.title})
    return redirect(reverse("democracy:proposals") + "?author=me")


@login_required
@require_POST
def proposal_close(request, pk):
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user, MANAGE), pk=pk)
    try:
        svc.item_close(proposal=proposal, today=today())
    except DemocracyError as error:
        refused(request, error)
    return redirect("democracy:proposal", proposal.pk)


OVERDUE_SHOWN = 50


@login_required
def statistics(request):
    union = home_union(request)
    require(request.user, VIEW, union)
    # A federation's figures are those of the unions below it too (each answers its own congress), with a
    # row per union; a union's are its own, by department.
    is_federation = union.kind == UnitKind.FEDERATION
    session_pk = id_param(request.GET.get("session"), name="session")
    if is_federation and not session_pk:
        return _federation_statistics(request, union)
    items = Proposal.objects.visible_to(request.user, VIEW).filter(unit__path__range=subtree_range(union.path))
    sessions = Session.objects.filter(unit=union).select_related("congress__unit", "unit")
    if session_pk:
        items = items.filter(session_id=session_pk)
    overdue = list(
        items.overdue(today()).select_related("handler", "unit").order_by("due_on", "pk")[: OVERDUE_SHOWN + 1]
    )
    return render(
        request,
        "democracy/statistics.html",
        {
            "union": union,
            "is_federation": is_federation,
            "sessions": sessions,
            "session_pk": session_pk,
            "total": svc.handling_figures(items.proposals()),
            "by_department": [] if is_federation else svc.handling_figures(items.proposals(), group_by="department"),
            "by_unit": svc.handling_figures(items, group_by="unit__name") if is_federation else [],
            "suggestions": svc.handling_figures(items.suggestions()),
            "overdue": overdue[:OVERDUE_SHOWN],
            "more_overdue": len(overdue) > OVERDUE_SHOWN,
            "today": today(),
        },
    )


def _federation_statistics(request, union):
    """A federation's 提案统计 for a year, from the roll-ups (democracy.rollup, exact as each change commits):
    the subtree's proposals received, accepted, answered (on time) and rated, and its suggestions received,
    answered and adopted, with a row per unit directly below and one of the federation's own. The overdue
    list holds the federation's own: over a province's subtree it would scan every proposal of every union."""
    year = year_param(request.GET.get("year"), today().year)
    page = paginate(request, rollup_read.children_listed(union, year), CHILDREN_PER_PAGE)
    found = rollup_read.for_units([union.pk, *(child.pk for child in page.object_list)], year)
    own = rollup_read.own_of(union, year)
    overdue = list(
        Proposal.objects.visible_to(request.user, VIEW)
        .filter(unit=union)
        .overdue(today())
        .select_related("handler", "unit")
        .order_by("due_on", "pk")[: OVERDUE_SHOWN + 1]
    )
    context = {
        "union": union,
        "year": year,
        "years": range(today().year, today().year - 5, -1),
        "sessions": Session.objects.filter(unit=union).select_related("congress__unit", "unit"),
        "total": found[union.pk],
        "total_proposals": handling_of(found[union.pk]),
        "own": own,
        "own_proposals": handling_of(own),
        "rows": [(child, found[child.pk], handling_of(found[child.pk])) for child in page.object_list],
        "page": page,
        "overdue": overdue[:OVERDUE_SHOWN],
        "more_overdue": len(overdue) > OVERDUE_SHOWN,
    }
    return render(request, "democracy/statistics_federation.html", context)


@login_required
def commendation(request):
    """The year's adopted suggestions with their benefit and reward: the list for commendation."""
    union = home_union(request)
    require(request.user, VIEW, union)
    year = year_param(request.GET.get("year"), today().year)
    adopted = (
        Proposal.objects.visible_to(request.user, VIEW)
        .filter(
            unit=union, kind=Kind.SUGGESTION, submitted_on__year=year, outcome__in=[Outcome.ADOPTED, Outcome.PARTLY]
        )
        .select_related("author")
        .order_by(F("benefit").desc(nulls_last=True), "pk")
    )
    totals = adopted.aggregate(benefit=Sum("benefit"), reward=Sum("reward"))
    return render(
        request,
        "democracy/commendation.html",
        {"page": paginate(request, adopted), "year": year, "totals": totals, "union": union},
    )
