"""The one rule of access: a role on a unit covers the unit's subtree.

``scope_paths(user, permission)`` is the whole rule; the QuerySet methods built on it
(``OrgUnit.objects.visible_to`` and ``UnitScopedQuerySet.visible_to``) are what every
view, export and API endpoint calls. Nothing filters by unit by hand.
"""

from django.db import models
from django.db.models import Q

from core.prefixes import prefix_range
from orgs.roles import BELOW_PERMISSIONS, ROLE_PERMISSIONS, roles_below_with, roles_with

EVERYTHING = None  # what scope_paths returns for a superuser


class Below(str):
    """A scope path that covers the units below the unit at that path but not the unit itself
    (orgs.roles.BELOW_PERMISSIONS). Compare and test it with the functions here, not as a plain path."""


def _covers(scope, path):
    """Does ``scope`` (a path, or a Below) cover the unit at ``path``?"""
    return path.startswith(scope) and not (isinstance(scope, Below) and path == scope)


def _unit_roles(user):
    """(unit, role) pairs of the user's active assignments, read once per request: the access rule
    and the middleware's choice of units (orgs.middleware) share the one query."""
    cached = getattr(user, "_gonghui_assignments", None)
    if cached is None:
        from orgs.models import RoleAssignment

        # Unordered: every reader sorts or collects what it needs (the model's ordering would make the
        # database sort on the unit's path on every request of every user).
        rows = RoleAssignment.objects.filter(user=user, unit__is_active=True).select_related("unit").order_by()
        cached = [(row.unit, row.role) for row in rows]
        user._gonghui_assignments = cached
    return cached


def _assignments(user):
    """(unit path, role) pairs of the user's active assignments."""
    return [(unit.path, role) for unit, role in _unit_roles(user)]


def role_units(user):
    """The units the user holds a role on, outermost first (each once)."""
    units = {unit.pk: unit for unit, _role in _unit_roles(user)}
    return sorted(units.values(), key=lambda unit: (unit.depth, unit.path))


def roles_of(user) -> set:
    """The roles the user holds, on any unit (from the assignments already read for the request)."""
    return {role for _unit, role in _unit_roles(user)} if user.is_authenticated else set()


def units_with(user, permission):
    """The units where ``user`` holds a role granting ``permission`` (not the units below them),
    in tree order (a superuser: those assigned only). Read from the assignments already
    loaded for the request: a to-do source that finds none asks the database nothing."""
    if not user.is_authenticated:
        return []
    roles = set(roles_with(permission))
    units = {unit.pk: unit for unit, role in _unit_roles(user) if role in roles}
    return sorted(units.values(), key=lambda unit: unit.path)


def forget_assignments(user):
    """Drop what was read, after the user's roles changed in this request."""
    user.__dict__.pop("_gonghui_assignments", None)


def _outermost(paths):
    """Paths without those already covered by a shorter one (a subtree of a subtree); a unit's own
    path covers what lies below it (a Below of the same path), never the other way round."""
    kept = []
    # Sorted by path, and a plain path before a Below of the same path; Below hashes as its path, so
    # the pairs keep both apart.
    for path, below in sorted({(str(p), isinstance(p, Below)) for p in paths}):
        if not any(path.startswith(k) if below else _covers(k, path) for k in kept):
            kept.append(Below(path) if below else path)
    return kept


def scope_paths(user, permission):
    """Tree paths whose subtrees ``user`` may act on with ``permission``.

    Returns EVERYTHING (None) for an active superuser and [] for nobody.
    """
    roles, below = set(roles_with(permission)), set(roles_below_with(permission))
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return EVERYTHING
    return _outermost(
        path if role in roles else Below(path) for path, role in _assignments(user) if role in roles | below
    )


def subtree_range(path):
    """Bounds of every path in the subtree at ``path`` (paths are 0-9A-Z, at most 255 long)."""
    return prefix_range(path, 255, top="Z")


def subtree_q(paths, field="path"):
    """A Q matching rows whose ``field`` (a unit's path) lies in one of the subtrees."""
    condition = Q(pk__in=[])
    for path in paths:
        low, high = subtree_range(path)
        # Below a unit: every path longer than its own, which sorts after it + "0" (paths are 0-9A-Z).
        condition |= Q(**{f"{field}__range": (low + "0" if isinstance(path, Below) else low, high)})
    return condition


def ancestor_paths(paths):
    """Paths of every unit above those at ``paths`` (from the root down, without the units themselves)."""
    from orgs.models import OrgUnit

    steplen = OrgUnit.steplen
    return sorted({path[:end] for path in paths for end in range(steplen, len(path), steplen)})


def has_permission(user, permission, unit=None):
    """May ``user`` use ``permission`` on ``unit`` (or anywhere, when unit is None)?"""
    paths = scope_paths(user, permission)
    if paths is EVERYTHING:
        return True
    if unit is None:
        return bool(paths)
    return any(_covers(p, unit.path) for p in paths)


def has_permission_below(user, permission, unit):
    """May ``user`` use ``permission`` on every unit below ``unit`` (add one under it, move or
    deactivate one of its children)? A role on ``unit`` that acts only below it counts."""
    paths = scope_paths(user, permission)
    if paths is EVERYTHING:
        return True
    return any(unit.path.startswith(p) for p in paths)


def has_permission_from_above(user, permission, unit):
    """Does ``user`` hold ``permission`` on ``unit`` through a role on a unit above it, not on the
    unit itself? What the unit's own officers may not do to it (remove its chair) the unit above may."""
    paths = scope_paths(user, permission)
    if paths is EVERYTHING:
        return True
    return any(unit.path.startswith(p) and unit.path != p for p in paths)


def current_unit_or_404(request, permission):
    """The unit the user works as (``request.unit``), when they hold ``permission`` on it; else 404.

    Pages that list the current unit's work start here, so a unit switched to, or a role lost,
    answers 404 the same way everywhere.
    """
    from django.http import Http404

    unit = getattr(request, "unit", None)
    if unit is None or not has_permission(request.user, permission, unit):
        raise Http404
    return unit


def permissions_on(user, unit):
    """All permissions ``user`` holds on ``unit``, for showing the right buttons."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        from orgs.roles import PERMISSIONS

        return frozenset(PERMISSIONS)
    granted = set()
    for path, role in _assignments(user):
        if unit.path.startswith(path):
            granted |= ROLE_PERMISSIONS.get(role, frozenset())
            if unit.path != path:
                granted |= BELOW_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


class ScopedQuerySetMixin:
    """``visible_to`` for any QuerySet whose rows lie at a tree path (``path_field``)."""

    path_field = "unit__path"

    def visible_to(self, user, permission):
        paths = scope_paths(user, permission)
        if paths is EVERYTHING:
            return self
        if not paths:
            return self.none()
        return self.filter(subtree_q(paths, self.path_field))

    def in_subtree(self, unit):
        """Rows of ``unit`` and every unit below it."""
        return self.filter(**{f"{self.path_field}__range": subtree_range(unit.path)})


class UnitScopedQuerySet(ScopedQuerySetMixin, models.QuerySet):
    """For every model whose rows belong to a unit through a ``unit`` foreign key."""
