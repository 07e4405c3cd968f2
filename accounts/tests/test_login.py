import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse


def test_chair_logs_in_and_lands_on_the_unit_home(client, zhuxi):
    response = client.post(reverse("accounts:login"), {"username": "zhuxi", "password": "gonghui-demo"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("workbench:home")
    assert "城关镇中心学校工会" in response.content.decode()


def test_wrong_password_says_so_and_keeps_the_username(client, zhuxi):
    response = client.post(reverse("accounts:login"), {"username": "zhuxi", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="zhuxi"' in html
    assert "请输入一个正确的" in html  # Django's own message, in Chinese


def test_repeated_failures_lock_the_login(client, zhuxi):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "zhuxi", "password": "nope"})
    response = client.post(reverse("accounts:login"), {"username": "zhuxi", "password": "gonghui-demo"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_logout_needs_a_post_and_ends_the_session(client_for, zhuxi):
    client = client_for(zhuxi)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("workbench:home")).status_code == 302


def test_password_change(client_for, zhuxi):
    client = client_for(zhuxi)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "gonghui-demo", "new_password1": "Qinghe-2027-union", "new_password2": "Qinghe-2027-union"},
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=zhuxi.pk).check_password("Qinghe-2027-union")


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_in_production():
    assert settings.PASSWORD_HASHERS[-2] == "django.contrib.auth.hashers.Argon2PasswordHasher" or (
        "django.contrib.auth.hashers.Argon2PasswordHasher" in settings.PASSWORD_HASHERS
    )
    from django.contrib.auth.hashers import Argon2PasswordHasher

    assert Argon2PasswordHasher().encode("x", Argon2PasswordHasher().salt()).startswith("argon2$")


def test_a_refused_password_change_lists_what_to_fix_and_describes_each_box(client_for, zhuxi):
    from core.testing import undescribed

    page = client_for(zhuxi).post(reverse("accounts:password_change"), {}).content.decode()
    assert 'data-testid="error-summary"' in page and 'href="#id_old_password"' in page
    assert 'aria-invalid="true"' in page and 'id="id_old_password_error"' in page
    assert undescribed(page) == []
