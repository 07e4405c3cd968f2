"""What every democracy page shares: today's date, the union a person belongs to, and a
small helper to show a service's refusal on the page."""

from django.contrib import messages
from django.http import Http404
from django.utils import timezone

from orgs.access import has_permission
from orgs.models import OrgUnit, UnitKind

MANAGE = "democracy.manage"
VIEW = "democracy.view"


def today():
    return timezone.localdate()


def union_of(unit):
    """The union (or federation) a unit belongs to: where its congress, board and box are."""
    if unit.kind in (UnitKind.UNION, UnitKind.FEDERATION):
        return unit
    for ancestor in reversed(OrgUnit.objects.get_ancestors(unit)):
        if ancestor.kind in (UnitKind.UNION, UnitKind.FEDERATION):
            return ancestor
    return unit


def home_union(request):
    """The union whose democracy pages the person is looking at; 404 for someone without a unit."""
    if request.unit is None:
        raise Http404
    return union_of(request.unit)


def require(user, permission, unit):
    """404, never 403: a page one may not use is a page that is not there."""
    if not has_permission(user, permission, unit):
        raise Http404


def refused(request, error):
    messages.error(request, error.message)
