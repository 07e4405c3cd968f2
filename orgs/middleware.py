from orgs.access import role_units
from orgs.models import OrgUnit

SESSION_KEY = "gonghui_unit"


def _switchable_units(user):
    """Units the user holds a role on, outermost first: the ones they can switch between."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(OrgUnit.objects.get_root_nodes().filter(is_active=True)[:50])
    return role_units(user)  # the same query the access rule reads the user's roles from


def _current_unit(request):
    units = request.switchable_units
    if not units:
        return None
    wanted = request.session.get(SESSION_KEY)
    for unit in units:
        if unit.pk == wanted:
            return unit
    return units[0]


class CurrentUnitMiddleware:
    """``request.unit``: the unit the user is working as, chosen among their roles' units."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.switchable_units = _switchable_units(request.user)
        request.unit = _current_unit(request)
        return self.get_response(request)
