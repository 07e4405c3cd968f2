"""Recruitment drives (入会集中行动): a federation sets one, with targets per unit, and follows
the approvals unit by unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_error
from orgs.access import has_permission
from orgs.models import UnitKind
from orgs.picker import unit_suggestions
from portal import services
from portal.forms import CampaignForm, TargetForm
from portal.models import Campaign

FOLLOW = "reports.view"  # the federation's officers and the units it set a target (CampaignQuerySet)


def _get(request, pk):
    """A drive the user follows, else 404."""
    return get_object_or_404(Campaign.objects.visible_to(request.user, FOLLOW).select_related("unit"), pk=pk)


def _can_set(user, unit):
    return unit is not None and unit.kind == UnitKind.FEDERATION and has_permission(user, "federation.review", unit)


def _crumbs(*extra):
    return [{"label": _("入会集中行动"), "url": "/campaigns/"}, *extra]


@login_required
def campaign_list(request):
    campaigns = Campaign.objects.visible_to(request.user, FOLLOW).select_related("unit")
    return render(
        request,
        "portal/campaigns.html",
        {"campaigns": campaigns, "can_set": _can_set(request.user, request.unit), "breadcrumbs": _crumbs()},
    )


@login_required
def campaign_create(request):
    unit = request.unit
    if not _can_set(request.user, unit):
        return redirect("portal:campaigns")
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(unit=unit, by=request.user, **form.cleaned_data)
        except services.PortalError as error:
            add_service_error(form, error)
        else:
            return redirect("portal:campaign", pk=campaign.pk)
    return render(
        request,
        "portal/campaign_form.html",
        {"form": form, "unit": unit, "breadcrumbs": _crumbs({"label": _("发起行动"), "url": ""})},
    )


@login_required
def campaign_detail(request, pk):
    return _detail(request, _get(request, pk))


def _detail(request, campaign, *, target_form=None):
    can_set = has_permission(request.user, "federation.review", campaign.unit)
    if can_set and target_form is None:
        target_form = _target_form(campaign)
    rows = services.campaign_progress(campaign)
    return render(
        request,
        "portal/campaign_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "total_target": sum(r.target for r in rows),
            "total_joined": sum(r.joined for r in rows),
            "can_set": can_set,
            "target_form": target_form if can_set else None,
            "breadcrumbs": _crumbs({"label": campaign.title, "url": ""}),
        },
    )


def _target_form(campaign, data=None):
    return TargetForm(
        data,
        units=services.campaign_target_units(campaign),
        search_url=reverse("portal:target_units", args=[campaign.pk]),
    )


def _settable(request, pk):
    """A drive the user may set targets of, or 404 for one they cannot see and 403 for one they only follow."""
    campaign = _get(request, pk)
    if not has_permission(request.user, "federation.review", campaign.unit):
        raise PermissionDenied
    return campaign


@login_required
@require_POST
def target_set(request, pk):
    campaign = _settable(request, pk)
    form = _target_form(campaign, request.POST)
    if form.is_valid():
        try:
            services.campaign_target_set(campaign=campaign, **form.cleaned_data)
        except services.PortalError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("目标已保存。"))
            return redirect("portal:campaign", pk=campaign.pk)
    return _detail(request, campaign, target_form=form)


@login_required
def target_units(request, pk):
    """The units a drive may set targets for, matching what the officer types (the target form's picker)."""
    return unit_suggestions(request, services.campaign_target_units(_settable(request, pk)), request.GET.get("q", ""))
