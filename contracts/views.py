"""Collective contract pages: the list and coverage for the current unit's subtree, a contract's
bargaining record, signing and filing. Thin, through the access rule and contracts.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts import services
from contracts.forms import ContractForm, DocumentForm, FileForm, SignForm, StepForm, TermsForm
from contracts.models import Contract, Stage, StepKind
from core import files
from core.forms import add_service_error, refusal_on_form
from core.pagination import paginate
from orgs.access import current_unit_or_404, permissions_on
from orgs.models import OrgUnit, UnitKind

BARGAINING_KINDS = (UnitKind.FEDERATION, UnitKind.UNION)


def _crumbs(*extra):
    return [{"label": _("集体合同"), "url": reverse("contracts:index")}, *({"label": e, "url": ""} for e in extra)]


@login_required
def index(request):
    unit = current_unit_or_404(request, "contracts.view")
    today = timezone.localdate()
    contracts = Contract.objects.visible_to(request.user, "contracts.view").in_subtree(unit).select_related("unit")
    children = list(OrgUnit.objects.get_children(unit).filter(is_active=True)[:100])
    by_child = services.coverage_by_child(unit, children, today)
    return render(
        request,
        "contracts/index.html",
        {
            "unit": unit,
            "today": today,
            "perms": permissions_on(request.user, unit),
            "coverage": services.coverage(unit, today),
            "expiring": contracts.expiring(today).order_by("ends_on")[:20],
            "page": paginate(request, contracts),
            # Units below that are or hold unions, which bargain: a school's groups are covered by the
            # school's contract, and a row of theirs would read as workers no contract covers.
            "children": [
                (child, *by_child[child.path])
                for child in children
                if child.kind in BARGAINING_KINDS and any(by_child[child.path])
            ],
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def contract_new(request):
    unit = current_unit_or_404(request, "contracts.manage")
    renews = None
    if request.GET.get("renews", "").isdecimal():
        renews = Contract.objects.filter(unit=unit, pk=request.GET["renews"]).first()
    initial = {}
    if renews is not None:
        starts_on, ends_on = renews.renewal_term()
        initial = {
            "starts_on": starts_on,
            "ends_on": ends_on,
            "kind": renews.kind,
            "title": renews.title,
            "employer": renews.employer,
            "workers_covered": renews.workers_covered,
            "requested_on": timezone.localdate(),
        }
    form = ContractForm(request.POST or None, initial=initial)
    _say_headcount(form, unit)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_open(unit=unit, by=request.user, renews=renews, **form.cleaned_data)
        except services.ContractError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已开始集体协商，请随时登记协商进展。"))
            return redirect("contracts:detail", contract.pk)
    return render(
        request,
        "contracts/form.html",
        {"form": form, "renews": renews, "breadcrumbs": _crumbs(_("续签合同") if renews else _("开始协商"))},
    )


def _say_headcount(form, unit):
    """The most the contract can cover (services refuse more), shown before it is typed."""
    form.fields["workers_covered"].help_text = _("本单位（含下级单位）共有职工%(headcount)s人。") % {
        "headcount": unit.subtree_headcount()
    }


def _get_contract(request, pk):
    return get_object_or_404(Contract.objects.visible_to(request.user, "contracts.view").select_related("unit"), pk=pk)


@login_required
def contract_edit(request, pk):
    """Correct the terms typed when bargaining started, until the contract is signed."""
    contract = _get_contract(request, pk)
    if "contracts.manage" not in permissions_on(request.user, contract.unit):
        raise Http404
    if contract.stage != Stage.BARGAINING:
        messages.error(request, _("合同已经签订，条款以签订的文本为准，不能再修改。"))
        return redirect("contracts:detail", contract.pk)
    form = TermsForm(request.POST or None, initial={name: getattr(contract, name) for name in services.TERMS})
    _say_headcount(form, contract.unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_update(contract=contract, **form.cleaned_data)
        except services.ContractError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("contracts:detail", contract.pk)
    return render(
        request,
        "contracts/form.html",
        {"form": form, "contract": contract, "breadcrumbs": _crumbs(contract.title, _("修改条款"))},
    )


@login_required
def detail(request, pk):
    contract = _get_contract(request, pk)
    perms = permissions_on(request.user, contract.unit)
    today = timezone.localdate()
    forms = {
        # The request to bargain is recorded when the contract is opened: what follows is a round.
        "step": StepForm(prefix="step", initial={"on": today, "kind": StepKind.ROUND}),
        "sign": SignForm(
            prefix="sign", initial={"signed_on": timezone.localdate(), "congress_approval": contract.congress_approval}
        ),
        "file": FileForm(prefix="file", initial={"filed_on": timezone.localdate()}),
        "document": DocumentForm(prefix="document"),
    }
    if request.method == "POST":
        if "contracts.manage" not in perms:
            raise Http404
        action = request.POST.get("action")
        if action in forms:
            done = _act(request, contract, action, forms)
            if done:
                messages.success(request, done)
                return redirect("contracts:detail", contract.pk)
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "state": contract.state(today),
            "today": today,
            "filing_due": contract.filing_due(),
            "steps": contract.steps.select_related("by"),
            "perms": perms,
            "forms": forms,
            "renewal": Contract.objects.filter(renews=contract).first(),
            "breadcrumbs": _crumbs(contract.title),
        },
    )


def _act(request, contract, action, forms):
    """Run one of the detail page's forms; returns the success message, or None with the form's errors."""
    form_class = {"step": StepForm, "sign": SignForm, "file": FileForm, "document": DocumentForm}[action]
    form = form_class(request.POST, request.FILES, prefix=action)
    forms[action] = form
    if not form.is_valid():
        return None
    try:
        if action == "step":
            services.step_add(contract=contract, by=request.user, **form.cleaned_data)
            return _("已登记协商进展。")
        if action == "sign":
            services.contract_sign(contract=contract, by=request.user, **form.cleaned_data)
            return _("合同已签订，请在签订后 10 日内报送劳动保障部门备案。")
        if action == "document":
            services.contract_attach(contract=contract, **form.cleaned_data)
            return _("已上传合同文本。")
        services.contract_file(contract=contract, by=request.user, **form.cleaned_data)
        return _("已登记备案。")
    except services.ContractError as error:
        refusal_on_form(request, form, error)
        return None


@login_required
def document(request, pk):
    contract = _get_contract(request, pk)
    return files.serve(contract.document, as_attachment=True)
