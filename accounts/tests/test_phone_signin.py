"""A member signs in with her mobile number, though her login is not named after it."""

from django.contrib.auth import authenticate, get_user_model


def make(username, phone, password="Hongqi-2026-gh"):
    user = get_user_model().objects.create_user(username=username, password=password, phone=phone)
    return user


def test_a_login_is_found_by_its_phone_and_its_password_checked(db):
    user = make("m17", "13831500101")
    assert authenticate(username="13831500101", password="Hongqi-2026-gh") == user
    assert authenticate(username="13831500101", password="wrong") is None
    assert authenticate(username="m17", password="Hongqi-2026-gh") == user


def test_a_number_two_logins_share_signs_neither_in(db):
    make("m1", "13831500101")
    make("m2", "13831500101")
    assert authenticate(username="13831500101", password="Hongqi-2026-gh") is None
