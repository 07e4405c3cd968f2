"""Reads shared by pages, exports and the API: what of a round a person may see."""

from django.db.models import Q

from assessments.models import Round, RoundStatus, SelfCheck
from orgs.access import EVERYTHING, ancestor_paths, has_permission, scope_paths


def round_checks(user, round_):
    """The self-checks of ``round_`` the user may read: their own unit's, or those submitted to them."""
    return (
        SelfCheck.objects.visible_to(user, "assessments.view")
        .filter(round=round_)
        .select_related("unit")
        .order_by("unit__path")
    )


def takes_part(user, round_) -> bool:
    """Does the user act for a unit with a self-check in ``round_``?"""
    paths = scope_paths(user, "assessments.view")
    if paths is EVERYTHING:
        return True
    return bool(paths) and round_.checks.filter(unit__path__in=paths).exists()


def ranking(user, round_):
    """The ranking of a round in its 公示 or closed: for the organizer, and for the units that took part."""
    if round_.status == RoundStatus.OPEN:
        return SelfCheck.objects.none()
    if not (has_permission(user, "assessments.view", round_.unit) or takes_part(user, round_)):
        return SelfCheck.objects.none()
    return round_.checks.filter(rank__isnull=False).select_related("unit").order_by("rank", "unit__path")


def titles_held(user, *, today):
    """Titles the user's units hold (not expired), newest first."""
    return (
        SelfCheck.objects.visible_to(user, "assessments.view")
        .filter(awarded_on__isnull=False, expires_on__gte=today)
        .select_related("unit", "round")
        .order_by("-awarded_on")
    )


def rounds_for(user, unit):
    """Rounds organized at ``unit`` or above it that ``unit`` may take part in."""
    return (
        Round.objects.visible_to(user, "assessments.view")
        .filter(Q(unit=unit) | Q(unit__path__in=ancestor_paths([unit.path])))
        .select_related("unit", "scheme")
    )
