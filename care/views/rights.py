"""Rights protection and legal aid: cases, their steps and outcome, and the public intake form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from care import services
from care.forms import AssignForm, CaseForm, CloseForm, PublicCaseForm, StepForm
from care.models import CaseStatus, RightsCase
from care.views.common import care_units, crumbs
from core import throttle
from core.audit import log_sensitive_read
from core.forms import refusal_on_form
from core.pagination import paginate
from orgs.access import current_unit_or_404, permissions_on
from orgs.models import OrgUnit

CASE_FIELDS = [gettext_lazy("联系电话"), gettext_lazy("情况说明")]
PUBLIC_LIMIT = 5  # submissions per address per hour
PUBLIC_WINDOW = 3600


def _get(request, pk, permission="care.view"):
    return get_object_or_404(
        RightsCase.objects.visible_to(request.user, permission).select_related("unit", "assigned_to"), pk=pk
    )


@login_required
def case_list(request):
    unit = current_unit_or_404(request, "care.view")
    cases = (
        RightsCase.objects.visible_to(request.user, "care.view").in_subtree(unit).select_related("unit", "assigned_to")
    )
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    context = {
        "unit": unit,
        "page": paginate(request, cases),
        "status": status,
        "statuses": CaseStatus.choices,
        "today": timezone.localdate(),
        "perms": permissions_on(request.user, unit),
        "public_url": request.build_absolute_uri(reverse("care:public_help", args=[unit.code])),
        "breadcrumbs": crumbs((_("维权与法律援助"), "")),
    }
    return render(request, "care/case_list.html", context)


@login_required
def case_add(request):
    unit = current_unit_or_404(request, "care.manage")
    form = CaseForm(request.POST or None, initial={"unit": unit})
    form.set_units(care_units(request, unit))
    if request.method == "POST" and form.is_valid():
        case = services.case_submit(by=request.user, now=timezone.now(), **form.cleaned_data)
        messages.success(request, _("案件已登记。"))
        return redirect("care:case_detail", case.pk)
    context = {
        "form": form,
        "title": _("登记维权求助"),
        "breadcrumbs": crumbs((_("维权与法律援助"), reverse("care:cases")), (_("登记"), "")),
    }
    return render(request, "care/form.html", context)


@login_required
def case_detail(request, pk):
    return _render_case(request, _get(request, pk))


CASE_ACTIONS = {"assign": "assign_form", "step": "step_form", "close": "close_form"}


def _render_case(request, case, bound=None):
    """The case page; ``bound`` is the form just sent (by its context name), shown with its errors and input."""
    log_sensitive_read(request, case, CASE_FIELDS)
    perms = permissions_on(request.user, case.unit)
    manage = "care.manage" in perms and case.status != CaseStatus.CLOSED
    today = timezone.localdate()
    forms = dict.fromkeys(CASE_ACTIONS.values())  # none offered on a closed case, or to a reader
    if manage:
        officers = services.officer_choices(case.unit)
        forms = {
            "assign_form": AssignForm(officers=officers, initial={"deadline": case.deadline, "to": case.assigned_to}),
            "step_form": StepForm(initial={"on": today}),
            "close_form": CloseForm(initial={"on": today}),
            **(bound or {}),
        }
    context = {
        "case": case,
        "steps": case.steps.select_related("by"),
        **forms,
        "today": today,
        "breadcrumbs": crumbs((_("维权与法律援助"), reverse("care:cases")), (str(case), "")),
    }
    return render(request, "care/case_detail.html", context)


@login_required
def case_action(request, pk, action):
    case = _get(request, pk, "care.manage")
    if request.method != "POST" or action not in CASE_ACTIONS:
        return redirect("care:case_detail", pk)
    if action == "assign":
        form, service = AssignForm(request.POST, officers=services.officer_choices(case.unit)), services.case_assign
    elif action == "step":
        form, service = StepForm(request.POST), services.case_add_step
    else:
        form, service = CloseForm(request.POST), services.case_close
    if form.is_valid():
        try:
            service(case=case, by=request.user, **form.cleaned_data)
        except services.CareError as error:
            if not refusal_on_form(request, form, error):
                return redirect("care:case_detail", pk)
        else:
            messages.success(request, _("已保存。"))
            return redirect("care:case_detail", pk)
    # The page again with what was typed and what is wrong with it, beside the case it is about.
    return _render_case(request, case, bound={CASE_ACTIONS[action]: form})


def _too_many(request):
    """A few submissions an hour from one address: enough for a person, too few for a flood."""
    return not throttle.allow(
        "care-public-help:" + (throttle.client_ip(request) or "unknown"), limit=PUBLIC_LIMIT, seconds=PUBLIC_WINDOW
    )


def public_help(request, code):
    """“拿不到工资找工会”: a worker, member or not, asks for help without logging in."""
    unit = get_object_or_404(OrgUnit.objects.filter(is_active=True), code=code)
    form = PublicCaseForm(request.POST or None)
    if request.method == "POST":
        if _too_many(request):
            form.add_error(None, _("提交过于频繁，请一小时后再试，或直接拨打职工服务热线12351。"))
        elif form.is_valid():
            data = dict(form.cleaned_data)
            if not data.pop("website"):
                services.case_submit(unit=unit, now=timezone.now(), from_public_form=True, **data)
            return redirect("care:public_thanks", code)
    return render(request, "care/public_help.html", {"form": form, "unit": unit})


def public_thanks(request, code):
    unit = get_object_or_404(OrgUnit.objects.filter(is_active=True), code=code)
    return render(request, "care/public_thanks.html", {"unit": unit})
