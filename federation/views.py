"""Pages of the work between a unit and the unit above: calls and filings, report calls, targets
handed down, the units below with their figures, notification settings and API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from core.forms import add_service_error, refusal_on_form
from core.language import in_site_language
from core.models import Notification
from core.notifications import mark_read, preferences_for
from core.pagination import paginate
from core.params import year_param
from core.routing import reads_from_replica
from core.tables import MONEY, Column, table_response
from federation import filing as machine
from federation import services
from federation.figures import SORT_KEYS, sort_columns, sort_figures, unit_figures
from federation.forms import (
    CallForm,
    CallTextForm,
    DeadlineForm,
    FieldRows,
    HandDownForm,
    PreferenceForm,
    ReportForm,
    ReviewForm,
    SharesForm,
    TokenForm,
    WithdrawForm,
    with_measure,
)
from federation.models import FILE, ApiToken, CallKind, Filing, FilingCall, FilingStatus, HandedDownTarget, UnitState
from orgs.access import current_unit_or_404, has_permission, permissions_on, units_with
from orgs.models import OrgUnit
from rollups import statistics as rollup_statistics


def _crumbs(*extra):
    return [{"label": _("上报下达"), "url": reverse("federation:index")}, *extra]


def _today():
    return timezone.localdate()


def _reviewing_unit(request):
    unit = request.unit
    if unit is None or not has_permission(request.user, "federation.review", unit):
        return None
    return unit


@login_required
def index(request):
    """Calls this unit issued (for its reviewers) and calls from the unit above (for its filers)."""
    unit = current_unit_or_404(request, "reports.view")
    reviewer = has_permission(request.user, "federation.review", unit)
    issued = FilingCall.objects.filter(unit=unit).order_by("-due")[:50] if reviewer else []
    parent = OrgUnit.objects.get_parent(unit)
    received = []
    # The unit's filers: a role held on the unit itself, as on the call's page (FilingCall.objects.visible_to).
    if parent is not None and unit in units_with(request.user, FILE):
        calls = list(FilingCall.objects.addressed_to([unit]).order_by("-due")[:50])
        filings = {f.call_id: f for f in Filing.objects.filter(call__in=calls, unit=unit)}
        received = [(c, filings.get(c.pk), _unit_state(c, filings.get(c.pk))) for c in calls]
    return render(
        request,
        "federation/index.html",
        {
            "unit": unit,
            "reviewer": reviewer,
            "issued": issued,
            "received": received,
            "parent": parent,
            "handed": HandedDownTarget.objects.filter(unit=unit).select_related("target")[:50] if reviewer else [],
            "breadcrumbs": _crumbs(),
        },
    )


def _unit_state(call, filing):
    if filing is None:
        return UnitState.LATE if _today() > call.due else UnitState.NOT_STARTED
    return filing.unit_state(_today())


# --- units below ---------------------------------------------------------------------------------


def _year(request):
    return year_param(request.GET.get("year"), _today().year)


@login_required
def units(request):
    """The units directly below, sortable by each figure."""
    unit = current_unit_or_404(request, "reports.view")
    year = _year(request)
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("desc") == "1"
    rows = sort_figures(unit_figures(unit, year, today=_today()), sort, descending)
    return render(
        request,
        "federation/units.html",
        {
            "unit": unit,
            "rows": rows,
            "year": year,
            "as_of": rollup_statistics.as_of(unit, year),
            "sort": sort if sort in SORT_KEYS else "name",
            "descending": descending,
            "sort_columns": sort_columns(),
            "breadcrumbs": _crumbs({"label": _("下级单位")}),
        },
    )


@login_required
def unit_detail(request, pk):
    """One unit below, read-only: its figures, its filings, and links to its own pages."""
    below = get_object_or_404(OrgUnit.objects.visible_to(request.user, "reports.view"), pk=pk)
    parent = OrgUnit.objects.get_parent(below)
    if parent is None:
        raise Http404
    year = _year(request)
    figures = next((r for r in unit_figures(parent, year, today=_today()) if r.unit.pk == below.pk), None)
    if figures is None:
        raise Http404
    from plans.models import Plan

    plan = Plan.objects.visible_to(request.user, "plans.view").filter(unit=below, year=year).first()
    filings = list(
        Filing.objects.filter(unit=below).with_sides(request.user).select_related("call").order_by("-updated_at")[:30]
    )
    # Listed for whoever may read this unit's figures; opened only by those who file or review them.
    openable = {f.pk for f in filings if f.user_opens}
    return render(
        request,
        "federation/unit.html",
        {
            "below": below,
            "figures": figures,
            "plan": plan,
            "filings": filings,
            "openable": openable,
            "year": year,
            "perms": permissions_on(request.user, below),
            "breadcrumbs": _crumbs({"label": _("下级单位"), "url": reverse("federation:units")}, {"label": below.name}),
        },
    )


# --- calls ---------------------------------------------------------------------------------------


@login_required
def call_new(request):
    unit = _reviewing_unit(request)
    if unit is None:
        raise Http404
    asked = request.GET.get("kind", CallKind.REPORT)
    # A link naming a kind there is none of (mistyped, or from an older page) opens the report form and says so.
    known = asked in CallKind.values
    form = CallForm(request.POST or None, kind=CallKind(asked) if known else CallKind.REPORT, today=_today())
    rows = FieldRows(request.POST or None, prefix="fields")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        fields = [
            services.FieldSpec(label=r["label"], metric=r["metric"], measure=r["measure"])
            for r in rows.cleaned_data
            if r.get("label")
        ]
        data = form.cleaned_data
        try:
            call = services.call_issue(
                unit=unit,
                kind=data["kind"],
                year=data["year"],
                title=data["title"],
                due=data["due"],
                instructions=data["instructions"],
                fields=fields if data["kind"] == CallKind.REPORT else [],
                by=request.user,
                today=_today(),
            )
        except services.FederationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已下达，下级单位的待办中会出现这项任务。"))
            return redirect("federation:call", call.pk)
    return render(
        request,
        "federation/call_form.html",
        {
            "form": form,
            "rows": rows,
            "unknown_kind": "" if known else asked,
            "breadcrumbs": _crumbs({"label": _("下达任务")}),
        },
    )


def _call_for(request, pk):
    """The call and how the user meets it: as its reviewer, as a unit below that files it, or 404."""
    call = get_object_or_404(FilingCall.objects.reviewed_or_filed_by(request.user).select_related("unit"), pk=pk)
    reviewer = call.user_reviews
    filers = [u for u in units_with(request.user, FILE) if call.addresses(u)]  # which of them, when several
    chosen = request.GET.get("unit", "")
    filer = next((u for u in filers if str(u.pk) == chosen), None) or next(
        (u for u in filers if request.unit and u.pk == request.unit.pk), filers[0] if filers else None
    )
    return call, reviewer, filer


@login_required
def call(request, pk):
    found, reviewer, filer = _call_for(request, pk)
    if filer is not None and not (reviewer and request.GET.get("as") == "reviewer"):
        return _call_as_filer(request, found, filer)
    return _call_page(request, found)


def _call_page(request, found, deadline_form=None, withdraw_form=None):
    """The call's page for its reviewer; ``deadline_form`` or ``withdraw_form`` is a step refused, with what
    was typed."""
    states = machine.call_states(found, today=_today())
    return render(
        request,
        "federation/call.html",
        {
            "call": found,
            "states": states,
            "counts": machine.count_states(states),
            "deadline_form": deadline_form or DeadlineForm(initial={"due": found.due}),
            # Nothing filed or saved for it yet: it may still be taken back.
            "withdraw_form": (withdraw_form or WithdrawForm()) if not any(entry.filing for entry in states) else None,
            "unit_states": UnitState,
            "breadcrumbs": _crumbs({"label": found.title}),
        },
    )


def _call_as_filer(request, call, unit):
    filing = Filing.objects.filter(call=call, unit=unit).first()
    context = {
        "call": call,
        "unit": unit,
        "filing": filing,
        "state": _unit_state(call, filing),
        "breadcrumbs": _crumbs({"label": call.title}),
    }
    if call.kind == CallKind.REPORT:
        return _report_form(request, call, unit, filing, context)
    if request.method == "POST":
        try:
            services.record_file(call=call, unit=unit, by=request.user)
        except machine.FilingError as error:
            messages.error(request, str(error))
            if not FilingCall.objects.filter(pk=call.pk).exists():  # withdrawn meanwhile: its page is gone
                return redirect("federation:index")
        else:
            messages.success(request, _("已报送%(unit)s。") % {"unit": call.unit.name})
        return redirect(reverse("federation:call", args=[call.pk]) + f"?unit={unit.pk}")
    context["record"] = services.record_for(call, unit)
    return render(request, "federation/call_filer.html", context)


def _report_form(request, call, unit, filing, context):
    fields = list(call.fields.all())
    submitting = "submit" in request.POST
    editable = filing is None or filing.is_editable
    if request.method == "POST" and not editable:  # sent from a page read before the report was filed
        messages.error(request, _("已报送，上级审阅前不能修改。"))
        return redirect(reverse("federation:call", args=[call.pk]) + f"?unit={unit.pk}")
    values, _filing = services.report_values(call, unit)
    # Figures saved or filed before (a draft, a return) are shown as typed, beside the unit's data now.
    current = services.report_prefill(call, unit) if _filing is not None and _filing.data and editable else None
    form = ReportForm(request.POST or None, initial=values, call_fields=fields, require=submitting, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(call=call, unit=unit, values=form.values(), by=request.user, submit=submitting)
        except machine.FilingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已报送。") if submitting else _("已保存，核对无误后请报送。"))
            return redirect(reverse("federation:call", args=[call.pk]) + f"?unit={unit.pk}")
    context.update({"form": form if editable else None, "fields": fields, "values": values})
    return render(request, "federation/call_report.html", context)


@login_required
@require_POST
def call_deadline(request, pk):
    found, reviewer, _filer = _call_for(request, pk)
    if not reviewer:
        raise Http404
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.call_move_deadline(call=found, due=form.cleaned_data["due"], by=request.user, today=_today())
        except services.FederationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("截止日期已改为%(due)s。") % {"due": date_format(found.due)})
            return redirect(reverse("federation:call", args=[found.pk]) + "?as=reviewer")
    # The page again, with the date typed and what is wrong with it beside the box.
    return _call_page(request, found, deadline_form=form)


@login_required
def call_edit(request, pk):
    """The issuing unit corrects a call's title or instructions."""
    found, reviewer, _filer = _call_for(request, pk)
    if not reviewer:
        raise Http404
    back = reverse("federation:call", args=[found.pk]) + "?as=reviewer"
    form = CallTextForm(request.POST or None, initial={"title": found.title, "instructions": found.instructions})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.call_revise(call=found, by=request.user, **form.cleaned_data)
        except services.FederationError as error:
            form.add_error(None, str(error))
        else:
            if changed:
                messages.success(request, _("已保存，已通知被要求报送的单位。"))
            else:
                messages.info(request, _("标题和说明没有改动。"))
            return redirect(back)
    context = {
        "form": form,
        "call": found,
        "cancel_url": back,
        "breadcrumbs": _crumbs({"label": found.title, "url": back}, {"label": _("修改标题和说明")}),
    }
    return render(request, "federation/call_edit.html", context)


@login_required
@require_POST
def call_withdraw(request, pk):
    found, reviewer, _filer = _call_for(request, pk)
    if not reviewer:
        raise Http404
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _call_page(request, found, withdraw_form=form)  # the reason missing, said beside its box
    try:
        services.call_withdraw(call=found, by=request.user, reason=form.cleaned_data["reason"])
    except services.FederationError as error:
        if refusal_on_form(request, form, error):
            return _call_page(request, found, withdraw_form=form)
        return redirect(reverse("federation:call", args=[found.pk]) + "?as=reviewer")
    messages.success(request, _("已撤回任务“%(title)s”，已通知相关单位。") % {"title": found.title})
    return redirect("federation:index")


@login_required
@require_POST
def call_remind(request, pk):
    found, reviewer, _filer = _call_for(request, pk)
    if not reviewer:
        raise Http404
    reminded = services.report_remind(call=found, by=request.user, today=_today())
    if reminded.told:
        messages.success(
            request,
            ngettext("已提醒 %(count)d 个未报送的单位。", "已提醒 %(count)d 个未报送的单位。", reminded.told)
            % {"count": reminded.told},
        )
    elif reminded.reachable:  # not "已提醒 0 个" in green: nobody was told, and the officer learns why
        messages.info(request, _("这次没有提醒任何单位（每个单位每天只提醒一次）。"))
    elif not reminded.unreachable:
        messages.info(request, _("所有单位都已报送，不需要提醒。"))
    if reminded.unreachable:
        names = _("、").join(u.name for u in reminded.unreachable[:5])
        messages.warning(
            request,
            ngettext(
                "%(count)d 个单位还没有工会干部的账号，无法在系统中提醒，请电话联系：%(names)s",
                "%(count)d 个单位还没有工会干部的账号，无法在系统中提醒，请电话联系：%(names)s",
                len(reminded.unreachable),
            )
            % {"count": len(reminded.unreachable), "names": names + (_("等") if len(reminded.unreachable) > 5 else "")},
        )
    return redirect(reverse("federation:call", args=[found.pk]) + "?as=reviewer")


@login_required
@reads_from_replica
@in_site_language
def call_export(request, pk):
    """The report call's figures: a row per unit, a total row, in the fields' order."""
    found, reviewer, _filer = _call_for(request, pk)
    if not reviewer or not found.is_report:
        raise Http404
    fields, rows, total = services.report_table(found, today=_today())
    # Numbered here rather than by the writer, so that the total row has no number.
    columns = [Column(_("序号"), 6), Column(_("单位"), 30), Column(_("状态"), 12)] + [
        Column(with_measure(f.label, f.measure), max(12, len(f.label) * 2 + 4), MONEY if f.measure == "元" else "")
        for f in fields
    ]
    return table_response(
        columns,
        [*([number, *row.sheet_row()] for number, row in enumerate(rows, start=1)), ["", _("合计"), "", *total]],
        filename=found.title,
        fmt=request.GET.get("format", "xlsx"),
        title=found.title,
    )


# --- filings -------------------------------------------------------------------------------------


def _filing(request, pk):
    """The filing and whether the user reviews it (else they file it), or 404."""
    found = get_object_or_404(
        Filing.objects.reviewed_or_filed_by(request.user).select_related(
            "unit", "parent", "call", "filed_by", "reviewed_by"
        ),
        pk=pk,
    )
    return found, found.user_reviews


@login_required
def filing(request, pk):
    found, reviewer = _filing(request, pk)
    return _filing_page(request, found, reviewer)


def _filing_page(request, found, reviewer, review_form=None):
    """The filing's page; ``review_form`` is a review sent back with its comment and what is wrong with it."""
    versions = list(found.versions.select_related("filed_by", "reviewed_by"))
    fields = list(found.call.fields.all()) if found.call_id and found.call.is_report else []
    return render(
        request,
        "federation/filing.html",
        {
            "filing": found,
            "reviewer": reviewer,
            "versions": versions,
            "latest": versions[0] if versions else None,
            "previous": versions[1] if len(versions) > 1 else None,  # its review is what the latest answers
            "fields": fields,
            "review_form": (
                (review_form or ReviewForm(initial={"version": versions[0].number if versions else None}))
                if reviewer and found.status == "filed"
                else None
            ),
            "state": found.unit_state(_today()),
            "breadcrumbs": _crumbs({"label": found.title}),
        },
    )


@login_required
@require_POST
def filing_review(request, pk):
    found, reviewer = _filing(request, pk)
    if not reviewer:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        # A browser counts a line break as one character where the form counts two: a comment at the
        # box's limit can be refused here. The page comes back with it, to be shortened, not retyped.
        return _filing_page(request, found, reviewer, review_form=form)
    comment, version = form.cleaned_data["comment"], form.cleaned_data["version"]
    try:
        if request.POST.get("decision") == "accept":
            machine.filing_accept(filing=found, by=request.user, comment=comment, version=version)
            messages.success(request, _("已采纳。"))
        else:
            machine.filing_return(filing=found, by=request.user, comment=comment, version=version)
            messages.success(request, _("已退回，并通知了报送人。"))
    except machine.FilingError as error:
        found.refresh_from_db()
        if found.status != FilingStatus.FILED:  # reviewed meanwhile: no form to keep, the page says what happened
            messages.error(request, str(error))
            return redirect("federation:filing", found.pk)
        # Still to review (no reason given, or filed again since the page was opened): the page again
        # with the reason the reviewer typed, the refusal beside it, and the version now on the page.
        latest = found.versions.order_by("-number").values_list("number", flat=True).first()
        form = ReviewForm({"comment": comment, "version": latest})
        form.is_valid()
        add_service_error(form, error)
        return _filing_page(request, found, reviewer, review_form=form)
    return redirect("federation:filing", found.pk)


# --- targets handed down -----------------------------------------------------------------------------


@login_required
def targets(request):
    unit = _reviewing_unit(request)
    if unit is None:
        raise Http404
    from plans.models import Target

    year = _year(request)
    own = Target.objects.filter(plan__unit=unit, plan__year=year).order_by("order", "pk")
    form = HandDownForm(request.POST or None, targets=own)
    if request.method == "POST" and form.is_valid():
        try:
            handed = services.target_hand_down(
                target=form.cleaned_data["target"], default_value=form.cleaned_data["default_value"]
            )
        except services.FederationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已下达到各下级单位的工作计划。"))
            kept = handed.shares.count()
            if kept:
                messages.info(
                    request,
                    _("单独设定了分解值的单位保持原值（共 %(count)d 个）；如需改回默认值，请在下面修改。")
                    % {"count": kept},
                )
            return redirect("federation:target", handed.pk)
    return render(
        request,
        "federation/targets.html",
        {
            "form": form,
            "year": year,
            "handed": HandedDownTarget.objects.filter(unit=unit, target__plan__year=year).select_related("target"),
            "has_targets": own.exists(),
            "breadcrumbs": _crumbs({"label": _("下达目标")}),
        },
    )


@login_required
def target(request, pk):
    handed = get_object_or_404(
        HandedDownTarget.objects.visible_to(request.user, "federation.review").select_related("target__plan"),
        pk=pk,
    )
    rows = services.target_rows(handed)
    form = SharesForm(request.POST or None, rows=rows, target=handed.target)
    if form.is_valid():
        try:
            services.target_hand_down(target=handed.target, default_value=handed.default_value, shares=form.shares())
        except services.FederationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存各单位的分解值。"))
            return redirect("federation:target", handed.pk)
    own = handed.target
    return render(
        request,
        "federation/target.html",
        {
            "handed": handed,
            "rows": [(row, form[f"share-{row.unit.pk}"]) for row in rows],
            "form": form,
            "own": own,
            "own_actual": own.actual(),
            "met": sum(1 for r in rows if r.met),
            "breadcrumbs": _crumbs({"label": _("下达目标"), "url": reverse("federation:targets")}, {"label": own.name}),
        },
    )


# --- a person's notifications and tokens -------------------------------------------------------------------


@login_required
def notifications(request):
    """The person's messages, newest first, and how they want to receive them. Reading the page
    changes nothing; "mark all read" is a button (a POST), so a prefetching browser never clears them."""
    prefs = preferences_for(request.user)
    form = PreferenceForm(request.POST if "save_preferences" in request.POST else None, instance=prefs)
    if request.method == "POST":
        if "mark_read" in request.POST:
            mark_read(request.user)
            messages.success(request, _("所有通知已标为已读。"))
            return redirect("federation:notifications")
        if form.is_valid():
            form.save()
            messages.success(request, _("通知设置已保存。"))
            return redirect("federation:notifications")
    page = paginate(request, Notification.objects.filter(user=request.user))
    return render(
        request,
        "federation/notifications.html",
        {
            "form": form,
            "page": page,
            "unread": Notification.objects.filter(user=request.user, read_at__isnull=True).exists(),
            "breadcrumbs": [{"label": pgettext("the notifications page", "通知")}],
        },
    )


@login_required
@require_POST
def notification_open(request, pk):
    """A notification opened from the list: marked read, then its page (a POST, as 全部标为已读 is, so
    that nothing a browser fetches ahead marks it read unseen)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    mark_read(request.user, pk=notification.pk)
    # Our own pages only (a notification's address is written by the product, never by a person).
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("federation:notifications")


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.api_token_create(
                user=request.user, scope=form.cleaned_data["scope"], name=form.cleaned_data["name"]
            )
        except services.FederationError as error:
            form.add_error("name", str(error))
        else:
            created = {"token": token, "raw": raw}
            form = TokenForm()
    return render(
        request,
        "federation/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": ApiToken.objects.filter(user=request.user)[:50],
            "breadcrumbs": [{"label": _("API 令牌")}],
        },
    )


@login_required
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.active(), pk=pk, user=request.user)
    if request.method == "POST":
        services.api_token_revoke(user=request.user, name=token.name)
        messages.success(request, _("令牌“%(name)s”已撤销。") % {"name": token.name})
        return redirect("federation:tokens")
    return render(request, "federation/token_revoke.html", {"token": token, "breadcrumbs": [{"label": _("API 令牌")}]})
