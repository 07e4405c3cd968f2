"""Workflows on the roster that span records: status changes with their reasons, transfers
between units (two-sided), and the statistics of a subtree.

The import lives in members.importing, the export in members.exporting.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.encryption import is_unreadable
from core.errors import Refusal
from core.language import written_date
from core.unique import once
from members import privacy
from members.models import (
    AGE_BANDS,
    IN_UNION,
    REASONS_FOR,
    Member,
    Status,
    StatusReason,
    Transfer,
    TransferStatus,
    birth_range_for_ages,
    id_number_index,
    in_union_q,
)
from members.signals import roster_changed
from orgs.access import subtree_range
from orgs.models import OrgUnit, RoleAssignment, UnitKind
from orgs.roles import Role


class MemberError(Refusal):
    """A workflow step that the rules do not allow; the message says why, in Chinese. ``field``: the
    form field it is about, if any; ``holder``: the member who already has the ID number typed."""

    def __init__(self, message, *, field=None, holder=None):
        super().__init__(message, field)
        self.holder = holder


def _save_with_reason(member, reason, **update):
    for field, value in update.items():
        setattr(member, field, value)
    member._change_reason = reason
    member.save()
    roster_followed([member], on=update.get("status_changed_on"))


def roster_followed(members, on=None):
    """What follows members' moves and status changes, in their transaction: their logins' role
    (member_role_follow) and what other apps hold for them as members of a unit (members.signals.roster_changed:
    a representative's seat on a congress of the union they left)."""
    member_role_follow(members)
    roster_changed.send(sender=Member, members=members, on=on or timezone.localdate())


def member_role_follow(members):
    """A member's login holds the member role on the unit the roster puts them in, and only while they
    are in the union. The role is what shows a member their union's activities and lets them register:
    after a transfer, a move by an officer or an import it moves with them (else they would go on seeing
    the old union's activities and none of the new one's), and once they leave or die it goes (their own
    data stays open to them on 我的数据, which asks for no role). A login with other roles (an officer
    linked to their own record) is given the member role only if it had one: its officer roles cover the
    same pages, and an extra unit would appear in its unit switcher. Other roles are never touched."""
    linked = {m.user_id: m for m in members if m.user_id}
    if not linked:
        return
    assignments = list(RoleAssignment.objects.filter(user_id__in=linked))
    held = [a for a in assignments if a.role == Role.MEMBER]
    wanted = {(user_id, m.unit_id) for user_id, m in linked.items() if m.status in IN_UNION}
    for assignment in held:
        if (assignment.user_id, assignment.unit_id) not in wanted:
            assignment.delete()  # one by one: the role's history records that it went
    members_only = {a.user_id for a in held} | (set(linked) - {a.user_id for a in assignments})
    for user_id, unit_id in wanted - {(a.user_id, a.unit_id) for a in held}:
        if user_id in members_only:
            RoleAssignment.objects.create(user_id=user_id, unit_id=unit_id, role=Role.MEMBER)


def id_number_unclaimed(member, *, by):
    """Refuse ``member``'s ID number when another member has it, wherever in the tree (one person is
    a member once; moving is a transfer). Asked only of a record otherwise valid, which is saved when
    the number is free: no answer comes without a real member written. Each answer counts against
    ``by``'s hourly budget (members.privacy.ID_CHECKS_PER_HOUR); the refusal names the ``holder``, for the caller to
    log when it is a member ``by`` may not see (members.privacy)."""
    if not member.id_number or is_unreadable(member.id_number):
        return
    if not privacy.id_check_allowed(by):
        raise MemberError(_("身份证号查验过于频繁，请一小时后再试；成批登记请用导入花名册。"), field="id_number")
    others = Member.objects.filter(id_number_index=id_number_index(member.id_number)).select_related("unit")
    holder = (others.exclude(pk=member.pk) if member.pk else others).first()
    if holder is not None:
        raise MemberError(
            _("这个身份证号已登记为会员，不能重复登记（调动请办理转会）。"), field="id_number", holder=holder
        )


# A form posted twice (a double click, a reload after a slow answer) arrives within seconds; a second
# record typed alike minutes later is most likely the same slip, not a namesake born the same day.
REPEAT_WINDOW = datetime.timedelta(minutes=10)


def not_just_registered(member, *, now):
    """Refuse a member without an ID number when the same unit registered one moments ago with the same
    name, gender, birth date and phone: with no number, nothing else tells the two records apart. The
    unit's row is locked first, so that two posts at once are checked one after the other."""
    if member.id_number:
        return
    OrgUnit.objects.select_for_update().filter(pk=member.unit_id).first()
    recent = Member.objects.filter(
        unit_id=member.unit_id,
        name=member.name.strip(),
        gender=member.gender,
        birth_date=member.birth_date,
        phone_last4=member.phone[-4:],
        id_number_index__isnull=True,
        created_at__gte=now - REPEAT_WINDOW,
    )
    if any(other.phone == member.phone for other in recent):
        raise MemberError(_("“%(name)s”刚刚已经登记过了，请勿重复提交；请在会员名册中查看。") % {"name": member.name})


def phone_shared_with(member, *, user):
    """Other members ``user`` may see who have ``member``'s phone: said as a warning, not refused (a couple may
    share a landline), since a member signs in to 我的会员 by their phone. Members out of ``user``'s sight are
    never named, nor hinted at: that would tell whose phone a number is."""
    if not member.phone or is_unreadable(member.phone):
        return []
    found = Member.objects.visible_to(user, "members.view").filter(phone_last4=member.phone[-4:]).exclude(pk=member.pk)
    return [other for other in found.select_related("unit")[:20] if other.phone == member.phone]


@transaction.atomic
def member_register(*, member, by):
    """Register a member an officer (``by``) typed in, once its ID number is found on no roster (or,
    without one, once it is not the record registered moments ago: not_just_registered)."""
    member.fill_derived()
    not_just_registered(member, now=timezone.now())
    id_number_unclaimed(member, by=by)
    member._change_reason = "status:joined"
    member.save()
    return member


@transaction.atomic
def member_save(*, member, reason, typed_by=None):
    """Save an officer's changes to a member record (the form's instance), its role following a move.
    ``typed_by``: the officer who typed a new ID number into it, checked first (id_number_unclaimed)."""
    if typed_by is not None:
        id_number_unclaimed(member, by=typed_by)
    _save_with_reason(member, reason)
    return member


def status_change_problem(member, *, status, reason, on, today):
    """Why ``member`` may not be set to ``status`` for ``reason`` on ``on``, as (field, message), or None.
    A day to come or one before the member joined would put them in or out of the union on days they were
    not (in_union_q reads status_changed_on), and outside this year's 退会 count."""
    if status not in member.allowed_statuses():
        return "status", _("会籍状态不能从“%(old)s”改为“%(new)s”。") % {
            "old": member.get_status_display(),
            "new": Status(status).label,
        }
    if member.status == Status.DECEASED and reason != StatusReason.CORRECTION:
        return "reason", _("已故会员只能以“更正录入错误”改回原状态。")
    if reason not in REASONS_FOR[Status(status)]:
        return "reason", _("原因“%(reason)s”与“%(status)s”不符，可选：%(fitting)s。") % {
            "reason": StatusReason(reason).label if reason in StatusReason.values else reason,
            "status": Status(status).label,
            "fitting": _("、").join(str(r.label) for r in REASONS_FOR[Status(status)]),
        }
    if on > today:
        return "on", _("日期不能晚于今天（%(today)s）。") % {"today": written_date(today)}
    if member.joined_on and on < member.joined_on:
        return "on", _("日期不能早于入会时间（%(joined)s）。") % {"joined": written_date(member.joined_on)}
    return None


@transaction.atomic
def member_status_change(*, member, status, reason, on=None, note=""):
    """Set a status by hand, within MANUAL_TRANSITIONS and with a reason that fits it (REASONS_FOR),
    keeping the reason in the history. Undoing a mistaken retirement gives back the retiree flag the
    member had before it (status_change_problem says what is refused)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    today = timezone.localdate()
    on = on or today
    problem = status_change_problem(member, status=status, reason=reason, on=on, today=today)
    if problem:
        raise MemberError(problem[1], field=problem[0])
    update = {"status": status, "status_changed_on": on}
    if status == Status.RETIRED:
        update["is_retiree"] = True
    elif member.status == Status.RETIRED and reason == StatusReason.CORRECTION:
        update["is_retiree"] = _retiree_before(member)
    if note:
        # In the record's language, whoever typed it: the note is read in Chinese (StatusReason's msgids).
        with translation.override(settings.LANGUAGE_CODE):
            label = str(StatusReason(reason).label)
            day = date_format(on)
        update["note"] = f"{member.note}\n{day} {label}：{note}".strip()
    _save_with_reason(member, f"status:{reason}", **update)
    return member


def _retiree_before(member):
    """The retiree flag ``member`` (now retired) had before the retirement, as kept in the history."""
    before = (
        member.history.exclude(status=Status.RETIRED)
        .order_by("-history_date", "-history_id")
        .values_list("is_retiree", flat=True)
        .first()
    )
    return bool(before)


def transfer_destinations(member):
    """The units an officer may transfer ``member`` to: the active unions, sub-unions and groups of the
    whole tree the member's unit lies in (a teacher may move to another county of the province), but
    not the unit they are in. Picked by name, whoever the officer is: union names are no secret, and
    the receiving union decides."""
    root = member.unit.path[: OrgUnit.steplen]
    return (
        OrgUnit.objects.filter(path__range=subtree_range(root), is_active=True)
        .filter(kind__in=[UnitKind.UNION, UnitKind.SUBUNION, UnitKind.GROUP])
        .exclude(pk=member.unit_id)
    )


@transaction.atomic
def member_transfer_start(*, member, to_unit, reason, by):
    """The sending unit starts a transfer; the member is 转出中 until the receiving unit decides."""
    member = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    if member.status not in (Status.ACTIVE, Status.TRANSFERRED_IN, Status.RETIRED):
        raise MemberError(_("“%(status)s”的会员不能办理转会。") % {"status": member.get_status_display()})
    if to_unit.pk == member.unit_id:
        raise MemberError(_("转入单位与现在的单位相同。"))
    if not to_unit.is_active:
        raise MemberError(_("转入单位已停用。"))
    with once(MemberError(_("该会员已有一项正在办理的转会。"))):
        transfer = Transfer.objects.create(
            member=member, from_unit=member.unit, to_unit=to_unit, reason=reason, started_by=by
        )
    _save_with_reason(
        member,
        f"transfer_start:{to_unit.name}",
        status=Status.TRANSFERRING_OUT,
        status_changed_on=timezone.localdate(),
    )
    return transfer


def _decide(transfer, status, by, note):
    transfer = Transfer.objects.select_for_update().select_related("member", "to_unit").get(pk=transfer.pk)
    if not transfer.is_pending:
        raise MemberError(_("这项转会已经办理过了（%(status)s）。") % {"status": transfer.get_status_display()})
    transfer.status = status
    transfer.decided_by = by
    transfer.decided_at = timezone.now()
    transfer.decision_note = note
    transfer.save()
    return transfer


@transaction.atomic
def member_transfer_accept(*, transfer, by, note=""):
    """The receiving unit accepts: the member moves, with their history, and is 转入."""
    transfer = _decide(transfer, TransferStatus.ACCEPTED, by, note)
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    _save_with_reason(
        member,
        f"transfer_in:{transfer.from_unit.name}",
        unit=transfer.to_unit,
        status=Status.TRANSFERRED_IN,
        status_changed_on=timezone.localdate(),
    )
    return transfer


@transaction.atomic
def member_transfer_reject(*, transfer, by, note):
    """The receiving unit sends it back: the member stays where they were, in the union."""
    if not note.strip():
        raise MemberError(_("退回转会时请写明原因。"))
    transfer = _decide(transfer, TransferStatus.REJECTED, by, note)
    _restore(transfer, f"transfer_rejected:{transfer.to_unit.name}")
    return transfer


@transaction.atomic
def member_transfer_cancel(*, transfer, by):
    """The sending unit withdraws a transfer that the receiving unit has not decided yet."""
    transfer = _decide(transfer, TransferStatus.CANCELLED, by, "")
    _restore(transfer, f"transfer_cancelled:{transfer.to_unit.name}")
    return transfer


def _restore(transfer, reason):
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    # Back to what the member was before the transfer started, as kept in the history.
    before = (
        member.history.filter(history_date__lt=transfer.started_at)
        .exclude(status=Status.TRANSFERRING_OUT)
        .order_by("-history_date")
        .values_list("status", flat=True)
        .first()
    )
    _save_with_reason(member, reason, status=before or Status.ACTIVE, status_changed_on=timezone.localdate())


# --- statistics of a subtree


def subtree_members(unit):
    return Member.objects.in_subtree(unit)


def roster_statistics(unit, *, on=None):
    """Figures of ``unit``'s subtree in two aggregate queries (members, then headcount); ``on`` a past
    day: the members of that day (in_union_q), over today's headcount."""
    on = on or timezone.localdate()
    year_start, year_end = datetime.date(on.year, 1, 1), datetime.date(on.year, 12, 31)
    in_union = in_union_q(on)
    aggregates = {
        "members": Count("id", filter=in_union),
        "women": Count("id", filter=in_union & Q(gender="F")),
        "migrant_workers": Count("id", filter=in_union & Q(is_migrant_worker=True)),
        "retirees": Count("id", filter=in_union & (Q(is_retiree=True) | Q(status=Status.RETIRED))),
        "joined": Count("id", filter=Q(joined_on__range=(year_start, year_end))),
        "left": Count(
            "id",
            filter=Q(status__in=(Status.LEFT, Status.DECEASED), status_changed_on__range=(year_start, year_end)),
        ),
        "unknown_age": Count("id", filter=in_union & Q(birth_date__isnull=True)),
    }
    for key, _label, low, high in AGE_BANDS:
        aggregates[f"age_{key}"] = Count(
            "id", filter=in_union & Q(birth_date__range=birth_range_for_ages(low, high, on))
        )
    figures = subtree_members(unit).aggregate(**aggregates)
    headcount = unit.subtree_headcount()
    figures["headcount"] = headcount
    figures["membership_rate"] = share(figures["members"], headcount)
    figures["women_share"] = share(figures["women"], figures["members"])
    figures["age_bands"] = [
        {
            "key": key,
            "label": label,
            "count": figures[f"age_{key}"],
            "share": share(figures[f"age_{key}"], figures["members"]),
        }
        for key, label, _low, _high in AGE_BANDS
    ]
    figures["year"] = on.year
    return figures


def current_statistics(unit):
    """roster_statistics' figures for this year, read from the roll-ups (as of ``as_of``, a few
    seconds behind the roster): one query, whatever the size of the subtree. Ages are counted by
    year of birth (this year minus it), as the roll-ups keep them."""
    from rollups import read

    rolled = read.for_unit(unit, timezone.localdate().year)
    headcount = rolled.headcount
    bands = rolled.age_bands()
    return {
        "members": rolled.members,
        "women": rolled.women,
        "migrant_workers": rolled.migrants,
        "retirees": rolled.retirees,
        "joined": rolled.entered,
        "left": rolled.left,
        "unknown_age": rolled.unknown_age,
        "headcount": headcount,
        "membership_rate": share(rolled.members, headcount),
        "women_share": share(rolled.women, rolled.members),
        "age_bands": [
            {"key": key, "label": label, "count": bands[key], "share": share(bands[key], rolled.members)}
            for key, label, _low, _high in AGE_BANDS
        ],
        "year": rolled.year,
        "as_of": rolled.as_of,
    }


def statistics_by_child(unit, children):
    """Members, headcount and membership rate of each child's subtree, from the roll-ups (one query)."""
    from rollups import read

    if not children:
        return []
    rolled = read.for_units([c.pk for c in children], timezone.localdate().year)
    rows = []
    for child in children:
        members, headcount = rolled[child.pk].members, rolled[child.pk].headcount
        rows.append({"unit": child, "members": members, "headcount": headcount, "rate": share(members, headcount)})
    return rows


def share(part, whole):
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
