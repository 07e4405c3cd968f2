from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.figures import home_cards
from orgs.access import permissions_on


@login_required
def home(request):
    """The current unit's home page: figures and to-dos contributed by every app."""
    unit = request.unit
    context = {"unit": unit}
    if unit is not None:
        context["cards"] = home_cards(request, unit)
        context["perms"] = permissions_on(request.user, unit)
    return render(request, "core/home.html", context)
