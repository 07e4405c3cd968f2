"""A member signs in with her mobile number, though her login is not named after it."""

from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory


def sign_in(username, password):
    # django-axes wants the request it counts failures against.
    return authenticate(RequestFactory().post("/accounts/login/"), username=username, password=password)


def make(username, phone, password="Hongqi-2026-gh"):
    return get_user_model().objects.create_user(username=username, password=password, phone=phone)


def test_a_login_is_found_by_its_phone_and_its_password_checked(db):
    user = make("m17", "13831500101")
    assert sign_in("13831500101", "Hongqi-2026-gh") == user
    assert sign_in("13831500101", "wrong") is None
    assert sign_in("m17", "Hongqi-2026-gh") == user


def test_a_number_two_logins_share_signs_neither_in(db):
    make("m1", "13831500101")
    make("m2", "13831500101")
    assert sign_in("13831500101", "Hongqi-2026-gh") is None
