"""Activity pages: the list, the page a member registers on, the officers' forms."""

import dataclasses

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import services
from activities.forms import ActivityForm, HeldForm, activity_years, schedule_items_for
from activities.models import Activity, Kind, Registration, RegistrationStatus, Status
from activities.views.common import (
    REGISTERING_ACTIVITY,
    REGISTERING_MEMBER,
    breadcrumbs,
    get_activity,
    get_managed_activity,
    member_of,
)
from core.forms import add_service_error, refusal_on_form
from core.keyset import keyset_page
from core.pagination import paginate
from core.params import id_param
from orgs.access import has_permission, permissions_on
from orgs.models import OrgUnit


@login_required
def activity_list(request):
    if request.unit is None or not has_permission(request.user, "activities.view"):
        raise Http404
    activities = (
        Activity.objects.visible_to(request.user, "activities.view")
        .around(request.unit)
        .exclude(Q(status=Status.DRAFT) & ~Q(unit__in=_managed_units(request)))
    )
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    if status in Status.values:
        activities = activities.filter(status=status)
    if kind in Kind.values:
        activities = activities.filter(kind=kind)
    now = timezone.now()
    open_now = activities.open_for_registration(now).order_by("starts_at").first_with_counts(6)
    perms = permissions_on(request.user, request.unit)
    # A province has tens of thousands of activities: a keyset page, a capped count, and the
    # registration counts of the rows shown only.
    page = keyset_page(
        activities,
        field="starts_at",
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=settings.PAGE_SIZE,
    )
    shown = Activity.objects.filter(pk__in=[a.pk for a in page]).select_related("unit").with_counts()
    page = dataclasses.replace(page, object_list=list(shown.order_by("-starts_at", "-id")))
    return render(
        request,
        "activities/list.html",
        {
            "page": page,
            "open_now": open_now,
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "status": status,
            "kind": kind,
            "can_manage": "activities.manage" in perms,
            "breadcrumbs": breadcrumbs(),
        },
    )


def _managed_units(request):
    """Units where the user may see drafts: those they manage."""
    return OrgUnit.objects.visible_to(request.user, "activities.manage").values("pk")


@login_required
def detail(request, pk):
    activity = get_activity(request, pk, "activities.view")
    perms = permissions_on(request.user, activity.unit)
    if activity.status == Status.DRAFT and "activities.manage" not in perms:
        raise Http404
    member = member_of(request.user)
    mine = None
    if member is not None:
        mine = activity.registrations.filter(member=member).exclude(status=RegistrationStatus.CANCELLED).first()
    return render(
        request,
        "activities/detail.html",
        {
            **_card(request, activity, member, mine),
            "perms": perms,
            "has_summary": hasattr(activity, "summary"),
            "has_sports": activity.sports_events.exists(),
            "breadcrumbs": breadcrumbs(activity),
        },
    )


def _card(request, activity, member, mine, error="", counts=None):
    """What the registration card shows (activities/_registration_card.html): places, the member's
    registration and place in the queue, or why they cannot register. ``counts`` are
    services.registration_counts(activity, mine) when the caller has them already."""
    counts = counts or services.registration_counts(activity, mine)
    state = activity.registration_state()
    return {
        "activity": activity,
        "member": member,
        "mine": mine,
        "position": counts["position"],
        "counts": counts,
        "places_left": activity.places_left(counts["registered_count"]),
        "state": state,
        "closed_message": services.closed_message(activity, state) if state != "open" else "",
        "eligibility": activity.eligibility_problem(member) if member is not None else "",
        "can_register": member is not None and has_permission(request.user, "activities.register"),
        "error": error,
    }


def _card_response(request, card):
    """The registration card alone, for htmx. Rendered without the request's context processors: the
    card needs none of what the whole layout does (menu, unit switcher, messages), only its form's
    CSRF token."""
    return HttpResponse(
        render_to_string("activities/_registration_card.html", {**card, "csrf_token": get_token(request)})
    )


def _form_querysets(request, unit, activity=None):
    units = OrgUnit.objects.visible_to(request.user, "activities.manage").filter(is_active=True)
    keep = activity.schedule_item_id if activity else None  # an edit keeps its item, done or of another year
    return {"units": units, "items": schedule_items_for(request.user, unit, keep=keep, years=activity_years())}


@login_required
def create(request):
    unit = request.unit
    if unit is None or not has_permission(request.user, "activities.manage", unit):
        raise Http404
    initial = {"unit": unit}
    item_id = id_param(request.GET.get("item"), name="item")
    if item_id:
        item = schedule_items_for(request.user, unit, years=activity_years()).filter(pk=item_id).first()
        if item is not None:
            initial.update({"schedule_item": item, "title": item.text[:100]})
    form = ActivityForm(request.POST or None, initial=initial, **_form_querysets(request, unit))
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                activity=form.save(commit=False), by=request.user, publish="publish" in request.POST
            )
        except services.ActivityError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("已发布活动“%(title)s”，会员现在可以报名。") % {"title": activity.title}
                if activity.status == Status.OPEN
                else _("已保存草稿“%(title)s”。") % {"title": activity.title},
            )
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/form.html",
        {"form": form, "title": _("新建活动"), "breadcrumbs": breadcrumbs(None, _("新建活动")), "is_new": True},
    )


@login_required
def edit(request, pk):
    activity = get_managed_activity(request, pk)
    if activity.status in (Status.HELD, Status.CANCELLED):
        messages.error(request, _("已举办或已取消的活动不能再修改。"))
        return redirect("activities:detail", activity.pk)
    form = ActivityForm(request.POST or None, instance=activity, **_form_querysets(request, activity.unit, activity))
    if request.method == "POST" and form.is_valid():
        try:
            promoted = services.activity_update(activity=form.save(commit=False), publish="publish" in request.POST)
        except services.ActivityError as error:
            if not refusal_on_form(request, form, error):  # held or cancelled meanwhile: the form is gone
                return redirect("activities:detail", activity.pk)
        else:
            messages.success(request, _("已保存。"))
            if promoted:
                messages.info(request, _("名额增加，%(count)s 位候补会员已转为正式报名。") % {"count": len(promoted)})
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/form.html",
        {"form": form, "activity": activity, "title": _("修改活动"), "breadcrumbs": breadcrumbs(activity, _("修改"))},
    )


@login_required
@require_POST
def set_status(request, pk):
    """Publish a draft, close or reopen registration, or cancel the activity."""
    activity = get_managed_activity(request, pk)
    action = request.POST.get("action")
    if action == "cancel":
        try:
            services.activity_cancel(activity=activity, by=request.user)
        except services.ActivityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("活动已取消，已报名的会员会收到通知。"))
    else:
        try:
            activity = services.activity_step(activity=activity, action=action)
        except services.ActivityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("活动状态已改为“%(status)s”。") % {"status": activity.get_status_display()})
    return redirect("activities:detail", activity.pk)


@login_required
@require_POST
def register(request, pk):
    """A member registers themselves: one tap on the activity page. From the page's htmx form the
    answer is the new registration card, not a redirect to the whole page."""
    activity = get_activity(request, pk, "activities.register", only=REGISTERING_ACTIVITY)
    member = member_of(request.user, only=REGISTERING_MEMBER)
    if member is None:
        message = _("您的账号还没有关联会员信息，请联系工会小组长。")
        if request.htmx:
            return _card_response(request, _card(request, activity, None, None, message))
        messages.error(request, message)
        return redirect("activities:detail", activity.pk)
    try:
        registration, counts = services.registration_add_counted(activity=activity, member=member, by=request.user)
    except services.ActivityError as error:
        if request.htmx:
            mine = activity.registrations.filter(member=member).exclude(status=RegistrationStatus.CANCELLED).first()
            return _card_response(request, _card(request, activity, member, mine, error))
        messages.error(request, str(error))
    else:
        if request.htmx:
            return _card_response(request, _card(request, activity, member, registration, counts=counts))
        if registration.status == RegistrationStatus.WAITING:
            messages.warning(
                request,
                _("名额已满，您已进入候补名单第 %(position)s 位；有人取消时会按顺序递补并通知您。")
                % {"position": services.waiting_position(registration)},
            )
        else:
            messages.success(request, _("报名成功！活动当天请出示签到二维码。"))
    return redirect("activities:detail", activity.pk)


@login_required
@require_POST
def cancel_mine(request, pk):
    activity = get_activity(request, pk, "activities.register")
    member = member_of(request.user)
    registration = (
        activity.registrations.filter(member=member).exclude(status=RegistrationStatus.CANCELLED).first()
        if member
        else None
    )
    if registration is None:
        messages.error(request, _("您没有报名这个活动。"))
        return redirect("activities:detail", activity.pk)
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except services.ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已取消报名。"))
    return redirect("activities:detail", activity.pk)


@login_required
def held(request, pk):
    """Record the activity as held: participant-times and spend; the plan item becomes done."""
    activity = get_managed_activity(request, pk)
    figures = activity.registrations.aggregate(
        attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
        unchecked=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED, checked_in_at__isnull=True)),
    )
    attended = figures["attended"]
    form = HeldForm(
        request.POST or None,
        initial={"participant_times": activity.participant_times or attended, "spend": activity.spend},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_record_held(
                activity=activity,
                by=request.user,
                participant_times=form.cleaned_data["participant_times"],
                spend=form.cleaned_data["spend"],
            )
        except services.ActivityError as error:
            form.add_error(None, str(error))
        else:
            if activity.schedule_item_id:
                messages.success(request, _("已记录为已举办，对应的计划事项已标记为完成。"))
            else:
                messages.success(request, _("已记录为已举办。"))
            return redirect("activities:detail", activity.pk)
    start_day = timezone.localdate(activity.starts_at)
    return render(
        request,
        "activities/held.html",
        {
            "form": form,
            "activity": activity,
            "attended": attended,
            # Before its day the service refuses it: say so at once rather than after the form is filled in.
            "start_day": start_day if start_day > timezone.localdate() else None,
            # Registered, never checked in: the roll-ups count who took part by check-ins only.
            "unchecked": figures["unchecked"],
            "breadcrumbs": breadcrumbs(activity, _("记录举办")),
        },
    )


@login_required
def my_registrations(request):
    """A member's own registrations with their check-in codes."""
    member = member_of(request.user)
    if member is None:
        raise Http404
    registrations = (
        Registration.objects.filter(member=member)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("activity")
    ).order_by("-activity__starts_at")
    return render(
        request,
        "activities/mine.html",
        {"page": paginate(request, registrations), "breadcrumbs": breadcrumbs(None, _("我的报名"))},
    )
