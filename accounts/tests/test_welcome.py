"""The first-login link (accounts.welcome): the person an officer opened a login for sets their own
password with it, once, and is signed in. orgs/tests/test_officer_invite.py walks the whole flow."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.welcome import welcome_path
from core.testing import in_english, untranslated

PASSWORD = "Qinghe-2027-union"


def opened(username="liuxiaomei", full_name="刘晓梅"):
    """A login as orgs.services.officer_invite leaves it: active, no usable password, never signed in."""
    user = get_user_model()(username=username, full_name=full_name)
    user.set_unusable_password()
    user.save()
    return user


def open_link(client, path):
    """The page the link leads to (Django moves the token out of the address first)."""
    return client.get(path, follow=True)


def test_the_link_greets_the_person_by_name_and_login_and_signs_them_in(client, db):
    person = opened()
    page = open_link(client, welcome_path(person))
    html = page.content.decode()
    assert "设置密码，开通账号" in html and "刘晓梅" in html and "liuxiaomei" in html
    assert page.redirect_chain and "set-password" in page.redirect_chain[-1][0]  # no token in the address

    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("workbench:home")
    assert "密码已设置，欢迎使用。您的登录名是 liuxiaomei，以后用它和新密码登录。" in response.content.decode()
    person.refresh_from_db()
    assert person.has_usable_password() and person.last_login is not None


def test_a_weak_or_mistyped_password_is_refused_on_the_page(client, db):
    person = opened()
    page = open_link(client, welcome_path(person))
    response = client.post(page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": "other"})
    assert response.status_code == 200 and response.context["form"].errors["new_password2"]
    response = client.post(page.redirect_chain[-1][0], {"new_password1": "liuxiaomei", "new_password2": "liuxiaomei"})
    assert response.context["form"].errors["new_password2"]
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_a_forged_or_spent_link_says_what_to_do(client, db):
    person = opened()
    path = welcome_path(person)
    forged = path.rstrip("/").rsplit("/", 1)[0] + "/abc-123/"
    for address in (forged, reverse("accounts:welcome", args=["Zm9v", "abc-123"])):
        html = open_link(Client(), address).content.decode()
        assert "链接已失效" in html and "重新生成" in html

    person.set_password(PASSWORD)  # set by any way: the link lapses
    person.save()
    assert "链接已失效" in open_link(client, path).content.decode()


def test_a_link_lapses_once_the_person_has_signed_in(client, db):
    person = opened()
    path = welcome_path(person)
    Client().force_login(person)  # last_login is part of what the token hashes
    assert "链接已失效" in open_link(client, path).content.decode()


def test_a_deactivated_login_cannot_come_back_through_its_link(client, db):
    person = opened()
    path = welcome_path(person)
    person.is_active = False
    person.save()
    assert "链接已失效" in open_link(client, path).content.decode()


def test_the_welcome_pages_read_in_english(client, db):
    person = opened(full_name="Liu")
    in_english(client)
    page = open_link(client, welcome_path(person))
    assert "Set your password" in page.content.decode()
    assert untranslated(page.content.decode()) == []
    spent = open_link(client, reverse("accounts:welcome", args=["Zm9v", "abc-123"])).content.decode()
    assert untranslated(spent) == []
