"""The hardship archive pages: worklists, a file, its life, family, attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from care import services
from care.forms import AttachmentForm, DeleteForm, EventForm, FamilyForm, HouseholdEditForm, HouseholdForm, SheetForm
from care.importers import HOUSEHOLD_COLUMNS
from care.models import Attachment, FamilyMember, FileStatus, Household
from care.views.common import care_units, crumbs, get_household, imported
from core import idnumber, sheets
from core.audit import log_sensitive_read, log_sensitive_reads
from core.files import serve
from core.forms import add_service_error
from core.models import AccessLog
from core.pagination import paginate
from members import privacy
from orgs.access import current_unit_or_404, permissions_on

FILE_FIELDS = [
    gettext_lazy("身份证号"),
    gettext_lazy("联系电话"),
    gettext_lazy("家庭住址"),
    gettext_lazy("困难情况"),
    gettext_lazy("家庭成员"),
]

LIST_FIELDS = [gettext_lazy("困难类别"), gettext_lazy("困难程度")]

WORKLISTS = {
    "due": gettext_lazy("到期复核"),
    "stale": gettext_lazy("一年未更新"),
    "never": gettext_lazy("从未帮扶"),
    "lifted": gettext_lazy("已脱困"),
}


def _worklist(households, key, today):
    if key == "due":
        return households.due_for_review(today)
    if key == "stale":
        return households.stale(today)
    if key == "never":
        return households.never_helped()
    if key == "lifted":
        return households.current().filter(status=FileStatus.LIFTED)
    return households.in_hardship()


@login_required
def household_list(request):
    unit = current_unit_or_404(request, "care.view")
    today = timezone.localdate()
    households = Household.objects.visible_to(request.user, "care.view").in_subtree(unit)
    key = request.GET.get("list", "")
    query = request.GET.get("q", "")
    found = _worklist(households, key, today).find(query).select_related("unit")
    by_number = bool(idnumber.typed(query))
    if by_number:  # it confirms a number the mask hides: the roster's hourly budget of checks
        try:
            privacy.count_id_search(request.user, _("按身份证号查找过于频繁，请一小时后再试；可以按姓名查找。"))
        except privacy.IdSearchRefused as refusal:
            messages.error(request, refusal.message)
            found = found.none()
    counts = {k: _worklist(households, k, today).count() for k in WORKLISTS}
    page = paginate(request, found.order_by("next_review_on", "id"))
    # The list names each family beside its hardship (category, level): a read of care data like any other,
    # logged for the rows shown, in one INSERT; a file found by its full ID number says so too (the search
    # confirms a number the mask hides: see members.privacy).
    fields = [*LIST_FIELDS, privacy.ID_SEARCH] if by_number else LIST_FIELDS
    log_sensitive_reads(request, page.object_list, fields)
    context = {
        "unit": unit,
        "page": page,
        "worklists": [(k, label, counts[k]) for k, label in WORKLISTS.items()],
        "current": key,
        "q": query,
        "today": today,
        "perms": permissions_on(request.user, unit),
        "breadcrumbs": crumbs((_("困难职工档案"), "")),
    }
    return render(request, "care/household_list.html", context)


@login_required
def household_add(request):
    unit = current_unit_or_404(request, "care.manage")
    form = HouseholdForm(request.POST or None, initial={"unit": unit})
    form.set_units(care_units(request, unit))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            household = services.household_create(by=request.user, today=timezone.localdate(), **data)
        except services.CareError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已建档。"))
            return redirect("care:household_detail", household.pk)
    context = {
        "form": form,
        "title": _("新建困难职工档案"),
        "breadcrumbs": crumbs((_("困难职工档案"), reverse("care:households")), (_("新建"), "")),
    }
    return render(request, "care/form.html", context)


@login_required
def household_detail(request, pk):
    household = get_household(request, pk)
    # Every opening of a file is a read of its clear contents: logged before it is shown. The ID
    # number and phone are masked until revealed (household_reveal), a read of their own.
    log_sensitive_read(request, household, FILE_FIELDS[2:])
    perms = permissions_on(request.user, household.unit)
    payments = household.assistance.select_related("entered_by", "approved_by").order_by("-given_on")[:50]
    context = {
        "household": household,
        "perms": perms,
        "can_reveal": "care.manage" in perms,
        "family": household.family.all(),
        "events": household.events.select_related("by")[:50],
        "attachments": household.attachments.select_related("uploaded_by"),
        "payments": payments,
        "given": household.assistance.given().aggregate(n=Count("id"), total=Sum("amount")),
        "pairings": household.pairings.all()[:10],
        "today": timezone.localdate(),
        "readers": AccessLog.objects.for_object(household).select_related("user")[:20]
        if "care.read_log" in perms
        else None,
        "breadcrumbs": crumbs((_("困难职工档案"), reverse("care:households")), (household.name, "")),
    }
    return render(request, "care/household_detail.html", context)


@login_required
@require_POST
def household_reveal(request, pk):
    """The file's ID number and phone in clear, for those who keep the file (payouts and insurance
    need them); each reveal is logged."""
    household = get_household(request, pk, "care.manage")
    log_sensitive_read(request, household, FILE_FIELDS[:2])
    return render(request, "care/_household_numbers.html", {"household": household, "revealed": True})


@login_required
def household_edit(request, pk):
    household = get_household(request, pk, "care.manage")
    if request.method == "GET":
        # The form shows the phone, address and situation in clear: a read like opening the file.
        log_sensitive_read(request, household, FILE_FIELDS[1:4])
    form = HouseholdEditForm(request.POST or None, instance=household)
    # The unit stays editable (a file filed at the union that a group keeps, an unlinked file with no other way to
    # move): services.household_update records the move, and a member's file only goes where the member is kept.
    form.set_units(
        care_units(request, request.unit or household.unit) | type(household.unit).objects.filter(pk=household.unit_id)
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        reason = values.pop("reason")
        try:
            services.household_update(
                household=household, by=request.user, values=values, reason=reason, today=timezone.localdate()
            )
        except services.CareError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("care:household_detail", household.pk)
    context = {
        "form": form,
        "title": _("修改档案"),
        "breadcrumbs": crumbs((household.name, reverse("care:household_detail", args=[pk])), (_("修改"), "")),
    }
    return render(request, "care/form.html", context)


EVENT_STEPS = {
    "review": (gettext_lazy("复核档案"), services.household_review),
    "lift": (gettext_lazy("登记脱困"), services.household_lift),
    "return": (gettext_lazy("登记返困"), services.household_return),
}


@login_required
def household_event(request, pk, step):
    household = get_household(request, pk, "care.manage")
    if step not in EVENT_STEPS:
        return redirect("care:household_detail", pk)
    title, service = EVENT_STEPS[step]
    form = EventForm(
        request.POST or None, household=household, initial={"on": timezone.localdate(), "level": household.level}
    )
    if step == "lift":
        del form.fields["level"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if step == "review":
            data["level"] = data.get("level") or None
        try:
            service(household=household, by=request.user, **data)
        except services.CareError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已登记。"))
            return redirect("care:household_detail", pk)
    context = {
        "form": form,
        "title": title,
        "breadcrumbs": crumbs((household.name, reverse("care:household_detail", args=[pk])), (title, "")),
    }
    return render(request, "care/form.html", context)


@login_required
def household_delete(request, pk):
    """A GET confirmation, then a soft delete on POST: the file is kept for the archive period."""
    household = get_household(request, pk, "care.manage")
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.household_delete(
            household=household, by=request.user, reason=form.cleaned_data["reason"], now=timezone.now()
        )
        messages.success(request, _("档案已删除，按规定保留期限存档。"))
        return redirect("care:households")
    context = {
        "form": form,
        "title": _("删除档案"),
        "danger": True,
        "intro": _("删除后档案不再出现在任何名单中，但按本单位设置的保留年限存档，期满后方可销毁。"),
        "breadcrumbs": crumbs((household.name, reverse("care:household_detail", args=[pk])), (_("删除"), "")),
    }
    return render(request, "care/form.html", context)


@login_required
def family_add(request, pk):
    household = get_household(request, pk, "care.manage")
    form = FamilyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.family_member_add(household=household, member=form.save(commit=False))
        messages.success(request, _("已添加家庭成员。"))
        return redirect("care:household_detail", pk)
    context = {
        "form": form,
        "title": _("添加家庭成员"),
        "breadcrumbs": crumbs((household.name, reverse("care:household_detail", args=[pk])), (_("家庭成员"), "")),
    }
    return render(request, "care/form.html", context)


def _family_member_for(request, pk):
    households = Household.objects.visible_to(request.user, "care.manage").current()
    return get_object_or_404(
        FamilyMember.objects.filter(household__in=households).select_related("household__unit"), pk=pk
    )


@login_required
def family_edit(request, pk):
    member = _family_member_for(request, pk)
    household = member.household
    if request.method == "GET":
        log_sensitive_read(request, household, [FILE_FIELDS[4]])  # the form shows the member's health
    form = FamilyForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        services.family_member_update(member=form.save(commit=False))
        messages.success(request, _("已保存家庭成员。"))
        return redirect("care:household_detail", household.pk)
    context = {
        "form": form,
        "title": _("修改家庭成员"),
        "breadcrumbs": crumbs(
            (household.name, reverse("care:household_detail", args=[household.pk])), (_("家庭成员"), "")
        ),
    }
    return render(request, "care/form.html", context)


@login_required
@require_POST
def family_remove(request, pk):
    member = _family_member_for(request, pk)
    services.family_member_remove(member=member)
    messages.success(request, _("已从档案中移除%(name)s。") % {"name": member.name})
    return redirect("care:household_detail", member.household_id)


@login_required
def attachment_add(request, pk):
    household = get_household(request, pk, "care.manage")
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        Attachment.objects.create(
            household=household,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            uploaded_by=request.user,
        )
        messages.success(request, _("材料已上传。"))
        return redirect("care:household_detail", pk)
    context = {
        "form": form,
        "title": _("上传证明材料"),
        "multipart": True,
        "breadcrumbs": crumbs((household.name, reverse("care:household_detail", args=[pk])), (_("证明材料"), "")),
    }
    return render(request, "care/form.html", context)


@login_required
def attachment(request, pk):
    found = get_object_or_404(
        Attachment.objects.filter(
            household__in=Household.objects.visible_to(request.user, "care.view").current()
        ).select_related("household__unit"),
        pk=pk,
    )
    response = serve(found.file)  # 404 when the file is gone: nothing shown, nothing logged
    log_sensitive_read(request, found, [found.title], unit=found.household.unit)
    return response


@login_required
def household_import(request):
    """The household list a federation hands out, through the sheet machine: all or nothing, bad rows named."""
    unit = current_unit_or_404(request, "care.manage")
    form = SheetForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = imported(
            form,
            sheets.importer_for("care.households"),
            unit=unit,
            user=request.user,
            empty=_("表格中只有表头，没有困难职工的数据行。"),
        )
        if result is not None and result.written:
            messages.success(
                request,
                _("已导入：新建 %(created)s 户，已有档案 %(unchanged)s 户。")
                % {"created": result.created, "unchanged": result.unchanged},
            )
            return redirect("care:households")
    context = {
        "form": form,
        "result": result,
        "title": _("导入困难职工名册"),
        "intro": _("导入到%(unit)s；名册中的会员按身份证号归入其所在单位。") % {"unit": unit.name},
        "note": _(
            "全部行都正确才会导入；有错误时一行也不写入，请按下面列出的行和列修改后重新上传。已有档案的户不会重复建档。"
        ),
        "columns": HOUSEHOLD_COLUMNS,
        "breadcrumbs": crumbs((_("困难职工档案"), reverse("care:households")), (_("导入"), "")),
    }
    return render(request, "care/sheet_import.html", context)
