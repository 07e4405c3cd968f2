"""The public side of joining: a unit's join page (no login), the applicant's status check, and
the poster an officer prints."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import throttle
from core.qr import svg_qr
from orgs.models import OrgUnit, UnitKind
from portal import consent, services
from portal.forms import ApplicationForm, ReplyForm, StatusLookupForm
from portal.models import Application, ApplicationStatus

# Per address and hour: enough for a family sharing a phone, too few to probe the roster with ID numbers.
SUBMITS_PER_HOUR = 10
LOOKUPS_PER_HOUR = 20
SESSION_SUBMITTED = "portal_submitted"
SESSION_APPLICATION = "portal_application"


def _unit(code):
    return get_object_or_404(OrgUnit.objects.filter(is_active=True), code=code)


def _federation_above(unit):
    """The nearest federation above a union: where workers of employers without a union apply."""
    if unit.kind == UnitKind.FEDERATION:
        return None
    return next((u for u in reversed(OrgUnit.objects.get_ancestors(unit)) if u.kind == UnitKind.FEDERATION), None)


def _context(unit, form, **extra):
    return {
        "unit": unit,
        "federation": _federation_above(unit),
        "form": form,
        "statement": consent.STATEMENT,
        "statement_version": consent.STATEMENT_VERSION,
        "is_federation": unit.kind == UnitKind.FEDERATION,
        **extra,
    }


@never_cache
def join(request, code):
    """扫码入会: the form a worker fills on their phone."""
    unit = _unit(code)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        if not throttle.allow(f"join:{throttle.client_ip(request)}", limit=SUBMITS_PER_HOUR, seconds=3600):
            form.is_valid()
            form.add_error(None, _("提交次数太多，请一小时后再试，或联系工会办理。"))
        elif form.is_valid():
            try:
                submitted = services.application_submit(unit=unit, data=form.cleaned_data)
            except services.PortalError as error:
                form.add_error(None, str(error))
            else:
                request.session[SESSION_SUBMITTED] = {"code": submitted.code, "name": submitted.application.name}
                return redirect("portal:join_done", code=unit.code)
    return render(request, "portal/join.html", _context(unit, form))


@never_cache
def join_done(request, code):
    """The status code, shown once: the applicant needs it with their phone to check progress."""
    unit = _unit(code)
    submitted = request.session.pop(SESSION_SUBMITTED, None)
    if submitted is None:
        return redirect("portal:join_status", code=unit.code)
    return render(request, "portal/join_done.html", {"unit": unit, "submitted": submitted})


@never_cache
def join_status(request, code):
    """The applicant's own check: phone number and status code, nothing else of anyone."""
    unit = _unit(code)
    application = None
    form = StatusLookupForm(request.POST or None)
    if request.method == "POST":
        if not throttle.allow(f"lookup:{throttle.client_ip(request)}", limit=LOOKUPS_PER_HOUR, seconds=3600):
            form.is_valid()
            form.add_error(None, _("查询次数太多，请一小时后再试。"))
        elif form.is_valid():
            application = services.application_lookup(**form.cleaned_data)
            if application is None:
                form.add_error(
                    None, _("没有找到这个手机号和查询码的申请，请核对查询码（在提交申请后的页面和短信里）。")
                )
            else:
                request.session[SESSION_APPLICATION] = application.pk
    elif request.session.get(SESSION_APPLICATION):
        application = Application.objects.select_related("unit").filter(pk=request.session[SESSION_APPLICATION]).first()
    reply_form = ReplyForm() if application and application.status == ApplicationStatus.MORE_INFO else None
    return render(
        request,
        "portal/join_status.html",
        {"unit": unit, "form": form, "application": application, "reply_form": reply_form},
    )


def join_reply(request, code):
    """The applicant answers a request for more, from the status page they opened with phone and code."""
    unit = _unit(code)
    pk = request.session.get(SESSION_APPLICATION)
    application = get_object_or_404(Application, pk=pk) if pk else None
    if request.method != "POST" or application is None:
        return redirect("portal:join_status", code=unit.code)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.application_reply(application=application, reply=form.cleaned_data["reply"])
        except services.PortalError as error:
            form.add_error(None, str(error))
        else:
            return redirect("portal:join_status", code=unit.code)
    return render(
        request,
        "portal/join_status.html",
        {"unit": unit, "form": StatusLookupForm(), "application": application, "reply_form": form},
    )


def join_qr(request, code):
    """The QR code of the join page; public, it only says where the page is."""
    unit = _unit(code)
    return svg_qr(request.build_absolute_uri(reverse("portal:join", args=[unit.code])), cache="public")


@login_required
def poster(request, code):
    """An A4 poster for the notice board, the canteen or the group chat: scanning it opens the join page."""
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user, "members.view").filter(is_active=True), code=code)
    join_url = request.build_absolute_uri(reverse("portal:join", args=[unit.code]))
    return render(request, "portal/poster.html", {"unit": unit, "join_url": join_url})
