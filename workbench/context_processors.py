from django.conf import settings
from django.utils import translation

from accounts.views import large_text_enabled
from core.navigation import modules
from orgs.access import has_permission


def _menu_breakpoint(large_text):
    """Bootstrap's width from which the menu bar spreads out (below it the menu folds behind its button).
    The menu fits a laptop's 1,200 px, in 大字版 too, in Chinese; English words are about twice as wide, and
    in 大字版 English the bar would run off the page's right end below 1,400 px."""
    wide = large_text and translation.get_language() != settings.LANGUAGE_CODE
    return "xxl" if wide else "xl"


def layout(request):
    """What the shared layout needs: the modules this user may open and the current unit."""
    user = getattr(request, "user", None)
    large_text = large_text_enabled(request)
    if user is None or not user.is_authenticated:
        return {"large_text": large_text, "menu_breakpoint": _menu_breakpoint(large_text)}
    match = getattr(request, "resolver_match", None)
    unit = getattr(request, "unit", None)
    return {
        # Every module lists the current unit's work: with no unit (a new site's administrator, a login
        # without a role) the menu offers nothing that would only answer 404.
        "nav_modules": [m for m in modules() if any(has_permission(user, p) for p in m.permissions)]
        if unit is not None
        else [],
        "active_module": match.app_name if match else "",
        "current_unit": unit,
        "switchable_units": getattr(request, "switchable_units", []),
        # API tokens serve officers' own tools (a federation's statistics, a union's spreadsheet); a member's
        # menu stays free of what she has no use for (the page itself stays open to her by address).
        "offers_api_tokens": has_permission(user, "orgs.view"),
        "large_text": large_text,
        "menu_breakpoint": _menu_breakpoint(large_text),
    }
