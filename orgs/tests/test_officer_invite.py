"""为新人开通账号: an officer opens a login for someone who has none (a new chair, a committee member),
gives it a role, and sends the person a first-login link; the person alone sets the password."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from conftest import make_person
from orgs.models import OrgUnit, RoleAssignment
from orgs.roles import Role

User = get_user_model()
NEW_PASSWORD = "Qinghe-2027-union"


def invite(client, unit, **fields):
    data = {"invite-full_name": "", "invite-phone": "", "invite-username": "", "invite-role": ""}
    data.update({f"invite-{name}": value for name, value in fields.items()})
    return client.post(reverse("orgs:role_invite", args=[unit.pk]), data)


def shown_link(client, unit):
    """The first-login link the roles page shows once after an account was opened (or None)."""
    welcome = client.get(reverse("orgs:roles", args=[unit.pk])).context.get("welcome")
    return welcome["url"] if welcome else None


def set_password(link, password=NEW_PASSWORD):
    """A fresh browser (the person's phone) opens the link and sets a password; returns it and the answer."""
    phone = Client()
    form_page = phone.get(link, follow=True)
    response = phone.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
        follow=True,
    )
    return phone, response


def test_chair_opens_an_account_for_a_committee_member_who_sets_a_password_and_signs_in(client_for, zhuxi, units):
    client = client_for(zhuxi)
    response = invite(client, units["g1"], full_name="刘晓梅", phone="138 0013 8000", role=Role.COMMITTEE)
    assert response.status_code == 302

    person = User.objects.get(full_name="刘晓梅")
    assert person.username == "liuxiaomei"  # from the name's pinyin
    assert person.phone == "13800138000"
    assert person.is_active and not person.has_usable_password()
    assignment = RoleAssignment.objects.get(user=person)
    assert (assignment.unit, assignment.role) == (units["g1"], Role.COMMITTEE)
    created = assignment.history.get()
    assert created.history_user == zhuxi and created.history_change_reason == "invite"

    page = client.get(reverse("orgs:roles", args=[units["g1"].pk]))
    html = page.content.decode()
    link = page.context["welcome"]["url"]
    assert link.startswith("http://testserver/accounts/welcome/")
    assert "首次登录链接" in html and link in html and "liuxiaomei" in html
    assert "链接 3 天内有效" in html  # settings.PASSWORD_RESET_TIMEOUT, in days
    assert "no-store" in page["Cache-Control"]
    assert shown_link(client, units["g1"]) is None  # shown once

    phone, signed_in = set_password(link)
    assert signed_in.redirect_chain[-1][0] == reverse("workbench:home")
    assert "您的登录名是 liuxiaomei" in signed_in.content.decode()
    # the role works: the new committee member sees her group, not the rest of the school
    assert phone.get(reverse("orgs:detail", args=[units["g1"].pk])).status_code == 200
    assert phone.get(reverse("orgs:detail", args=[units["school"].pk])).status_code == 404

    again = Client().get(link, follow=True)
    assert "链接已失效" in again.content.decode()
    assert (
        Client().post(reverse("accounts:login"), {"username": "liuxiaomei", "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_chair_names_the_login_of_a_groups_new_chair(client_for, zhuxi, units):
    response = invite(client_for(zhuxi), units["g2"], full_name="刘晓梅", username="liuxm", role=Role.CHAIR)
    assert response.status_code == 302
    person = User.objects.get(username="liuxm")
    assert RoleAssignment.objects.filter(user=person, unit=units["g2"], role=Role.CHAIR).exists()
    assert person.phone == ""


def test_a_second_liu_xiaomei_gets_a_numbered_login_name(client_for, zhuxi, units):
    make_person("liuxiaomei", "刘晓梅")
    make_person("liuxiaomei2", "刘小妹")
    invite(client_for(zhuxi), units["g1"], full_name="刘晓梅", role=Role.COMMITTEE)
    assert User.objects.filter(username="liuxiaomei3", full_name="刘晓梅").exists()


@pytest.mark.parametrize("taken", ["xiaozu", "XiaoZu"])
def test_a_taken_login_name_is_refused_on_its_field_keeping_the_input(client_for, zhuxi, xiaozu, units, taken):
    response = invite(
        client_for(zhuxi), units["g1"], full_name="刘晓梅", phone="13800138000", username=taken, role=Role.COMMITTEE
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["invite_form"].errors["username"] == [
        f"登录名“{taken}”已被使用，请换一个，或留空自动生成。"
    ]
    assert 'value="刘晓梅"' in html and 'value="13800138000"' in html and f'value="{taken}"' in html
    assert not User.objects.filter(full_name="刘晓梅").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"full_name": "", "role": Role.COMMITTEE}, "full_name"),
        ({"full_name": "刘晓梅", "phone": "12345", "role": Role.COMMITTEE}, "phone"),
        ({"full_name": "刘晓梅", "username": "liu xm!", "role": Role.COMMITTEE}, "username"),
        ({"full_name": "刘晓梅", "username": "m1024", "role": Role.COMMITTEE}, "username"),  # members' logins
        ({"full_name": "刘晓梅"}, "role"),  # no role is preselected
        ({"full_name": "刘晓梅", "role": Role.MEMBER}, "role"),  # members open theirs from the roster
    ],
)
def test_bad_input_is_named_on_its_field_and_the_form_keeps_the_values(client_for, zhuxi, units, fields, field):
    response = invite(client_for(zhuxi), units["g1"], **fields)
    assert response.status_code == 200
    assert field in response.context["invite_form"].errors
    if fields["full_name"]:
        assert 'value="刘晓梅"' in response.content.decode()
    assert not User.objects.filter(full_name="刘晓梅").exists()


def test_a_phone_already_on_a_login_is_refused(client_for, zhuxi, units):
    existing = make_person("liuxm", "刘晓梅")
    existing.phone = "13800138000"
    existing.save()
    response = invite(client_for(zhuxi), units["g1"], full_name="刘晓梅", phone="13800138000", role=Role.COMMITTEE)
    assert "这个手机号已用于另一个账号" in response.context["invite_form"].errors["phone"][0]
    assert User.objects.filter(full_name="刘晓梅").count() == 1


def test_a_phone_and_a_login_name_both_taken_are_said_together(client_for, zhuxi, units):
    existing = make_person("liuxm", "刘晓梅")
    existing.phone = "13800138000"
    existing.save()
    response = invite(
        client_for(zhuxi), units["g1"], full_name="刘晓梅", phone="13800138000", username="liuxm", role=Role.COMMITTEE
    )
    errors = response.context["invite_form"].errors
    assert "这个手机号已用于另一个账号" in errors["phone"][0]
    assert errors["username"] == ["登录名“liuxm”已被使用，请换一个，或留空自动生成。"]
    assert User.objects.filter(full_name="刘晓梅").count() == 1


@pytest.mark.parametrize(
    ("persona", "unit"), [("outsider", "g1"), ("xianzong", "county"), ("weiyuan", "g1"), ("xiaozu", "g1")]
)
def test_only_who_assigns_roles_on_the_unit_opens_accounts_there(request, client_for, units, persona, unit):
    """The county's officer opens accounts below the county (orgs.roles.BELOW_PERMISSIONS), not on it."""
    client = client_for(request.getfixturevalue(persona))
    assert invite(client, units[unit], full_name="刘晓梅", role=Role.COMMITTEE).status_code == 404
    assert not User.objects.filter(full_name="刘晓梅").exists()


def test_another_unions_officer_cannot_renew_a_link(client_for, zhuxi, outsider, units):
    invite(client_for(zhuxi), units["g1"], full_name="刘晓梅", role=Role.COMMITTEE)
    assignment = RoleAssignment.objects.get(user__full_name="刘晓梅")
    other = Client()
    other.force_login(outsider)
    assert other.post(reverse("orgs:role_link_renew", args=[assignment.pk])).status_code == 404


def test_a_deactivated_unit_takes_no_new_accounts(client_for, zhuxi, units):
    OrgUnit.objects.filter(pk=units["g2"].pk).update(is_active=False)
    client = client_for(zhuxi)
    page = client.get(reverse("orgs:roles", args=[units["g2"].pk])).content.decode()
    assert "本单位已停用" in page and "开通账号并分配角色" not in page
    response = invite(client, units["g2"], full_name="刘晓梅", role=Role.COMMITTEE)  # a page opened before
    assert response.status_code == 302
    assert "不能在已停用的单位上分配角色。" in client.get(response["Location"]).content.decode()
    assert not User.objects.filter(full_name="刘晓梅").exists()  # the login went with the refused role


def test_a_lost_link_is_replaced_and_the_old_one_stops_working(client_for, zhuxi, units):
    client = client_for(zhuxi)
    invite(client, units["g1"], full_name="刘晓梅", role=Role.COMMITTEE)
    lost = shown_link(client, units["g1"])
    assignment = RoleAssignment.objects.get(user__full_name="刘晓梅")

    page = client.get(reverse("orgs:roles", args=[units["g1"].pk])).content.decode()
    assert "尚未登录" in page and reverse("orgs:role_link_renew", args=[assignment.pk]) in page
    client.post(reverse("orgs:role_link_renew", args=[assignment.pk]))
    new = shown_link(client, units["g1"])
    assert new and new != lost

    assert "链接已失效" in Client().get(lost, follow=True).content.decode()
    _phone, signed_in = set_password(new)
    assert signed_in.redirect_chain[-1][0] == reverse("workbench:home")


def test_no_new_link_once_the_person_has_signed_in(client_for, zhuxi, units):
    client = client_for(zhuxi)
    invite(client, units["g1"], full_name="刘晓梅", role=Role.COMMITTEE)
    set_password(shown_link(client, units["g1"]))
    assignment = RoleAssignment.objects.get(user__full_name="刘晓梅")

    page = client.get(reverse("orgs:roles", args=[units["g1"].pk])).content.decode()
    assert "重新生成首次登录链接" not in page and "尚未登录" not in page
    password = User.objects.get(pk=assignment.user_id).password
    response = client.post(reverse("orgs:role_link_renew", args=[assignment.pk]), follow=True)
    assert "不能为 刘晓梅 生成首次登录链接" in response.content.decode()
    assert User.objects.get(pk=assignment.user_id).password == password


def test_no_link_for_a_login_whose_roles_reach_beyond_the_officer(client_for, zhuxi, units):
    """Whoever sets the password gets all of the login's roles: a school chair may not hand out a login
    that also acts for the education office."""
    person = User.objects.create_user("liuxm", full_name="刘晓梅")  # no password yet, never signed in
    here = RoleAssignment.objects.create(user=person, unit=units["g1"], role=Role.COMMITTEE)
    RoleAssignment.objects.create(user=person, unit=units["office"], role=Role.CHAIR)
    client = client_for(zhuxi)
    assert "重新生成首次登录链接" not in client.get(reverse("orgs:roles", args=[units["g1"].pk])).content.decode()
    client.post(reverse("orgs:role_link_renew", args=[here.pk]))
    assert shown_link(client, units["g1"]) is None


def test_no_password_or_link_is_logged(client_for, zhuxi, units, caplog):
    client = client_for(zhuxi)
    with caplog.at_level(logging.DEBUG):
        invite(client, units["g1"], full_name="刘晓梅", role=Role.COMMITTEE)
        link = shown_link(client, units["g1"])
        set_password(link)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert "liuxiaomei" in caplog.text  # who was given a login, and by whom, is traced
    assert token not in caplog.text and NEW_PASSWORD not in caplog.text


def test_the_unknown_login_error_says_what_to_do(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("orgs:roles", args=[units["g2"].pk]), {"username": "nobody", "role": "chair"}
    )
    assert "如果此人还没有账号，可在下方为新人开通账号。" in response.content.decode()


def test_roles_page_queries_stay_bounded(client_for, zhuxi, units, django_assert_max_num_queries):
    for n in range(15):
        person = User.objects.create_user(f"xin{n}", full_name=f"新人{n}")
        RoleAssignment.objects.create(user=person, unit=units["school"], role=Role.COMMITTEE)
    client = client_for(zhuxi)
    with django_assert_max_num_queries(13):  # 13th: counting the members' logins, listed a page at a time
        page = client.get(reverse("orgs:roles", args=[units["school"].pk]))
    assert len(page.context["renewable"]) == 15


def test_making_a_new_link_asks_first_as_the_one_already_sent_stops_working(client_for, zhuxi, units):
    """重新生成首次登录链接 breaks the link the chair may already have sent by WeChat: she is asked before it
    happens (data-confirm), not told only in a tooltip a phone never shows."""
    client = client_for(zhuxi)
    invite(client, units["g1"], full_name="刘晓梅", role=Role.COMMITTEE)
    page = client.get(reverse("orgs:roles", args=[units["g1"].pk])).content.decode()
    button = re.search(r"<button[^>]*>重新生成首次登录链接</button>", page).group(0)
    assert 'data-confirm="之前发给刘晓梅的首次登录链接会随即失效' in button
