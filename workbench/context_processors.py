from accounts.views import large_text_enabled
from core.navigation import modules
from orgs.access import has_permission


def layout(request):
    """What the shared layout needs: the modules this user may open and the current unit."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"large_text": large_text_enabled(request)}
    match = getattr(request, "resolver_match", None)
    unit = getattr(request, "unit", None)
    return {
        # Every module lists the current unit's work: with no unit (a new site's administrator, a login
        # without a role) the menu offers nothing that would only answer 404.
        "nav_modules": [m for m in modules() if has_permission(user, m.permission)] if unit is not None else [],
        "active_module": match.app_name if match else "",
        "current_unit": unit,
        "switchable_units": getattr(request, "switchable_units", []),
        "large_text": large_text_enabled(request),
    }
