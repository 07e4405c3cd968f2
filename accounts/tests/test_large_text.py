"""The 大字版 switch goes back to the page it was pressed on, and only to a page of this site."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "asked, landed",
    [
        ("/plans/?year=2026", "/plans/?year=2026"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("NaN", "/"),  # a bare word: redirect() would look it up as a view's name
        ("plans:list", "/"),
        ("", "/"),
    ],
)
def test_the_switch_returns_to_a_page_of_this_site_only(client_for, zhuxi, asked, landed):
    response = client_for(zhuxi).post(reverse("accounts:large_text"), {"large_text": "1", "next": asked})
    assert response.status_code == 302 and response.url == landed
    zhuxi.refresh_from_db()
    assert zhuxi.large_text
