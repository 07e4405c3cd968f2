"""Officers' side of registration: the list, registering on someone's behalf, export, check-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import services
from activities.exporting import registration_columns, registration_rows
from activities.models import Registration, RegistrationStatus, Status
from activities.views.common import breadcrumbs, get_activity, get_managed_activity, member_of
from core.pagination import paginate
from core.params import id_param
from core.qr import svg_qr
from core.routing import reads_from_replica
from core.tables import table_response
from members.models import Member
from orgs.access import has_permission

SEARCH_LIMIT = 20


def _registrations(activity):
    return activity.registrations.select_related("member__unit").order_by("status", "created_at", "id")


def _eligible_members(activity):
    return Member.objects.in_subtree(activity.unit).in_union().select_related("unit")


def _get_registration(request, pk, permission):
    """A registration for an activity the user holds ``permission`` on (activities.manage to cancel it,
    activities.checkin to tick it: both on the activity's own unit), else 404; the query decides."""
    registrations = Registration.objects.visible_to(request.user, permission)
    return get_object_or_404(registrations.select_related("activity__unit", "member__unit"), pk=pk)


@login_required
def registrations(request, pk):
    activity = get_managed_activity(request, pk, "activities.checkin")
    status = request.GET.get("status", "")
    rows = _registrations(activity)
    if status in RegistrationStatus.values:
        rows = rows.filter(status=status)
    else:
        rows = rows.exclude(status=RegistrationStatus.CANCELLED)
    counts = {
        s: activity.registrations.filter(status=s).count()
        for s in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)
    }
    return render(
        request,
        "activities/registrations.html",
        {
            "activity": activity,
            "page": paginate(request, rows),
            "status": status,
            "statuses": RegistrationStatus.choices,
            "counts": counts,
            "attended": activity.registrations.attended().count(),
            "can_manage": has_permission(request.user, "activities.manage", activity.unit),
            # Registering someone and cancelling a place stop once the activity is held or cancelled.
            "registration_live": activity.status in (Status.OPEN, Status.CLOSED),
            "breadcrumbs": breadcrumbs(activity, _("报名名单")),
        },
    )


@login_required
def member_search(request, pk):
    """Members of the activity's subtree matching a name, pinyin or initials (htmx results)."""
    activity = get_managed_activity(request, pk, "activities.checkin")
    query = request.GET.get("q", "").strip()
    mode = "walk_in" if request.GET.get("mode") == "walk_in" else "register"
    found = list(_eligible_members(activity).search(query)[:SEARCH_LIMIT]) if query else []
    return render(
        request,
        "activities/_member_results.html",
        {"activity": activity, "found": found, "query": query, "mode": mode},
    )


@login_required
@require_POST
def register_member(request, pk):
    """An officer registers a member on their behalf (the member may have no phone or account)."""
    activity = get_managed_activity(request, pk)
    member = get_object_or_404(_eligible_members(activity), pk=id_param(request.POST.get("member"), name="member"))
    try:
        registration = services.registration_add(activity=activity, member=member, by=request.user)
    except services.ActivityError as error:
        messages.error(request, str(error))
    else:
        if registration.status == RegistrationStatus.WAITING:
            messages.warning(request, _("名额已满，%(name)s已进入候补名单。") % {"name": member.name})
        else:
            messages.success(request, _("已为%(name)s报名。") % {"name": member.name})
    return redirect("activities:registrations", activity.pk)


@login_required
@require_POST
def cancel_registration(request, pk):
    registration = _get_registration(request, pk, "activities.manage")
    try:
        promoted = services.registration_cancel(registration=registration, by=request.user)
    except services.ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已取消%(name)s的报名。") % {"name": registration.member.name})
        for each in promoted:
            messages.info(request, _("%(name)s由候补转为正式报名。") % {"name": each.member.name})
    return redirect("activities:registrations", registration.activity_id)


@login_required
@reads_from_replica
def export(request, pk):
    activity = get_managed_activity(request, pk, "activities.checkin")
    return table_response(
        registration_columns(),
        registration_rows(activity),
        filename=_("%(title)s报名名单") % {"title": activity.title},
        fmt=request.GET.get("format", "xlsx"),
        title=activity.title,
    )


@login_required
def poster(request, pk):
    """A printable poster for the notice board or the group chat: scanning it opens the activity."""
    activity = get_activity(request, pk, "activities.view")
    return render(request, "activities/poster.html", {"activity": activity})


@login_required
def poster_qr(request, pk):
    activity = get_activity(request, pk, "activities.view")
    return svg_qr(request.build_absolute_uri(reverse("activities:detail", args=[activity.pk])))


@login_required
def qr(request, token):
    """The check-in QR code of one registration: its owner shows it, officers may print it."""
    registration = get_object_or_404(Registration.objects.select_related("activity__unit", "member"), token=token)
    is_owner = registration.member.user_id == request.user.pk
    if not is_owner and not has_permission(request.user, "activities.checkin", registration.activity.unit):
        raise Http404
    return svg_qr(request.build_absolute_uri(reverse("activities:checkin_code", args=[registration.token])))


@login_required
def my_qr(request, pk):
    """The page a member shows at the door: their QR code, big."""
    member = member_of(request.user)
    registration = get_object_or_404(
        Registration.objects.select_related("activity"),
        activity_id=pk,
        member=member,
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING],
    )
    return render(
        request,
        "activities/my_qr.html",
        {
            "registration": registration,
            "activity": registration.activity,
            "breadcrumbs": breadcrumbs(registration.activity, _("签到码")),
        },
    )


@login_required
def checkin(request, pk):
    """The check-in page: a camera scanner on top, the roll-call below."""
    activity = get_managed_activity(request, pk, "activities.checkin")
    return render(
        request,
        "activities/checkin.html",
        {
            "activity": activity,
            # Check-in is not refused on another day (a rehearsal, a record taken the next morning), but
            # an officer who scans a week early should know the codes are being used up before the day.
            "start_day": timezone.localdate(activity.starts_at),
            "today": timezone.localdate(),
            "attended": activity.registrations.attended().count(),
            "registered": activity.registrations.registered().count(),
            "page": paginate(request, _registrations(activity).filter(status=RegistrationStatus.REGISTERED), 200),
            "scan_messages": {
                "start": _("打开摄像头扫码"),
                "stop": _("停止扫码"),
                "checked": _("已签到"),
                "not_ours": _("这不是本系统的签到码。"),
                "checking": _("正在签到……"),
                "unknown": _("找不到这个签到码，或它不属于您可签到的活动。"),
                "network": _("网络异常，签到未完成，请重试。"),
                "camera_error": _("无法打开摄像头：请允许浏览器使用摄像头，或在点名名单中勾选签到。"),
            },
            "breadcrumbs": breadcrumbs(activity, _("签到")),
        },
    )


@login_required
def checkin_code(request, token):
    """What a scanned code leads to. POST from the scanner checks in; GET (a phone's own camera app) shows a confirm button."""
    registration = get_object_or_404(Registration.objects.select_related("activity__unit", "member__unit"), token=token)
    activity = registration.activity
    if not has_permission(request.user, "activities.checkin", activity.unit):
        raise Http404
    if request.method != "POST":
        return render(
            request,
            "activities/checkin_confirm.html",
            {"registration": registration, "activity": activity, "breadcrumbs": breadcrumbs(activity, _("签到"))},
        )
    expected = request.POST.get("activity")
    try:
        if expected and expected != str(activity.pk):
            raise services.ActivityError(_("这是“%(title)s”的签到码，不是本活动的。") % {"title": activity.title})
        already = registration.attended
        services.check_in(registration=registration, by=request.user)
    except services.ActivityError as error:
        ok, text = False, str(error)
    else:
        ok = True
        text = (_("%(name)s已经签到过了。") if already else _("%(name)s（%(unit)s）签到成功。")) % {
            "name": registration.member.name,
            "unit": registration.member.unit.display_name,
        }
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {
                "ok": ok,
                "message": text,
                "attended": activity.registrations.attended().count(),
                "registration": registration.pk,
            },
            status=200 if ok else 409,
        )
    (messages.success if ok else messages.error)(request, text)
    return redirect("activities:checkin", activity.pk)


@login_required
@require_POST
def tick(request, pk):
    """Tick or untick a name on the roll-call (htmx swaps the row). The button sends the state it asks
    for (``attended``: "1" or "0"), so that a double tap at the door ticks once rather than ticking and
    unticking; a row already in that state is left as it is."""
    registration = _get_registration(request, pk, "activities.checkin")
    activity = registration.activity
    wanted = {"1": True, "0": False}.get(request.POST.get("attended"), not registration.attended)
    error = ""
    try:
        if registration.attended and not wanted:
            registration = services.check_in_undo(registration=registration)
        elif wanted and not registration.attended:
            registration = services.check_in(registration=registration, by=request.user)
    except services.ActivityError as exc:
        error = str(exc)
    response = render(
        request, "activities/_rollcall_row.html", {"r": registration, "activity": activity, "error": error}
    )
    response["HX-Trigger"] = "attendance-changed"
    return response


@login_required
def attendance_count(request, pk):
    activity = get_managed_activity(request, pk, "activities.checkin")
    return HttpResponse(str(activity.registrations.attended().count()))


@login_required
@require_POST
def walk_in(request, pk):
    activity = get_managed_activity(request, pk, "activities.checkin")
    member = get_object_or_404(_eligible_members(activity), pk=id_param(request.POST.get("member"), name="member"))
    try:
        services.walk_in_add(activity=activity, member=member, by=request.user)
    except services.ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s已现场加入并签到。") % {"name": member.name})
    return redirect("activities:checkin", activity.pk)
