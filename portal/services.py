"""Workflows of the members' own side: an application from submission to a member record, the
applicant told by SMS; sign-in codes and invitations that link an account to a member by an
ID-number check; what a member may change about themselves.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import idnumber, throttle
from core.encryption import DecryptionError, decrypt, encrypt, mask_phone
from core.errors import Refusal
from core.language import written_date, written_time
from core.notifications import notify
from core.unique import once
from members.models import IN_UNION, Category, Member, Status, id_number_index
from members.services import roster_followed
from orgs.access import subtree_range
from orgs.models import OrgUnit, RoleAssignment, UnitKind
from orgs.roles import Role
from portal import consent, sms
from portal.models import (
    Application,
    ApplicationStatus,
    Campaign,
    CampaignTarget,
    ConsentRecord,
    Invitation,
    OneTimeCode,
    code_index,
    new_code,
    phone_index,
)

# Sign-in codes: how long one lives, how many tries it allows, how often one may be asked for.
CODE_MINUTES = 10
CODE_TRIES = 5
CODE_GAP_SECONDS = 60
CODES_PER_HOUR = 5
INVITATION_DAYS = 90
INVITATIONS_PER_BATCH = 2000
INVITATION_SMS_PER_CHUNK = 500


def in_site_language():
    """Where a text message goes to someone without an account (an applicant, a member invited), written
    in the site's language: not in the language of the officer whose click sends it, nor of the worker."""
    return translation.override(settings.LANGUAGE_CODE)


class PortalError(Refusal):
    """A step the rules do not allow; the message says why, in Chinese, naming no other union.
    ``field``: the form field the refusal is about, if any (core.forms.add_service_error)."""


class AlreadyLinked(PortalError):
    """The login already has its roster record: there is nothing to link."""


# --- applications


@dataclass(frozen=True)
class Submitted:
    application: Application
    code: str  # shown once to the applicant; only its hash is kept


def application_submit(*, unit, data: dict, now=None) -> Submitted:
    """Record an application with the consent as shown; refuses people already members or applying.

    The refusals say what the person can do, never where the other membership or application is.
    """
    now = now or timezone.now()
    index = id_number_index(data["id_number"])
    if Member.objects.filter(id_number_index=index, status__in=IN_UNION).exists():
        raise PortalError(
            _(
                "这个身份证号已经是工会会员，无需再次申请。换了工作单位请联系原来的工会办理转会，或在“我的”页面申请转会。"
            )
        )
    if Application.objects.open().filter(id_number_index=index).exists():
        raise PortalError(_already_applying())
    code = new_code()
    with once(PortalError(_already_applying())):  # a second tab submitted at the same moment
        application = Application.objects.create(
            unit=unit,
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            employer=data["employer"],
            post=data.get("post", ""),
            is_migrant_worker=data.get("is_migrant_worker", False),
            is_new_form_worker=data.get("is_new_form_worker", False),
            consent_version=consent.STATEMENT_VERSION,
            consent_text=str(consent.STATEMENT),
            consented_at=now,
            optional_consents=[key for key in consent.PURPOSE_KEYS if data.get(key)],
            code_index=code_index(code),
            created_at=now,
        )
    sms.send(
        application.phone,
        _("【工会】%(name)s，您的入会申请已提交到%(unit)s，查询码 %(code)s，请妥善保存。")
        % {"name": application.name, "unit": unit.name, "code": code},
    )
    return Submitted(application=application, code=code)


def _already_applying():
    return _("这个身份证号已有一份正在办理的入会申请。请用手机号和查询码查看办理进度，不必重复提交。")


def application_lookup(*, phone: str, code: str) -> Application | None:
    """The application of this phone and code, for the applicant's status check."""
    return (
        Application.objects.select_related("unit")
        .filter(phone_index=phone_index(phone), code_index=code_index(code))
        .order_by("-created_at")
        .first()
    )


def _locked(application):
    return Application.objects.select_for_update().select_related("unit").get(pk=application.pk)


def _decide(application, status, by, note, now):
    application.status = status
    application.decided_by = by
    application.decided_at = now or timezone.now()
    application.decision_note = note
    application.save()


def _require(application, *statuses):
    if application.status not in statuses:
        raise PortalError(_("这份申请已经办理过了（%(status)s）。") % {"status": application.get_status_display()})


@transaction.atomic
def application_approve(*, application, by, joined_on=None, category=Category.WORKER, now=None) -> Member:
    """Approve: exactly one member record, in the unit applied to, joined today, its source the application.

    Someone who left the union before is taken back on their old record (重新入会) rather than
    recorded twice; someone in the union meanwhile cannot be approved again.
    """
    application = _locked(application)
    _require(application, ApplicationStatus.PENDING, ApplicationStatus.MORE_INFO)
    if application.unit.kind == UnitKind.FEDERATION:
        raise PortalError(_("总工会不直接发展会员：请把申请转交到职工所在单位的工会，或记为待建会。"))
    now = now or timezone.now()
    joined_on = joined_on or timezone.localdate(now)
    existing = Member.objects.select_for_update().filter(id_number_index=application.id_number_index).first()
    if existing is not None and existing.status in IN_UNION:
        raise PortalError(_("这个身份证号已在会员名册中，不能重复入会；工作调动请办理转会。"))
    member = _enter_on_roster(application, existing, joined_on=joined_on, category=category)
    application.member = member
    _decide(application, ApplicationStatus.APPROVED, by, "", now)
    _record_optional_consents(application, member)
    with in_site_language():  # not the officer's language: the applicant's is not kept
        sms.send(
            application.phone,
            _(
                "【工会】%(name)s，您的入会申请已批准，欢迎加入%(unit)s！会员证号 %(card)s。用本手机号登录 %(url)s 查看。"
            )
            % {
                "name": application.name,
                "unit": application.unit.name,
                "card": member.card_number,
                "url": f"{settings.SITE_URL.rstrip('/')}/signin/",
            },
        )
    return member


def _enter_on_roster(application, existing, *, joined_on, category):
    """The member record the application becomes: a new one, or the old one of someone who left."""
    parsed = idnumber.parse(application.id_number)
    with in_site_language():  # the roster's notes are in the record's language (as members' status stamps)
        source = _("%(date)s 线上申请入会（申请编号 %(pk)s）") % {"date": written_date(joined_on), "pk": application.pk}
    member = existing or Member(id_number=application.id_number, category=category)
    member.unit = application.unit
    member.name = application.name
    member.gender = parsed.gender
    member.birth_date = parsed.birth_date
    member.phone = application.phone
    member.job_title = application.post[:50]
    member.is_migrant_worker = application.is_migrant_worker
    member.joined_on = joined_on
    member.card_number = member.card_number or f"{application.unit.pk:04d}{application.pk:06d}"
    member.status = Status.ACTIVE
    member.status_changed_on = joined_on if existing else None
    member.note = f"{member.note}\n{source}".strip()
    member._change_reason = "status:rejoined" if existing else "status:joined"
    member.save()
    roster_followed([member])  # someone who left and had a login: the member role again, in this unit
    return member


def _record_optional_consents(application, member):
    """The optional uses ticked on the form, as consents given when the form was sent."""
    for purpose in application.optional_consents:
        if purpose in consent.PURPOSE_KEYS:
            ConsentRecord.objects.create(
                member=member,
                purpose=purpose,
                granted=True,
                version=application.consent_version,
                at=application.consented_at,
            )


@transaction.atomic
def application_ask_more(*, application, by, note, now=None) -> Application:
    if not note.strip():
        raise PortalError(_("请写明需要补充什么。"))
    application = _locked(application)
    _require(application, ApplicationStatus.PENDING)
    _decide(application, ApplicationStatus.MORE_INFO, by, note.strip(), now)
    with in_site_language():  # not the officer's language: the applicant's is not kept
        sms.send(
            application.phone,
            _("【工会】%(name)s，您的入会申请需要补充：%(note)s。请用手机号和查询码打开申请页面补充。")
            % {"name": application.name, "note": note.strip()},
        )
    return application


@transaction.atomic
def application_decline(*, application, by, note, now=None) -> Application:
    if not note.strip():
        raise PortalError(_("不予批准时请写明原因，申请人会收到这条原因。"))
    application = _locked(application)
    _require(application, ApplicationStatus.PENDING, ApplicationStatus.MORE_INFO, ApplicationStatus.FOUNDING)
    _decide(application, ApplicationStatus.DECLINED, by, note.strip(), now)
    with in_site_language():  # not the officer's language: the applicant's is not kept
        sms.send(
            application.phone,
            _("【工会】%(name)s，您的入会申请未获批准，原因：%(note)s。")
            % {"name": application.name, "note": note.strip()},
        )
    return application


@transaction.atomic
def application_reply(*, application, reply, now=None) -> Application:
    """The applicant answers a request for more: the application waits for the officer again."""
    if not reply.strip():
        raise PortalError(_("请填写补充的内容。"))
    application = _locked(application)
    _require(application, ApplicationStatus.MORE_INFO)
    with in_site_language():  # read by the officer, whatever language the applicant's page was in
        stamp = str(written_time(now or timezone.now()))
    application.reply = f"{application.reply}\n{stamp} {reply.strip()}".strip()
    application.status = ApplicationStatus.PENDING
    application.save()
    return application


def routing_targets(unit):
    """Unions below a federation that an application may be handed to."""
    return OrgUnit.objects.filter(
        path__range=subtree_range(unit.path), is_active=True, kind__in=[UnitKind.UNION, UnitKind.SUBUNION]
    ).exclude(pk=unit.pk)


@transaction.atomic
def application_route(*, application, to_unit, by, now=None) -> Application:
    """The federation hands an application to the union of the worker's employer."""
    application = _locked(application)
    _require(application, ApplicationStatus.PENDING, ApplicationStatus.FOUNDING)
    if not routing_targets(application.unit).filter(pk=to_unit.pk).exists():
        raise PortalError(_("只能转交给本级以下、已启用的工会。"))
    application.routed_from = application.unit
    application.unit = to_unit
    application.status = ApplicationStatus.PENDING
    application.decision_note = ""
    application.save()
    with in_site_language():  # not the officer's language: the applicant's is not kept
        sms.send(
            application.phone,
            _("【工会】%(name)s，您的入会申请已转交%(unit)s办理。") % {"name": application.name, "unit": to_unit.name},
        )
    return application


@transaction.atomic
def application_found(*, application, by, note="", now=None) -> Application:
    """The employer has no union yet: kept on the federation's founding list (建会) until one exists."""
    application = _locked(application)
    _require(application, ApplicationStatus.PENDING)
    if application.unit.kind != UnitKind.FEDERATION:
        raise PortalError(_("只有总工会可以把申请记为待建会。"))
    _decide(application, ApplicationStatus.FOUNDING, by, note.strip(), now)
    with in_site_language():  # not the officer's language: the applicant's is not kept
        sms.send(
            application.phone,
            _(
                "【工会】%(name)s，您所在单位（%(employer)s）还没有工会，县总工会已记录并将推动建会，建会后为您办理入会。"
            )
            % {"name": application.name, "employer": application.employer},
        )
    return application


# --- accounts: sign-in codes and invitations


def account_for(member) -> "get_user_model()":
    """The member's login, created and linked when they have none (the caller has checked who they are)."""
    if member.user_id:
        return member.user
    User = get_user_model()
    # Named by the member record, not the phone: a login name is clear text, the phone is encrypted.
    # She signs in with her phone all the same (accounts.backends.PhoneBackend).
    user = User(username=f"m{member.pk}", full_name=member.name, phone=member.phone)
    user.set_unusable_password()
    user.save()
    Member.objects.filter(pk=member.pk).update(user=user)
    member.user = user
    RoleAssignment.objects.get_or_create(user=user, unit=member.unit, role=Role.MEMBER)
    return user


def _member_by_phone(phone):
    """A member whose account carries this phone (a later sign-in)."""
    user = get_user_model().objects.with_phone(phone).filter(is_active=True, member__isnull=False).first()
    return user.member if user else None


def _member_by_id_check(phone, id_number):
    """A first sign-in: the ID number finds the member and the phone must be the one on the roster."""
    try:
        number = idnumber.parse(id_number).value
    except idnumber.InvalidIdNumber:
        return None  # the form checked it: nothing is told here that the form would not tell anyone
    member = Member.objects.filter(id_number_index=id_number_index(number), status__in=IN_UNION).first()
    return member if member is not None and member.phone == phone else None


def _count_code_request(index, now):
    """Count one request for a sign-in code to the number whose phone index is ``index``, whether or not
    it is a member's, or refuse it: a number nobody has must not be told apart by never reaching the
    limits. A second request in the same moment is refused as too soon (core.throttle's BUSY)."""
    verdict = throttle.allow_sliding(
        f"signin-code:{index}", limit=CODES_PER_HOUR, seconds=3600, gap=CODE_GAP_SECONDS, now=now
    )
    if verdict is throttle.Verdict.LIMIT:
        raise PortalError(_("获取验证码太频繁了，请一小时后再试。"))
    if not verdict:
        raise PortalError(_("验证码已发送，请等一分钟后再重新获取。"))


def _signin_code(index, created_at) -> str:
    """The six digits of the code made for the number with phone index ``index`` at ``created_at``,
    derived under the site's secret as Django's password-reset tokens are. So the row stores only the
    code's hash, and the code is written in clear nowhere, neither in the row nor in a queued job's
    arguments: the task worker works it out when it writes the row (and from the row, for a job queued
    before the worker wrote the rows: ``signin_code_deliver``). Whoever can read the rows learns it
    only with the site's secret (with the field key instead, the stored hash falls to a million tries
    anyway)."""
    moment = created_at.astimezone(datetime.UTC).isoformat()
    return _six_digits("portal.signin-code", f"{index}|{moment}")


def _six_digits(purpose, message) -> str:
    digest = salted_hmac(purpose, message, algorithm="sha256").digest()
    return f"{int.from_bytes(digest, 'big') % 1_000_000:06d}"


def signin_code_send(*, phone: str, id_number: str = "", now=None) -> dict:
    """Have the task worker make a six-digit code for a member's phone and send it by SMS
    (``signin_code_issue``), at most once a minute and five times an hour. Returns what the session
    keeps until the code is typed back (``pending_phone`` reads it), for any number.

    The answer is the same for any number: the limits count every request, and nothing says whether a
    code went out. The work is the same too, so that neither the time the page takes nor the load it
    puts on the database and the queue tells a member's number from one nobody has: every request is
    counted, and queues one job (portal.tasks.send_requested_signin_code) carrying the number and the
    ID number encrypted, the moment and the page's language, and nothing is looked up here. The worker
    finds whose number it is, and only then writes a code's row and sends it."""
    now = now or timezone.now()
    if not sms.is_configured():
        raise PortalError(_("本站没有开通短信，请用登录名和密码登录，或向工会索取开通邀请码。"))
    _count_code_request(phone_index(phone), now)
    pending = _pending_phone(phone)  # every number's, encrypted the same way: the session tells none apart
    from portal import tasks  # portal.tasks wraps this module's functions

    # The ID number encrypted even when none was typed: every job is made alike.
    args = (pending["phone_token"], encrypt(id_number), now.isoformat(), translation.get_language())
    transaction.on_commit(lambda: tasks.send_requested_signin_code.enqueue(*args))
    return pending


def _pending_phone(phone) -> dict:
    """The number a session waits on for its code, encrypted (core.encryption) and masked for the page:
    sessions live in the database or Redis, neither encrypted at rest, and the roster keeps phones only
    encrypted."""
    return {"phone_token": encrypt(phone), "phone_masked": mask_phone(phone)}


def pending_phone(pending) -> str | None:
    """The number in clear of a session's record (``signin_code_send``'s, ``phone_change_code_send``'s);
    None for a record without one: one written before phones were encrypted in the session (a bare
    number or a clear "phone", from a session begun before a deploy), or one no key of
    FIELD_ENCRYPTION_KEYS decrypts. Its caller treats it as expired: the member types the number again,
    and the record with the clear number is dropped from the session."""
    if not isinstance(pending, dict) or "phone_token" not in pending:
        return None
    try:
        return decrypt(pending["phone_token"])
    except DecryptionError:
        return None


def signin_code_issue(phone_token: str, id_token: str, requested_at: str, *, language=None) -> bool:
    """The task worker's side of ``signin_code_send``: the code for the number (``phone_token``,
    encrypted) asked for at ``requested_at`` (ISO 8601), written and sent by SMS in the language of the
    page that asked, when the number is a member's: her login's, or (a first sign-in) the roster's
    for the member the ID number (``id_token``, encrypted, empty if none was typed) finds. False, with
    nothing written or sent, for any other number. The row keeps the request's moment, so the code and
    its expiry are those of the request, however long the job waited."""
    phone, id_number = decrypt(phone_token), decrypt(id_token)
    member = _member_by_phone(phone) or (_member_by_id_check(phone, id_number) if id_number else None)
    if member is None:
        return False
    created_at, index = datetime.datetime.fromisoformat(requested_at), phone_index(phone)
    digits = _signin_code(index, created_at)
    OneTimeCode.objects.create(
        phone_index=index,
        code_index=code_index(digits),
        member=member,
        created_at=created_at,
        expires_at=created_at + datetime.timedelta(minutes=CODE_MINUTES),
    )
    return _signin_sms(phone, digits, language)


def signin_code_deliver(code_id: int, *, language=None) -> bool:
    """The SMS for a code whose row the request wrote, as it did before ``signin_code_issue`` (a job
    of portal.tasks.send_signin_code queued before a deploy), to the number it was asked for. False
    when there is nothing to send: the row is gone (its member deleted), or the number is no longer
    the member's or her login's (changed meanwhile), or the code cannot be worked out again (the
    site's secret changed: she asks for another)."""
    code = OneTimeCode.objects.select_related("member__user").filter(pk=code_id).first()
    if code is None:
        return False
    member = code.member
    phones = [member.user.phone if member.user else "", member.phone]
    phone = next((p for p in phones if p and phone_index(p) == code.phone_index), None)
    digits = _signin_code(code.phone_index, code.created_at)
    if phone is None or code_index(digits) != code.code_index:
        return False
    return _signin_sms(phone, digits, language)


def _signin_sms(phone, digits, language) -> bool:
    with translation.override(language or settings.LANGUAGE_CODE):
        return sms.send_in_worker(
            phone,
            _("【工会】登录验证码 %(code)s，%(minutes)s分钟内有效，请勿告诉他人。")
            % {"code": digits, "minutes": CODE_MINUTES},
        )


def signin_code_verify(*, phone: str, code: str, now=None):
    """The account of the member the code was sent for (linked now if this is the first sign-in)."""
    now = now or timezone.now()
    latest = (
        OneTimeCode.objects.select_related("member")
        .filter(phone_index=phone_index(phone), used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    # One refusal for every failure: a number no code went to must read like a mistyped code.
    refused = PortalError(
        _("验证码不正确或已失效。请核对短信；输错多次或超过%(minutes)s分钟，请重新获取。") % {"minutes": CODE_MINUTES}
    )
    if latest is None or latest.expires_at <= now or latest.attempts >= CODE_TRIES:
        raise refused
    # Counted before comparing, in its own statement, so that no failure path forgets it.
    OneTimeCode.objects.filter(pk=latest.pk).update(attempts=latest.attempts + 1)
    if latest.code_index != code_index(code):
        raise refused
    with transaction.atomic():
        OneTimeCode.objects.filter(pk=latest.pk).update(used_at=now)
        member = Member.objects.select_for_update().get(pk=latest.member_id)
        user = _usable(account_for(member))
        if not user.phone:  # a password login linked by this code: next time the phone alone will do
            _set_login_phone(user.pk, phone)
        return user


def _usable(user):
    if not user.is_active:
        raise PortalError(_("这个账号已停用，请联系所在工会。"))
    return user


def invitations_create(*, unit, by, now=None, progress=None) -> int:
    """A code for every member of ``unit``'s subtree in the union who has no account and no live code,
    made batch after batch until none is left; returns how many. ``progress(made so far)`` is called
    after each batch.

    Each batch is its own transaction: a province's millions are never one transaction, and a run
    that stops keeps the batches it finished, so running it again goes on where it stopped.
    """
    total = 0
    while made := _invitations_create_batch(unit=unit, by=by, now=now or timezone.now()):
        total += made
        if progress:
            progress(total)
    return total


def _invitations_create_batch(*, unit, by, now) -> int:
    expires = now + datetime.timedelta(days=INVITATION_DAYS)
    with transaction.atomic():
        # Locked, and those another run holds skipped: two runs over one subtree share the members.
        members = list(
            Member.objects.in_subtree(unit)
            .filter(status__in=IN_UNION, user__isnull=True)
            .filter(Q(invitation__isnull=True) | Q(invitation__expires_at__lte=now))
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:INVITATIONS_PER_BATCH]
        )
        Invitation.objects.filter(member__in=[m.pk for m in members], expires_at__lte=now).delete()
        invitations = []
        for member in members:
            code = new_code()
            invitations.append(
                Invitation(
                    member=member,
                    unit=member.unit,
                    code=code,
                    code_index=code_index(code),
                    created_by=by,
                    created_at=now,
                    expires_at=expires,
                )
            )
        Invitation.objects.bulk_create(invitations, batch_size=500)
    return len(invitations)


def invitation_for_member(*, member: Member, by, now=None) -> Invitation:
    """The live invitation of one member (a slip lost, or a member added after the bulk run), made when she
    has none or hers expired. Refused for a member who has a login or is not in the union: neither gets a code.
    Asked for twice at once (a double click), both get the same code."""
    now = now or timezone.now()
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.user_id:
            raise PortalError(_("%(name)s已经开通了会员账号，不需要邀请码。") % {"name": member.name})
        if not member.in_union:
            raise PortalError(_("%(name)s不在会，不能开通会员账号。") % {"name": member.name})
        current = Invitation.objects.filter(member=member).first()
        if current is not None and current.is_usable(now):
            return current
        if current is not None:  # expired, or used by a login since removed: a new code replaces it
            current.delete()
        return Invitation.objects.create(
            member=member,
            unit=member.unit,
            code=new_code(),
            created_by=by,
            created_at=now,
            expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
        )


def invitations_send_check() -> None:
    """Refuse sending invitations by SMS where the site has no SMS channel."""
    if not sms.is_configured():
        raise PortalError(_("本站没有开通短信，请打印邀请码发给会员。"))


def invitations_send(*, unit, now=None, progress=None) -> int:
    """Send each unused, unexpired, unsent invitation of the subtree by SMS to the member's phone, a
    chunk at a time; returns how many were sent. ``progress(sent so far)`` is called after each chunk.
    Not to members who left the union (or died) after their code was made.

    Never twice: a chunk's codes are marked sent in the transaction that queues their messages,
    which go out when it commits (portal.sms), so a run that stops keeps the chunks it finished
    and running it again sends only the rest. Members without a phone on the roster are left
    unsent (the invitations page counts them, for the printed sheet).
    """
    invitations_send_check()
    sent, after = 0, 0
    while after is not None:
        count, after = _invitations_send_chunk(unit=unit, after=after, now=now or timezone.now())
        sent += count
        if progress and after is not None:
            progress(sent)
    return sent


def _invitations_send_chunk(*, unit, after, now) -> tuple[int, int | None]:
    """Send the next chunk after invitation ``after``: how many were sent, and the last one read
    (None when none was left). Read in id order, so a phone that cannot be read never stops the run."""
    with transaction.atomic():
        # Locked, and those another run holds skipped: two runs never send one code twice.
        chunk = list(
            Invitation.objects.in_subtree(unit)
            .live(now)  # not to someone who left, died or got a login since the code was made
            .filter(pk__gt=after, sent_at__isnull=True)
            .exclude(member__phone="")
            .select_related("member")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:INVITATION_SMS_PER_CHUNK]
        )
        sent = [invitation.pk for invitation in chunk if _invitation_sms(invitation)]
        Invitation.objects.filter(pk__in=sent).update(sent_at=now)
    return len(sent), (chunk[-1].pk if chunk else None)


def _invitation_sms(invitation) -> bool:
    # Only ever run by the task worker (portal.tasks.send_invitations): sent from here, the code never
    # goes into the queue.
    with in_site_language():  # the member has no login, so no language of her own yet
        return sms.send_in_worker(
            invitation.member.phone,
            _("【工会】%(name)s，请打开 %(url)s 用邀请码 %(code)s 和身份证号开通会员账号，%(date)s前有效。")
            % {
                "name": invitation.member.name,
                "url": f"{settings.SITE_URL.rstrip('/')}/invite/",
                "code": invitation.code,
                "date": written_date(timezone.localdate(invitation.expires_at)),
            },
        )


@transaction.atomic
def invitation_redeem(*, code: str, id_number: str, password: str = "", now=None):
    """Open the account of the invited member, when the ID number is theirs. ``password`` (checked by
    the caller's form): the one they will sign in with, set on an account that has none yet; a site
    without SMS asks for it, since no sign-in code could ever reach them there."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_for_update().select_related("member").filter(code_index=code_index(code)).first()
    )
    mismatch = _("邀请码或身份证号不正确，请核对后再试。")
    if invitation is None:
        raise PortalError(mismatch)
    if not invitation.is_usable(now):
        # Said before the ID number is checked, so no more than the code's own state. Whoever used it has a
        # login now (the union makes no code for a member with one): that login is the way in, not a new code.
        raise PortalError(
            _(
                "这个邀请码已经用过或已过期。已用它开通了账号的，请用登录名（或手机号）和密码登录；过期没有用过的，请向工会重新索取。"
            )
        )
    if invitation.member.id_number_index != id_number_index(idnumber.normalize(id_number)):
        raise PortalError(mismatch)
    if not invitation.member.in_union:
        # Left, or died, after the code was made: a code cannot open a member's account for them.
        raise PortalError(_("这个邀请码已经失效，请联系所在工会。"))
    if invitation.member.user_id:
        # The member got a login after the code was made (an SMS code, or an officer's login linked to the
        # record): it has its own way in, and a slip left in a drawer must not open it without its password.
        raise PortalError(_("您已经开通了账号，这个邀请码不再需要。请用登录名（或手机号）和密码登录。"))
    user = _usable(account_for(invitation.member))
    if password and not user.has_usable_password():
        user.set_password(password)
        user.save(update_fields=["password"])
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    return user


def member_link(*, user, id_number: str, phone: str) -> Member:
    """Link a password login (an officer's, usually) to its roster record when the ID number and the
    phone match it. The record is written only while it still has no login, so that the login is told
    it was linked only when it was: of two logins at once, the second finds the record taken."""
    if Member.objects.filter(user=user).exists():
        raise AlreadyLinked(_("您的账号已经关联了会员档案。"))
    mismatch = _("身份证号和手机号与会员名册不一致（或该会员已关联了其他账号）。请联系所在工会核对。")
    member = Member.objects.filter(
        id_number_index=id_number_index(id_number), status__in=IN_UNION, user__isnull=True
    ).first()
    if member is None or member.phone != phone:
        raise PortalError(mismatch)
    with once(AlreadyLinked(_("您的账号已经关联了会员档案。"))):  # the same login, linking another record at once
        linked = Member.objects.filter(pk=member.pk, user__isnull=True).update(user=user)
    if not linked:
        raise PortalError(mismatch)
    member.user = user
    return member


# --- a member's own changes


@transaction.atomic
def _check_phone_free(phone, member):
    """A number another login signs in with is not taken over: whoever holds it would sign in as both."""
    others = get_user_model().objects.with_phone(phone).filter(is_active=True)
    if member.user_id:
        others = others.exclude(pk=member.user_id)
    if others.exists():
        raise PortalError(_("这个手机号已是另一个账号的登录手机号。如果号码确实是您的，请联系所在工会核对。"))


def _set_login_phone(user_id, phone):
    """The login's phone and the index it is found by at sign-in, together (save() keeps them in step)."""
    user = get_user_model().objects.get(pk=user_id)
    user.phone = phone
    user.save(update_fields=["phone", "phone_index"])


@transaction.atomic
def member_phone_change(*, member, phone) -> Member:
    """The member's new number, on the roster and on their login: the old number signs in no more."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_phone_free(phone, member)
    member.phone = phone
    member._change_reason = "self:phone"
    member.save()
    if member.user_id:
        _set_login_phone(member.user_id, phone)
    return member


def _phone_change_code(member_id, phone, sent_at: float) -> str:
    """The six digits confirming ``phone`` as the new number of member ``member_id``, asked for at
    ``sent_at`` (a timestamp), derived under the site's secret as the sign-in code is: the task
    queue works them out again, so they are written neither in the queued job nor in the session."""
    return _six_digits("portal.phone-change-code", f"{member_id}|{phone_index(phone)}|{sent_at!r}")


def phone_change_code_send(*, member, phone, sent=None, now=None) -> dict:
    """Where SMS is on, the new number signs in, so it is confirmed first: a code sent to it by the task
    queue (portal.tasks.send_phone_change_code). Returns what the member's session keeps until the
    code is typed back (phone_change_confirm): the number only encrypted, and masked for the page;
    ``sent``: the last such record, for at most a code a minute."""
    now = now or timezone.now()
    _check_phone_free(phone, member)
    sent_at = now.timestamp()
    if sent and sent_at - sent["sent_at"] < CODE_GAP_SECONDS:
        raise PortalError(_("验证码已发送，请等一分钟后再重新获取。"))
    pending = _pending_phone(phone)
    if sms.is_configured():
        from portal import tasks  # portal.tasks wraps this module's functions

        token, language = pending["phone_token"], translation.get_language()
        transaction.on_commit(lambda: tasks.send_phone_change_code.enqueue(member.pk, token, sent_at, language))
    return pending | {
        "code_index": code_index(_phone_change_code(member.pk, phone, sent_at)),
        "sent_at": sent_at,
        "expires_at": (now + datetime.timedelta(minutes=CODE_MINUTES)).timestamp(),
        "attempts": 0,
    }


def phone_change_code_deliver(member_id: int, phone_token: str, sent_at: float, *, language=None) -> bool:
    """The task queue's side of ``phone_change_code_send``: the SMS with the code, to the new number
    (``phone_token``, encrypted), in the language of the page that asked; False when the member is
    gone meanwhile."""
    if not Member.objects.filter(pk=member_id).exists():
        return False
    phone = decrypt(phone_token)
    with translation.override(language or settings.LANGUAGE_CODE):
        return sms.send_in_worker(
            phone,
            _("【工会】您正在修改手机号，验证码 %(code)s，%(minutes)s分钟内有效，请勿告诉他人。")
            % {"code": _phone_change_code(member_id, phone, sent_at), "minutes": CODE_MINUTES},
        )


def phone_change_confirm(*, member, pending, code, now=None) -> Member:
    """The number of ``pending`` (phone_change_code_send's record, its attempts counted in it) once
    ``code`` is the one sent to it."""
    now = now or timezone.now()
    phone = pending_phone(pending)
    if phone is None or pending["expires_at"] <= now.timestamp():
        raise PortalError(_("验证码已过期，请重新获取。"))
    if pending["attempts"] >= CODE_TRIES:
        raise PortalError(_("验证码输错次数太多，请重新获取。"))
    pending["attempts"] += 1
    if pending["code_index"] != code_index(code):
        raise PortalError(_("验证码不正确。"))
    return member_phone_change(member=member, phone=phone)


def consent_set(*, member, purpose: str, granted: bool, now=None) -> ConsentRecord:
    if purpose not in consent.PURPOSE_KEYS:
        raise PortalError(_("未知的用途。"))
    return ConsentRecord.objects.create(
        member=member, purpose=purpose, granted=granted, version=consent.STATEMENT_VERSION, at=now or timezone.now()
    )


@transaction.atomic
def member_transfer_request(*, member, to_unit, reason, by):
    """A member changing jobs starts the roster's two-sided transfer; the receiving union decides.
    One transaction with the notices to its chairs: a transfer nobody was told of would wait unseen."""
    from members.services import MemberError, member_transfer_start

    try:
        transfer = member_transfer_start(member=member, to_unit=to_unit, reason=reason, by=by)
    except MemberError as error:
        raise PortalError(str(error)) from None
    for assignment in RoleAssignment.objects.filter(
        unit__path__in=[u.path for u in to_unit.ancestors_and_self()], role=Role.CHAIR
    ).select_related("user")[:5]:
        notify(
            assignment.user,
            text=gettext_lazy("%(name)s申请转入%(unit)s，请办理。"),
            params={"name": member.name, "unit": to_unit.name},
            url=reverse("members:transfers"),
            kind="portal.transfer_request",
        )
    return transfer


# --- recruitment drives


@transaction.atomic
def campaign_create(
    *, unit: OrgUnit, by, title: str, starts_on: datetime.date, ends_on: datetime.date, group: str, note: str = ""
) -> Campaign:
    """A drive the federation ``unit`` sets for the units below it, ``by`` the officer who starts it."""
    if unit.kind != UnitKind.FEDERATION:
        raise PortalError(_("只有总工会可以发起入会集中行动。"))
    if ends_on < starts_on:
        raise PortalError(_("结束日期不能早于开始日期。"), field="ends_on")
    return Campaign.objects.create(
        unit=unit, title=title, starts_on=starts_on, ends_on=ends_on, group=group, note=note, created_by=by
    )


def campaign_target_units(campaign: Campaign):
    """The units a drive may set targets for: the active unions and federations below its own."""
    return (
        OrgUnit.objects.filter(path__range=subtree_range(campaign.unit.path))
        .filter(is_active=True, kind__in=[UnitKind.FEDERATION, UnitKind.UNION])
        .exclude(pk=campaign.unit_id)
    )


def campaign_target_set(*, campaign: Campaign, unit: OrgUnit, target: int) -> CampaignTarget:
    """Set or change how many new members ``unit`` is to bring in during the drive. Under the drive's
    row lock: two officers setting one unit's target at once each land in turn, the later one kept."""
    if target < 1:
        raise PortalError(_("目标人数至少为 1。"), field="target")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)
        if not campaign_target_units(campaign).filter(pk=unit.pk).exists():
            raise PortalError(_("只能给本次行动发起单位以下、已启用的工会设定目标。"), field="unit")
        row, _created = CampaignTarget.objects.update_or_create(
            campaign=campaign, unit=unit, defaults={"target": target}
        )
        return row


@dataclass(frozen=True)
class ProgressRow:
    unit: OrgUnit
    target: int
    joined: int

    @property
    def percent(self):
        return min(100, round(self.joined * 100 / self.target)) if self.target else None


def campaign_progress(campaign) -> list[ProgressRow]:
    """Approvals in each target unit's subtree during the drive, for its target group, in one query."""
    targets = list(CampaignTarget.objects.filter(campaign=campaign).select_related("unit"))
    if not targets:
        return []
    start = datetime.datetime.combine(campaign.starts_on, datetime.time.min, tzinfo=timezone.get_current_timezone())
    end = datetime.datetime.combine(
        campaign.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    counts = (
        Application.objects.approved()
        .filter(campaign.group_filter(), decided_at__gte=start, decided_at__lt=end)
        .in_subtree(campaign.unit)
        .aggregate(**{f"t{t.pk}": Count("id", filter=Q(unit__path__range=subtree_range(t.unit.path))) for t in targets})
    )
    return [ProgressRow(unit=t.unit, target=t.target, joined=counts[f"t{t.pk}"]) for t in targets]


# --- keeping no longer than the statement says

DECLINED_KEPT_DAYS = 365
CODES_KEPT_DAYS = 1


def portal_purge(*, now=None) -> dict:
    """Delete what the consent statement promises not to keep: declined applications a year after
    their decision, and sign-in codes after a day. Run daily (``manage.py purge_portal``)."""
    now = now or timezone.now()
    declined, _counts = Application.objects.filter(
        status=ApplicationStatus.DECLINED, decided_at__lt=now - datetime.timedelta(days=DECLINED_KEPT_DAYS)
    ).delete()
    codes, _counts = OneTimeCode.objects.filter(created_at__lt=now - datetime.timedelta(days=CODES_KEPT_DAYS)).delete()
    return {"applications": declined, "codes": codes}
