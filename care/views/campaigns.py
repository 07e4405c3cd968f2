"""Campaign pages: build the list from rules, split it, record on a phone, progress, export, sign-off sheet."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from care import services
from care.forms import CampaignForm, RecordForm, SplitForm
from care.models import Campaign, CampaignEntry, CampaignKind
from care.models.campaigns import ENTRY_LIST_FIELDS
from care.views.common import crumbs, mask_name
from core import tables
from core.audit import log_sensitive_read, log_sensitive_reads
from core.forms import add_service_error
from core.language import in_site_language
from core.params import year_param
from orgs.access import current_unit_or_404, has_permission, permissions_on
from plans.models import ScheduleItem


def _get(request, pk, permission="care.view"):
    return get_object_or_404(Campaign.objects.visible_to(request.user, permission).select_related("unit"), pk=pk)


@login_required
def campaign_list(request):
    unit = current_unit_or_404(request, "care.view")
    found = (
        Campaign.objects.visible_to(request.user, "care.view")
        .in_subtree(unit)
        .select_related("unit")
        .annotate(total=Count("entries"), done=Count("entries", filter=Q(entries__done_on__isnull=False)))
    )
    today = timezone.localdate()
    context = {
        "unit": unit,
        "campaigns": found[:100],
        "today": today,
        "kinds": [(value, label, services.campaign_dates(value, today=today)) for value, label in CampaignKind.choices],
        "perms": permissions_on(request.user, unit),
        "breadcrumbs": crumbs((_("慰问活动"), "")),
    }
    return render(request, "care/campaign_list.html", context)


def _plan_items(request, unit, year):
    """Items of the year's plans the campaign could fulfil, as an activity's (activities.forms): those
    of the unit and of the units above it that the user may update. Not the whole tree's: a province's
    plans hold over 100,000 items, which the form would offer one by one."""
    return (
        ScheduleItem.objects.visible_to(request.user, "plans.update_items")
        .filter(unit__in=[each.pk for each in unit.ancestors_and_self()], plan__year=year)
        .select_related("plan")
        .order_by("month", "id")
    )


@login_required
def campaign_add(request):
    unit = current_unit_or_404(request, "care.manage")
    today = timezone.localdate()
    year = year_param(request.POST.get("year"), today.year)
    kind = request.GET.get("kind", "spring")
    dates = services.campaign_dates(kind, today=today)
    titles = dict(CampaignKind.choices)
    form = CampaignForm(
        request.POST or None,
        items=_plan_items(request, unit, year),
        initial={
            "kind": kind,
            "title": _("%(year)s年%(kind)s") % {"year": dates.year, "kind": titles.get(kind, "")},
            "year": dates.year,
            "starts_on": dates.starts_on,
            "ends_on": dates.ends_on,
            "levels": ["deep", "relative", "accident"] if kind != "school" else [],
            "include_university": kind == "school",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(unit=unit, by=request.user, today=today, **form.cleaned_data)
        except services.CareError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("活动已创建，名单共 %(n)s 人。") % {"n": campaign.entries.count()})
            return redirect("care:campaign_detail", campaign.pk)
    context = {
        "form": form,
        "title": _("发起慰问活动"),
        "breadcrumbs": crumbs((_("慰问活动"), reverse("care:campaigns")), (pgettext("start a campaign", "发起"), "")),
    }
    return render(request, "care/form.html", context)


@login_required
def campaign_detail(request, pk):
    campaign = _get(request, pk)
    perms = permissions_on(request.user, campaign.unit)
    entries = campaign.entries.select_related("unit", "officer", "payment")
    mine = request.GET.get("mine") == "1"
    if mine:
        entries = entries.filter(officer=request.user)
    entries = list(entries)
    log_sensitive_reads(request, entries, ENTRY_LIST_FIELDS)
    officers = services.officer_choices(campaign.unit)
    context = {
        "campaign": campaign,
        "perms": perms,
        "progress": services.campaign_progress(campaign),
        "entries": entries,
        "mine": mine,
        # Given: approved (small amounts on entry); a payout waiting for approval or refused is not yet given.
        "totals": campaign.payments.given().aggregate(n=Count("id"), total=Sum("amount", default=Decimal(0))),
        "split_form": SplitForm(officers=officers) if "care.manage" in perms and campaign.is_running else None,
        "breadcrumbs": crumbs((_("慰问活动"), reverse("care:campaigns")), (campaign.title, "")),
    }
    return render(request, "care/campaign_detail.html", context)


@login_required
@require_POST
def campaign_split(request, pk):
    campaign = _get(request, pk, "care.manage")
    officers = services.officer_choices(campaign.unit)
    form = SplitForm(request.POST, officers=officers)
    if not form.is_valid():
        messages.error(request, _("走访人：请至少选择一人。"))
        return redirect("care:campaign_detail", pk)
    try:
        n = services.campaign_split(campaign=campaign, officers=list(form.cleaned_data["officers"]))
    except services.CareError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已分配 %(n)s 人。") % {"n": n})
    return redirect("care:campaign_detail", pk)


@login_required
@require_POST
def campaign_rebuild(request, pk):
    campaign = _get(request, pk, "care.manage")
    try:
        n = services.campaign_build_list(campaign=campaign, today=timezone.localdate())
    except services.CareError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("按规则补充了 %(n)s 人。") % {"n": n})
    return redirect("care:campaign_detail", pk)


@login_required
def campaign_close(request, pk):
    campaign = _get(request, pk, "care.manage")
    if request.method == "POST":
        try:
            services.campaign_close(campaign=campaign, by=request.user)
        except services.CareError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("活动已结束。"))
        return redirect("care:campaign_detail", pk)
    context = {
        "title": _("结束活动"),
        "intro": _("结束后不能再登记慰问；如关联了计划事项，该事项将标记为已完成。"),
        "danger": True,
        "breadcrumbs": crumbs((campaign.title, reverse("care:campaign_detail", args=[pk])), (_("结束"), "")),
    }
    return render(request, "care/form.html", context)


@login_required
def entry_record(request, pk):
    """The phone page: one person of the list, what was given, a photo of the signed receipt."""
    entry = get_object_or_404(
        CampaignEntry.objects.visible_to(request.user, "care.manage").select_related("campaign", "unit"), pk=pk
    )
    campaign = entry.campaign
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        entry=entry,
        initial={"amount": campaign.standard_amount, "given_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_record(entry=entry, by=request.user, **form.cleaned_data)
        except services.CareError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已登记 %(name)s 的慰问。") % {"name": entry.name})
            return redirect(reverse("care:campaign_detail", args=[campaign.pk]) + "?mine=1")
    log_sensitive_read(request, entry, ENTRY_LIST_FIELDS)  # the page names the person and why they are listed
    context = {
        "form": form,
        "multipart": True,
        "title": _("登记慰问：%(name)s") % {"name": entry.name},
        "intro": f"{entry.unit.name} · {entry.reason_label}",
        "breadcrumbs": crumbs((campaign.title, reverse("care:campaign_detail", args=[campaign.pk])), (entry.name, "")),
    }
    return render(request, "care/form.html", context)


def _export_rows(entries, *, reveal):
    for number, entry in enumerate(entries, start=1):
        payment = entry.payment
        yield [
            number,
            entry.unit.name,
            entry.name if reveal else mask_name(entry.name),
            str(entry.reason_label),
            payment.get_kind_display() if payment else "",
            payment.amount if payment else None,
            payment.goods if payment else "",
            entry.done_on,
            str(entry.officer) if entry.officer else "",
        ]


@login_required
@in_site_language
def campaign_export(request, pk):
    """The list and payments as the federation's sheet; names in full only for care managers (logged)."""
    campaign = _get(request, pk)
    reveal = has_permission(request.user, "care.manage", campaign.unit)
    columns = [
        tables.Column(_("序号"), 6),
        tables.Column(_("单位"), 24),
        tables.Column(_("姓名"), 10),
        tables.Column(_("列入原因"), 16),
        tables.Column(_("形式"), 8),
        tables.Column(_("金额（元）"), 12, tables.MONEY),
        tables.Column(_("慰问品"), 16),
        tables.Column(_("日期"), tables.DATE_WIDTH),
        tables.Column(_("走访人"), 10),
    ]
    entries = campaign.entries.select_related("unit", "payment", "officer")
    response = tables.table_response(
        columns,
        _export_rows(entries, reveal=reveal),
        filename=f"{campaign.title}-{campaign.year}",
        title=campaign.title,
    )
    if reveal:  # once the sheet exists: an export that failed showed nobody
        log_sensitive_read(request, campaign, [_("慰问名单导出")])
    return response


@login_required
def campaign_signoff(request, pk):
    """A printable sheet for recipients to sign (签领表)."""
    campaign = _get(request, pk, "care.manage")
    log_sensitive_read(request, campaign, [_("签领表")])
    context = {
        "campaign": campaign,
        "entries": campaign.entries.select_related("unit", "payment"),
        "today": timezone.localdate(),
    }
    return render(request, "care/signoff.html", context)
