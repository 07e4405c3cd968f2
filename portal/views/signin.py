"""Members' accounts: sign-in with phone and a one-time code, opening an account with an
invitation code, linking a password login to the roster; the officers' bulk invitations.

Whichever way, an account is linked to a member only by an ID-number check, never by name.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core import throttle
from core.keyset import capped_count
from core.pagination import paginate
from members.models import IN_UNION, Member
from orgs.access import has_permission
from portal import services, sms, tasks
from portal.forms import CodeForm, InvitationRedeemForm, LinkForm, SignInForm
from portal.models import Invitation

SENDS_PER_HOUR = 10
CHECKS_PER_HOUR = 30
SESSION_PHONE = "portal_signin_phone"
BACKEND = "django.contrib.auth.backends.ModelBackend"
SHEET_ROWS = 60


def _log_in(request, user):
    login(request, user, backend=BACKEND)


def _throttled(request, form, what, limit):
    if throttle.allow(f"{what}:{throttle.client_ip(request)}", limit=limit, seconds=3600):
        return False
    form.add_error(None, _("尝试次数太多，请一小时后再试。"))
    return True


@never_cache
def signin(request):
    """Step one: the phone (and at a first sign-in the ID number); a code goes to the phone by SMS."""
    if request.user.is_authenticated:
        return redirect("portal:me")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _throttled(request, form, "signin", SENDS_PER_HOUR):
        try:
            pending = services.signin_code_send(**form.cleaned_data)
        except services.PortalError as error:
            form.add_error(None, str(error))
        else:
            request.session[SESSION_PHONE] = pending  # the number encrypted, never in clear
            return redirect("portal:signin_code")
    return render(request, "portal/signin.html", {"form": form, "sms_ready": sms.is_configured()})


@never_cache
def signin_code(request):
    """Step two: the code from the SMS; the account is opened and linked at the first sign-in."""
    pending = request.session.get(SESSION_PHONE)
    # None too for a bare number in clear, as sessions begun before a deploy keep it: expired, asked again.
    phone = services.pending_phone(pending)
    if phone is None:
        request.session.pop(SESSION_PHONE, None)
        return redirect("portal:signin")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _throttled(request, form, "code", CHECKS_PER_HOUR):
        try:
            user = services.signin_code_verify(phone=phone, code=form.cleaned_data["code"])
        except services.PortalError as error:
            form.add_error("code", str(error))
        else:
            request.session.pop(SESSION_PHONE, None)
            _log_in(request, user)
            return redirect("portal:me")
    return render(request, "portal/signin_code.html", {"form": form, "phone": pending["phone_masked"]})


@never_cache
def invite(request):
    """Open one's account with the invitation code from the sheet or the SMS, and one's ID number."""
    # Where no sign-in code can be sent, the account is opened with its password: else it would be lost
    # with this session (the invitation is used, and no SMS would ever let the member in again).
    by_sms = sms.is_configured()
    form = InvitationRedeemForm(request.POST or None, with_password=not by_sms)
    if request.method == "POST" and form.is_valid() and not _throttled(request, form, "invite", CHECKS_PER_HOUR):
        try:
            user = services.invitation_redeem(
                code=form.cleaned_data["code"], id_number=form.cleaned_data["id_number"], password=form.password
            )
        except services.PortalError as error:
            form.add_error(None, str(error))
        else:
            _log_in(request, user)
            messages.success(request, _redeemed_message(user, by_sms=by_sms))
            return redirect("portal:me")
    return render(request, "portal/invite.html", {"form": form, "by_sms": by_sms})


def _redeemed_message(user, *, by_sms):
    if by_sms:
        return _("账号已开通。以后可用手机号和短信验证码登录。")
    if user.phone:
        return _("账号已开通，登录名是 %(username)s。以后用登录名或名册上的手机号，和刚设置的密码登录。") % {
            "username": user.username
        }
    return _("账号已开通，登录名是 %(username)s。以后用登录名和刚设置的密码登录。") % {"username": user.username}


@login_required
@require_POST
def link(request):
    """A password login that has no member record yet: linked when ID number and phone match the roster."""
    form = LinkForm(request.POST)
    if form.is_valid() and not _throttled(request, form, "link", SENDS_PER_HOUR):
        try:
            services.member_link(user=request.user, **form.cleaned_data)
        except services.AlreadyLinked as error:
            messages.error(request, str(error))
            return redirect("portal:me")
        except services.PortalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已关联您的会员档案。"))
            return redirect("portal:me")
    return render(request, "portal/me_unlinked.html", {"form": form})


# --- officers: invitations in bulk


def _invitation_unit(request):
    unit = request.unit
    if unit is None or not has_permission(request.user, "members.change", unit):
        return None
    return unit


@login_required
def invitations(request):
    unit = _invitation_unit(request)
    if unit is None:
        return render(request, "portal/invitations.html", {"unit": None})
    context = _invitations_status(unit) | {"breadcrumbs": [{"label": _("开通会员账号"), "url": ""}]}
    return render(request, "portal/invitations.html", context)


@login_required
def invitations_status(request):
    """The figures and the bulk job's progress alone: what the page polls while a job is at work."""
    unit = _invitation_unit(request)
    if unit is None:
        raise Http404
    return render(request, "portal/_invitations_status.html", _invitations_status(unit))


def _invitations_status(unit):
    now = timezone.now()
    members = Member.objects.in_subtree(unit).filter(status__in=IN_UNION)
    issued = Invitation.objects.in_subtree(unit)
    live = issued.live(now)
    unsent = live.filter(sent_at__isnull=True)
    jobs = tasks.progress_of(unit)
    return {
        "unit": unit,
        # Counted up to COUNT_CAP: a province's members are millions (the roll-ups have the figures).
        "with_account": capped_count(members.filter(user__isnull=False)),
        "without_account": capped_count(members.filter(user__isnull=True)),
        "live": capped_count(live),
        "unsent": capped_count(unsent.exclude(member__phone="")),
        "no_phone": capped_count(unsent.filter(member__phone="")),
        "used": capped_count(issued.filter(used_at__isnull=False)),
        "sms_ready": sms.is_configured(),
        "jobs": jobs,
        # Kinds queued or at work: the page polls while there are any, and holds back their buttons
        # (a second click would only queue work the job is already doing).
        "busy": {job.kind for job in jobs if job.active},
    }


@login_required
@require_POST
def invitations_create(request):
    unit = _invitation_unit(request)
    if unit is None:
        return redirect("portal:invitations")
    tasks.queue_create(unit=unit, by=request.user)
    messages.success(request, _("已开始生成邀请码，本页会显示进度。"))
    _warn_without_worker(request)
    return redirect("portal:invitations")


@login_required
@require_POST
def invitations_send(request):
    unit = _invitation_unit(request)
    if unit is None:
        return redirect("portal:invitations")
    try:
        tasks.queue_send(unit=unit)
    except services.PortalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已开始发送邀请短信，本页会显示进度。"))
        _warn_without_worker(request)
    return redirect("portal:invitations")


def _warn_without_worker(request):
    if not tasks.worker_alive():
        messages.warning(
            request,
            _(
                "后台任务程序没有在运行，这项工作还在排队。请联系管理员启动它（manage.py tasks_worker）；启动后会接着完成。"
            ),
        )


@login_required
def invitation_sheet(request):
    """A printable sheet: one slip per member with their code, cut apart and handed out. ``q`` finds one
    member's slip (a name, its pinyin, the phone's last four digits; not the ID number's, which the mask
    hides: see MemberQuerySet.search) to print it again when lost."""
    unit = _invitation_unit(request)
    if unit is None:
        return redirect("portal:invitations")
    rows = (
        Invitation.objects.in_subtree(unit)
        .live(timezone.now())
        .select_related("member__unit")
        .order_by("member__unit__path", "member__name_pinyin", "pk")
    )
    query = request.GET.get("q", "").strip()[:50]
    if query:
        rows = rows.filter(member__in=Member.objects.in_subtree(unit).search(query).values("pk"))
    invite_url = _invite_url(request)
    return render(
        request,
        "portal/invitation_sheet.html",
        {"unit": unit, "page": paginate(request, rows, SHEET_ROWS), "invite_url": invite_url, "query": query},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_invitation(request, pk):
    """One member's slip, printed from her page on the roster (a lost slip, a member added since the bulk
    run), for the officers who may invite there. POST makes her a code when she has none that is live."""
    member = get_object_or_404(Member.objects.visible_to(request.user, "members.change").select_related("unit"), pk=pk)
    if request.method == "POST":
        try:
            services.invitation_for_member(member=member, by=request.user)
        except services.PortalError as error:
            messages.error(request, str(error))
        return redirect("portal:member_invitation", member.pk)
    # live(): none for a member with a login or out of the union, whom the page tells why instead.
    invitation = Invitation.objects.live(timezone.now()).filter(member=member).select_related("member__unit")
    context = {
        "member": member,
        "invitation": invitation.first(),
        "invite_url": _invite_url(request),
        "breadcrumbs": [
            {"label": _("会员名册"), "url": reverse("members:list")},
            {"label": member.name, "url": reverse("members:detail", args=[member.pk])},
            {"label": _("邀请码"), "url": ""},
        ],
    }
    return render(request, "portal/member_invitation.html", context)


def _invite_url(request):
    """The address a slip prints for opening an account, with the site's own prefix (reverse, not a literal)."""
    return request.build_absolute_uri(reverse("portal:invite"))
