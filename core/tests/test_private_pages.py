"""Signed-in pages stay out of browser caches: an office computer is shared, and the back button after
signing out must not bring back a roster with ID numbers and phones."""

import json
import re

from django.urls import reverse


def test_the_chairs_roster_and_hardship_pages_are_kept_by_no_cache(client_for, zhuxi, bangfu):
    for person, url in ((zhuxi, reverse("members:list")), (bangfu, reverse("care:index"))):
        response = client_for(person).get(url)
        assert response.status_code == 200
        cache_control = response.headers["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_a_signed_in_answer_that_says_its_own_caching_keeps_it(client_for, zhuxi, units):
    # The join poster's QR code only says where a public page is: public, for an hour, whoever fetches it.
    response = client_for(zhuxi).get(reverse("portal:join_qr", args=[units["school"].code]))
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_htmx_keeps_no_copy_of_a_page_in_the_browsers_storage(client_for, zhuxi):
    """The roster's search pushes its address into the history; htmx would keep a snapshot of the page in
    localStorage, which outlives signing out. None is kept: going back loads the page from the server."""
    html = client_for(zhuxi).get(reverse("members:list")).content.decode()
    config = json.loads(re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html).group(1))
    assert config["historyCacheSize"] == 0 and config["refreshOnHistoryMiss"] is True
