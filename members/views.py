from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import exports, tables
from core.audit import log_sensitive_read
from core.forms import add_service_error
from core.pagination import children_page, paginate
from core.params import id_param
from core.routing import reads_from_replica
from members import exporting, privacy, services
from members.forms import (
    DecisionForm,
    MemberForm,
    StatusForm,
    TransferForm,
)
from members.history import member_changes
from members.models import Member, Transfer
from members.paging import keyset_page
from members.rosters import filtered_roster
from orgs.access import current_unit_or_404, has_permission, permissions_on, subtree_range
from orgs.models import OrgUnit
from orgs.picker import unit_suggestions

SENSITIVE_FIELDS = [_("身份证号"), _("手机号")]


def _get_member(request, pk, permission):
    return get_object_or_404(Member.objects.visible_to(request.user, permission).select_related("unit"), pk=pk)


def _roster(request, unit, permission="members.view"):
    return filtered_roster(request.user, unit, request.GET, permission, request=request)


@login_required
def member_list(request):
    unit = current_unit_or_404(request, "members.view")
    form, roster = _roster(request, unit)
    page = keyset_page(
        # The units of a page in a second query rather than a join: joined, SQLite would read a
        # large subtree unit by unit instead of in name order (see MemberQuerySet.roster).
        roster.members.prefetch_related("unit"),
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=30,
        walk_index=roster.walks_name_index and not form.searching(),
    )
    perms = permissions_on(request.user, unit)
    context = {"unit": unit, "form": form, "page": page, "perms": perms}
    if request.htmx:
        return render(request, "members/_rows.html", context)
    context["breadcrumbs"] = [{"label": _("会员名册"), "url": ""}]
    return render(request, "members/list.html", context)


@login_required
def member_detail(request, pk):
    member = _get_member(request, pk, "members.view")
    perms = permissions_on(request.user, member.unit)
    records = member.history.select_related("history_user", "unit").order_by("-history_date", "-history_id")[:50]
    context = {
        "member": member,
        "perms": perms,
        "can_reveal": "members.view_sensitive" in perms,
        "changes": member_changes(list(records)),
        "transfers": member.transfers.select_related("from_unit", "to_unit", "started_by", "decided_by")[:20],
        "breadcrumbs": [{"label": _("会员名册"), "url": reverse("members:list")}, {"label": member.name, "url": ""}],
    }
    return render(request, "members/detail.html", context)


@login_required
@require_POST
def member_reveal(request, pk):
    """The ID number and phone in clear text, for roles allowed to see them; each view is logged."""
    member = _get_member(request, pk, "members.view_sensitive")
    log_sensitive_read(request, member, SENSITIVE_FIELDS)
    return render(request, "members/_sensitive.html", {"member": member, "revealed": True})


def _form_units(request):
    return OrgUnit.objects.visible_to(request.user, "members.change").filter(is_active=True)


def _refused(request, form, error):
    """A service's refusal beside its field; an ID number found on another union's roster is logged there."""
    if error.holder is not None:
        privacy.log_id_checks(request, [error.holder])
    add_service_error(form, error)


@login_required
def member_add(request):
    unit = current_unit_or_404(request, "members.change")
    form = MemberForm(request.POST or None, units=_form_units(request), initial={"unit": unit})
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_register(member=form.save(commit=False), by=request.user)
        except services.MemberError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("已登记会员“%(name)s”。") % {"name": member.name})
            _warn_shared_phone(request, member)
            return redirect("members:detail", member.pk)
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "title": _("登记会员"),
            "breadcrumbs": [{"label": _("会员名册"), "url": reverse("members:list")}],
        },
    )


def _warn_shared_phone(request, member):
    others = services.phone_shared_with(member, user=request.user)
    if others:
        names = _("、").join(
            _("%(name)s（%(unit)s）") % {"name": other.name, "unit": other.unit.display_name} for other in others
        )
        messages.warning(request, _("手机号与会员%(names)s相同；会员用手机号登录，请核对是否填错。") % {"names": names})


@login_required
def member_edit(request, pk):
    member = _get_member(request, pk, "members.change")
    sensitive = has_permission(request.user, "members.view_sensitive", member.unit)
    form = MemberForm(request.POST or None, instance=member, units=_form_units(request))
    if not sensitive:
        # Editing shows the stored values; without the right to see them, they stay out of the form,
        # and so does the birth date, which must agree with the number (Member.clean) they cannot see.
        del form.fields["id_number"], form.fields["phone"], form.fields["birth_date"]
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_save(
                member=form.save(commit=False),
                reason="fields:" + ",".join(form.changed_data),
                typed_by=request.user if "id_number" in form.changed_data else None,
            )
        except services.MemberError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("已保存。"))
            if "phone" in form.changed_data:
                _warn_shared_phone(request, member)
            return redirect("members:detail", member.pk)
    if request.method == "GET" and sensitive and (member.id_number or member.phone):
        log_sensitive_read(request, member, SENSITIVE_FIELDS)
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "member": member,
            "title": _("修改会员信息"),
            "breadcrumbs": [
                {"label": _("会员名册"), "url": reverse("members:list")},
                {"label": member.name, "url": reverse("members:detail", args=[member.pk])},
                {"label": _("修改"), "url": ""},
            ],
        },
    )


@login_required
def member_status(request, pk):
    member = _get_member(request, pk, "members.change")
    form = StatusForm(request.POST or None, member=member, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in ("status", "reason", "on", "note")}
        try:
            services.member_status_change(member=member, **data)
        except services.MemberError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已更新会籍状态。"))
            return redirect("members:detail", member.pk)
    return render(
        request, "members/status.html", {"form": form, "member": member, "breadcrumbs": _member_crumbs(member)}
    )


def _member_crumbs(member):
    return [
        {"label": _("会员名册"), "url": reverse("members:list")},
        {"label": member.name, "url": reverse("members:detail", args=[member.pk])},
    ]


# --- transfers


@login_required
def transfer_start(request, pk):
    member = _get_member(request, pk, "members.transfer")
    form = TransferForm(
        request.POST or None,
        units=services.transfer_destinations(member),
        search_url=reverse("members:transfer_units", args=[member.pk]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_transfer_start(
                member=member, to_unit=form.cleaned_data["to_unit"], reason=form.cleaned_data["reason"], by=request.user
            )
        except services.MemberError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("已发起转会，等待“%(unit)s”接收。") % {"unit": form.cleaned_data["to_unit"].name},
            )
            return redirect("members:detail", member.pk)
    return render(
        request, "members/transfer_form.html", {"form": form, "member": member, "breadcrumbs": _member_crumbs(member)}
    )


@login_required
def transfer_units(request, pk):
    """The units ``pk`` may be transferred to, matching what the officer types (the transfer form's picker)."""
    member = _get_member(request, pk, "members.transfer")
    return unit_suggestions(request, services.transfer_destinations(member), request.GET.get("q", ""))


@login_required
def transfers(request):
    """Transfers in and out of the current unit's subtree: both sides follow their progress."""
    unit = current_unit_or_404(request, "members.transfer")
    box = "out" if request.GET.get("box") == "out" else "in"
    found = Transfer.objects.visible_to(request.user, "members.transfer")
    found = found.outgoing_from(unit) if box == "out" else found.incoming_to(unit)
    page = paginate(
        request,
        found.select_related("member", "from_unit", "to_unit", "started_by", "decided_by").order_by(
            "-started_at", "-id"
        ),
    )
    return render(
        request,
        "members/transfers.html",
        {"page": page, "box": box, "unit": unit, "breadcrumbs": [{"label": _("转会"), "url": ""}]},
    )


def _transfer_for_side(request, pk, side):
    """A pending or past transfer whose ``side`` ("to" or "from") lies in the user's transfer scope, or 404."""
    found = Transfer.objects.visible_to(request.user, "members.transfer", side=side)
    return get_object_or_404(found.select_related("member", "from_unit", "to_unit", "started_by"), pk=pk)


@login_required
def transfer_decide(request, pk):
    transfer = _transfer_for_side(request, pk, "to")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if request.POST.get("decision") == "accept":
                services.member_transfer_accept(transfer=transfer, by=request.user, note=note)
                messages.success(request, _("已接收“%(name)s”转入。") % {"name": transfer.member.name})
            else:
                services.member_transfer_reject(transfer=transfer, by=request.user, note=note)
                messages.success(request, _("已退回“%(name)s”的转会。") % {"name": transfer.member.name})
        except services.MemberError as error:
            form.add_error("note", str(error))
        else:
            return redirect(reverse("members:transfers") + "?box=in")
    return render(
        request,
        "members/transfer_decide.html",
        {
            "form": form,
            "transfer": transfer,
            "breadcrumbs": [{"label": _("转会"), "url": reverse("members:transfers")}],
        },
    )


@login_required
def transfer_cancel(request, pk):
    transfer = _transfer_for_side(request, pk, "from")
    if request.method == "POST":
        try:
            services.member_transfer_cancel(transfer=transfer, by=request.user)
        except services.MemberError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已撤回转会。"))
        return redirect(reverse("members:transfers") + "?box=out")
    return render(
        request,
        "members/transfer_cancel.html",
        {"transfer": transfer, "breadcrumbs": [{"label": _("转会"), "url": reverse("members:transfers") + "?box=out"}]},
    )


# --- export and statistics


@login_required
@reads_from_replica
def export(request):
    unit = current_unit_or_404(request, "members.export")
    _form, roster = _roster(request, unit, "members.export")
    members = roster.members
    may_unmask = has_permission(request.user, "members.view_sensitive", unit)
    unmasked = may_unmask and request.GET.get("masked") != "1"
    query = request.GET.copy()
    for key in ("confirm", "masked", "format"):
        query.pop(key, None)
    if unmasked and request.GET.get("confirm") != "1":
        # A file with every ID number and phone leaves the product for good: say so first, and
        # offer the masked sheet, which is what most uses need.
        if "format" in request.GET:
            query["format"] = request.GET["format"]
        return render(
            request,
            "members/export_confirm.html",
            {"unit": unit, "query": query.urlencode(), "breadcrumbs": _export_breadcrumbs()},
        )
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    if not exports.fits_in_request(members):
        return _export_later(request, query, fmt=fmt, unmasked=unmasked)
    if unmasked:
        log_sensitive_read(request, unit, [str(field) for field in exporting.ROSTER.sensitive_fields], unit=unit)
    return tables.table_response(
        exporting.columns(unmasked=unmasked),
        exporting.rows(members, unmasked=unmasked, for_csv=fmt == "csv"),
        filename=_roster_file_name(unit, unmasked=unmasked),
        fmt=fmt,
        title=exporting.title(unit) if fmt == "xlsx" else "",
        sheet=_("会员名册"),
    )


def _export_breadcrumbs():
    return [{"label": _("会员名册"), "url": reverse("members:list")}, {"label": _("导出")}]


def _export_later(request, query, *, fmt, unmasked):
    """Longer than a request may take: the page that asks the worker for it (a POST to export_start)."""
    context = {
        "heading": _("导出会员名册"),
        "limit": exports.INLINE_MAX_ROWS,
        "action": reverse("members:export_start"),
        "query": query.urlencode(),
        "fmt": fmt,
        "unmasked": unmasked,
        "back": reverse("members:list") + (f"?{query.urlencode()}" if query else ""),
        "breadcrumbs": _export_breadcrumbs(),
    }
    return render(request, "core/export_start.html", context)


def _roster_file_name(unit, *, unmasked):
    """Named so that a file with every ID number and phone is told from the masked one at a glance."""
    parts = [unit.display_name, _("会员名册"), f"{timezone.localdate():%Y%m%d}"]
    if unmasked:
        parts.append(_("完整号码"))
    return "-".join(parts)


@login_required
@require_POST
def export_start(request):
    """The roster written in the background: the page's filters (as posted by core/export_start.html)."""
    unit = current_unit_or_404(request, "members.export")
    unmasked = request.POST.get("unmasked") == "1" and has_permission(request.user, "members.view_sensitive", unit)
    job = exports.export_start(
        kind=exporting.ROSTER.key,
        unit=unit,
        user=request.user,
        query=QueryDict(request.POST.get("query", "")).urlencode(),
        fmt=request.POST.get("format", "xlsx"),
        unmasked=unmasked,
        name=_roster_file_name(unit, unmasked=unmasked),
    )
    return redirect("core:export", job.pk)


@login_required
def statistics(request):
    unit = current_unit_or_404(request, "members.view")
    if wanted := id_param(request.GET.get("unit"), name="unit"):
        unit = get_object_or_404(
            OrgUnit.objects.visible_to(request.user, "members.view").filter(path__range=subtree_range(unit.path)),
            pk=wanted,
        )
    figures = services.current_statistics(unit)
    children = children_page(request, unit)
    rows = services.statistics_by_child(unit, list(children.object_list))
    return render(
        request,
        "members/statistics.html",
        {
            "unit": unit,
            "figures": figures,
            "rows": rows,
            "page": children,
            "breadcrumbs": [
                {"label": _("会员名册"), "url": reverse("members:list")},
                {"label": _("会员统计"), "url": ""},
            ],
        },
    )
