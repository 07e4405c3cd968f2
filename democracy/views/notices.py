"""公示 pages: publish (from a closed ballot or on its own), objections, answers, finalizing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.params import id_param
from democracy.forms import NoticeForm, ObjectionAnswerForm, ObjectionForm
from democracy.models import Ballot, Notice, Objection
from democracy.services import DemocracyError
from democracy.services import ballots as ballot_svc
from democracy.services import notices as svc
from democracy.views.common import MANAGE, home_union, refused, require, today
from orgs.access import has_permission


@login_required
def notice_list(request):
    union = home_union(request)
    notices = Notice.objects.readable_by(request.user).filter(unit=union)
    return render(
        request,
        "democracy/notice_list.html",
        {"notices": notices, "today": today(), "can_manage": has_permission(request.user, MANAGE, union)},
    )


def _draft_from(ballot):
    results = ballot_svc.ballot_results(ballot)
    names = "、".join(r.name for r in results.elected)
    return _("经投票，%(names)s当选%(title)s，现予公示。公示期间如有异议，请通过本页或向工会反映。") % {
        "names": names or _("（无人当选）"),
        "title": ballot.title,
    }


@login_required
def notice_create(request):
    union = home_union(request)
    require(request.user, MANAGE, union)
    ballot = None
    if ballot_id := id_param(request.GET.get("ballot") or request.POST.get("ballot"), name="ballot"):
        ballot = get_object_or_404(Ballot.objects.visible_to(request.user, MANAGE), pk=ballot_id)
    initial = {}
    if ballot is not None and not ballot.is_sealed:
        initial = {"title": _("%(title)s结果公示") % {"title": ballot.title}, "body": _draft_from(ballot)}
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notice = svc.notice_publish(unit=union, by=request.user, today=today(), ballot=ballot, **form.cleaned_data)
        except DemocracyError as error:
            form.add_error(None, error.message)
        else:
            return redirect("democracy:notice", notice.pk)
    return render(
        request,
        "democracy/form.html",
        {
            "form": form,
            "title": _("发布公示"),
            "hidden": {"ballot": ballot.pk if ballot else ""},
            "cancel_url": reverse("democracy:ballot", args=[ballot.pk]) if ballot else reverse("democracy:notices"),
        },
    )


@login_required
def notice_detail(request, pk):
    notice = get_object_or_404(Notice.objects.readable_by(request.user).select_related("unit"), pk=pk)
    can_manage = has_permission(request.user, MANAGE, notice.unit)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.objection_add(
                notice=notice,
                text=form.cleaned_data["text"],
                today=today(),
                user=None if form.cleaned_data["anonymous"] else request.user,
            )
        except DemocracyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("异议已提交，工会将作出答复。"))
            return redirect("democracy:notice", notice.pk)
    objections = notice.objections.select_related("user")
    return render(
        request,
        "democracy/notice_detail.html",
        {
            "notice": notice,
            "objections": objections,
            "form": form,
            "answer_form": ObjectionAnswerForm(),
            "can_manage": can_manage,
            "in_period": notice.in_period(today()),
            "today": today(),
        },
    )


@login_required
@require_POST
def objection_answer(request, pk):
    notices = Notice.objects.visible_to(request.user, MANAGE)
    objection = get_object_or_404(Objection.objects.filter(notice__in=notices).select_related("notice"), pk=pk)
    form = ObjectionAnswerForm(request.POST)
    if form.is_valid():
        try:
            svc.objection_answer(objection=objection, today=today(), **form.cleaned_data)
        except DemocracyError as error:
            refused(request, error)
    else:
        messages.error(request, _("请填写答复并选择结论。"))
    return redirect("democracy:notice", objection.notice_id)


@login_required
@require_POST
def notice_finalize(request, pk):
    notice = get_object_or_404(Notice.objects.visible_to(request.user, MANAGE), pk=pk)
    try:
        svc.notice_finalize(notice=notice, today=today())
        messages.success(request, _("公示期满无异议，结果已生效并存档。"))
    except DemocracyError as error:
        refused(request, error)
    return redirect("democracy:notice", notice.pk)
