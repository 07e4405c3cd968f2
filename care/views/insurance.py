"""Group insurance (enrollment, the renewal diff, claims, the insurer's sheet) and women staff."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from care import exporting, importers, services
from care.forms import (
    CheckDateForm,
    ClaimForm,
    ClaimPaidForm,
    ProductEditForm,
    ProductForm,
    ProtectionForm,
    SheetForm,
)
from care.models import HealthCheck, InsuranceClaim, InsuranceEnrollment, InsuranceProduct, ProtectionItem
from care.views.common import care_units, crumbs, imported
from core import exports, tables
from core.audit import log_sensitive_read, log_sensitive_reads
from core.forms import add_service_error, refusal_on_form
from core.keyset import capped_count
from core.language import site_language
from core.params import year_param
from core.sheets import output
from members.models import IN_UNION, Member
from orgs.access import current_unit_or_404, has_permission, permissions_on

# Women due a health check listed on the page, in name order: a union's all (up to DUE_SHOWN); a city's
# or a province's first few, read from the name index (MemberQuerySet.under), with the count beside them.
DUE_SHOWN = 300
DUE_SHOWN_LARGE = 50


def _year(request):
    return year_param(request.GET.get("year"), timezone.localdate().year)


def _product(request, pk, permission="care.view"):
    return get_object_or_404(
        InsuranceProduct.objects.visible_to(request.user, permission).select_related("unit"), pk=pk
    )


@login_required
def product_list(request):
    unit = current_unit_or_404(request, "care.view")
    year = _year(request)
    products = InsuranceProduct.objects.visible_to(request.user, "care.view").in_subtree(unit).select_related("unit")
    enrolled = dict(
        InsuranceEnrollment.objects.filter(product__in=products, year=year)
        .values("product")
        .annotate(n=Count("id"))
        .values_list("product", "n")
    )
    context = {
        "unit": unit,
        "rows": [(p, enrolled.get(p.pk, 0)) for p in products[:100]],
        "year": year,
        "perms": permissions_on(request.user, unit),
        "breadcrumbs": crumbs((_("互助保险"), "")),
    }
    return render(request, "care/product_list.html", context)


@login_required
def enrollment_import(request):
    """The list of the insured that a federation or the insurer hands out (参保名单): each person found
    on the roster by ID number and enrolled in the product the row names, all or nothing."""
    unit = current_unit_or_404(request, "care.manage")
    form = SheetForm(request.POST or None, request.FILES or None, label=_("参保名单"))
    result = None
    if request.method == "POST" and form.is_valid():
        result = imported(
            form, importers.ENROLLMENT, unit=unit, user=request.user, empty=_("表格中只有表头，没有参保人员的数据行。")
        )
        if result is not None and result.written:
            messages.success(
                request,
                _("已导入参保名单：新参保 %(created)s 人，此前已参保 %(unchanged)s 人。")
                % {"created": result.created, "unchanged": result.unchanged},
            )
            return redirect("care:insurance")
    names = [p.name for p in importers.products_for(unit)[:20]]
    context = {
        "form": form,
        "result": result,
        "title": _("导入参保名单"),
        "intro": _("导入到%(unit)s；“险种”一列填写险种名称：%(names)s。年度不填时为今年。")
        % {"unit": unit.name, "names": _("、").join(names) or _("（还没有险种，请先新增）")},
        "note": _(
            "名单中的人按身份证号在会员名册中查找，须姓名一致并符合险种的参保条件；全部行都正确才会导入，"
            "有错误时一行也不写入。已参保的人不会重复参保。"
        ),
        "columns": importers.COLUMNS,
        "template_url": reverse("care:enrollment_template"),
        "breadcrumbs": crumbs((_("互助保险"), reverse("care:insurance")), (_("导入参保名单"), "")),
    }
    return render(request, "care/sheet_import.html", context)


@login_required
def enrollment_template(request):
    """A blank list of the insured to fill in: the columns the import reads, the required ones marked."""
    current_unit_or_404(request, "care.manage")
    return output.template_response(importers.ENROLLMENT, name=_("参保名单模板"))


@login_required
def product_add(request):
    unit = current_unit_or_404(request, "care.manage")
    form = ProductForm(request.POST or None, initial={"unit": unit})
    form.set_units(care_units(request, unit))
    if request.method == "POST" and form.is_valid():
        product = form.save()
        messages.success(request, _("险种已保存。"))
        return redirect("care:product_detail", product.pk)
    context = {
        "form": form,
        "title": _("新增险种"),
        "breadcrumbs": crumbs((_("互助保险"), reverse("care:insurance")), (_("新增"), "")),
    }
    return render(request, "care/form.html", context)


@login_required
def product_edit(request, pk):
    product = _product(request, pk, "care.manage")
    form = ProductEditForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("险种已保存。"))
        return redirect("care:product_detail", product.pk)
    context = {
        "form": form,
        "title": _("修改险种：%(name)s") % {"name": product.name},
        "breadcrumbs": crumbs((_("互助保险"), reverse("care:insurance")), (product.name, "")),
    }
    return render(request, "care/form.html", context)


@login_required
def product_detail(request, pk):
    """The renewal campaign of a year: renewed, not renewed, newly qualified, left."""
    product = _product(request, pk)
    year = _year(request)
    diff = services.renewal_diff(product=product, year=year, today=timezone.localdate())
    claims = list(
        InsuranceClaim.objects.filter(enrollment__product=product, enrollment__year=year).select_related(
            "enrollment__member"
        )[:100]
    )
    log_sensitive_reads(request, claims, [_("理赔事由")])  # often an illness
    enrollments = InsuranceEnrollment.objects.filter(product=product, year=year)
    context = {
        "product": product,
        "year": year,
        "diff": diff,
        "figures": enrollments.aggregate(n=Count("id"), total=Sum("premium", default=Decimal(0))),
        "enrollments": enrollments.select_related("member", "unit").order_by("unit__path", "member__name_pinyin")[:300],
        "claims": claims,
        "perms": permissions_on(request.user, product.unit),
        "breadcrumbs": crumbs((_("互助保险"), reverse("care:insurance")), (product.name, "")),
    }
    return render(request, "care/product_detail.html", context)


@login_required
@require_POST
def product_enroll(request, pk):
    product = _product(request, pk, "care.manage")
    year = _year(request)
    ids = [int(i) for i in request.POST.getlist("member") if i.isdecimal()]
    members = list(Member.objects.in_subtree(product.unit).filter(pk__in=ids))
    if not members:
        messages.error(request, _("请至少勾选一人。"))
    else:
        try:
            n = services.insurance_enroll(product=product, year=year, members=members, today=timezone.localdate())
        except services.CareError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已为 %(n)s 人办理%(year)s年度参保。") % {"n": n, "year": year})
    return redirect(reverse("care:product_detail", args=[pk]) + f"?year={year}")


@login_required
def product_export(request, pk):
    """The enrollment of a year in the insurer's layout, in the site's language (the page asking for a
    large one in the officer's); full ID numbers only for roles that may see them (logged)."""
    product = _product(request, pk)
    year = _year(request)
    reveal = all(has_permission(request.user, p, product.unit) for p in exporting.REVEAL_PERMISSIONS)
    listed = exporting.enrollments(product, year)
    if not exports.fits_in_request(listed):
        return render(
            request,
            "core/export_start.html",
            {
                "heading": _("导出承保名单"),
                "limit": exports.INLINE_MAX_ROWS,
                "action": reverse("care:product_export_start", args=[product.pk]),
                "query": f"year={year}",
                "fmt": "xlsx",
                "unmasked": reveal,
                "back": reverse("care:product_detail", args=[product.pk]) + f"?year={year}",
                "breadcrumbs": crumbs(
                    (product.name, reverse("care:product_detail", args=[product.pk])), (_("导出"), "")
                ),
            },
        )
    with site_language():
        response = tables.table_response(
            exporting.columns(),
            exporting.rows(listed, reveal=reveal),
            filename=f"{product.name}-{year}",
            title=exporting.title(product, year),
        )
    if reveal:  # once the sheet exists, in the reader's language: an export that failed showed nobody
        log_sensitive_read(request, product, [str(field) for field in exporting.INSURANCE.sensitive_fields])
    return response


@login_required
@require_POST
def product_export_start(request, pk):
    """The list written by the worker (core.exports), asked for from core/export_start.html."""
    product = _product(request, pk)
    year = year_param(QueryDict(request.POST.get("query", "")).get("year"), timezone.localdate().year)
    job = exports.export_start(
        kind=exporting.INSURANCE.key,
        unit=product.unit,
        user=request.user,
        query=f"product={product.pk}&year={year}",
        fmt="xlsx",
        unmasked=all(has_permission(request.user, p, product.unit) for p in exporting.REVEAL_PERMISSIONS),
        name=f"{product.name}-{year}",
    )
    return redirect("core:export", job.pk)


@login_required
def claim_add(request, pk):
    enrollment = get_object_or_404(
        InsuranceEnrollment.objects.visible_to(request.user, "care.manage").select_related("product", "member"), pk=pk
    )
    form = ClaimForm(request.POST or None, enrollment=enrollment, initial={"filed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_file(enrollment=enrollment, **form.cleaned_data)
        except services.CareError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("理赔已登记。"))
            return redirect(reverse("care:product_detail", args=[enrollment.product_id]) + f"?year={enrollment.year}")
    context = {
        "form": form,
        "title": _("登记理赔：%(name)s") % {"name": enrollment.member.name},
        "breadcrumbs": crumbs(
            (enrollment.product.name, reverse("care:product_detail", args=[enrollment.product_id])), (_("理赔"), "")
        ),
    }
    return render(request, "care/form.html", context)


@login_required
def claim_paid(request, pk):
    claim = get_object_or_404(
        InsuranceClaim.objects.visible_to(request.user, "care.manage").select_related("enrollment__member"), pk=pk
    )
    product_page = reverse("care:product_detail", args=[claim.enrollment.product_id]) + f"?year={claim.enrollment.year}"
    form = ClaimPaidForm(request.POST or None, initial={"paid_on": timezone.localdate(), "amount": claim.amount})
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_paid(claim=claim, **form.cleaned_data)
        except services.CareError as error:
            if not refusal_on_form(request, form, error):
                return redirect(product_page)
        else:
            messages.success(request, _("已登记理赔到账。"))
            return redirect(product_page)
    context = {
        "form": form,
        "title": _("登记理赔到账：%(name)s") % {"name": claim.enrollment.member.name},
        "breadcrumbs": crumbs((_("互助保险"), reverse("care:insurance")), (_("理赔"), "")),
    }
    return render(request, "care/form.html", context)


def _women_due(request, unit, year):
    """The roster under ``unit`` (MemberQuerySet.under) and its women members not yet checked in ``year``."""
    # Shaped for the subtree's size: a city's or a province's list is read in name order from the name
    # index until it is full, not sorted from all their members.
    roster = Member.objects.under([unit.path])
    women = (
        roster.members.filter(status__in=IN_UNION, gender="F").exclude(status="retired").order_by("name_pinyin", "id")
    )
    attended = HealthCheck.objects.visible_to(request.user, "care.view").in_subtree(unit).filter(year=year)
    # A subquery, not the ids: a province's checks are hundreds of thousands.
    return roster, attended, women.exclude(pk__in=attended.values("member_id"))


@login_required
def women(request):
    """Women staff: who is due a health check this year, who attended, and the protection items."""
    unit = current_unit_or_404(request, "care.view")
    year = _year(request)
    if request.method == "POST":
        if not has_permission(request.user, "care.manage", unit):
            raise Http404
        _roster, _attended, due = _women_due(request, unit, year)
        ids = [int(i) for i in request.POST.getlist("member") if i.isdecimal()]
        day = CheckDateForm(request.POST, year=year)
        if not ids:
            messages.warning(request, _("请先勾选已经体检的女职工。"))
        elif not day.is_valid():
            messages.error(request, day.errors["on"][0])
        else:
            recorded = services.health_checks_record(due=due, member_ids=ids, year=year, on=day.cleaned_data["on"])
            if recorded:
                messages.success(request, _("已登记 %(n)s 人体检。") % {"n": recorded})
            else:  # a second tab, or a list opened before someone else recorded them
                messages.warning(request, _("勾选的人已经登记过体检，没有重复登记。"))
        return redirect(reverse("care:women") + f"?year={year}")
    return _women_page(request, unit, year)


def _women_page(request, unit, year, protection_form=None):
    """The women staff page; ``protection_form`` is a protection item form sent back with its errors."""
    perms = permissions_on(request.user, unit)
    roster, attended, due = _women_due(request, unit, year)
    form = protection_form or ProtectionForm(initial={"unit": unit, "year": year})
    form.set_units(care_units(request, unit))
    shown = DUE_SHOWN_LARGE if roster.walks_name_index else DUE_SHOWN
    context = {
        "unit": unit,
        "year": year,
        "check_on": min(timezone.localdate(), datetime.date(year, 12, 31)),
        # No ID number or phone to decrypt. A large subtree's first DUE_SHOWN_LARGE in name order: a city
        # of 10,000,000 members' province holds 1 in 100 of the name index's rows (100 took 60 ms).
        "due": due.select_related("unit").only("name", "unit__name")[:shown],
        "due_shown": shown,
        "due_count": capped_count(due),  # bounded at a province
        "attended": attended.select_related("member", "unit")[:300],
        "items": ProtectionItem.objects.visible_to(request.user, "care.view").in_subtree(unit).filter(year=year),
        "form": form if "care.manage" in perms else None,
        "perms": perms,
        "breadcrumbs": crumbs((_("女职工关爱"), "")),
    }
    return render(request, "care/women.html", context)


@login_required
@require_POST
def protection_add(request):
    unit = current_unit_or_404(request, "care.manage")
    form = ProtectionForm(request.POST)
    form.set_units(care_units(request, unit))
    if not form.is_valid():
        # The page again with what was typed and the errors beside the fields.
        return _women_page(request, unit, _year(request), protection_form=form)
    form.save()
    messages.success(request, _("已保存。"))
    return redirect("care:women")
