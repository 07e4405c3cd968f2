"""Changes to the tree and to who acts on it. Each is one transaction and leaves history."""

import logging
import re
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core.errors import Refusal, refuse_together
from core.pinyin import full_pinyin
from orgs.access import has_permission_from_above, subtree_range
from orgs.models import OrgUnit, RoleAssignment, UnitKind, kind_in_sentence
from orgs.roles import INVITE_ROLES, Role
from rollups import registry
from rollups.refresh import touch

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)


class OrgError(Refusal):
    """A change the tree's rules forbid; the message is for the officer, ``field`` the form field it
    concerns (None: the whole form)."""


def _check_kind(parent, kind):
    if kind not in parent.allowed_child_kinds:
        raise OrgError(
            _("%(parent)s下不能设立%(kind)s。")
            % {"parent": kind_in_sentence(parent.kind), "kind": kind_in_sentence(kind)}
        )


def _check_unique_among_siblings(parent, *, name, short_name, unit=None):
    """Two units of one name (or short name) under the same parent read alike in every list and unit
    select, and a member filed under the wrong one is lost to her union. Deactivated siblings count:
    they may be re-enabled, and re-enabling one is what re-creating it under its name should be."""
    siblings = OrgUnit.objects.get_children(parent)
    if unit is not None:
        siblings = siblings.exclude(pk=unit.pk)

    def check(field, value):
        same = siblings.filter(**{field: value}).first() if value else None
        if same is not None:
            message = _("“%(parent)s”下已有名称或简称为“%(value)s”的单位，请换一个。") % {
                "parent": parent.name,
                "value": value,
            }
            if not same.is_active:
                message += _("（那个单位已停用，如是同一单位，请重新启用它。）")
            raise OrgError(message, field=field)

    refuse_together(lambda: check("name", name), lambda: check("short_name", short_name))


@transaction.atomic
def unit_add(*, parent, name, code, kind, short_name="", headcount=0):
    if not parent.is_active:
        raise OrgError(_("已停用的单位下不能新增下级单位。"))
    _check_kind(parent, kind)
    parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)  # siblings' names checked, then added
    _check_unique_among_siblings(parent, name=name, short_name=short_name)
    return OrgUnit.objects.add_child(
        parent, {"name": name, "short_name": short_name, "code": code, "kind": kind, "headcount": headcount}
    )


@transaction.atomic
def unit_move(*, unit, new_parent):
    """Move ``unit`` with its whole subtree below ``new_parent``.

    Records belong to units by id, so only the tree paths change and nothing is lost.
    """
    unit.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.path.startswith(unit.path):
        raise OrgError(_("不能把单位移到它自己或它的下级单位之下。"))
    if not new_parent.is_active:
        raise OrgError(_("不能移到已停用的单位之下。"))
    if OrgUnit.objects.get_parent(unit) == new_parent:
        raise OrgError(_("该单位已经在所选上级单位之下。"))
    _check_kind(new_parent, unit.kind)
    OrgUnit.objects.move(unit, new_parent, pos="last-child")
    unit.refresh_from_db()
    unit._change_reason = f"move:{new_parent.name}"
    unit.save()  # one history row that says where it went
    return unit


@transaction.atomic
def unit_deactivate(*, unit, by=None):
    """Deactivate ``unit`` and its subtree. Their records stay; roles on them lapse."""
    units = list(OrgUnit.objects.select_for_update().filter(path__startswith=unit.path, is_active=True))
    for each in units:
        each.is_active = False
    bulk_update_with_history(
        units, OrgUnit, ["is_active"], batch_size=500, default_change_reason="deactivate", default_user=by
    )
    # A bulk update sends no signal: their headcounts leave the roll-ups here.
    touch([each.pk for each in units], now=registry.in_transaction("orgs"))
    return len(units)


def unit_in_use(unit) -> dict[str, int]:
    """What still lives in ``unit``'s subtree and would be stranded by deactivating it: members in the
    union (their 会员 role lapses with the unit), plan items of this year or later still to do, and live
    registrations for activities not yet held, of the subtree's activities or its members."""
    from django.db.models import Q

    from activities.models import ACTIVE_REGISTRATION, Registration
    from activities.models import Status as ActivityStatus
    from members.models import Member
    from plans.models import ItemStatus, ScheduleItem

    subtree = subtree_range(unit.path)
    pending = [ItemStatus.PLANNED, ItemStatus.IN_PROGRESS, ItemStatus.POSTPONED]
    live = Registration.objects.filter(
        status__in=ACTIVE_REGISTRATION,
        activity__status__in=[ActivityStatus.DRAFT, ActivityStatus.OPEN, ActivityStatus.CLOSED],
    )
    return {
        "members": Member.objects.in_subtree(unit).in_union().count(),
        "items": ScheduleItem.objects.in_subtree(unit)
        .filter(status__in=pending, plan__year__gte=timezone.localdate().year)
        .count(),
        "registrations": live.filter(
            Q(activity__unit__path__range=subtree) | Q(member__unit__path__range=subtree)
        ).count(),
    }


@transaction.atomic
def unit_retire(*, unit, by):
    """An officer's deactivation of ``unit`` (unit_deactivate), refused while anything of unit_in_use
    remains: a member would lose her union, a plan item its owner, a registration its activity page. The
    officer moves or settles them first; nothing is moved for her, as where each belongs is her call."""
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()
    use = unit_in_use(unit)
    if any(use.values()):
        raise OrgError(
            _(
                "“%(name)s”及其下级单位还有 %(members)s 名在会会员、%(items)s 项未办结的计划事项、"
                "%(registrations)s 个未举办活动的报名，暂不能停用。请先把会员转到其他单位，把计划事项改由其他单位"
                "承办或办结、取消，待活动举办或取消报名后，再停用。"
            )
            % {"name": unit.name, **use}
        )
    return unit_deactivate(unit=unit, by=by)


@transaction.atomic
def unit_update(*, unit, changed):
    """Save the officer's edit of ``unit``'s own fields; its history row names the fields ``changed``."""
    parent = OrgUnit.objects.get_parent(unit)
    if parent is not None and {"name", "short_name"} & set(changed):
        parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
        _check_unique_among_siblings(parent, name=unit.name, short_name=unit.short_name, unit=unit)
    unit._change_reason = "fields:" + ",".join(changed)
    unit.save()
    return unit


@transaction.atomic
def unit_reactivate(*, unit):
    parent = OrgUnit.objects.get_parent(unit)
    if parent is not None and not parent.is_active:
        raise OrgError(_("上级单位已停用，请先启用上级单位。"))
    unit.is_active = True
    unit._change_reason = "reactivate"
    unit.save(update_fields=["is_active"])
    return unit


def _check_roles_open(unit):
    if not unit.is_active:
        raise OrgError(_("不能在已停用的单位上分配角色。"))


@transaction.atomic
def role_assign(*, unit, user, role):
    _check_roles_open(unit)
    if role == Role.MEMBER:
        raise OrgError(_("会员角色随会员名册中的会员信息而来，请在会员名册中办理。"), field="role")
    if role == Role.FEDERATION_VIEWER and unit.kind != UnitKind.FEDERATION:
        raise OrgError(_("上级查看只能分配在总工会上。"), field="role")
    assignment, created = RoleAssignment.objects.get_or_create(unit=unit, user=user, role=role)
    if not created:
        raise OrgError(
            _("%(user)s 已经是该单位的%(role)s。") % {"user": user, "role": assignment.get_role_display()},
            field="username",
        )
    return assignment


def may_remove(*, by, assignment) -> bool:
    """A chair's role is withdrawn only from the unit above: a co-chair could otherwise take the union
    over, and the last chair leave it with nobody to act for it."""
    return assignment.role != Role.CHAIR or has_permission_from_above(by, "orgs.assign_roles", assignment.unit)


@transaction.atomic
def role_remove(*, assignment, by):
    if not may_remove(by=by, assignment=assignment):
        raise OrgError(_("工会主席的角色只能由上级单位撤销，本单位的主席不能撤销自己或其他主席的角色。"))
    assignment.delete()


# --- Logins for new officers: opened by whoever assigns roles, the password set by the person alone.

# portal.services.account_for names members' logins m<member id>: an officer's login never takes one.
MEMBER_LOGIN = re.compile(r"^m\d+$", re.IGNORECASE)


def _login_taken(username: str) -> bool:
    return get_user_model().objects.filter(username__iexact=username).exists()


def login_from_name(full_name: str) -> str:
    """A free login name from the pinyin of ``full_name`` (刘晓梅: liuxiaomei, then liuxiaomei2 ...)."""
    base = re.sub(r"[^a-z0-9]", "", full_pinyin(full_name).lower())[:40] or "user"
    if MEMBER_LOGIN.match(base):
        base = f"{base}x"
    taken = {
        name.lower()
        for name in get_user_model().objects.filter(username__istartswith=base).values_list("username", flat=True)
    }
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


REINVITE_WAIT = timedelta(minutes=10)


def _check_not_just_invited(unit, full_name):
    """The same name given a login on ``unit`` minutes ago is the form sent twice (a double click, a
    reload), which opened wangxiaoming and wangxiaoming2 for one person. Namesakes are real, so only a
    short while is refused, and a login name typed for the namesake lets her through; the message says
    which login was opened."""
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()  # two submits wait for each other
    recent = (
        get_user_model()
        .objects.filter(
            full_name=full_name,
            date_joined__gte=timezone.now() - REINVITE_WAIT,
            assignments__unit=unit,
        )
        .order_by("-date_joined")
        .first()
    )
    if recent is not None:
        raise OrgError(
            _(
                "刚刚已为 %(name)s 开通账号（登录名 %(username)s）。如果是同一个人，无需再开通；"
                "如果是同名的另一个人，请填写一个登录名再开通。"
            )
            % {"name": full_name, "username": recent.username},
            field="full_name",
        )


def _check_phone_free(phone):
    if phone and get_user_model().objects.with_phone(phone).exists():
        # A phone on two logins signs neither in by phone (accounts.backends.PhoneBackend).
        raise OrgError(
            _("这个手机号已用于另一个账号。如果是同一个人，请让其告知登录名，在上方“分配角色”；否则请核对手机号。"),
            field="phone",
        )


def _check_login_free(username):
    """A login name typed for an officer (empty: one is made from the name's pinyin)."""
    if username and MEMBER_LOGIN.match(username):
        raise OrgError(_("“m加数字”形式的登录名留给会员账号使用，请换一个。"), field="username")
    if username and _login_taken(username):
        raise OrgError(
            _("登录名“%(username)s”已被使用，请换一个，或留空自动生成。") % {"username": username}, field="username"
        )


@transaction.atomic
def officer_invite(
    *, unit: OrgUnit, by: "User", full_name: str, role: str, phone: str = "", username: str = ""
) -> "User":
    """Open a login for someone who has none and give them ``role`` on ``unit``.

    The login has no usable password: the person sets one through their first-login link
    (accounts.welcome). ``username`` empty: one is made from the name's pinyin."""
    _check_roles_open(unit)
    if role not in INVITE_ROLES:
        raise OrgError(_("会员的账号请在“开通会员账号”中办理，由会员本人核对身份后开通。"), field="role")
    User = get_user_model()
    if not username:  # a login name typed again is refused as taken below
        _check_not_just_invited(unit, full_name)
    refuse_together(lambda: _check_phone_free(phone), lambda: _check_login_free(username))
    username = username or login_from_name(full_name)
    user = User(username=username, full_name=full_name, phone=phone)
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # taken between the check and the save
        raise OrgError(
            _("登录名“%(username)s”已被使用，请换一个，或留空自动生成。") % {"username": username}, field="username"
        ) from None
    assignment = RoleAssignment(unit=unit, user=user, role=role)
    assignment._history_user = by
    assignment._change_reason = "invite"  # the history's row says the login came with the role
    assignment.save()
    log.info("login %s opened for user %s on unit %s by user %s", username, user.pk, unit.pk, by.pk)
    return user


def links_renewable(*, by: "User", users) -> set[int]:
    """The ids of ``users`` whose first-login link ``by`` may renew: logins that await their first
    sign-in (User.awaits_first_login), not staff, not a member's (those open through the roster), and
    whose every role lies where ``by`` assigns roles: whoever sets the password gets all of the
    login's roles, so nobody may hand out a login that reaches beyond their own scope."""
    waiting = {user.pk for user in users if user.awaits_first_login() and not (user.is_staff or user.is_superuser)}
    if not waiting:
        return set()
    waiting -= set(get_user_model().objects.filter(pk__in=waiting, member__isnull=False).values_list("pk", flat=True))
    beyond = RoleAssignment.objects.filter(user_id__in=waiting).exclude(
        pk__in=RoleAssignment.objects.visible_to(by, "orgs.assign_roles").values("pk")
    )
    return waiting - set(beyond.values_list("user_id", flat=True))


@transaction.atomic
def officer_link_renew(*, user: "User", by: "User") -> "User":
    """Make way for a new first-login link for ``user``, the one sent before lapsing: a fresh unusable
    password changes what the tokens hash (accounts.welcome), so a lost link cannot be used later."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.pk not in links_renewable(by=by, users=[user]):
        raise OrgError(
            _("不能为 %(user)s 生成首次登录链接：账号已设置过密码或登录过，或在您分配角色的范围以外还有角色。")
            % {"user": user}
        )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    log.info("first-login link renewed for user %s by user %s", user.pk, by.pk)  # never the link itself
    return user
