"""Ballot pages: create, open, vote (once, secretly), close, sealed results, sign-off, paper entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from democracy.forms import BallotForm, PaperForm
from democracy.models import Ballot, BallotMethod, BallotStatus, Choice, Congress, Notice, Voter
from democracy.models.ballots import Electorate, Mode
from democracy.services import DemocracyError
from democracy.services import ballots as svc
from democracy.views.common import MANAGE, home_union, refused, require
from orgs.access import has_permission


def _readable(request, pk):
    return get_object_or_404(Ballot.objects.readable_by(request.user).select_related("unit"), pk=pk)


@login_required
def ballot_list(request):
    union = home_union(request)
    ballots = Ballot.objects.readable_by(request.user).filter(unit=union).exclude(status=BallotStatus.DRAFT)
    if has_permission(request.user, MANAGE, union):
        ballots = Ballot.objects.readable_by(request.user).filter(unit=union)
    voted = set(
        Voter.objects.filter(user=request.user, has_voted=True, ballot__in=ballots).values_list("ballot_id", flat=True)
    )
    return render(
        request,
        "democracy/ballot_list.html",
        {
            "ballots": ballots,
            "voted": voted,
            "union": union,
            "can_manage": has_permission(request.user, MANAGE, union),
        },
    )


@login_required
def ballot_create(request):
    union = home_union(request)
    require(request.user, MANAGE, union)
    form = BallotForm(request.POST or None, unit=union)
    if request.method == "POST" and form.is_valid():
        congress = _electing_congress(form, union)
        if not form.errors:
            ballot = svc.ballot_create(unit=union, congress=congress, **form.cleaned_data)
            return redirect("democracy:ballot", ballot.pk)
    return render(
        request,
        "democracy/form.html",
        {"form": form, "title": _("新建投票"), "cancel_url": reverse("democracy:ballots")},
    )


def _electing_congress(form, union):
    """The congress whose representatives vote, when the form says they do (its latest); else None."""
    if form.cleaned_data["electorate"] != Electorate.REPRESENTATIVES:
        return None
    congress = Congress.objects.filter(unit=union).order_by("-number").first()
    if congress is None:
        form.add_error("electorate", _("本单位还没有建立代表大会，不能由代表投票。"))
    return congress


@login_required
def ballot_edit(request, pk):
    """Correct a ballot before voting starts (afterwards it is what the voters were given)."""
    ballot = get_object_or_404(Ballot.objects.visible_to(request.user, MANAGE).select_related("unit"), pk=pk)
    if ballot.status != BallotStatus.DRAFT:
        messages.error(request, _("投票已经开始，不能再修改。"))
        return redirect("democracy:ballot", ballot.pk)
    # The creation form's fields as the ballot holds them; its candidates one a line, as typed.
    initial = {
        name: getattr(ballot, name) for name in BallotForm.base_fields if name not in ("candidates", "scrutineers")
    }
    initial["candidates"] = "\n".join(ballot.candidates.values_list("name", flat=True))
    initial["scrutineers"] = list(ballot.scrutineers.values_list("pk", flat=True))
    form = BallotForm(request.POST or None, unit=ballot.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        congress = _electing_congress(form, ballot.unit)
        if not form.errors:
            try:
                svc.ballot_revise(ballot=ballot, congress=congress, **form.cleaned_data)
            except DemocracyError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("已保存。"))
                return redirect("democracy:ballot", ballot.pk)
    return render(
        request,
        "democracy/form.html",
        {
            "form": form,
            "title": _("修改投票：%(title)s") % {"title": ballot.title},
            "cancel_url": reverse("democracy:ballot", args=[ballot.pk]),
        },
    )


@login_required
def ballot_detail(request, pk):
    ballot = _readable(request, pk)
    can_manage = has_permission(request.user, MANAGE, ballot.unit)
    results = None if ballot.is_sealed else svc.ballot_results(ballot)
    return render(
        request,
        "democracy/ballot_detail.html",
        {
            "ballot": ballot,
            "candidates": ballot.candidates.all(),
            "results": results,
            "can_manage": can_manage,
            "is_voter": ballot.voters.filter(user=request.user).exists(),
            "has_voted": svc.has_voted(ballot, request.user),
            "scrutineers": ballot.scrutineers.all(),
            "signed": set(ballot.signed_by.values_list("pk", flat=True)),
            "is_scrutineer": ballot.scrutineers.filter(pk=request.user.pk).exists(),
            "paper_entries": ballot.paper_counts.select_related("officer") if ballot.mode == Mode.PAPER else [],
            "notice": Notice.objects.filter(ballot=ballot).first(),
        },
    )


@login_required
@require_POST
def ballot_action(request, pk):
    ballot = get_object_or_404(Ballot.objects.visible_to(request.user, MANAGE), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "delete":
            svc.ballot_delete(ballot=ballot)
            messages.success(request, _("已删除投票“%(title)s”。") % {"title": ballot.title})
            return redirect("democracy:ballots")
        if action == "open":
            svc.ballot_open(ballot=ballot)
        elif action == "close":
            svc.ballot_close(ballot=ballot)
        elif action == "compare":
            comparison = svc.paper_compare(ballot=ballot)
            if comparison.agree:
                messages.success(request, _("两次录入一致，已计入计票结果。"))
            else:
                messages.error(request, _("两次录入不一致：") + "；".join(comparison.differences))
    except DemocracyError as error:
        refused(request, error)
    return redirect("democracy:ballot", ballot.pk)


@login_required
@require_POST
def ballot_sign(request, pk):
    ballot = _readable(request, pk)
    try:
        svc.ballot_sign(ballot=ballot, user=request.user)
        messages.success(request, _("已签字确认计票结果。"))
    except DemocracyError as error:
        refused(request, error)
    return redirect("democracy:ballot", ballot.pk)


def _paper_from(request, ballot):
    paper = svc.BallotPaper()
    for candidate in ballot.candidates.all():
        value = request.POST.get(f"c{candidate.pk}", "")
        if ballot.method == BallotMethod.CHOOSE and value == "on":
            paper.choices[candidate.pk] = Choice.CHOSEN
        elif ballot.method == BallotMethod.APPROVAL and value in (Choice.FOR, Choice.AGAINST, Choice.ABSTAIN):
            paper.choices[candidate.pk] = value
    paper.write_ins = [name for name in request.POST.getlist("write_in") if name.strip()]
    return paper


@login_required
def ballot_vote(request, pk):
    ballot = _readable(request, pk)
    error = None
    if request.method == "POST":
        try:
            svc.ballot_vote(ballot=ballot, user=request.user, paper=_paper_from(request, ballot))
        except DemocracyError as refusal:
            error = refusal.message
        else:
            messages.success(request, _("投票成功。您的选票不记录姓名和时间，任何人都无法知道您投给了谁。"))
            return redirect("democracy:ballot", ballot.pk)
    return render(
        request,
        "democracy/ballot_vote.html",
        {
            "ballot": ballot,
            "candidates": ballot.candidates.all(),
            "error": error,
            "has_voted": svc.has_voted(ballot, request.user),
            "is_voter": Voter.objects.filter(ballot=ballot, user=request.user).exists(),
            "write_in_slots": range(ballot.seats) if ballot.allow_write_in else [],
        },
    )


@login_required
def ballot_paper(request, pk):
    ballot = get_object_or_404(Ballot.objects.visible_to(request.user, MANAGE), pk=pk)
    form = PaperForm(request.POST or None, ballot=ballot)
    if request.method == "POST" and form.is_valid():
        try:
            svc.paper_enter(
                ballot=ballot,
                officer=request.user,
                returned=form.cleaned_data["returned"],
                invalid=form.cleaned_data["invalid"],
                counts=form.counts(),
            )
        except DemocracyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已录入。请另一位工作人员再录入一次后核对。"))
            return redirect("democracy:ballot", ballot.pk)
    return render(
        request,
        "democracy/form.html",
        {"form": form, "title": _("录入纸质选票计票"), "cancel_url": reverse("democracy:ballot", args=[ballot.pk])},
    )
