"""Every org page reads fully in English when the switch says so (records named in ASCII)."""

import pytest
from django.urls import reverse

from conftest import make_person
from core.testing import in_english, untranslated
from orgs.models import OrgUnit, UnitKind
from orgs.roles import Role


@pytest.fixture
def ascii_tree(db):
    county = OrgUnit.objects.add_root({"code": "c", "name": "Qinghe County", "kind": UnitKind.FEDERATION})
    school = OrgUnit.objects.add_child(county, {"code": "s", "name": "Central School", "kind": UnitKind.UNION})
    group = OrgUnit.objects.add_child(school, {"code": "g", "name": "East Group", "kind": UnitKind.GROUP})
    chair = make_person("chair", "Wang", county, Role.CHAIR)
    make_person("leader", "Li", group, Role.GROUP_LEADER)
    return {"county": county, "school": school, "group": group, "chair": chair}


def test_org_pages_have_no_untranslated_text(client, ascii_tree):
    client.force_login(ascii_tree["chair"])
    in_english(client)
    group = ascii_tree["group"]
    client.post(
        reverse("orgs:edit", args=[group.pk]), {"name": "East Group 2", "code": "g", "kind": "group", "headcount": 3}
    )
    urls = [
        reverse("workbench:home"),
        reverse("orgs:tree"),
        reverse("orgs:tree") + "?q=nothing",
        reverse("orgs:detail", args=[ascii_tree["school"].pk]),
        reverse("orgs:add", args=[ascii_tree["school"].pk]),
        reverse("orgs:edit", args=[group.pk]),
        reverse("orgs:move", args=[group.pk]),
        reverse("orgs:deactivate", args=[group.pk]),
        reverse("orgs:roles", args=[group.pk]),
        reverse("orgs:history"),
        reverse("orgs:history") + "?kind=roles",
        reverse("accounts:password_change"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert untranslated(response.content.decode()) == [], url


def test_form_errors_are_in_english_too(client, ascii_tree):
    client.force_login(ascii_tree["chair"])
    in_english(client)
    response = client.post(reverse("orgs:roles", args=[ascii_tree["group"].pk]), {"username": "ghost", "role": "chair"})
    html = response.content.decode()
    assert 'No one you can pick has the username "ghost"' in html.replace("&quot;", '"')
    assert untranslated(html) == []


def test_login_page_in_english(client, db):
    in_english(client)
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Log in to Gonghui" in html
    assert untranslated(html) == []


def test_chinese_is_the_default_whatever_the_browser_says(client, db):
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录工会工作台" in html


def test_menu_names_the_modules_not_the_roles(client, ascii_tree):
    client.force_login(ascii_tree["chair"])
    in_english(client)
    html = client.get(reverse("workbench:home")).content.decode()
    assert "Members</a>" in html  # the module, though "会员" is also the role "Member"


def test_opening_an_account_reads_in_english(client, ascii_tree):
    client.force_login(ascii_tree["chair"])
    in_english(client)
    group = ascii_tree["group"]
    refused = client.post(
        reverse("orgs:role_invite", args=[group.pk]),
        {"invite-full_name": "Liu", "invite-phone": "12345", "invite-username": "leader", "invite-role": ""},
    )
    assert untranslated(refused.content.decode()) == []
    client.post(
        reverse("orgs:role_invite", args=[group.pk]),
        {"invite-full_name": "Liu", "invite-username": "liu", "invite-role": Role.COMMITTEE},
    )
    html = client.get(reverse("orgs:roles", args=[group.pk])).content.decode()
    assert "First sign-in link" in html and "valid for 3 days" in html
    assert untranslated(html) == []
    assert untranslated(client.get(reverse("orgs:history") + "?kind=roles").content.decode()) == []


def test_the_button_says_assign_and_the_history_says_assigned(client, ascii_tree, django_assert_max_num_queries):
    """分配 is both the button that gives a role (Assign) and the history's record that one was given
    (Assigned): two English words, by a context."""
    client.force_login(ascii_tree["chair"])
    in_english(client)
    group = ascii_tree["group"]
    with django_assert_max_num_queries(12):
        roles = client.get(reverse("orgs:roles", args=[group.pk])).content.decode()
    assert '<button class="btn btn-primary" type="submit">Assign</button>' in roles
    history = client.get(reverse("orgs:history") + "?kind=roles").content.decode()
    assert "<td>Assigned Union group leader" in history


def test_in_chinese_both_say_分配(client, ascii_tree):
    client.force_login(ascii_tree["chair"])
    roles = client.get(reverse("orgs:roles", args=[ascii_tree["group"].pk])).content.decode()
    assert '<button class="btn btn-primary" type="submit">分配</button>' in roles
