"""The officer's side of applications: the list, one application, and the decisions on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.audit import log_sensitive_read
from core.pagination import paginate
from members.models import IN_UNION, Member
from orgs.access import has_permission
from orgs.models import UnitKind
from orgs.picker import unit_suggestions
from portal import services
from portal.forms import ApproveForm, NoteForm, RouteForm
from portal.models import Application, ApplicationStatus

TABS = [
    ("open", gettext_lazy("待办理")),
    (ApplicationStatus.FOUNDING, ApplicationStatus.FOUNDING.label),
    (ApplicationStatus.APPROVED, ApplicationStatus.APPROVED.label),
    (ApplicationStatus.DECLINED, ApplicationStatus.DECLINED.label),
]


def _get(request, pk, permission="members.view"):
    return get_object_or_404(
        Application.objects.visible_to(request.user, permission).select_related("unit", "routed_from", "member"),
        pk=pk,
    )


@login_required
def application_list(request):
    unit = request.unit
    if unit is None or not has_permission(request.user, "members.view", unit):
        return render(request, "portal/applications.html", {"unit": unit, "page": None, "tabs": TABS})
    tab = request.GET.get("tab", "open")
    rows = Application.objects.visible_to(request.user, "members.view").in_subtree(unit).select_related("unit")
    if tab == "open":
        rows = rows.filter(status__in=[ApplicationStatus.PENDING, ApplicationStatus.MORE_INFO])
    elif tab in ApplicationStatus.values:
        rows = rows.filter(status=tab)
    return render(
        request,
        "portal/applications.html",
        {
            "unit": unit,
            "tab": tab,
            "tabs": [(key, str(label)) for key, label in TABS],
            "page": paginate(request, rows.order_by("created_at", "id") if tab == "open" else rows),
            "can_change": has_permission(request.user, "members.change", unit),
            # Workers waiting for a union, by employer: where a federation should found one first.
            "employers": (
                rows.values("employer").annotate(count=Count("id")).order_by("-count", "employer")[:20]
                if tab == ApplicationStatus.FOUNDING
                else None
            ),
            "breadcrumbs": [{"label": _("入会申请"), "url": ""}],
        },
    )


@login_required
def application_detail(request, pk):
    return _detail(request, _get(request, pk))


def _detail(request, application, *, route_form=None):
    unit = application.unit
    sensitive = has_permission(request.user, "members.view_sensitive", unit)
    can_change = has_permission(request.user, "members.change", unit)
    is_federation = unit.kind == UnitKind.FEDERATION
    if is_federation and route_form is None:
        route_form = _route_form(application)
    # Already on the roster somewhere: said to the officer without naming the other union.
    on_roster = Member.objects.filter(id_number_index=application.id_number_index, status__in=IN_UNION).exists()
    return render(
        request,
        "portal/application_detail.html",
        {
            "application": application,
            "sensitive": sensitive,
            "can_change": can_change and application.is_open,
            "on_roster": on_roster,
            "is_federation": is_federation,
            "approve_form": ApproveForm(initial={"joined_on": timezone.localdate()}),
            "note_form": NoteForm(),
            "route_form": route_form,
            "breadcrumbs": [
                {"label": _("入会申请"), "url": "/applications/"},
                {"label": application.name, "url": ""},
            ],
        },
    )


def _route_form(application, data=None):
    return RouteForm(
        data,
        units=services.routing_targets(application.unit),
        search_url=reverse("portal:route_units", args=[application.pk]),
    )


@login_required
@require_POST
def reveal(request, pk):
    """The ID number and phone in clear, for roles allowed to see them; each view is logged."""
    application = _get(request, pk, "members.view_sensitive")
    log_sensitive_read(request, application, [_("身份证号"), _("手机号")])
    return render(request, "portal/_sensitive.html", {"application": application, "revealed": True})


def _done(request, application, text):
    messages.success(request, text)
    return redirect("portal:application", pk=application.pk)


def _failed(request, application, error):
    messages.error(request, str(error))
    return redirect("portal:application", pk=application.pk)


@login_required
@require_POST
def approve(request, pk):
    application = _get(request, pk, "members.change")
    form = ApproveForm(request.POST)
    if not form.is_valid():
        refused = form.data.get("joined_on") and form.errors.get("joined_on")  # a date given, but not one allowed
        return _failed(request, application, refused[0] if refused else _("请填写入会时间。"))
    try:
        member = services.application_approve(application=application, by=request.user, **form.cleaned_data)
    except services.PortalError as error:
        return _failed(request, application, error)
    return _done(request, application, _("已批准，%(name)s已登记为会员。") % {"name": member.name})


def _with_note(service, success):
    @login_required
    @require_POST
    def view(request, pk):
        application = _get(request, pk, "members.change")
        form = NoteForm(request.POST)
        if not form.is_valid() and form.data.get("note", "").strip():
            # Too long: said, rather than the decision taken without the note the applicant is sent.
            return _failed(request, application, _("意见：%(error)s") % {"error": " ".join(form.errors["note"])})
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            service(application=application, by=request.user, note=note)
        except services.PortalError as error:
            return _failed(request, application, error)
        return _done(request, application, str(success))

    return view


ask_more = _with_note(services.application_ask_more, gettext_lazy("已请申请人补充，并已短信告知。"))
decline = _with_note(services.application_decline, gettext_lazy("已不予批准，并已告知申请人原因。"))
found = _with_note(services.application_found, gettext_lazy("已记为待建会。"))


@login_required
@require_POST
def route(request, pk):
    application = _get(request, pk, "members.change")
    form = _route_form(application, request.POST)
    if not form.is_valid():
        return _detail(request, application, route_form=form)
    try:
        services.application_route(application=application, to_unit=form.cleaned_data["to_unit"], by=request.user)
    except services.PortalError as error:
        return _failed(request, application, error)
    messages.success(request, _("已转交%(unit)s。") % {"unit": form.cleaned_data["to_unit"].name})
    return redirect("portal:applications")


@login_required
def route_units(request, pk):
    """The unions an application may be handed to, matching what the officer types (the route form's picker)."""
    application = _get(request, pk, "members.change")
    return unit_suggestions(request, services.routing_targets(application.unit), request.GET.get("q", ""))
