"""What every care page shares: the unit worked as, the access helpers (404 outside one's reach)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from care.models import Household
from core import sheets
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


def imported(form, importer, *, unit, user, empty):
    """The sheet on a valid SheetForm imported for ``unit`` within the request (core.sheets.import_upload):
    the result, written or naming the bad rows; or None with the reason on the form's file field (a file
    that cannot be read, too long for a page, or a header without rows: ``empty``)."""
    try:
        result = sheets.import_upload(
            importer, form.cleaned_data["file"], unit=unit, user=user, context={"today": timezone.localdate()}
        )
    except sheets.ImportFileError as error:
        form.add_error("file", str(error))
        return None
    if result.written and not (result.created or result.updated or result.unchanged):
        form.add_error("file", empty)
        return None
    return result


def crumbs(*pairs):
    """Breadcrumbs under 帮扶关爱: (label, url) pairs, the last without a link."""
    trail = [{"label": _("帮扶关爱"), "url": reverse("care:index")}]
    trail += [{"label": label, "url": url} for label, url in pairs]
    return trail


def mask_name(name: str) -> str:
    """张三丰 -> 张**: what an export shows to a role that may not see names."""
    return name[:1] + "*" * (len(name) - 1) if name else ""
