"""A member's own page (/me/): only the records of the member linked to the login, never anyone else's."""

import datetime
import json

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.models import Registration
from care.models.assistance import Assistance
from care.models.insurance import InsuranceEnrollment
from core.audit import log_sensitive_read
from core.money import yuan
from core.tables import Column, table_response
from democracy.models.ballots import BallotStatus, Voter
from democracy.models.opinions import Opinion
from democracy.models.proposals import Proposal
from members.models import Member, Transfer
from orgs.access import has_permission, subtree_range
from orgs.models import OrgUnit, UnitKind
from orgs.picker import unit_suggestions
from portal import consent, services, sms
from portal.forms import CodeForm, LinkForm, PasswordForm, PhoneForm, TransferRequestForm
from portal.models import Application, ConsentRecord

MY_ROWS = 50  # a member's registrations over many years; the page shows the latest
MY_FEW = 10  # insurance years, help received, proposals: the latest few
PHONE_PENDING = "portal_phone_change"  # the session's new number (encrypted) waiting for its code


def _crumbs(*extra):
    return [{"label": _("我的"), "url": "/me/"}, *extra]


@login_required
def me(request):
    member = Member.objects.of_login(request.user)
    if member is None:
        return render(request, "portal/me_unlinked.html", {"form": LinkForm(), "breadcrumbs": _crumbs()})
    registrations = list(
        Registration.objects.filter(member=member)
        .select_related("activity__unit")
        .order_by("-activity__starts_at", "-id")[:MY_ROWS]
    )
    now = timezone.now()
    consents = ConsentRecord.objects.current_for(member)
    help_received = list(Assistance.objects.given().filter(member=member).order_by("-given_on", "-id")[:MY_FEW])
    if help_received:
        # Care records are read under a second gate; even one's own leaves a trace.
        log_sensitive_read(request, member, [_("本人帮扶记录")])
    context = {
        "insurance": list(
            InsuranceEnrollment.objects.filter(member=member)
            .select_related("product")
            .order_by("-year", "-id")[:MY_FEW]
        ),
        "help_received": help_received,
        "proposals": list(Proposal.objects.filter(author=request.user).order_by("-submitted_on", "-pk")[:MY_FEW]),
        "ballots": list(
            Voter.objects.filter(user=request.user, has_voted=False, ballot__status=BallotStatus.OPEN)
            .select_related("ballot")
            .order_by("ballot__closed_at", "ballot_id")[:MY_FEW]
        ),
        "member": member,
        # The union's board and opinion box are a member's too (democracy.propose), reached from here.
        "reads_board": has_permission(request.user, "democracy.propose", member.unit),
        # Her role's, not Django's model permissions: a member who left the union no longer has the list.
        "sees_activities": has_permission(request.user, "activities.view", member.unit),
        "upcoming": [r for r in registrations if r.is_live and r.activity.starts_at >= now],
        "past": [r for r in _latest_per_activity(registrations) if not (r.is_live and r.activity.starts_at >= now)],
        "transfers": list(Transfer.objects.filter(member=member).select_related("to_unit")[:5]),
        "purposes": [(p, consents.get(p.key, False)) for p in consent.OPTIONAL_PURPOSES],
        "statement_version": consent.STATEMENT_VERSION,
        "statement": consent.STATEMENT,
        "breadcrumbs": _crumbs(),
    }
    return render(request, "portal/me.html", context)


def _latest_per_activity(registrations):
    """``registrations`` (newest first within an activity) less those a later one superseded: a member
    who cancelled and registered again holds the live one, so the cancelled one is no "past" registration
    listed below the same activity; cancelled twice, the latest says it."""
    live = {r.activity_id for r in registrations if r.is_live}
    seen = set()
    latest = []
    for r in registrations:
        if r.is_live or (r.activity_id not in live and r.activity_id not in seen):
            latest.append(r)
        seen.add(r.activity_id)
    return latest


def _member_or_redirect(request):
    member = Member.objects.of_login(request.user)
    if member is None:
        messages.info(request, _("您的账号还没有关联会员档案。"))
    return member


@login_required
def phone(request):
    """A new number: at once where the site sends no SMS (the number is the roster's only); else, as it
    will sign in, after the code sent to it is typed back (phone_confirm)."""
    member = _member_or_redirect(request)
    if member is None:
        return redirect("portal:me")
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = form.cleaned_data["phone"]
        try:
            if sms.is_configured():
                request.session[PHONE_PENDING] = services.phone_change_code_send(
                    member=member, phone=new, sent=request.session.get(PHONE_PENDING)
                )
                return redirect("portal:phone_confirm")
            services.member_phone_change(member=member, phone=new)
        except services.PortalError as error:
            form.add_error("phone", str(error))
        else:
            messages.success(request, _("手机号已更新。"))
            return redirect("portal:me")
    return render(
        request,
        "portal/me_form.html",
        {
            "form": form,
            "title": _("修改手机号"),
            "hint": _("现在的手机号：%(phone)s。新手机号也将用于短信登录。") % {"phone": member.phone_masked},
            "breadcrumbs": _crumbs({"label": _("修改手机号"), "url": ""}),
        },
    )


@login_required
def phone_confirm(request):
    member = _member_or_redirect(request)
    pending = request.session.get(PHONE_PENDING)
    if member is None or pending is None:
        return redirect("portal:me")
    if services.pending_phone(pending) is None:
        # A record with the number in clear, from a session begun before a deploy: expired, asked again.
        del request.session[PHONE_PENDING]
        messages.error(request, _("验证码已过期，请重新获取。"))
        return redirect("portal:phone")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_change_confirm(member=member, pending=pending, code=form.cleaned_data["code"])
        except services.PortalError as error:
            form.add_error("code", str(error))
            request.session[PHONE_PENDING] = pending  # the attempt counted
        else:
            del request.session[PHONE_PENDING]
            messages.success(request, _("手机号已更新。"))
            return redirect("portal:me")
    return render(
        request,
        "portal/me_form.html",
        {
            "form": form,
            "title": _("修改手机号"),
            "hint": _("验证码已发送到新手机号 %(phone)s，请在 %(minutes)s 分钟内填写。")
            % {"phone": pending["phone_masked"], "minutes": services.CODE_MINUTES},
            "breadcrumbs": _crumbs(
                {"label": _("修改手机号"), "url": reverse("portal:phone")}, {"label": _("验证码"), "url": ""}
            ),
        },
    )


@login_required
def password(request):
    """A password beside the SMS code: for members whose account was opened by a code or an invitation."""
    if request.user.has_usable_password():
        return redirect("accounts:password_change")
    form = PasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, _("密码已设置。登录名是 %(username)s。") % {"username": request.user.username})
        return redirect("portal:me")
    return render(
        request,
        "portal/me_form.html",
        {
            "form": form,
            "title": _("设置密码"),
            "hint": _("设置后也可以在登录页用登录名 %(username)s 和密码登录。") % {"username": request.user.username},
            "breadcrumbs": _crumbs({"label": _("设置密码"), "url": ""}),
        },
    )


def transfer_targets(member):
    """Unions of the member's county (or whichever federation holds their union) to move to."""
    ancestors = member.unit.ancestors_and_self()
    federation = next((u for u in reversed(ancestors) if u.kind == UnitKind.FEDERATION), ancestors[0])
    return (
        OrgUnit.objects.filter(path__range=subtree_range(federation.path))
        .filter(is_active=True, kind__in=[UnitKind.UNION, UnitKind.SUBUNION, UnitKind.GROUP])
        .exclude(pk=member.unit_id)
    )


@login_required
def transfer_units(request):
    """The unions the member may transfer to, matching what they type (the transfer form's picker)."""
    member = Member.objects.of_login(request.user)
    if member is None:
        raise Http404
    return unit_suggestions(request, transfer_targets(member), request.GET.get("q", ""))


@login_required
def transfer(request):
    member = _member_or_redirect(request)
    if member is None:
        return redirect("portal:me")
    form = TransferRequestForm(
        request.POST if request.method == "POST" else None,
        units=transfer_targets(member),
        search_url=reverse("portal:transfer_units"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_transfer_request(member=member, by=request.user, **form.cleaned_data)
        except services.PortalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("转会申请已提交，转入单位的工会办理后会通知您。"))
            return redirect("portal:me")
    return render(
        request,
        "portal/me_form.html",
        {
            "form": form,
            "title": _("申请转会"),
            "hint": _("换了工作单位，会籍随您转到新单位的工会；转入单位办理前您仍是%(unit)s的会员。")
            % {"unit": member.unit.name},
            "breadcrumbs": _crumbs({"label": _("申请转会"), "url": ""}),
        },
    )


@login_required
@require_POST
def consent_change(request):
    member = _member_or_redirect(request)
    if member is None:
        return redirect("portal:me")
    try:
        services.consent_set(
            member=member, purpose=request.POST.get("purpose", ""), granted=request.POST.get("granted") == "1"
        )
    except services.PortalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已更新您的同意选择。"))
    return redirect("portal:me")


def own_data(member):
    """Everything kept about the member that this page can show: (section, rows of (label, value)), with
    dates and money written as her pages write them (2026年3月1日, ¥30.00)."""
    return [
        (_("会员信息"), _profile_rows(member)),
        (_("转会"), _transfer_rows(member)),
        (_("活动报名"), _registration_rows(member)),
        (_("保险"), _insurance_rows(member)),
        (_("帮扶"), _assistance_rows(member)),
        (_("提案和建议"), _proposal_rows(member)),
        (_("署名意见"), _opinion_rows(member)),
        (_("入会申请"), _application_rows(member)),
        (_("同意记录"), _consent_rows(member)),
    ]


def _profile_rows(member):
    return [
        (_("姓名"), member.name),
        (_("性别"), member.get_gender_display()),
        (_("出生日期"), _day(member.birth_date)),
        (_("身份证号"), member.id_number),
        (_("手机号"), member.phone),
        (_("所在单位"), member.unit.name),
        (_("人员类别"), member.get_category_display()),
        (_("职务或岗位"), member.job_title),
        (_("入会时间"), _day(member.joined_on)),
        (_("会员证号"), member.card_number),
        (_("会籍状态"), member.get_status_display()),
        (_("农民工"), _("是") if member.is_migrant_worker else _("否")),
    ]


def _day(value) -> str:
    """A date (or a moment, in local time) as the member's pages show it, in her language."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return date_format(value)


def _transfer_rows(member):
    return [
        (
            f"{_day(t.started_at)} {t.from_unit.name} → {t.to_unit.name}",
            f"{t.get_status_display()} {t.reason}",
        )
        for t in Transfer.objects.filter(member=member).select_related("from_unit", "to_unit").order_by("started_at")
    ]


def _registration_rows(member):
    return [
        (
            r.activity.title,
            f"{_day(timezone.localdate(r.activity.starts_at))} "
            f"{r.get_status_display()}" + (f" {_('已签到')}" if r.attended else ""),
        )
        for r in Registration.objects.filter(member=member).select_related("activity").order_by("activity__starts_at")
    ]


def _insurance_rows(member):
    return [
        (f"{e.year} {e.product.name}", f"{_day(e.enrolled_on)} {yuan(e.premium)}")
        for e in InsuranceEnrollment.objects.filter(member=member).select_related("product").order_by("year", "id")
    ]


def _assistance_rows(member):
    return [
        (f"{_day(a.given_on)} {a.get_purpose_display()}", a.goods or yuan(a.amount))
        for a in Assistance.objects.given().filter(member=member).order_by("given_on", "id")
    ]


def _proposal_rows(member):
    if not member.user_id:
        return []
    return [
        (f"{_day(p.submitted_on)} {p.title}", p.get_status_display())
        for p in Proposal.objects.filter(author_id=member.user_id).order_by("submitted_on", "pk")
    ]


def _opinion_rows(member):
    """The opinion box's messages she signed (an anonymous one names nobody: it cannot be hers here)."""
    if not member.user_id:
        return []
    return [
        (f"{_day(o.received_on)} {o.text}", o.reply or _("未答复"))
        for o in Opinion.objects.filter(author_id=member.user_id).order_by("received_on", "text")
    ]


def _application_rows(member):
    return [
        (f"{_day(timezone.localdate(a.created_at))} {a.unit.name}", f"{a.get_status_display()} {a.consent_version}")
        for a in Application.objects.filter(member=member).select_related("unit")
    ]


def _consent_rows(member):
    return [
        (
            str(consent.purpose_label(c.purpose)),
            f"{_day(c.at)} " + (_("同意") if c.granted else _("撤回")) + f" {c.version}",
        )
        for c in ConsentRecord.objects.filter(member=member).order_by("at", "id")
    ]


@login_required
def export(request, fmt):
    """The member's own data, in clear (it is theirs), as JSON or .xlsx; the read is logged like any other."""
    member = _member_or_redirect(request)
    if member is None:
        return redirect("portal:me")
    log_sensitive_read(request, member, [_("本人数据下载")])
    sections = own_data(member)
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        body = {
            str(title): [{"item": str(label), "value": str(value)} for label, value in rows] for title, rows in sections
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
        return response
    rows = [(str(title), str(label), str(value)) for title, items in sections for label, value in items]
    columns = [Column(_("类别"), 12), Column(_("项目"), 30), Column(_("内容"), 40)]
    return table_response(columns, rows, filename=f"my-data-{stamp}", title=_("我的数据"))
