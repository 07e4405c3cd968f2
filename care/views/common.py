"""What every care page shares: the unit worked as, the access helpers (404 outside one's reach)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from care.models import Household
from orgs.access import subtree_range
from orgs.models import OrgUnit


def care_units(request, unit, permission="care.manage"):
    """Units of ``unit``'s subtree the user may record care work on (for a form's unit choice)."""
    return OrgUnit.objects.visible_to(request.user, permission).filter(
        path__range=subtree_range(unit.path), is_active=True
    )


def get_household(request, pk, permission="care.view"):
    return get_object_or_404(
        Household.objects.visible_to(request.user, permission).current().select_related("unit", "member"), pk=pk
    )


def crumbs(*pairs):
    """Breadcrumbs under 帮扶关爱: (label, url) pairs, the last without a link."""
    trail = [{"label": _("帮扶关爱"), "url": reverse("care:index")}]
    trail += [{"label": label, "url": url} for label, url in pairs]
    return trail


def mask_name(name: str) -> str:
    """张三丰 -> 张**: what an export shows to a role that may not see names."""
    return name[:1] + "*" * (len(name) - 1) if name else ""
