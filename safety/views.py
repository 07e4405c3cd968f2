"""安康杯 and safety inspection pages: thin, through the access rule and safety.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import files
from core.forms import add_service_error, refusal_on_form
from core.pagination import children_page, paginate
from orgs.access import current_unit_or_404, has_permission, permissions_on, subtree_range
from orgs.models import OrgUnit
from safety import services
from safety.forms import FixForm, HazardForm, InspectionEditForm, InspectionForm, ReturnForm
from safety.models import Enrollment, Hazard, HazardStatus, Inspection, Severity


def _crumbs(*extra):
    return [{"label": _("安全检查"), "url": reverse("safety:index")}, *({"label": e, "url": ""} for e in extra)]


CUP_RANKED_MAX = 500


@login_required
def index(request):
    unit = current_unit_or_404(request, "safety.view")
    today = timezone.localdate()
    year = today.year
    hazards = Hazard.objects.visible_to(request.user, "safety.view").in_subtree(unit)
    by_severity = dict(hazards.unresolved().values_list("severity").annotate(n=Count("id")))
    page = children_page(request, unit)
    children = list(page.object_list)
    per_child = {row["path"]: row for row in _per_child_counts(hazards, unit, children, today)}
    own = hazards.filter(unit=unit).aggregate(
        open=Count("id", filter=~Q(status=HazardStatus.CLOSED)),
        overdue=Count("id", filter=Q(status=HazardStatus.OPEN, deadline__lt=today)),
        closed=Count("id", filter=Q(status=HazardStatus.CLOSED)),
    )
    enrollments = Enrollment.objects.visible_to(request.user, "safety.view").in_subtree(unit).filter(year=year)
    # The cup ranks every unit enrolled below, or none: the first few hundred ranked alone would put a unit
    # first that is not. A province's thousands are ranked on its counties' pages.
    enrollments = list(enrollments.select_related("unit").order_by("unit__path")[: CUP_RANKED_MAX + 1])
    too_many_to_rank = len(enrollments) > CUP_RANKED_MAX
    return render(
        request,
        "safety/index.html",
        {
            "unit": unit,
            "year": year,
            "today": today,
            "perms": permissions_on(request.user, unit),
            "enrolled": Enrollment.objects.filter(unit=unit, year=year).exists(),
            "open_hazards": hazards.unresolved().select_related("unit")[:20],
            "overdue": hazards.overdue(today).count(),
            "severities": [(label, by_severity.get(value, 0)) for value, label in Severity.choices],
            "children": [(child, per_child.get(child.path)) for child in children],
            "page": page,
            "own": own,
            "inspections": Inspection.objects.visible_to(request.user, "safety.view")
            .in_subtree(unit)
            .select_related("inspector")[:8],
            "standings": []
            if too_many_to_rank
            else services.cup_standings(year=year, enrollments=enrollments, today=today),
            "too_many_to_rank": too_many_to_rank,
            "cup_ranked_max": CUP_RANKED_MAX,
            "breadcrumbs": _crumbs(),
        },
    )


def _per_child_counts(hazards, unit, children, today):
    """Open, overdue and closed hazards per unit directly below, in one grouped query on the path prefix."""
    if not children:
        return []
    step = len(children[0].path)
    return (
        hazards.exclude(unit=unit)
        .annotate(path=Substr("unit__path", 1, step))
        .values("path")
        .annotate(
            open=Count("id", filter=~Q(status=HazardStatus.CLOSED)),
            overdue=Count("id", filter=Q(status=HazardStatus.OPEN, deadline__lt=today)),
            closed=Count("id", filter=Q(status=HazardStatus.CLOSED)),
        )
    )


@login_required
@require_POST
def enroll(request):
    unit = current_unit_or_404(request, "safety.manage")
    try:
        services.enroll(unit=unit, year=timezone.localdate().year, by=request.user)
        messages.success(request, _("已报名本年度安康杯竞赛。"))
    except services.SafetyError as error:
        messages.error(request, error.message)
    return redirect("safety:index")


@login_required
def inspection_new(request):
    unit = current_unit_or_404(request, "safety.inspect")
    units = OrgUnit.objects.visible_to(request.user, "safety.inspect").filter(
        path__range=subtree_range(unit.path), is_active=True
    )
    form = InspectionForm(request.POST or None, units=units, initial={"unit": unit})
    hazard_form = HazardForm(
        request.POST or None, request.FILES or None, prefix="hazard", recorded=form.hazard_recorded()
    )
    if request.method == "POST" and form.is_valid():
        with_hazard = form.cleaned_data["found_hazard"]
        if not with_hazard and hazard_form.typed():  # never drop a hazard (and its photo) the box was not ticked for
            form.add_error(
                "found_hazard", _("已填写了隐患，请勾选“发现隐患，现在登记”；如果没有隐患，请清空隐患的内容。")
            )
        elif not with_hazard or hazard_form.is_valid():
            hazards = [services.HazardInput(**hazard_form.cleaned_data)] if with_hazard else []
            data = form.cleaned_data
            try:
                inspection = services.inspection_record(
                    unit=data["unit"] or unit,
                    by=request.user,
                    place=data["place"],
                    inspected_on=data["inspected_on"],
                    failed=data["failed"],
                    note=data["note"],
                    hazards=hazards,
                )
            except services.SafetyError as error:
                add_service_error(hazard_form if error.field in hazard_form.fields else form, error)
            else:
                messages.success(request, _("检查记录已保存。"))
                return redirect("safety:inspection", inspection.pk)
    return render(
        request,
        "safety/inspection_form.html",
        {"form": form, "hazard_form": hazard_form, "breadcrumbs": _crumbs(_("登记检查"))},
    )


def _get_inspection(request, pk):
    return get_object_or_404(Inspection.objects.visible_to(request.user, "safety.view").select_related("unit"), pk=pk)


@login_required
def inspection_edit(request, pk):
    """Correct an inspection's record: a wrong date, a place mistyped, an item ticked by mistake."""
    inspection = _get_inspection(request, pk)
    if "safety.inspect" not in permissions_on(request.user, inspection.unit):
        raise Http404
    form = InspectionEditForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_update(inspection=inspection, **form.cleaned_data)
        except services.SafetyError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("检查记录已保存。"))
            return redirect("safety:inspection", inspection.pk)
    return render(
        request,
        "safety/inspection_form.html",
        {
            "form": form,
            "inspection": inspection,
            "breadcrumbs": _crumbs(str(inspection), _("修改检查记录")),
        },
    )


@login_required
def inspection_detail(request, pk):
    inspection = _get_inspection(request, pk)
    perms = permissions_on(request.user, inspection.unit)
    form = HazardForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if "safety.inspect" not in perms:
            raise Http404
        if form.is_valid():
            try:
                services.hazard_add(inspection=inspection, hazard=services.HazardInput(**form.cleaned_data))
            except services.SafetyError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("已登记隐患。"))
                return redirect("safety:inspection", inspection.pk)
    return render(
        request,
        "safety/inspection_detail.html",
        {
            "inspection": inspection,
            "hazards": inspection.hazards.all(),
            "perms": perms,
            "form": form,
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs(str(inspection)),
        },
    )


@login_required
def hazards(request):
    unit = current_unit_or_404(request, "safety.view")
    found = Hazard.objects.visible_to(request.user, "safety.view").in_subtree(unit).select_related("unit")
    status = request.GET.get("status", "")
    if status == "overdue":
        found = found.overdue(timezone.localdate())
    elif status in HazardStatus.values:
        found = found.filter(status=status)
    return render(
        request,
        "safety/hazards.html",
        {
            "page": paginate(request, found),
            "status": status,
            "statuses": HazardStatus.choices,
            "today": timezone.localdate(),
            "may_inspect": "safety.inspect" in permissions_on(request.user, unit),  # the empty list's next step
            "breadcrumbs": _crumbs(_("隐患")),
        },
    )


def _get_hazard(request, pk):
    return get_object_or_404(
        Hazard.objects.visible_to(request.user, "safety.view").select_related("unit", "inspection"), pk=pk
    )


@login_required
def hazard_detail(request, pk):
    hazard = _get_hazard(request, pk)
    perms = permissions_on(request.user, hazard.unit)
    may_fix = "safety.manage" in perms or "safety.inspect" in perms
    form = FixForm(request.POST or None, request.FILES or None)
    if "safety.manage" not in perms:
        del form.fields["close"]  # the responsible side shows the fix; an officer closes it
    if request.method == "POST":
        if not may_fix:
            raise Http404
        if form.is_valid():
            close = form.cleaned_data.get("close", False)
            try:
                services.hazard_fix(
                    hazard=hazard,
                    by=request.user,
                    photo=form.cleaned_data["fix_photo"],
                    note=form.cleaned_data["note"],
                    close=close,
                )
            except services.SafetyError as error:
                refusal_on_form(request, form, error)
            else:
                messages.success(request, _("隐患已销号。") if close else _("整改情况已登记，待销号。"))
                return redirect("safety:hazard", hazard.pk)
    return render(
        request,
        "safety/hazard_detail.html",
        {
            "hazard": hazard,
            "perms": perms,
            "may_fix": may_fix,
            "form": form,
            "overdue": hazard.is_overdue(timezone.localdate()),
            "breadcrumbs": _crumbs(_("隐患"), hazard.description[:20]),
        },
    )


@login_required
def hazard_return(request, pk):
    """An officer who may close hazards sends a fix back, saying why."""
    hazard = _get_hazard(request, pk)
    if not has_permission(request.user, "safety.manage", hazard.unit):
        raise Http404
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hazard_return(hazard=hazard, by=request.user, reason=form.cleaned_data["reason"])
        except services.SafetyError as error:
            refusal_on_form(request, form, error)
        else:
            messages.success(request, _("已退回整改，隐患重新列为待整改。"))
            return redirect("safety:hazard", hazard.pk)
    return render(
        request,
        "safety/hazard_return.html",
        {"hazard": hazard, "form": form, "breadcrumbs": _crumbs(_("隐患"), hazard.description[:20])},
    )


@login_required
@require_POST
def hazard_close(request, pk):
    hazard = _get_hazard(request, pk)
    if not has_permission(request.user, "safety.manage", hazard.unit):
        raise Http404
    try:
        services.hazard_close(hazard=hazard, by=request.user)
        messages.success(request, _("隐患已销号。"))
    except services.SafetyError as error:
        messages.error(request, error.message)
    return redirect("safety:hazard", hazard.pk)


@login_required
def hazard_photo(request, pk, which):
    hazard = _get_hazard(request, pk)
    if which not in ("found", "fixed"):
        raise Http404
    return files.serve(hazard.photo if which == "found" else hazard.fix_photo)
