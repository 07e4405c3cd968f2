"""重置密码 without SMS: an officer who assigns roles where a person's roles and member record lie issues
a one-time reset link from the unit's roles page, shown once; the person sets a new password with it.
Nobody above or outside the officer's scope, no superuser, never oneself (accounts.reset)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, make_person
from core.models import AccessLog, Notification
from core.testing import in_english, untranslated
from members.models import Member
from orgs.models import OrgUnit, RoleAssignment, UnitKind
from orgs.roles import Role

NEW_PASSWORD = "Qinghe-2027-union"


def issue(client, person):
    return client.post(reverse("accounts:reset_issue", args=[person.pk]))


def link_of(response):
    return response.context["url"]


def set_password(link, password=NEW_PASSWORD):
    """A stranger's browser opens the link and sets ``password``: the page it ended on."""
    browser = Client()
    page = browser.get(link, follow=True)
    if not page.context.get("validlink"):
        return page
    return browser.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}, follow=True)


def test_the_chair_finds_reset_on_the_roles_page_confirms_and_is_shown_the_link_once(client_for, zhuxi, huiyuan, units):
    client = client_for(zhuxi)
    roles = client.get(reverse("orgs:roles", args=[units["g1"].pk])).content.decode()
    confirm_url = reverse("accounts:reset_issue", args=[huiyuan.pk])
    assert confirm_url in roles

    confirm = client.get(confirm_url).content.decode()
    assert "周小红" in confirm and "huiyuan" in confirm and "生成重置密码链接" in confirm
    assert "/accounts/reset/" not in confirm.replace(confirm_url, "")  # no link before the officer confirms
    assert not AccessLog.objects.exists()

    shown = issue(client, huiyuan)
    assert shown.status_code == 200 and link_of(shown).startswith("http://testserver/accounts/reset/")
    assert link_of(shown) in shown.content.decode()
    entry = AccessLog.objects.get()
    assert (entry.user, entry.object_id, entry.object_repr, entry.unit) == (
        zhuxi,
        str(huiyuan.pk),
        "周小红",
        units["g1"],
    )
    assert entry.fields == "重置密码链接"
    journal = client.get(reverse("workbench:access_log")).content.decode()  # the chair's 敏感信息查看记录
    assert "重置密码链接" in journal and "周小红" in journal
    huiyuan.refresh_from_db()
    assert huiyuan.check_password(PASSWORD)  # issuing changes nothing until the person sets a new one


def test_the_link_sets_the_password_once_and_signs_the_person_in(client_for, zhuxi, huiyuan):
    link = link_of(issue(client_for(zhuxi), huiyuan))
    done = set_password(link)
    assert done.redirect_chain[-1][0] == reverse("workbench:home")
    assert "新密码已设置。您的登录名是 huiyuan，以后用它和新密码登录。" in done.content.decode()
    assert done.context["user"] == huiyuan
    huiyuan.refresh_from_db()
    assert huiyuan.check_password(NEW_PASSWORD) and not huiyuan.check_password(PASSWORD)
    # The officer saw the link too: the person is told by every channel they have, so a reset they did
    # not make does not go unnoticed.
    [told] = Notification.objects.filter(user=huiyuan, kind="accounts.password_reset")
    assert "如果不是您本人设置的，请立即联系所在工会" in told.text
    assert re.search(r"（\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d）", told.text)  # as the pages write a time

    again = set_password(link, "Another-2027-pass")
    assert "链接已失效" in again.content.decode()
    huiyuan.refresh_from_db()
    assert huiyuan.check_password(NEW_PASSWORD)


def test_signing_in_with_the_old_password_spends_the_link(client_for, zhuxi, huiyuan):
    link = link_of(issue(client_for(zhuxi), huiyuan))
    Client().post(reverse("accounts:login"), {"username": "huiyuan", "password": PASSWORD})
    assert "链接已失效" in set_password(link).content.decode()


def test_a_welcome_link_is_not_a_reset_link(client_for, zhuxi, huiyuan):
    link = link_of(issue(client_for(zhuxi), huiyuan))
    welcome = link.replace("/accounts/reset/", "/accounts/welcome/")
    assert not Client().get(welcome, follow=True).context["validlink"]


def test_a_member_record_of_the_chairs_subtree_is_reset_too(client_for, zhuxi, units):
    """A member's own login (portal: m<id>) carries a member role and the roster record."""
    login = make_person("m7", "周建", units["g2"], Role.MEMBER)
    Member.objects.create(unit=units["g2"], name="周建", gender="M", user=login)
    assert issue(client_for(zhuxi), login).status_code == 200


@pytest.mark.parametrize("who", ["xianzong", "outsider", "zhuxi", "admin", "staff", "county_role", "far_member"])
def test_the_chair_cannot_reset_anyone_above_outside_or_administering(
    client_for, zhuxi, xianzong, outsider, units, who
):
    people = {"xianzong": xianzong, "outsider": outsider, "zhuxi": zhuxi}
    if who == "admin":
        people[who] = get_user_model().objects.create_superuser("root", password=PASSWORD)
        RoleAssignment.objects.create(user=people[who], unit=units["g1"], role=Role.MEMBER)
    elif who == "staff":
        people[who] = make_person("clerk", "钱进", units["g1"], Role.MEMBER)
        get_user_model().objects.filter(pk=people[who].pk).update(is_staff=True)
    elif who == "county_role":  # a member of the school who is also an officer of the county
        people[who] = make_person("shuangzhi", "吴双", units["g1"], Role.MEMBER)
        RoleAssignment.objects.create(user=people[who], unit=units["county"], role=Role.FEDERATION_VIEWER)
    elif who == "far_member":  # a role in the school, the member record in the sibling union
        people[who] = make_person("jiediao", "郑调", units["g1"], Role.GROUP_LEADER)
        Member.objects.create(unit=units["office"], name="郑调", gender="M", user=people[who])
    client = client_for(zhuxi)
    person = people[who]
    assert client.get(reverse("accounts:reset_issue", args=[person.pk])).status_code == 404
    assert issue(client, person).status_code == 404
    if who not in ("xianzong", "outsider"):  # listed on the group's roles page (the chair on the school's): no link
        unit = units["school"] if who == "zhuxi" else units["g1"]
        roles = client.get(reverse("orgs:roles", args=[unit.pk])).content.decode()
        assert person.full_name in roles
        assert reverse("accounts:reset_issue", args=[person.pk]) not in roles
    assert not AccessLog.objects.exists()


def test_only_those_who_assign_roles_there_may_reset(client_for, xianzong, zhuxi, weiyuan, xiaozu, huiyuan):
    # The county's officer acts below the county (orgs.roles.BELOW_PERMISSIONS), so on the school's chair too.
    assert issue(client_for(xianzong), zhuxi).status_code == 200
    for officer in (weiyuan, xiaozu, huiyuan):  # a committee member, a group leader, a member: no
        assert issue(client_for(officer), zhuxi).status_code == 404
    assert Client().get(reverse("accounts:reset_issue", args=[zhuxi.pk])).status_code == 302  # to the login


def test_the_pages_are_in_english(client_for, db):
    county = OrgUnit.objects.add_root({"code": "c", "name": "Qinghe County", "kind": UnitKind.FEDERATION})
    school = OrgUnit.objects.add_child(county, {"code": "s", "name": "Central School", "kind": UnitKind.UNION})
    chair = make_person("chair", "Wang", school, Role.CHAIR)
    person = make_person("li", "Li Na", school, Role.COMMITTEE)
    # One who reads English chose it on their login, so what the product tells them is in English too.
    get_user_model().objects.filter(pk=person.pk).update(language="en")
    client = in_english(client_for(chair))
    roles = client.get(reverse("orgs:roles", args=[school.pk])).content.decode()
    assert "Reset password" in roles and untranslated(roles) == []
    confirm = client.get(reverse("accounts:reset_issue", args=[person.pk])).content.decode()
    assert untranslated(confirm) == []
    shown = issue(client, person)
    assert untranslated(shown.content.decode()) == []
    browser = in_english(Client())
    page = browser.get(link_of(shown), follow=True)
    assert "Reset password" in page.content.decode() and untranslated(page.content.decode()) == []
    form = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    done = browser.post(page.redirect_chain[-1][0], form, follow=True)
    assert "New password set" in done.content.decode() and untranslated(done.content.decode()) == []
    assert untranslated(Client().get(link_of(shown), follow=True).content.decode()) != []  # the check bites
    assert untranslated(in_english(Client()).get(link_of(shown), follow=True).content.decode()) == []
    [told] = Notification.objects.filter(user=person, kind="accounts.password_reset")
    assert re.search(r"[A-Z][a-z]+\.? \d{1,2}, \d{4}, (\d{1,2}(:\d\d)? [ap]\.m\.|noon|midnight)", told.text), told.text
    assert not re.search(r"\d{4}-\d\d-\d\d", told.text)
