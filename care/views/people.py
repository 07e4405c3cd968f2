"""Visits with reminders from the roster, care tags (sick leave, model workers), and pairing."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from care import reminders, services
from care.forms import ContactForm, PairingEndForm, PairingForm, TagForm, VisitEditForm, VisitForm
from care.models import CareTag, Pairing, Visit, settings_for
from care.views.common import care_units, crumbs
from core.audit import log_sensitive_read, log_sensitive_reads
from core.forms import add_service_error, refusal_on_form
from core.memo import shared_reads
from core.pagination import paginate
from core.params import id_param
from members import privacy
from members.models import Member
from orgs.access import current_unit_or_404, permissions_on


@login_required
def visit_list(request):
    unit = current_unit_or_404(request, "care.view")
    today = timezone.localdate()
    perms = permissions_on(request.user, unit)
    with shared_reads():  # birthdays and retirements read the subtree's members once (care.reminders)
        birthdays, retirements = reminders.birthdays(unit, today=today), reminders.retirements(unit, today=today)
    context = {
        "unit": unit,
        "birthdays": birthdays,
        "retirements": retirements,
        "sick": reminders.sick_leave(unit, today=today),
        "page": paginate(
            request, Visit.objects.visible_to(request.user, "care.view").in_subtree(unit).select_related("unit")
        ),
        "perms": perms,
        "may_record": "care.manage" in perms,
        "breadcrumbs": crumbs((_("走访慰问"), "")),
    }
    return render(request, "care/visit_list.html", context)


def _visit_for(request, pk, permission="care.view"):
    return get_object_or_404(
        Visit.objects.visible_to(request.user, permission).select_related("unit", "member", "payment", "entered_by"),
        pk=pk,
    )


@login_required
def visit_detail(request, pk):
    visit = _visit_for(request, pk)
    if visit.note:
        log_sensitive_read(request, visit, [_("情况记录")])  # what the visitors found: health, family hardship
    context = {
        "visit": visit,
        "may_edit": "care.manage" in permissions_on(request.user, visit.unit),
        "breadcrumbs": crumbs((_("走访慰问"), reverse("care:visits")), (visit.person, "")),
    }
    return render(request, "care/visit_detail.html", context)


@login_required
def visit_edit(request, pk):
    visit = _visit_for(request, pk, "care.manage")
    if request.method == "GET" and visit.note:
        log_sensitive_read(request, visit, [_("情况记录")])  # the form shows it
    form = VisitEditForm(request.POST or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        services.visit_update(visit=form.save(commit=False), fields=form.changed_data)
        messages.success(request, _("已保存。"))
        return redirect("care:visit_detail", visit.pk)
    context = {
        "form": form,
        "title": _("修改走访记录"),
        "cancel_url": reverse("care:visit_detail", args=[visit.pk]),
        "breadcrumbs": crumbs(
            (_("走访慰问"), reverse("care:visits")),
            (visit.person, reverse("care:visit_detail", args=[visit.pk])),
            (_("修改"), ""),
        ),
    }
    return render(request, "care/form.html", context)


@login_required
@require_POST
def visit_delete(request, pk):
    visit = _visit_for(request, pk, "care.manage")
    try:
        services.visit_delete(visit=visit)
    except services.CareError as error:
        messages.error(request, error.message)
        return redirect("care:visit_detail", visit.pk)
    messages.success(request, _("已删除这条走访记录。"))
    return redirect("care:visits")


@login_required
def visit_add(request):
    unit = current_unit_or_404(request, "care.manage")
    member = None
    if member_id := id_param(request.GET.get("member"), name="member"):
        member = get_object_or_404(Member.objects.visible_to(request.user, "members.view"), pk=member_id)
    initial = {
        "visited_on": timezone.localdate(),
        "kind": request.GET.get("kind", "sickness"),
        "visitors": str(request.user),
    }
    if member:
        initial.update(person=member.name, unit=member.unit)
    form = VisitForm(request.POST or None, initial=initial)
    form.set_units(care_units(request, unit))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.visit_record(by=request.user, member=member, **data)
        except services.CareError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("走访已登记。"))
            return redirect("care:visits")
    context = {
        "form": form,
        "title": _("登记走访"),
        "breadcrumbs": crumbs((_("走访慰问"), reverse("care:visits")), (_("登记"), "")),
    }
    return render(request, "care/form.html", context)


@login_required
def tag_list(request):
    unit = current_unit_or_404(request, "care.view")
    tags = CareTag.objects.visible_to(request.user, "care.view").in_subtree(unit).select_related("member", "unit")
    member = None
    form = None
    if member_id := id_param(request.GET.get("member"), name="member"):
        member = get_object_or_404(
            Member.objects.visible_to(request.user, "members.view").in_subtree(unit), pk=member_id
        )
        form = TagForm(request.POST or None, initial={"since": timezone.localdate()})
        if request.method == "POST":
            if "care.manage" not in permissions_on(request.user, member.unit):
                raise Http404  # as tag_remove answers: marks are kept by those who keep care there
            if form.is_valid():
                try:
                    services.tag_add(member=member, **form.cleaned_data)
                except services.CareError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, _("已标记。"))
                    return redirect("care:tags")
    query = request.GET.get("q", "").strip()
    visible = Member.objects.visible_to(request.user, "members.view").in_subtree(unit)
    try:
        matches = privacy.search(request, visible, query)[:20] if query else []  # a full ID number is logged
    except privacy.IdSearchRefused as refusal:
        messages.error(request, refusal.message)
        matches = []
    shown = list(tags.filter(Q(until__isnull=True) | Q(until__gte=timezone.localdate()))[:200])
    log_sensitive_reads(request, [tag for tag in shown if tag.note], [_("说明")])  # a sick leave's reason
    context = {
        "unit": unit,
        "tags": shown,
        "member": member,
        "form": form,
        "matches": matches,
        "q": query,
        "perms": permissions_on(request.user, unit),
        "breadcrumbs": crumbs((_("关爱对象标记"), "")),
    }
    return render(request, "care/tags.html", context)


@login_required
@require_POST
def tag_remove(request, pk):
    tag = get_object_or_404(CareTag.objects.visible_to(request.user, "care.manage").select_related("member"), pk=pk)
    services.tag_remove(tag=tag)
    messages.success(
        request, _("已移除%(name)s的“%(kind)s”标记。") % {"name": tag.member.name, "kind": tag.get_kind_display()}
    )
    return redirect("care:tags")


@login_required
def pairing_list(request):
    unit = current_unit_or_404(request, "care.view")
    today = timezone.localdate()
    silence = settings_for(unit).pairing_silence_days
    ended = request.GET.get("ended") == "1"
    pairs = Pairing.objects.visible_to(request.user, "care.view").in_subtree(unit)
    pairs = pairs.filter(ended_on__isnull=False) if ended else pairs.active()
    pairs = pairs.with_last_contact().select_related("unit")
    cutoff = today - datetime.timedelta(days=silence)
    context = {
        "unit": unit,
        "ended": ended,
        "page": paginate(request, pairs.order_by("-ended_on", "id") if ended else pairs.order_by("last_contact", "id")),
        "cutoff": cutoff,
        "silence": silence,
        "perms": permissions_on(request.user, unit),
        "breadcrumbs": crumbs((_("帮扶结对"), "")),
    }
    return render(request, "care/pairing_list.html", context)


@login_required
def pairing_add(request):
    unit = current_unit_or_404(request, "care.manage")
    form = PairingForm(request.POST or None, initial={"started_on": timezone.localdate(), "unit": unit})
    form.set_units(care_units(request, unit))
    if request.method == "POST" and form.is_valid():
        pairing = form.save()
        messages.success(request, _("结对已登记。"))
        return redirect("care:pairing_detail", pairing.pk)
    context = {
        "form": form,
        "title": _("登记帮扶结对"),
        "breadcrumbs": crumbs((_("帮扶结对"), reverse("care:pairings")), (_("登记"), "")),
    }
    return render(request, "care/form.html", context)


@login_required
@require_POST
def pairing_end(request, pk):
    pairing = get_object_or_404(Pairing.objects.visible_to(request.user, "care.manage"), pk=pk)
    form = PairingEndForm(request.POST)
    if form.is_valid():
        try:
            services.pairing_end(pairing=pairing, on=form.cleaned_data["ended_on"])
        except services.CareError as error:
            if refusal_on_form(request, form, error):
                return pairing_detail(request, pk, end_form=form)
        else:
            messages.success(request, _("结对已结束，联系记录仍保留。"))
        return redirect("care:pairing_detail", pk)
    return pairing_detail(request, pk, end_form=form)


@login_required
def pairing_detail(request, pk, end_form=None):
    """A pairing's page; ``end_form`` is the ending just sent back with its errors (pairing_end)."""
    pairing = get_object_or_404(
        Pairing.objects.visible_to(request.user, "care.view").select_related("unit", "household"), pk=pk
    )
    perms = permissions_on(request.user, pairing.unit)
    manages = "care.manage" in perms and pairing.ended_on is None
    sent = request.POST if request.method == "POST" and end_form is None else None  # a contact, not an ending
    form = ContactForm(sent, initial={"on": timezone.localdate()}) if manages else None
    if sent is not None and form is not None and form.is_valid():
        try:
            services.pairing_contact_add(pairing=pairing, by=request.user, **form.cleaned_data)
        except services.CareError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("联系记录已保存。"))
            return redirect("care:pairing_detail", pk)
    contacts = list(pairing.contacts.select_related("by")[:100])
    if contacts:
        log_sensitive_read(request, pairing, [_("联系记录")])  # what the helper found: illness, family trouble
    context = {
        "pairing": pairing,
        "contacts": contacts,
        "form": form,
        "end_form": end_form or PairingEndForm(initial={"ended_on": timezone.localdate()}) if manages else None,
        "breadcrumbs": crumbs((_("帮扶结对"), reverse("care:pairings")), (str(pairing), "")),
    }
    return render(request, "care/pairing_detail.html", context)
