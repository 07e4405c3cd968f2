"""Pages of annual plans: list, create, the tracking page, editing, items of a unit, summaries, archive."""

import dataclasses

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_error
from core.keyset import ordered_page
from core.pagination import paginate
from core.params import next_url, year_param
from federation import services as federation_services
from federation.models import CallKind
from orgs.access import has_permission, permissions_on
from plans import plan_templates, services
from plans.forms import (
    ItemForm,
    ItemStatusForm,
    PlanCreateForm,
    PlanForm,
    SectionForm,
    SummaryForm,
    TargetForm,
)
from plans.models import (
    MONTH_CHOICES,
    ItemStatus,
    Plan,
    PlanSection,
    PlanStatus,
    ScheduleItem,
    SummaryStatus,
    Target,
    TargetState,
    YearSummary,
    default_plan_year,
)

# --- Access helpers: the object if the user may act on it, else 404 ------------------------


def _plan(request, pk, permission="plans.view"):
    return get_object_or_404(Plan.objects.visible_to(request.user, permission).select_related("unit"), pk=pk)


def _item(request, pk, permission):
    """An item by the unit it is assigned to: officers below see and update their own items."""
    items = ScheduleItem.objects.visible_to(request.user, permission).select_related(
        "plan__unit", "unit", "carried_from__plan"
    )
    return get_object_or_404(items, pk=pk)


def _item_to_edit(request, pk):
    """An item to edit in full: that takes ``plans.change`` on the plan's unit."""
    plans = Plan.objects.visible_to(request.user, "plans.change")
    return get_object_or_404(ScheduleItem.objects.select_related("plan__unit", "unit"), pk=pk, plan__in=plans)


def _target(request, pk):
    plans = Plan.objects.visible_to(request.user, "plans.change")
    return get_object_or_404(Target.objects.select_related("plan__unit"), pk=pk, plan__in=plans)


def _section(request, pk):
    plans = Plan.objects.visible_to(request.user, "plans.change")
    return get_object_or_404(PlanSection.objects.select_related("plan__unit"), pk=pk, plan__in=plans)


def _summary(request, pk, permission="plans.view"):
    summaries = YearSummary.objects.visible_to(request.user, permission).select_related("unit", "plan")
    return get_object_or_404(summaries, pk=pk)


def _may_update(request):
    def may_update(item):
        return has_permission(request.user, "plans.update_items", item.unit)

    return may_update


def _current_unit(request):
    if request.unit is None:
        raise Http404
    return request.unit


def _crumbs(*trail):
    return [{"label": _("工作计划"), "url": reverse("plans:index")}, *trail]


def _plan_crumb(plan):
    return {
        "label": _("%(year)s年 · %(unit)s") % {"year": plan.year, "unit": plan.unit.display_name},
        "url": reverse("plans:detail", args=[plan.pk]),
    }


# --- Plans ---------------------------------------------------------------------------------


@login_required
def index(request):
    unit = _current_unit(request)
    plans = Plan.objects.visible_to(request.user, "plans.view").in_subtree(unit).select_related("unit")
    # This year's plan, and from October (default_plan_year) next year's as well: in December the chair
    # closes one year and prepares the next, and both are what she opens the page for.
    years = {timezone.localdate().year, default_plan_year()}
    own_plans = list(plans.filter(unit=unit, year__in=years).order_by("year"))
    year = year_param(request.GET.get("year"))
    if year is not None:
        plans = plans.filter(year=year)
    # A province has thousands of plans: a keyset page read a year at a time (each year's plans in
    # tree order are an index walk), a capped count, and the item counts of the rows shown only.
    page = ordered_page(
        plans,
        order=[("year", True), ("unit__path", False), ("id", False)],
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=settings.PAGE_SIZE,
        leading=[year] if year is not None else Plan.objects.years(),
    )
    shown = Plan.objects.filter(pk__in=[p.pk for p in page]).select_related("unit").with_item_counts()
    page = dataclasses.replace(page, object_list=list(shown.order_by("-year", "unit__path", "id")))
    context = {
        "unit": unit,
        "page": page,
        "year": year or "",
        "can_create": has_permission(request.user, "plans.change", unit),
        "can_view": has_permission(request.user, "plans.view", unit),
        "own_plans": own_plans,
        "breadcrumbs": _crumbs(),
    }
    return render(request, "plans/index.html", context)


def _created_message(data, today):
    gone = services.months_gone(data["year"], today) if data["start"] != PlanCreateForm.START_BLANK else 0
    if not gone:
        return _("已创建草稿，请检查修改后发布。")
    return _("已创建草稿，请检查修改后发布。已经过去的%(year)s年1—%(month)s月的事项没有列入，需要时可以补充。") % {
        "year": data["year"],
        "month": gone,
    }


@login_required
def create(request):
    unit = _current_unit(request)
    if not has_permission(request.user, "plans.change", unit):
        raise Http404
    taken = set(Plan.objects.filter(unit=unit).values_list("year", flat=True))
    year = default_plan_year()
    # In December the year to plan is next year's; if its plan is begun, the chair is sent to it,
    # not left to start the year after without noticing (the form offers the next free year).
    begun = Plan.objects.filter(unit=unit, year=year).first() if year in taken else None
    while year in taken:
        year += 1
    latest = Plan.objects.filter(unit=unit).order_by("-year").first()
    initial = {"year": year, "template": plan_templates.suggested_for(unit), "copy_from": latest}
    form = PlanCreateForm(request.POST or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, today = form.cleaned_data, timezone.localdate()
        try:
            if data["start"] == form.START_TEMPLATE:
                plan = services.plan_from_template(
                    unit=unit, year=data["year"], template_key=data["template"], user=request.user, today=today
                )
            elif data["start"] == form.START_COPY:
                plan = services.plan_copy(source=data["copy_from"], year=data["year"], user=request.user, today=today)
            else:
                plan = services.plan_create_blank(unit=unit, year=data["year"], title=data["title"], user=request.user)
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _created_message(data, today))
            return redirect("plans:detail", plan.pk)
    context = {
        "form": form,
        "unit": unit,
        "templates": plan_templates.TEMPLATES.values(),
        "begun": begun,
        "breadcrumbs": _crumbs({"label": _("编制计划")}),
    }
    return render(request, "plans/create.html", context)


@login_required
def detail(request, pk):
    plan = _plan(request, pk)
    progress = services.plan_progress(plan, may_update=_may_update(request), reader=request.user)
    perms = permissions_on(request.user, plan.unit)
    context = {
        "plan": plan,
        "progress": progress,
        "outline": plan.outline(
            chinese=get_language().startswith("zh"),
            has_targets=bool(progress.targets),
            has_items=bool(progress.items),
        ),
        "can_change": "plans.change" in perms,
        "summary": YearSummary.objects.filter(unit=plan.unit, year=plan.year).first(),
        "may_summarise": plan.has_begun(),
        "calls": _calls_for(request, plan, CallKind.PLAN) if "plans.change" in perms else [],
        "today": timezone.localdate(),
        "states": TargetState,
        "breadcrumbs": _crumbs(_plan_crumb(plan)),
    }
    return render(request, "plans/detail.html", context)


@login_required
def edit(request, pk):
    plan = _plan(request, pk, "plans.change")
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存。"))
        return redirect("plans:detail", plan.pk)
    context = {"form": form, "plan": plan, "breadcrumbs": _crumbs(_plan_crumb(plan), {"label": _("修改")})}
    return render(request, "plans/plan_form.html", context)


@login_required
@require_POST
def publish(request, pk):
    plan = _plan(request, pk, "plans.change")
    try:
        services.plan_publish(plan=plan, user=request.user)
    except services.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("计划已发布，各单位可以按计划更新事项进度。"))
    return redirect("plans:detail", plan.pk)


@login_required
@require_POST
def unpublish(request, pk):
    plan = _plan(request, pk, "plans.change")
    services.plan_unpublish(plan=plan, user=request.user)
    messages.success(request, _("计划已改回草稿。"))
    return redirect("plans:detail", plan.pk)


@login_required
def delete(request, pk):
    plan = _plan(request, pk, "plans.change")
    if plan.status != PlanStatus.DRAFT:
        messages.error(request, _("已发布的计划不能删除，请先改回草稿。"))
        return redirect("plans:detail", plan.pk)
    if request.method == "POST":
        try:
            services.plan_delete(plan=plan)
        except services.PlanError as error:
            messages.error(request, str(error))
            return redirect("plans:detail", plan.pk)
        messages.success(request, _("草稿已删除。"))
        return redirect("plans:index")
    context = {"plan": plan, "breadcrumbs": _crumbs(_plan_crumb(plan), {"label": _("删除")})}
    return render(request, "plans/plan_delete.html", context)


# --- Sections ------------------------------------------------------------------------------


@login_required
def section_add(request, pk):
    plan = _plan(request, pk, "plans.change")
    section = PlanSection(plan=plan, order=(plan.sections.count() + 1))
    return _section_form(request, plan, section, _("添加章节"))


@login_required
def section_edit(request, pk):
    section = _section(request, pk)
    return _section_form(request, section.plan, section, _("修改章节"))


def _part_saved(request, part, anchor):
    """A section or target saved, back to its plan; the plans list when the draft was deleted meanwhile."""
    try:
        services.part_save(part)
    except services.PlanError as error:
        messages.error(request, str(error))
        return redirect("plans:index")
    messages.success(request, _("已保存。"))
    return redirect(reverse("plans:detail", args=[part.plan_id]) + anchor)


def _section_form(request, plan, section, title):
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        return _part_saved(request, form.save(commit=False), "#outline")
    context = {
        "form": form,
        "plan": plan,
        "title": title,
        "breadcrumbs": _crumbs(_plan_crumb(plan), {"label": title}),
    }
    return render(request, "plans/part_form.html", context)


@login_required
@require_POST
def section_move(request, pk):
    """Swap a section with its neighbour above or below, so that numbering follows."""
    section = _section(request, pk)
    services.section_move(section=section, up=request.POST.get("direction") == "up")
    return redirect(reverse("plans:detail", args=[section.plan.pk]) + "#outline")


@login_required
def section_delete(request, pk):
    section = _section(request, pk)
    return _confirm_delete(request, section, section.plan, _("删除章节"), section.heading, "#outline")


def _confirm_delete(request, obj, plan, title, name, anchor):
    if request.method == "POST":
        try:
            services.part_delete(part=obj, name=name)
        except services.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已删除“%(name)s”。") % {"name": name})
        return redirect(reverse("plans:detail", args=[plan.pk]) + anchor)
    context = {
        "plan": plan,
        "title": title,
        "name": name,
        "breadcrumbs": _crumbs(_plan_crumb(plan), {"label": title}),
    }
    return render(request, "plans/part_delete.html", context)


# --- Targets -------------------------------------------------------------------------------


@login_required
def target_add(request, pk):
    plan = _plan(request, pk, "plans.change")
    target = Target(plan=plan, order=plan.targets.count() + 1)
    return _target_form(request, plan, target, _("添加目标"))


@login_required
def target_edit(request, pk):
    target = _target(request, pk)
    return _target_form(request, target.plan, target, _("修改目标"))


def _target_form(request, plan, target, title):
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        return _part_saved(request, form.save(commit=False), "#targets")
    context = {
        "form": form,
        "plan": plan,
        "title": title,
        "measures": form.measures,
        "breadcrumbs": _crumbs(_plan_crumb(plan), {"label": title}),
    }
    return render(request, "plans/part_form.html", context)


@login_required
def target_delete(request, pk):
    target = _target(request, pk)
    if target.handed_down_from_id:  # refused by the service too: said before the confirmation page
        messages.error(request, _("这是上级下达的目标，不能删除。"))
        return redirect(reverse("plans:detail", args=[target.plan_id]) + "#targets")
    return _confirm_delete(request, target, target.plan, _("删除目标"), target.name, "#targets")


# --- Schedule items ------------------------------------------------------------------------


@login_required
def item_add(request, pk):
    plan = _plan(request, pk, "plans.change")
    month = request.GET.get("month", "")
    item = ScheduleItem(plan=plan, unit=plan.unit, month=int(month) if month.isdecimal() and int(month) <= 12 else 0)
    return _item_form(request, plan, item, _("添加事项"))


@login_required
def item_edit(request, pk):
    item = _item_to_edit(request, pk)
    return _item_form(request, item.plan, item, _("修改事项"))


def _item_form(request, plan, item, title):
    form = ItemForm(request.POST or None, instance=item, plan=plan, initial={"month": item.month})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_save(item=form.save(commit=False), by=request.user)
        except services.PlanError as error:  # the draft was deleted meanwhile
            messages.error(request, str(error))
            return redirect("plans:index")
        messages.success(request, _("已保存。"))
        return redirect(reverse("plans:detail", args=[plan.pk]) + f"#month-{item.month}")
    context = {
        "form": form,
        "plan": plan,
        "title": title,
        "breadcrumbs": _crumbs(_plan_crumb(plan), {"label": title}),
    }
    return render(request, "plans/part_form.html", context)


@login_required
def item_delete(request, pk):
    item = _item_to_edit(request, pk)
    return _confirm_delete(request, item, item.plan, _("删除事项"), item.text, f"#month-{item.month}")


@login_required
def item_detail(request, pk):
    item = _item(request, pk, "plans.view")
    form = ItemStatusForm(initial={"status": item.status, "postponed_to": item.postponed_to}, item=item)
    return _item_page(request, item, form)


def _item_page(request, item, form):
    can_update = has_permission(request.user, "plans.update_items", item.unit)
    turns = services.item_turns(item)
    context = {
        "item": item,
        "plan": item.plan,
        "form": form if can_update else None,
        "can_edit": has_permission(request.user, "plans.change", item.plan.unit),
        "evidence": services.openable_evidence(item, request.user),
        "changes": item.history.select_related("history_user")[:20],
        "turns": turns,
        "turns_done": sum(1 for turn in turns if turn.done_at),
        "overdue": item.is_overdue(),
        # Carried into next year's plan (结转): shown to whoever may read that plan.
        "carried_into": item.carried_into.filter(plan__in=Plan.objects.visible_to(request.user, "plans.view"))
        .select_related("plan")
        .first(),
        "breadcrumbs": _item_crumbs(request, item),
    }
    return render(request, "plans/item_detail.html", context)


def _item_crumbs(request, item):
    if has_permission(request.user, "plans.view", item.plan.unit):
        return _crumbs(_plan_crumb(item.plan), {"label": item.text})
    return _crumbs({"label": _("本单位事项"), "url": reverse("plans:assigned")}, {"label": item.text})


@login_required
@require_POST
def item_status(request, pk):
    """Set an item's status; htmx asks for the item's row back, a plain form is redirected (or, refused,
    its page shown again with the refusal beside the field)."""
    item = _item(request, pk, "plans.update_items")
    form = ItemStatusForm(request.POST, item=item)
    if form.is_valid():
        try:
            services.item_set_status(
                item=item,
                status=form.cleaned_data["status"],
                postponed_to=form.cleaned_data["postponed_to"],
                note=form.cleaned_data["note"],
                user=request.user,
                whole=form.cleaned_data.get("whole", False),
            )
        except services.PlanError as exc:
            add_service_error(form, exc)
    if request.htmx:
        return _item_row(request, item, "；".join(e for errors in form.errors.values() for e in errors) or None)
    if form.errors:
        # The item's page again with the refusal beside its field and the officer's note kept.
        return _item_page(request, item, form)
    messages.success(request, services.status_saved_message(item, form.cleaned_data["status"]))
    return redirect(next_url(request, reverse("plans:item", args=[item.pk])))


def _item_row(request, item, error):
    """The item's row again; on the plan page also the plan's totals, the month's and the
    categories' tallies."""
    item.refresh_from_db()
    context = {"error": error, "with_progress": bool(request.POST.get("progress"))}
    if context["with_progress"]:
        plan = item.plan
        progress = services.plan_progress(plan, may_update=_may_update(request), reader=request.user)
        row = next(r for r in progress.items if r.item.pk == item.pk)
        context.update(
            row=row,
            plan=plan,
            progress=progress,
            month=next(m for m in progress.months if m.key == item.month),
        )
    else:
        [row] = services.item_rows([item], may_update=_may_update(request), reader=request.user)
        context.update(row=row, show_plan=True)
    return render(request, "plans/_item_status.html", context)


@login_required
def assigned(request):
    """Items of published plans assigned to the current unit and the units below it."""
    unit = _current_unit(request)
    today = timezone.localdate()
    items = (
        ScheduleItem.objects.visible_to(request.user, "plans.view")
        .in_subtree(unit)
        .filter(plan__status=PlanStatus.PUBLISHED)
        .select_related("plan__unit", "unit")
        .order_by("-plan__year", "month", "plan_id", "order", "pk")
    )
    year = year_param(request.GET.get("year"), today.year)
    items = items.filter(plan__year=year)
    month = request.GET.get("month", "")
    if month in {str(value) for value, _label in MONTH_CHOICES}:
        items = items.filter(month=int(month))
    else:
        month = ""
    status = request.GET.get("status", "")
    if status == "overdue":
        items = items.overdue(today)
    elif status in ItemStatus.values:
        items = items.filter(status=status)
    page = ordered_page(
        items,
        # Within a month a plan's items together, in the order of the (month, plan, order) index: a
        # province's page reads its first rows instead of sorting every item by the plans' units.
        order=[("plan__year", True), ("month", False), ("plan_id", False), ("order", False), ("id", False)],
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=settings.PAGE_SIZE,
    )
    context = {
        "unit": unit,
        "page": page,
        "rows": services.item_rows(list(page), today=today, may_update=_may_update(request), reader=request.user),
        "year": year,
        # Next year's items: none is late before its year begins, so the page says when it begins instead.
        "year_not_begun": year > today.year,
        "month": month,
        "status": status,
        "months": MONTH_CHOICES,
        "statuses": ItemStatus.choices,
        "breadcrumbs": _crumbs({"label": _("本单位事项")}),
    }
    return render(request, "plans/assigned.html", context)


# --- Year-end summary ----------------------------------------------------------------------


@login_required
@require_POST
def summary_create(request, pk):
    plan = _plan(request, pk, "plans.change")
    existing = YearSummary.objects.filter(unit=plan.unit, year=plan.year).first()
    if existing is not None:  # a second click must not overwrite what was edited since
        return redirect("plans:summary", existing.pk)
    try:
        summary = services.summary_draft(plan=plan, user=request.user)
    except services.PlanError as error:
        messages.error(request, str(error))
        return redirect("plans:detail", plan.pk)
    messages.success(request, _("已根据本年度记录生成总结初稿，请修改完善。"))
    return redirect("plans:summary", summary.pk)


@login_required
def summary_redraft(request, pk):
    """Write the draft again from the latest records, after a confirmation: edits are replaced."""
    summary = _summary(request, pk, "plans.change")
    if summary.plan_id is None:
        raise Http404
    if request.method == "POST":
        try:
            services.summary_draft(plan=summary.plan, user=request.user)
        except services.PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已按最新记录重新生成总结初稿。"))
        return redirect("plans:summary", summary.pk)
    context = {
        "summary": summary,
        "breadcrumbs": _crumbs(
            {"label": summary.title, "url": reverse("plans:summary", args=[summary.pk])}, {"label": _("重新生成")}
        ),
    }
    return render(request, "plans/summary_redraft.html", context)


@login_required
def summary(request, pk):
    summary = _summary(request, pk)
    can_change = has_permission(request.user, "plans.change", summary.unit)
    form = SummaryForm(request.POST or None, instance=summary) if can_change else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            services.summary_save(summary=form.save(commit=False))
            messages.success(request, _("总结已保存。"))
            return redirect("plans:summary", summary.pk)
    crumbs = [{"label": _("%(year)s年工作总结") % {"year": summary.year}}]
    if summary.plan_id:
        crumbs.insert(0, _plan_crumb(summary.plan))
    can_redraft = can_change and summary.status == SummaryStatus.DRAFT and summary.plan_id
    context = {
        "summary": summary,
        "form": form,
        "calls": _calls_for(request, summary, CallKind.SUMMARY) if can_change else [],
        "can_redraft": can_redraft,
        "gaps": services.summary_gaps(summary.plan) if can_redraft else [],
        "breadcrumbs": _crumbs(*crumbs),
    }
    return render(request, "plans/summary.html", context)


def _calls_for(request, record, kind):
    """The federation's calls asking for this record, with where its filing stands (for those who file)."""
    if not has_permission(request.user, "federation.file", record.unit):
        return []
    return federation_services.calls_for_record(record.unit, kind, record.year)


# --- Archive -------------------------------------------------------------------------------


@login_required
def archive(request):
    """Past years' plans and summaries of the current unit and the units below it; from December
    also this year's, archived in the month the plan's year-end archiving falls due."""
    unit = _current_unit(request)
    today = timezone.localdate()
    last_year_listed = today.year if today.month == 12 else today.year - 1
    plans = (
        Plan.objects.visible_to(request.user, "plans.view")
        .in_subtree(unit)
        .filter(year__lte=last_year_listed)
        .select_related("unit")
        .order_by("-year", "unit__path")
    )
    page = paginate(request, plans)
    summaries = YearSummary.objects.visible_to(request.user, "plans.view").filter(plan__in=[p.pk for p in page])
    by_plan = {s.plan_id: s for s in summaries}
    context = {
        "unit": unit,
        "page": page,
        "rows": [(plan, by_plan.get(plan.pk)) for plan in page],
        "breadcrumbs": _crumbs({"label": _("往年计划与总结")}),
    }
    return render(request, "plans/past_years.html", context)
