"""Carrying last year's unfinished items into the plan being drafted (结转): pick, confirm, carry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.forms import add_service_error
from plans import services
from plans.forms import CarryForm
from plans.models import MONTH_CHOICES
from plans.views import _crumbs, _plan, _plan_crumb

MONTHS = dict(MONTH_CHOICES)


@login_required
def carry(request, pk):
    """The chair ticks the items to carry and picks their months; a second page shows what will be added
    and adds it only when confirmed ("返回修改" goes back with every tick and month kept)."""
    plan = _plan(request, pk, "plans.change")
    detail = reverse("plans:detail", args=[plan.pk])
    if plan.is_published:
        messages.error(request, _("计划已发布：请先改回草稿，再结转上年未完成的事项。"))
        return redirect(detail)
    source = services.carry_source(plan=plan, user=request.user)
    candidates = services.carry_candidates(plan=plan, source=source)
    form = CarryForm(request.POST or None, candidates=candidates)
    confirming = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") == "yes":
            try:
                copies = services.items_carry(plan=plan, picks=form.picks(), user=request.user)
            except services.PlanError as error:
                add_service_error(form, error)
            else:
                count = len(copies)
                messages.success(
                    request,
                    ngettext(
                        "已从%(year)s年计划结转%(count)d项事项，请检查月份和承办单位。",
                        "已从%(year)s年计划结转%(count)d项事项，请检查月份和承办单位。",
                        count,
                    )
                    % {"year": source.year, "count": count},
                )
                return redirect(detail + "#schedule")
        else:
            confirming = "back" not in request.POST
    picked = form.picks() if confirming else {}
    context = {
        "plan": plan,
        "source": source,
        "form": form,
        "rows": form.rows(),
        "open_count": sum(1 for c in candidates if not c.carried),
        "chosen": [(c.item, picked[c.item.pk], MONTHS[picked[c.item.pk]]) for c in candidates if c.item.pk in picked],
        # The months of the rows not ticked, so that 返回修改 shows them as the chair left them.
        "kept": [(pk, month) for pk, month in form.months().items() if pk not in picked] if confirming else [],
        "breadcrumbs": _crumbs(_plan_crumb(plan), {"label": _("结转上年事项")}),
    }
    return render(request, "plans/carry_confirm.html" if confirming else "plans/carry.html", context)
