"""Recruitment drives (入会集中行动): a federation sets one, with targets per unit, and follows
the approvals unit by unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orgs.access import has_permission, scope_paths, subtree_q, subtree_range
from orgs.models import OrgUnit, UnitKind
from orgs.picker import unit_suggestions
from portal import services
from portal.forms import CampaignForm, TargetForm
from portal.models import Campaign, CampaignTarget


def _visible(user):
    """Drives a user may follow: those of their federations, and those that set their unit a target."""
    paths = scope_paths(user, "reports.view")
    if paths is None:
        return Campaign.objects.all()
    targeted = CampaignTarget.objects.filter(subtree_q(paths, "unit__path")).values("campaign_id")
    return Campaign.objects.filter(subtree_q(paths, "unit__path") | Q(pk__in=targeted))


def _can_set(user, unit):
    return unit is not None and unit.kind == UnitKind.FEDERATION and has_permission(user, "federation.review", unit)


def _crumbs(*extra):
    return [{"label": _("入会集中行动"), "url": "/campaigns/"}, *extra]


@login_required
def campaign_list(request):
    campaigns = _visible(request.user).select_related("unit").distinct()
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
        campaign = form.save(commit=False)
        campaign.unit = unit
        campaign.created_by = request.user
        campaign.save()
        return redirect("portal:campaign", pk=campaign.pk)
    return render(
        request,
        "portal/campaign_form.html",
        {"form": form, "unit": unit, "breadcrumbs": _crumbs({"label": _("发起行动"), "url": ""})},
    )


def _target_units(campaign):
    return (
        OrgUnit.objects.filter(path__range=subtree_range(campaign.unit.path))
        .filter(is_active=True, kind__in=[UnitKind.FEDERATION, UnitKind.UNION])
        .exclude(pk=campaign.unit_id)
    )


@login_required
def campaign_detail(request, pk):
    campaign = get_object_or_404(_visible(request.user).select_related("unit"), pk=pk)
    return _detail(request, campaign)


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
        data, units=_target_units(campaign), search_url=reverse("portal:target_units", args=[campaign.pk])
    )


def _settable(request, pk):
    """A drive the user may set targets of, or 404 for one they cannot see and 403 for one they only follow."""
    campaign = get_object_or_404(_visible(request.user).select_related("unit"), pk=pk)
    if not has_permission(request.user, "federation.review", campaign.unit):
        raise PermissionDenied
    return campaign


@login_required
@require_POST
def target_set(request, pk):
    campaign = _settable(request, pk)
    form = _target_form(campaign, request.POST)
    if not form.is_valid():
        return _detail(request, campaign, target_form=form)
    CampaignTarget.objects.update_or_create(
        campaign=campaign, unit=form.cleaned_data["unit"], defaults={"target": form.cleaned_data["target"]}
    )
    messages.success(request, _("目标已保存。"))
    return redirect("portal:campaign", pk=campaign.pk)


@login_required
def target_units(request, pk):
    """The units a drive may set targets for, matching what the officer types (the target form's picker)."""
    return unit_suggestions(request, _target_units(_settable(request, pk)), request.GET.get("q", ""))
