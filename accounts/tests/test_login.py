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
    # In the page's words (登录名, not Django's 用户名), with the phone a member may type and the lock ahead.
    assert "登录名或密码不正确（会员也可以用名册上的手机号作登录名）。连续输错 5 次，账号将暂时锁定。" in html


def test_repeated_failures_lock_the_login(client, zhuxi):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "zhuxi", "password": "nope"})
    response = client.post(reverse("accounts:login"), {"username": "zhuxi", "password": "gonghui-demo"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "请 15 分钟后再试" in response.content.decode()


def test_the_lock_page_says_the_wait_the_site_is_set_to(client, zhuxi, settings):
    settings.AXES_COOLOFF_TIME = 0.5  # hours
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "zhuxi", "password": "nope"})
    response = client.post(reverse("accounts:login"), {"username": "zhuxi", "password": "gonghui-demo"})
    assert "请 30 分钟后再试" in response.content.decode()


def test_the_login_page_says_what_to_do_about_a_forgotten_password(client, settings):
    settings.SMS_BACKEND = ""
    settings.SMS_GATEWAY_URL = ""
    settings.DEBUG = False
    page = client.get(reverse("accounts:login")).content.decode()
    assert "忘记密码？" in page and "为您生成重设密码的链接" in page
    assert "短信验证码登录后" not in page  # no SMS on this site: no sign-in by code to point to
    settings.SMS_BACKEND = "portal.sms.memory"
    page = client.get(reverse("accounts:login")).content.decode()
    assert "短信验证码登录后" in page
    assert "重新设置密码。 " not in page and "重新设置密码。\n" not in page  # no stray space before the next sentence


def test_a_wrong_password_on_an_english_page_says_so_in_english(client, zhuxi):
    from core.testing import in_english

    response = in_english(client).post(reverse("accounts:login"), {"username": "zhuxi", "password": "nope"})
    assert "Wrong username or password" in response.content.decode()


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


def test_a_page_opened_signed_out_leads_to_the_login_saying_why(client, zhuxi, units):
    response = client.get(reverse("orgs:detail", args=[units["school"].pk]), follow=True)
    html = response.content.decode()
    assert 'data-testid="login-needed"' in html and "请先登录。登录后会打开您刚才要去的页面。" in html
    signed_in = client.post(
        response.redirect_chain[-1][0],
        {"username": "zhuxi", "password": "gonghui-demo", "next": response.context["next"]},
    )
    assert signed_in.url == reverse("orgs:detail", args=[units["school"].pk])


def test_opening_the_site_itself_shows_the_login_without_a_reason(client):
    html = client.get(reverse("workbench:home"), follow=True).content.decode()
    assert 'data-testid="login-needed"' not in html


def test_signing_out_says_so_on_the_login_page(client_for, zhuxi):
    client = client_for(zhuxi)
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "已退出登录。" in response.content.decode()
    assert not response.context["user"].is_authenticated
