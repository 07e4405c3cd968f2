"""Assistance pages: record a payment (caps checked, approval above the threshold), approve, receipts, caps."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from care import services
from care.forms import AssistanceForm, CapForm, ReceiptForm, RejectForm, SettingsForm
from care.models import Assistance, AssistanceCap, CareSettings, Household, settings_for
from care.views.common import care_units, crumbs
from core import money
from core.audit import log_sensitive_read, log_sensitive_reads
from core.files import serve
from core.forms import add_service_error, refusal_on_form
from core.pagination import paginate
from core.params import id_param
from orgs.access import current_unit_or_404, permissions_on

# A payment names its recipient beside what for and how much (医疗救助 ¥3,000): care data, each read logged.
LIST_FIELDS = [gettext_lazy("用途"), gettext_lazy("金额")]


def _get(request, pk, permission="care.view"):
    return get_object_or_404(
        Assistance.objects.visible_to(request.user, permission).select_related(
            "unit", "household", "entered_by", "approved_by", "campaign"
        ),
        pk=pk,
    )


@login_required
def assistance_list(request):
    unit = current_unit_or_404(request, "care.view")
    found = Assistance.objects.visible_to(request.user, "care.view").in_subtree(unit)
    year = timezone.localdate().year
    pending = list(found.filter(status="pending").select_related("unit", "entered_by")[:50])
    page = paginate(request, found.select_related("unit", "entered_by"))
    # The rows shown, in one INSERT: a payment both waiting and on the page is one read.
    log_sensitive_reads(request, list({p.pk: p for p in [*pending, *page.object_list]}.values()), LIST_FIELDS)
    context = {
        "unit": unit,
        "pending": pending,
        "page": page,
        "year_total": found.given().in_year(year).aggregate(total=Sum("amount", default=Decimal(0)))["total"],
        "year": year,
        "perms": permissions_on(request.user, unit),
        "breadcrumbs": crumbs((_("帮扶发放"), "")),
    }
    return render(request, "care/assistance_list.html", context)


@login_required
def assistance_add(request):
    unit = current_unit_or_404(request, "care.manage")
    household = None
    if household_id := id_param(request.GET.get("household"), name="household"):
        household = get_object_or_404(
            Household.objects.visible_to(request.user, "care.manage").in_hardship(), pk=household_id
        )
    form = AssistanceForm(
        request.POST or None,
        request.FILES or None,
        household=household,
        initial={"unit": household.unit if household else unit, "given_on": timezone.localdate()},
    )
    form.set_units(care_units(request, unit))
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.assistance_give(by=request.user, household=household, **form.cleaned_data)
        except services.CareError as error:
            add_service_error(form, error)
        else:
            if payment.is_pending:
                messages.warning(request, _("金额超过审批额度，已提交另一位帮扶干部审批，审批后才算发放。"))
            else:
                messages.success(request, _("已登记发放。"))
            return redirect("care:assistance_detail", payment.pk)
    threshold = settings_for(unit).approval_threshold
    context = {
        "form": form,
        "multipart": True,
        "title": _("登记帮扶发放"),
        "intro": (_("受助家庭：%(name)s。") % {"name": household.name} if household else "")
        + _("单笔超过 %(amount)s 须另一位帮扶干部审批。") % {"amount": money.yuan(threshold)},
        "breadcrumbs": crumbs((_("帮扶发放"), reverse("care:assistance")), (_("登记"), "")),
    }
    return render(request, "care/form.html", context)


def _assistance_page(request, payment, reject_form=None):
    """A payment's page; ``reject_form`` is the refusal just sent, kept with its errors."""
    perms = permissions_on(request.user, payment.unit)
    manages = "care.manage" in perms
    shown = [*LIST_FIELDS, *([_("事由")] if payment.subject else []), *([_("备注")] if payment.note else [])]
    log_sensitive_read(request, payment, shown)  # the subject is often an illness (乳腺癌)
    context = {
        "payment": payment,
        "perms": perms,
        "can_approve": payment.is_pending and manages and payment.entered_by_id != request.user.pk,
        "reject_form": (reject_form or RejectForm()) if payment.is_pending and manages else None,
        "receipt_form": ReceiptForm() if manages else None,
        "breadcrumbs": crumbs((_("帮扶发放"), reverse("care:assistance")), (str(payment), "")),
    }
    return render(request, "care/assistance_detail.html", context)


@login_required
def assistance_detail(request, pk):
    return _assistance_page(request, _get(request, pk))


@login_required
@require_POST
def assistance_reject(request, pk):
    payment = _get(request, pk, "care.manage")
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.assistance_reject(assistance=payment, by=request.user, reason=form.cleaned_data["reason"])
        except services.CareError as error:
            if refusal_on_form(request, form, error):
                return _assistance_page(request, payment, form)
        else:
            messages.success(request, _("已不予批准，这笔发放不计入帮扶金额。"))
        return redirect("care:assistance_detail", pk)
    return _assistance_page(request, payment, form)


@login_required
@require_POST
def assistance_approve(request, pk):
    payment = _get(request, pk, "care.manage")
    try:
        services.assistance_approve(assistance=payment, by=request.user)
    except services.CareError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已审批。"))
    return redirect("care:assistance_detail", pk)


@login_required
def receipt(request, pk):
    """GET: the signed receipt (a read of a care record, logged). POST: attach one."""
    if request.method == "POST":
        payment = _get(request, pk, "care.manage")
        form = ReceiptForm(request.POST, request.FILES)
        if form.is_valid():
            services.assistance_attach_receipt(assistance=payment, receipt=form.cleaned_data["receipt"])
            messages.success(request, _("签收单已上传。"))
        else:
            messages.error(request, _("签收单：%(error)s") % {"error": " ".join(form.errors.get("receipt", []))})
        return redirect("care:assistance_detail", pk)
    payment = _get(request, pk)
    response = serve(payment.receipt)  # 404 without a file: then nothing was shown, nothing is logged
    log_sensitive_read(request, payment, [_("签收单")])
    return response


@login_required
def caps(request):
    unit = current_unit_or_404(request, "care.manage")
    own = CareSettings.objects.filter(unit=unit).first() or CareSettings(unit=unit)
    settings_form = SettingsForm(request.POST if "settings" in request.POST else None, instance=own, prefix="s")
    cap_form = CapForm(request.POST if "cap" in request.POST else None, prefix="c")
    if request.method == "POST":
        if "settings" in request.POST and settings_form.is_valid():
            services.settings_save(unit=unit, values=settings_form.cleaned_data)
            messages.success(request, _("设置已保存。"))
            return redirect("care:caps")
        if "cap" in request.POST and cap_form.is_valid():
            services.cap_save(unit=unit, **cap_form.cleaned_data)
            messages.success(request, _("上限已保存。"))
            return redirect("care:caps")
    context = {
        "unit": unit,
        "settings_form": settings_form,
        "cap_form": cap_form,
        "caps": AssistanceCap.objects.filter(unit=unit),
        "breadcrumbs": crumbs((_("帮扶设置"), "")),
    }
    return render(request, "care/caps.html", context)


@login_required
@require_POST
def cap_delete(request, pk):
    unit = current_unit_or_404(request, "care.manage")
    if services.cap_delete(unit=unit, pk=pk):
        messages.success(request, _("上限已删除。"))
    else:  # deleted meanwhile from another page
        messages.info(request, _("这条上限已经删除了。"))
    return redirect("care:caps")
