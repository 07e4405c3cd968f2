from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page=None):
    """A page of ``queryset`` for ``?page=``; out-of-range pages show the last page."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


CHILDREN_PER_PAGE = 50


def children_page(request, unit):
    """A page of ``unit``'s children for a table of figures per unit below (``?page=``): a county of 300
    unions reads all of them page by page, not the first few with nothing said of the rest."""
    from orgs.models import OrgUnit

    return paginate(request, OrgUnit.objects.get_children(unit), CHILDREN_PER_PAGE)
