"""Congress pages: terms and representatives, sessions with check-in, quorum and resolutions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import refusal_on_form
from core.language import in_site_language
from core.params import id_param
from core.qr import svg_qr
from democracy import documents
from democracy.forms import (
    CongressForm,
    CongressRulesForm,
    ElectedOnForm,
    RepresentativeLeaveForm,
    ResolutionCountForm,
    ResolutionForm,
    SessionCloseForm,
    SessionForm,
)
from democracy.models import Congress, Proposal, Representative, Resolution, Session
from democracy.models.congress import serving_q
from democracy.services import DemocracyError
from democracy.services import congress as svc
from democracy.views.common import MANAGE, VIEW, home_union, refused, require, today
from members.models import Member
from orgs.access import has_permission


@login_required
def congress_list(request):
    union = home_union(request)
    require(request.user, VIEW, union)
    in_office = serving_q(today(), prefix="representatives__")
    congresses = (
        Congress.objects.visible_to(request.user, VIEW)
        .filter(unit=union)
        .select_related("unit")
        .annotate(in_office=Count("representatives", filter=in_office))
    )
    sessions = Session.objects.filter(congress__in=congresses).select_related("congress__unit", "unit")
    return render(
        request,
        "democracy/congress_list.html",
        {
            "union": union,
            "congresses": congresses,
            "sessions": sessions,
            "can_manage": has_permission(request.user, MANAGE, union),
        },
    )


@login_required
def congress_create(request):
    union = home_union(request)
    require(request.user, MANAGE, union)
    form = CongressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            congress = svc.congress_create(unit=union, **form.cleaned_data)
        except DemocracyError as error:
            form.add_error("number", error.message)
        else:
            return redirect("democracy:congress", congress.pk)
    return render(
        request,
        "democracy/form.html",
        {"form": form, "title": _("新建一届代表大会"), "cancel_url": reverse("democracy:congresses")},
    )


def _default_elected_on(congress, day):
    """The date a representative added now is taken as elected on: the term's start while its roster is
    first entered (no session held yet), else today, a by-election (补选)."""
    if congress.sessions.filter(held_on__lte=day).exists():
        return day
    return congress.starts_on


@login_required
def congress_detail(request, pk):
    congress = get_object_or_404(Congress.objects.visible_to(request.user, VIEW).select_related("unit"), pk=pk)
    can_manage = has_permission(request.user, MANAGE, congress.unit)
    if request.method == "POST" and can_manage:
        member = get_object_or_404(
            Member.objects.in_subtree(congress.unit), pk=id_param(request.POST.get("member"), name="member")
        )
        dated = ElectedOnForm(request.POST)
        try:
            if not dated.is_valid():
                raise DemocracyError(_("当选日期：%(error)s") % {"error": " ".join(dated.errors["elected_on"])})
            svc.representative_add(
                congress=congress,
                member=member,
                is_frontline=request.POST.get("is_frontline") == "on",
                elected_on=dated.cleaned_data["elected_on"] or _default_elected_on(congress, today()),
            )
        except DemocracyError as error:
            refused(request, error)
        return redirect("democracy:congress", congress.pk)
    day = today()
    everyone = congress.representatives.select_related("member__unit", "delegation")
    candidates = []
    query = request.GET.get("q", "").strip()
    if can_manage and query:
        candidates = (
            Member.objects.in_subtree(congress.unit)
            .in_union()
            .search(query)
            .exclude(representations__congress=congress)
            .select_related("unit")[:10]
        )
    return render(
        request,
        "democracy/congress_detail.html",
        {
            "congress": congress,
            "representatives": everyone.serving(day),
            "former": everyone.filter(left_on__lte=day),
            "quotas": svc.quota_checks(congress, today=day),
            "sessions": congress.sessions.all(),
            "can_manage": can_manage,
            "query": query,
            "candidates": candidates,
            "elected_on": _default_elected_on(congress, day) if candidates else None,
        },
    )


@login_required
def congress_edit(request, pk):
    congress = get_object_or_404(Congress.objects.visible_to(request.user, MANAGE).select_related("unit"), pk=pk)
    form = CongressRulesForm(request.POST or None, instance=congress)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存。"))
        return redirect("democracy:congress", congress.pk)
    return render(
        request,
        "democracy/form.html",
        {
            "form": form,
            "title": _("修改%(congress)s") % {"congress": congress},
            "cancel_url": reverse("democracy:congress", args=[congress.pk]),
        },
    )


def _representative_page(request, representative, leave_form=None):
    """A representative's record in the term; ``leave_form`` is the leaving form just sent, kept with its errors."""
    can_manage = has_permission(request.user, MANAGE, representative.unit) and not representative.left_on
    attended = Session.objects.filter(attendances__representative=representative).select_related("congress", "unit")
    return render(
        request,
        "democracy/representative_detail.html",
        {
            "representative": representative,
            "congress": representative.congress,
            "attended": attended,
            "can_manage": can_manage,
            "leave_form": leave_form or RepresentativeLeaveForm(initial={"left_on": today()}),
            "breadcrumbs": [
                {"label": _("代表大会"), "url": reverse("democracy:congresses")},
                {
                    "label": str(representative.congress),
                    "url": reverse("democracy:congress", args=[representative.congress_id]),
                },
                {"label": representative.member.name, "url": ""},
            ],
        },
    )


def _representative_for(request, permission=VIEW, **lookup):
    """The representative found by ``lookup`` (``pk=`` or the check-in code's ``token=``) if the user holds
    ``permission`` on their union, else 404; the query decides, nothing is read before."""
    return get_object_or_404(
        Representative.objects.visible_to(request.user, permission).select_related(
            "member__unit", "delegation", "congress__unit", "unit"
        ),
        **lookup,
    )


@login_required
def representative_detail(request, pk):
    representative = _representative_for(request, pk=pk)
    if request.method != "POST":
        return _representative_page(request, representative)
    representative = _representative_for(request, MANAGE, pk=pk)
    form = RepresentativeLeaveForm(request.POST)
    if form.is_valid():
        try:
            svc.representative_leave(
                representative=representative, on=form.cleaned_data["left_on"], reason=form.cleaned_data["left_reason"]
            )
        except DemocracyError as error:
            if refusal_on_form(request, form, error):
                return _representative_page(request, representative, form)
        else:
            messages.success(request, _("已登记%(name)s卸任。") % {"name": representative.member.name})
        return redirect("democracy:congress", representative.congress_id)
    return _representative_page(request, representative, form)


@login_required
@require_POST
def representative_remove(request, pk):
    representative = _representative_for(request, MANAGE, pk=pk)
    try:
        svc.representative_remove(representative=representative)
    except DemocracyError as error:
        refused(request, error)
        return redirect("democracy:representative", representative.pk)
    messages.success(request, _("已将%(name)s移出本届代表。") % {"name": representative.member.name})
    return redirect("democracy:congress", representative.congress_id)


@login_required
def session_create(request, pk):
    congress = get_object_or_404(Congress.objects.visible_to(request.user, MANAGE), pk=pk)
    form = SessionForm(request.POST or None, unit=congress.unit, year=today().year)
    if request.method == "POST" and form.is_valid():
        try:
            session = svc.session_add(congress=congress, session=form.save(commit=False))
        except DemocracyError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("democracy:session", session.pk)
    return render(
        request,
        "democracy/form.html",
        {"form": form, "title": _("新建会议"), "cancel_url": reverse("democracy:congress", args=[congress.pk])},
    )


def _session_for(request, pk, permission=VIEW):
    return get_object_or_404(
        Session.objects.visible_to(request.user, permission).select_related("congress__unit", "unit"), pk=pk
    )


@login_required
def session_edit(request, pk):
    session = _session_for(request, pk, MANAGE)
    if session.status == "closed":
        messages.error(request, _("会议已经闭幕，不能再修改。"))
        return redirect("democracy:session", session.pk)
    form = SessionForm(request.POST or None, instance=session, unit=session.unit, year=today().year)
    if request.method == "POST" and form.is_valid():
        try:
            svc.session_update(session=form.save(commit=False), fields=list(form.changed_data) or ["number"])
        except DemocracyError as error:
            if not refusal_on_form(request, form, error):
                return redirect("democracy:session", session.pk)
        else:
            messages.success(request, _("已保存。"))
            return redirect("democracy:session", session.pk)
    context = {
        "form": form,
        "title": _("修改%(session)s") % {"session": session},
        "cancel_url": reverse("democracy:session", args=[session.pk]),
    }
    return render(request, "democracy/form.html", context)


@login_required
def session_detail(request, pk):
    session = _session_for(request, pk)
    can_manage = has_permission(request.user, MANAGE, session.unit)
    present = set(session.attendances.values_list("representative_id", flat=True))
    return render(
        request,
        "democracy/session_detail.html",
        {
            "session": session,
            "quorum": svc.quorum_of(session),
            "representatives": svc.in_office_at(session).select_related("member__unit"),
            "present": present,
            "resolutions": session.resolutions.all(),
            "proposal_count": Proposal.objects.filter(session=session).received().count(),
            "can_manage": can_manage,
            "scan_messages": {
                "start": _("打开摄像头扫码"),
                "checked": _("已签到"),
                "stop": _("停止扫码"),
                "not_ours": _("这不是代表签到码。"),
                "checking": _("正在签到……"),
                "unknown": _("没有找到这个签到码。"),
                "network": _("网络出错，请再扫一次。"),
                "camera_error": _("无法打开摄像头，请在浏览器设置中允许使用摄像头，或在下面点名。"),
            },
        },
    )


@login_required
@require_POST
def session_check_in(request, pk, representative_pk):
    session = _session_for(request, pk, MANAGE)
    representative = get_object_or_404(Representative.objects.filter(congress=session.congress), pk=representative_pk)
    try:
        svc.session_check_in(session=session, representative=representative, by=request.user)
    except DemocracyError as error:
        refused(request, error)
    return redirect(reverse("democracy:session", args=[session.pk]) + "#roll")


@login_required
def representative_code(request, token):
    """What a scanned representative's code leads to (as activities' check-in codes do): the
    session page's scanner POSTs and gets JSON; a phone's own camera app opens a confirm page. Not a
    public page: the code is for the congress's officers to scan, and means nothing to anyone else."""
    representative = _representative_for(request, MANAGE, token=token)
    session = representative.congress.sessions.exclude(status="closed").order_by("held_on").first()
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if session is None:
        if wants_json:
            return JsonResponse({"ok": False, "message": _("本届没有正在召开的会议。")}, status=409)
        messages.error(request, _("本届没有正在召开的会议。"))
        return redirect("democracy:congress", representative.congress_id)
    if request.method != "POST":
        return render(request, "democracy/checkin_confirm.html", {"representative": representative, "session": session})
    expected = request.POST.get("session")
    try:
        if expected and expected != str(session.pk):
            raise DemocracyError(_("这是另一届代表的签到码。"))
        svc.session_check_in(session=session, representative=representative, by=request.user)
    except DemocracyError as error:
        ok, text = False, error.message
    else:
        ok = True
        text = _("%(name)s（%(unit)s）已签到。") % {
            "name": representative.member.name,
            "unit": representative.member.unit.display_name,
        }
    if wants_json:
        quorum = svc.quorum_of(session)
        return JsonResponse(
            {
                "ok": ok,
                "message": text,
                "present": quorum.present,
                "reached": quorum.reached,
                "representative": representative.pk,
            },
            status=200 if ok else 409,
        )
    (messages.success if ok else messages.error)(request, text)
    return redirect("democracy:session", session.pk)


@login_required
def my_code(request):
    """A representative's check-in code, shown on the phone at the door."""
    representative = (
        Representative.objects.serving(today())
        .filter(member__user=request.user)
        .select_related("congress__unit")
        .order_by("-pk")
        .first()
    )
    if representative is None:
        return render(request, "democracy/my_code.html", {"representative": None})
    return render(request, "democracy/my_code.html", {"representative": representative})


@login_required
def my_code_svg(request):
    representative = Representative.objects.serving(today()).filter(member__user=request.user).order_by("-pk").first()
    if representative is None:
        return HttpResponse(status=404)
    return svg_qr(request.build_absolute_uri(reverse("democracy:representative_code", args=[representative.token])))


@login_required
@require_POST
def resolution_add(request, pk):
    session = _session_for(request, pk, MANAGE)
    form = ResolutionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("表决事项：%(error)s") % {"error": " ".join(form.errors["title"])})
    else:
        try:
            svc.resolution_add(session=session, title=form.cleaned_data["title"])
        except DemocracyError as error:
            refused(request, error)
    return redirect(reverse("democracy:session", args=[session.pk]) + "#resolutions")


@login_required
@require_POST
def resolution_action(request, pk):
    resolution = get_object_or_404(Resolution.objects.visible_to(request.user, MANAGE), pk=pk)
    try:
        if request.POST.get("action") == "open":
            svc.resolution_open(resolution=resolution)
        else:
            form = ResolutionCountForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请填写赞成、反对、弃权的票数（不能为负数）。"))
            else:
                svc.resolution_record(resolution=resolution, **form.cleaned_data)
    except DemocracyError as error:
        refused(request, error)
    return redirect(reverse("democracy:session", args=[resolution.session_id]) + "#resolutions")


@login_required
def session_close(request, pk):
    session = _session_for(request, pk, MANAGE)
    form = SessionCloseForm(request.POST or None, initial={"minutes": session.minutes})
    if form.is_valid():
        try:
            svc.session_close(session=session, by=request.user, minutes=form.cleaned_data["minutes"])
            messages.success(request, _("会议已闭幕。"))
        except DemocracyError as error:
            refused(request, error)
        return redirect("democracy:session", session.pk)
    return render(request, "democracy/session_close.html", {"session": session, "form": form})


@login_required
@in_site_language
def session_document(request, pk, what):
    session = _session_for(request, pk)
    makers = {
        "notice": documents.session_notice,
        "documents": documents.session_documents,
        "report": documents.proposals_report,
    }
    if what not in makers:
        return HttpResponse(status=404)
    data, filename = makers[what](session)
    return documents.download(data, filename)
