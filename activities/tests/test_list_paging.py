"""The activities list pages by keyset: every activity once, newest first, and a bounded page."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Status

COUNT = 70


def _make(units, zhuxi):
    start = timezone.now()
    Activity.objects.bulk_create(
        [
            Activity(
                unit=units["g1"] if n % 2 else units["school"],
                title=f"活动{n:03d}",
                starts_at=start - datetime.timedelta(days=n // 2),  # pairs share a time: ties by id
                status=Status.OPEN,
                created_by=zhuxi,
            )
            for n in range(COUNT)
        ]
    )


def _titles(html):
    return re.findall(r">(活动\d{3})</a>", html)


def _next(html):
    found = re.search(r'href="\?after=([^"&]+)"', html)
    return found and found[1].replace("%3A", ":").replace("%2B", "+").replace("%7E", "~")


def test_following_next_shows_every_activity_once_newest_first(client_for, zhuxi, units):
    _make(units, zhuxi)
    client = client_for(zhuxi)
    seen, params = [], {}
    for _page in range(5):
        html = client.get(reverse("activities:list"), params).content.decode()
        seen += _titles(html)
        after = _next(html)
        if not after:
            break
        params = {"after": after}
    expected = list(Activity.objects.order_by("-starts_at", "-id").values_list("title", flat=True))
    assert seen == expected and len(seen) == COUNT


def test_previous_goes_back_to_the_first_page(client_for, zhuxi, units):
    _make(units, zhuxi)
    client = client_for(zhuxi)
    first = client.get(reverse("activities:list")).content.decode()
    second = client.get(reverse("activities:list"), {"after": _next(first)})
    before = second.context["page"].previous_cursor
    back = client.get(reverse("activities:list"), {"before": before}).content.decode()
    assert _titles(back) == _titles(first)


def test_a_page_reads_a_bounded_number_of_queries(client_for, zhuxi, units, django_assert_max_num_queries):
    _make(units, zhuxi)
    client = client_for(zhuxi)
    client.get(reverse("activities:list"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("activities:list"))
    assert len(response.context["page"]) == 30
    assert response.context["page"].count == COUNT


def test_a_bad_cursor_shows_the_first_page(client_for, zhuxi, units):
    _make(units, zhuxi)
    response = client_for(zhuxi).get(reverse("activities:list"), {"after": "not-a-cursor"})
    assert response.status_code == 200 and len(response.context["page"]) == 30
