"""A part of a page fetched after the session ended opens the login page, not the login page inside the part."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse


def test_a_card_fetched_after_the_session_ended_sends_the_whole_page_to_the_login(client, units):
    response = client.get(
        reverse("workbench:home_todos"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/plans/?year=2026",
    )
    assert response.status_code == 200 and response.content == b""
    login = urlsplit(response["HX-Redirect"])
    assert login.path == reverse("accounts:login")
    assert parse_qs(login.query)["next"] == ["/plans/?year=2026"]  # back to the page, not to the card


def test_a_button_pressed_after_the_session_ended_does_the_same(client, units):
    response = client.post(reverse("activities:register", args=[1]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert parse_qs(urlsplit(response["HX-Redirect"]).query)["next"] == ["/"]


def test_a_page_asked_for_without_htmx_is_still_redirected(client, units):
    response = client.get(reverse("workbench:home_todos"))
    assert response.status_code == 302 and "HX-Redirect" not in response
    assert urlsplit(response["Location"]).path == reverse("accounts:login")
