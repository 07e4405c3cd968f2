"""Changes to the tree and to who acts on it. Each is one transaction and leaves history."""

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from orgs.models import OrgUnit, RoleAssignment
from rollups import registry
from rollups.refresh import touch


class OrgError(Exception):
    """A change the tree's rules forbid; the message is for the officer."""


def _check_kind(parent, kind):
    if kind not in parent.allowed_child_kinds:
        raise OrgError(
            _("%(parent)s下不能设立%(kind)s。")
            % {"parent": parent.get_kind_display(), "kind": OrgUnit(kind=kind).get_kind_display()}
        )


@transaction.atomic
def unit_add(*, parent, name, code, kind, short_name="", headcount=0):
    if not parent.is_active:
        raise OrgError(_("已停用的单位下不能新增下级单位。"))
    _check_kind(parent, kind)
    parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
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


@transaction.atomic
def unit_reactivate(*, unit):
    parent = OrgUnit.objects.get_parent(unit)
    if parent is not None and not parent.is_active:
        raise OrgError(_("上级单位已停用，请先启用上级单位。"))
    unit.is_active = True
    unit._change_reason = "reactivate"
    unit.save(update_fields=["is_active"])
    return unit


@transaction.atomic
def role_assign(*, unit, user, role):
    if not unit.is_active:
        raise OrgError(_("不能在已停用的单位上分配角色。"))
    assignment, created = RoleAssignment.objects.get_or_create(unit=unit, user=user, role=role)
    if not created:
        raise OrgError(_("%(user)s 已经是该单位的%(role)s。") % {"user": user, "role": assignment.get_role_display()})
    return assignment


@transaction.atomic
def role_remove(*, assignment):
    assignment.delete()
