"""Recruitment drives (入会集中行动): a federation sets one, with targets per unit, and follows
the approvals unit by unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orgs.access import has_permission, scope_paths, subtree_q, subtree_range
from orgs.models import OrgUnit, UnitKind
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
    can_set = has_permission(request.user, "federation.review", campaign.unit)
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
            "target_form": TargetForm(units=_target_units(campaign)) if can_set else None,
            "breadcrumbs": _crumbs({"label": campaign.title, "url": ""}),
        },
    )


@login_required
@require_POST
def target_set(request, pk):
    campaign = get_object_or_404(_visible(request.user), pk=pk)
    if not has_permission(request.user, "federation.review", campaign.unit):
        return redirect("portal:campaign", pk=campaign.pk)
    form = TargetForm(request.POST, units=_target_units(campaign))
    if form.is_valid():
        CampaignTarget.objects.update_or_create(
            campaign=campaign, unit=form.cleaned_data["unit"], defaults={"target": form.cleaned_data["target"]}
        )
        messages.success(request, _("目标已保存。"))
    else:
        messages.error(request, _("请选择单位并填写1以上的目标人数。"))
    return redirect("portal:campaign", pk=campaign.pk)
