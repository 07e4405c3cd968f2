from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page=None):
    """A page of ``queryset`` for ``?page=``; out-of-range pages show the last page."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
