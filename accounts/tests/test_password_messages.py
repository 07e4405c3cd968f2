"""What the password rules say is said in the page's language: Django 5.2 reworded its too-short message
and its Chinese catalogue kept only the old wording, so a Chinese page said it in English."""

from conftest import PASSWORD
from core.testing import in_english


def test_a_too_short_new_password_is_refused_in_chinese(client_for, huiyuan):
    response = client_for(huiyuan).post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "Qh-26", "new_password2": "Qh-26"}
    )
    assert response.status_code == 200
    assert "密码太短了，至少要有 8 个字符。" in response.text
    assert "too short" not in response.text


def test_and_in_english_on_an_english_page(client_for, huiyuan):
    client = in_english(client_for(huiyuan))
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "Qh-26", "new_password2": "Qh-26"}
    )
    assert "This password is too short. It must contain at least 8 characters." in response.text
