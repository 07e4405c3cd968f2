"""Pages of union money: the year's budget against what was spent, payments with their vouchers,
income and dues, reports, and the audit committee's work. Thin: each finds its records through
the access rule, validates a form and calls finance.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.models import Activity
from care.models import Campaign
from core import files, tables
from core.forms import add_service_error, refusal_on_form
from core.keyset import capped_count
from core.language import in_site_language
from core.pagination import paginate
from core.params import year_param
from core.routing import reads_from_replica
from core.tables import file_name
from finance import documents, reports, services
from finance.forms import (
    ApproveBudgetForm,
    AuditForm,
    BudgetLinesForm,
    CloseAuditForm,
    FindingForm,
    IncomeForm,
    LineAddForm,
    PaymentForm,
    ResponseForm,
    ReverseForm,
    SettingsForm,
    StandardForm,
    VoucherForm,
)
from finance.models import (
    Audit,
    Budget,
    BudgetLine,
    BudgetStatus,
    Direction,
    Finding,
    Income,
    IncomeKind,
    Payment,
    PaymentStatus,
    Standard,
    yuan,
)
from finance.privacy import log_payees_shown
from orgs.access import ancestor_paths, current_unit_or_404, has_permission, permissions_on
from orgs.models import OrgUnit, RoleAssignment
from orgs.roles import roles_with
from plans.models import ScheduleItem


def _year(request):
    this_year = timezone.localdate().year
    return min(year_param(request.GET.get("year"), this_year), this_year + 1)


def _crumbs(*extra):
    return [{"label": _("工会经费"), "url": reverse("finance:home")}, *({"label": e, "url": ""} for e in extra)]


# --- overview and budget


def _viewed_unit(request):
    """The unit whose books are read: the current one, or (``?unit=``) a unit below it the reader may
    read (a federation reads a school's books, as finance.view on its subtree allows); else 404."""
    base = current_unit_or_404(request, "finance.view")
    wanted = request.GET.get("unit", "")
    if not wanted or wanted == str(base.pk):
        return base, base
    below = OrgUnit.objects.visible_to(request.user, "finance.view").filter(path__startswith=base.path)
    # ASCII digits only: "²" passes str.isdigit() and then fails as a number in the query.
    return base, get_object_or_404(below, pk=wanted if wanted.isascii() and wanted.isdigit() else None)


def _units_with_budgets(base, year):
    """The units below ``base`` keeping a budget for ``year``, each with its spending: what a federation
    picks from to read a union's books."""
    budgets = (
        Budget.objects.filter(year=year, unit__path__startswith=base.path, unit__is_active=True)
        .exclude(unit=base)
        .select_related("unit")
        .annotate(spent=Sum("lines__actual", filter=Q(lines__direction=Direction.SPENDING)))
        .order_by("unit__path")[:100]
    )
    return [(budget.unit, budget, yuan(budget.spent)) for budget in budgets]


@login_required
def home(request):
    base, unit = _viewed_unit(request)
    year = _year(request)
    budget = Budget.objects.filter(unit=unit, year=year).first()
    perms = permissions_on(request.user, unit)
    context = {
        "unit": unit,
        "base": base,
        "below": _units_with_budgets(base, year),
        "year": year,
        "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1)),
        "budget": budget,
        "perms": perms,
        "overview": reports.budget_overview(budget) if budget else None,
        "pending": Payment.objects.filter(unit=unit, status=PaymentStatus.PENDING)
        .in_year(year)
        .select_related("line")[:10],
        "recent": Payment.objects.filter(unit=unit).in_year(year).select_related("line")[:8],
        "has_last_year": Budget.objects.filter(unit=unit, year=year - 1).exists(),
        "shares": services.upward_shares(unit, year),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "finance/home.html", context)


@login_required
@require_POST
def budget_create(request):
    unit = current_unit_or_404(request, "finance.manage")
    year = _year(request)
    copy_from = Budget.objects.filter(unit=unit, year=year - 1).first() if request.POST.get("copy") else None
    try:
        budget = services.budget_create(unit=unit, year=year, by=request.user, copy_from=copy_from)
    except services.FinanceError as error:
        messages.error(request, error.message)
        return redirect(reverse("finance:home") + f"?year={year}")
    messages.success(request, _("已按标准科目建立%(year)s年预算草稿，请填写各科目金额。") % {"year": year})
    return redirect("finance:budget_edit", budget.pk)


def _get_budget(request, pk, permission="finance.view"):
    return get_object_or_404(Budget.objects.visible_to(request.user, permission), pk=pk)


@login_required
def budget_edit(request, pk):
    """A draft's amounts, or (with ?adjust=1 on an approved budget) the mid-year adjustment."""
    budget = _get_budget(request, pk, "finance.manage")
    adjusting = budget.is_approved
    lines = budget.lines.all()
    form = BudgetLinesForm(request.POST or None, lines=lines, adjusting=adjusting)
    if request.method == "POST" and form.is_valid():
        try:
            if adjusting:
                services.budget_adjust(
                    budget=budget,
                    amounts=form.amounts(),
                    meeting=form.cleaned_data["meeting"],
                    on=form.cleaned_data["on"],
                )
                messages.success(request, _("预算调整已保存，原预算数与调整后的数字都保留。"))
            else:
                services.budget_update_lines(budget=budget, amounts=form.amounts())
                messages.success(request, _("预算已保存。"))
            return redirect(reverse("finance:home") + f"?year={budget.year}")
        except services.FinanceError as error:
            add_service_error(form, error)
    return render(
        request,
        "finance/budget_edit.html",
        {
            "budget": budget,
            "form": form,
            "adjusting": adjusting,
            "add_form": LineAddForm(),
            "breadcrumbs": _crumbs(_("调整预算") if adjusting else _("编制预算")),
        },
    )


@login_required
@require_POST
def budget_line_add(request, pk):
    budget = _get_budget(request, pk, "finance.manage")
    form = LineAddForm(request.POST)
    if form.is_valid():
        try:
            services.budget_line_add(budget=budget, **form.cleaned_data)
            messages.success(request, _("已增加科目。"))
        except services.FinanceError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("请填写收支、类别和科目名称。"))
    return redirect("finance:budget_edit", budget.pk)


@login_required
def budget_approve(request, pk):
    budget = _get_budget(request, pk, "finance.approve")
    if budget.is_approved and request.method == "GET":  # the form could only be refused: say so now
        messages.info(request, _("预算已经批准过了。"))
        return redirect(reverse("finance:home") + f"?year={budget.year}")
    form = ApproveBudgetForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_approve(budget=budget, by=request.user, **form.cleaned_data)
            messages.success(request, _("预算已批准，各科目开始记录执行数。"))
            return redirect(reverse("finance:home") + f"?year={budget.year}")
        except services.FinanceError as error:
            add_service_error(form, error)
    return render(
        request,
        "finance/budget_approve.html",
        {"budget": budget, "form": form, "breadcrumbs": _crumbs(_("批准预算"))},
    )


# --- payments


def _get_payment(request, pk, permission="finance.view"):
    payment = get_object_or_404(
        Payment.objects.visible_to(request.user, "finance.view").select_related("line__budget", "unit", "activity"),
        pk=pk,
    )
    if not has_permission(request.user, permission, payment.unit):
        raise Http404
    return payment


@login_required
def payments(request):
    unit = current_unit_or_404(request, "finance.view")
    found = Payment.objects.filter(unit=unit).select_related("unit", "line", "entered_by")
    status = request.GET.get("status", "")
    if status in PaymentStatus.values:
        found = found.filter(status=status)
    page = paginate(request, found)
    log_payees_shown(request, page.object_list)
    return render(
        request,
        "finance/payments.html",
        {
            "unit": unit,
            "page": page,
            "status": status,
            "statuses": PaymentStatus.choices,
            "perms": permissions_on(request.user, unit),
            "breadcrumbs": _crumbs(_("支出")),
        },
    )


@login_required
def payment_new(request):
    unit = current_unit_or_404(request, "finance.manage")
    year = timezone.localdate().year
    lines = BudgetLine.objects.filter(
        budget__unit=unit, budget__year__in=[year - 1, year], budget__status=BudgetStatus.APPROVED
    ).spending()
    activities = Activity.objects.filter(unit=unit).exclude(status="cancelled").order_by("-starts_at")[:100]
    form = PaymentForm(
        request.POST or None,
        request.FILES or None,
        lines=lines.select_related("budget"),
        activities=Activity.objects.filter(pk__in=[a.pk for a in activities]),
        items=ScheduleItem.objects.filter(plan__unit=unit, plan__year=year),
    )
    warning = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.payment_record(unit=unit, by=request.user, **data)
        except services.NeedsConfirmation as needs:
            warning = needs.message
        except services.FinanceError as error:
            add_service_error(form, error)
        else:
            if payment.is_pending:
                messages.info(request, _("已登记，金额达到审批额度，待另一位干部审批后计入执行数。"))
            else:
                messages.success(request, _("已登记支出 %(amount)s 元。") % {"amount": f"{payment.amount:,.2f}"})
            return redirect("finance:payment", payment.pk)
    return render(
        request,
        "finance/payment_form.html",
        {"form": form, "warning": warning, "has_lines": lines.exists(), "breadcrumbs": _crumbs(_("登记支出"))},
    )


@login_required
def payment_detail(request, pk):
    payment = _get_payment(request, pk)
    perms = permissions_on(request.user, payment.unit)
    changes = []
    if payment.approved_at is not None:
        # What changed after approval, for the audit committee (a voucher added, a line assigned).
        changes = list(
            payment.history.filter(history_date__gt=payment.approved_at, history_type="~")
            .select_related("history_user")
            .order_by("history_date")[:50]
        )
    log_payees_shown(request, [payment])
    return render(
        request,
        "finance/payment_detail.html",
        {
            "payment": payment,
            "perms": perms,
            "names_shown": payment.names_shown_to(request.user),
            "reversal": Payment.objects.filter(reverses=payment).first(),
            "changes": changes,
            "approvers": _approvers(payment) if payment.is_pending else None,
            "findings": payment.findings.select_related("audit"),
            "breadcrumbs": _crumbs(_("支出"), str(payment.description)),
        },
    )


def _approvers(payment):
    """Who may approve a pending payment: an officer holding finance.approve on its unit or above, other
    than the one who entered it (payment_approve). Named on the page, so that its way forward is clear."""
    paths = [*ancestor_paths([payment.unit.path]), payment.unit.path]
    holders = RoleAssignment.objects.filter(
        unit__path__in=paths, unit__is_active=True, role__in=roles_with("finance.approve")
    ).exclude(user=payment.entered_by_id)
    return sorted({str(a.user) for a in holders.select_related("user")})


@login_required
def payment_voucher_add(request, pk):
    """Add the voucher of a payment recorded without one (the shopping list an audit asked for)."""
    payment = _get_payment(request, pk, "finance.manage")
    if payment.voucher or not payment.names_shown_to(request.user):
        messages.error(request, _("这笔支出已有凭证。") if payment.voucher else _("帮扶支出的凭证由帮扶干部上传。"))
        return redirect("finance:payment", payment.pk)
    form = VoucherForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_attach_voucher(payment=payment, voucher=form.cleaned_data["voucher"])
        except services.FinanceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("凭证已上传。"))
            return redirect("finance:payment", payment.pk)
    return render(
        request,
        "finance/payment_voucher_add.html",
        {"payment": payment, "form": form, "breadcrumbs": _crumbs(_("支出"), _("补充凭证"))},
    )


@login_required
def payment_voucher(request, pk):
    payment = _get_payment(request, pk)
    if not payment.names_shown_to(request.user):
        raise Http404  # a care payment's receipt names the family
    return files.serve(payment.voucher)


@login_required
@require_POST
def payment_decide(request, pk):
    payment = _get_payment(request, pk, "finance.approve")
    try:
        if request.POST.get("decision") == "reject":
            services.payment_reject(payment=payment, by=request.user)
            messages.info(request, _("已不予批准，这笔支出不计入执行数。"))
        else:
            services.payment_approve(payment=payment, by=request.user)
            messages.success(request, _("已批准并计入执行数。"))
    except services.FinanceError as error:
        messages.error(request, error.message)
    return redirect("finance:payment", payment.pk)


def _not_reversible(entry) -> str:
    """Why a payment or an income cannot be reversed any more ('' when it can), as the service says it."""
    if entry.is_reversal:
        return _("冲销记录本身不能再冲销。")
    if type(entry).objects.filter(reverses=entry).exists():
        return _("这笔收入已经冲销过了。") if isinstance(entry, Income) else _("这笔支出已经冲销过了。")
    if isinstance(entry, Payment) and entry.status != PaymentStatus.APPROVED:
        return _("只有已入账的支出才需要冲销；待审批的支出请直接不予批准。")
    return ""


@login_required
def payment_reverse(request, pk):
    payment = _get_payment(request, pk, "finance.manage")
    done = _not_reversible(payment)
    if done and request.method == "GET":  # the form could only be refused: say so now
        messages.info(request, done)
        return redirect("finance:payment", payment.pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = services.payment_reverse(payment=payment, by=request.user, reason=form.cleaned_data["reason"])
        except services.FinanceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已冲销，原支出保留可查。"))
            return redirect("finance:payment", reversal.pk)
    return render(
        request,
        "finance/payment_reverse.html",
        {"payment": payment, "form": form, "breadcrumbs": _crumbs(_("冲销支出"))},
    )


# --- income and dues

UNPAID_SHOWN = 50


@login_required
def incomes(request):
    unit = current_unit_or_404(request, "finance.view")
    year = timezone.localdate().year
    try:
        month = min(max(int(request.GET.get("month", timezone.localdate().month)), 1), 12)
    except ValueError:
        month = timezone.localdate().month
    unpaid = services.dues_unpaid(unit, year, month).select_related("unit")
    # Counted up to COUNT_CAP; above it (a federation) listed in name order from the name index, as
    # the roster is, rather than sorting a province's members by unit.
    unpaid_count = capped_count(unpaid)
    unpaid = unpaid.order_by("name_pinyin", "id") if unpaid_count.more else unpaid.order_by("unit__path", "name_pinyin")
    return render(
        request,
        "finance/incomes.html",
        {
            "unit": unit,
            "page": paginate(
                request, Income.objects.in_accounts_of(unit).select_related("unit", "member", "reversed_by")
            ),
            "month": month,
            "months": range(1, 13),
            "unpaid": unpaid[:UNPAID_SHOWN],
            "unpaid_count": unpaid_count,
            "unpaid_rest": unpaid_count.more or max(unpaid_count.value - UNPAID_SHOWN, 0),
            "perms": permissions_on(request.user, unit),
            "shares": services.upward_shares(unit, year),
            "breadcrumbs": _crumbs(_("收入与会费")),
        },
    )


@login_required
def income_new(request):
    unit = current_unit_or_404(request, "finance.manage")
    form = IncomeForm(
        request.POST or None,
        units=OrgUnit.objects.visible_to(request.user, "finance.manage").filter(path__startswith=unit.path),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        dues_unit = data.pop("dues_unit")
        target = dues_unit if data["kind"] == IncomeKind.DUES and dues_unit is not None else unit
        try:
            services.income_record(unit=target, by=request.user, **data)
        except services.FinanceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已登记收入。"))
            return redirect("finance:incomes")
    return render(request, "finance/income_form.html", {"form": form, "breadcrumbs": _crumbs(_("登记收入"))})


@login_required
def income_reverse(request, pk):
    income = get_object_or_404(
        Income.objects.visible_to(request.user, "finance.manage").select_related("member", "unit"), pk=pk
    )
    done = _not_reversible(income)
    if done and request.method == "GET":  # the form could only be refused: say so now
        messages.info(request, done)
        return redirect("finance:incomes")
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.income_reverse(income=income, by=request.user, reason=form.cleaned_data["reason"])
        except services.FinanceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已冲销，原收入保留可查。"))
            return redirect("finance:incomes")
    return render(
        request,
        "finance/income_reverse.html",
        {"income": income, "form": form, "breadcrumbs": _crumbs(_("冲销收入"))},
    )


# --- reports


@login_required
def report(request):
    base, unit = _viewed_unit(request)
    year = _year(request)
    budget = Budget.objects.filter(unit=unit, year=year).first()
    context = {"unit": unit, "base": base, "year": year, "budget": budget, "breadcrumbs": _crumbs(_("收支报表"))}
    if budget is not None:
        context.update(reports.report_context(budget))
    return render(request, "finance/report.html", context)


@login_required
@reads_from_replica
@in_site_language
def report_export(request):
    _base, unit = _viewed_unit(request)
    year = _year(request)
    budget = get_object_or_404(Budget, unit=unit, year=year)
    return tables.table_response(
        reports.STATEMENT_COLUMNS,
        reports.statement_rows(budget),
        filename=f"{unit.display_name}-{year}-{_('经费收支决算表')}",
        title=_("%(unit)s%(year)s年经费收支情况表") % {"unit": unit.name, "year": year},
        sheet=_("经费收支情况表"),
    )


# --- settings


@login_required
def settings_page(request):
    unit = current_unit_or_404(request, "finance.approve")
    # Only the form that was sent is bound: the other one, left empty, would show "required" on every field.
    form = SettingsForm(
        request.POST if "save_settings" in request.POST else None,
        instance=services.settings_for(unit),
        prefix="settings",
    )
    standard_form = StandardForm(request.POST if "add_standard" in request.POST else None, prefix="standard", unit=unit)
    if request.method == "POST":
        if form.is_bound and form.is_valid():
            form.save()
            messages.success(request, _("经费设置已保存。"))
            return redirect("finance:settings")
        if standard_form.is_bound and standard_form.is_valid():
            standard = standard_form.save(commit=False)
            standard.unit = unit
            standard.save()
            messages.success(request, _("已增加开支标准。"))
            return redirect("finance:settings")
    return render(
        request,
        "finance/settings.html",
        {
            "form": form,
            "standard_form": standard_form,
            "standards": Standard.objects.filter(unit=unit),
            "breadcrumbs": _crumbs(_("经费设置")),
        },
    )


@login_required
def standard_remove(request, pk):
    unit = current_unit_or_404(request, "finance.approve")
    standard = get_object_or_404(Standard, pk=pk, unit=unit)
    if request.method == "POST":
        standard.delete()
        messages.success(request, _("已删除开支标准“%(name)s”。") % {"name": standard.name})
        return redirect("finance:settings")
    return render(
        request, "finance/standard_remove.html", {"standard": standard, "breadcrumbs": _crumbs(_("删除开支标准"))}
    )


# --- the audit committee


def _get_audit(request, pk):
    return get_object_or_404(Audit.objects.visible_to(request.user, "finance.view"), pk=pk)


@login_required
def audits(request):
    unit = current_unit_or_404(request, "finance.view")
    perms = permissions_on(request.user, unit)
    form = AuditForm(
        request.POST or None,
        initial={"year": timezone.localdate().year},
        campaigns=Campaign.objects.filter(unit=unit).order_by("-year", "-starts_on"),
    )
    if request.method == "POST":
        if "finance.audit" not in perms:
            raise Http404
        if form.is_valid():
            try:
                audit = services.audit_open(unit=unit, by=request.user, **form.cleaned_data)
            except services.FinanceError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("已开始审查，随机抽查了 %(n)s 笔支出。") % {"n": audit.sampled.count()})
                return redirect("finance:audit", audit.pk)
    return render(
        request,
        "finance/audits.html",
        {
            "audits": Audit.objects.filter(unit=unit),
            "form": form,
            "perms": perms,
            "breadcrumbs": _crumbs(_("经费审查")),
        },
    )


@login_required
def audit_detail(request, pk):
    audit = _get_audit(request, pk)
    perms = permissions_on(request.user, audit.unit)
    form = FindingForm(request.POST or None, payments=_sampled(audit), reader=request.user)
    if request.method == "POST":
        if "finance.audit" not in perms:
            raise Http404
        if form.is_valid():
            try:
                services.finding_add(audit=audit, by=request.user, **form.cleaned_data)
            except services.FinanceError as error:
                if not refusal_on_form(request, form, error):  # the audit has ended: its form is gone
                    return redirect("finance:audit", audit.pk)
            else:
                messages.success(request, _("审查意见已记录，单位将在待办中看到。"))
                return redirect("finance:audit", audit.pk)
    return _audit_page(request, audit, perms=perms, form=form, close_form=CloseAuditForm())


def _sampled(audit):
    return audit.sampled.select_related("line", "unit").order_by("paid_on", "pk")


def _audit_page(request, audit, *, perms, form, close_form):
    """The audit's page, with either of its forms as sent back (refused) or empty."""
    sampled = _sampled(audit)
    log_payees_shown(request, sampled)  # the findings' payments are among those sampled
    return render(
        request,
        "finance/audit_detail.html",
        {
            "audit": audit,
            "perms": perms,
            "sampled": sampled,
            "findings": audit.findings.select_related("payment__unit", "created_by", "responded_by"),
            "form": form,
            "response_form": ResponseForm(),
            "close_form": close_form,
            "breadcrumbs": _crumbs(_("经费审查"), audit.title),
        },
    )


@login_required
def audit_delete(request, pk):
    """Remove an audit opened by mistake, after a confirmation (finance.services.audit_delete says when)."""
    audit = get_object_or_404(Audit.objects.visible_to(request.user, "finance.audit"), pk=pk)
    if request.method == "POST":
        try:
            services.audit_delete(audit=audit)
        except services.FinanceError as error:
            messages.error(request, error.message)
            return redirect("finance:audit", audit.pk)
        messages.success(request, _("已删除审查“%(title)s”。") % {"title": audit.title})
        return redirect("finance:audits")
    if not audit.is_deletable:
        messages.error(request, _("只有还在进行、尚未提出审查意见的审查可以删除。"))
        return redirect("finance:audit", audit.pk)
    return render(
        request,
        "finance/audit_delete.html",
        {"audit": audit, "sampled": audit.sampled.count(), "breadcrumbs": _crumbs(_("经费审查"), _("删除审查"))},
    )


@login_required
@require_POST
def finding_respond(request, pk):
    finding = get_object_or_404(Finding.objects.visible_to(request.user, "finance.manage"), pk=pk)
    form = ResponseForm(request.POST)
    try:
        if not form.is_valid():
            raise services.FinanceError(_("请填写整改说明。"))
        services.finding_respond(finding=finding, by=request.user, response=form.cleaned_data["response"])
        messages.success(request, _("整改说明已提交经审委员。"))
    except services.FinanceError as error:
        messages.error(request, error.message)
    return redirect("finance:audit", finding.audit_id)


@login_required
@require_POST
def finding_close(request, pk):
    finding = get_object_or_404(Finding.objects.visible_to(request.user, "finance.audit"), pk=pk)
    try:
        services.finding_close(finding=finding)
        messages.success(request, _("已销号。"))
    except services.FinanceError as error:
        messages.error(request, error.message)
    return redirect("finance:audit", finding.audit_id)


@login_required
@require_POST
def audit_close(request, pk):
    audit = get_object_or_404(Audit.objects.visible_to(request.user, "finance.audit"), pk=pk)
    form = CloseAuditForm(request.POST)
    if form.is_valid():
        try:
            services.audit_close(audit=audit, conclusion=form.cleaned_data["conclusion"])
        except services.FinanceError as error:
            audit.refresh_from_db()
            if not audit.is_open:  # ended meanwhile (another tab): its form is gone
                messages.error(request, error.message)
                return redirect("finance:audit", audit.pk)
            add_service_error(form, error)
        else:
            messages.success(request, _("审查已结束，可以下载审查报告。"))
            return redirect("finance:audit", audit.pk)
    # Refused: the page again, the conclusion as typed and the reason above it, not a message after a
    # redirect that would lose what was typed.
    finding_form = FindingForm(payments=_sampled(audit), reader=request.user)
    perms = permissions_on(request.user, audit.unit)
    return _audit_page(request, audit, perms=perms, form=finding_form, close_form=form)


@login_required
@in_site_language
def audit_report(request, pk):
    audit = _get_audit(request, pk)
    report = documents.audit_report(audit, reader=request.user, today=timezone.localdate())
    log_payees_shown(request, audit.sampled.select_related("unit"))
    response = HttpResponse(report, content_type=documents.DOCX)
    response["Content-Disposition"] = content_disposition_header(True, file_name(f"{audit.title}-{_('审查报告')}.docx"))
    return response
