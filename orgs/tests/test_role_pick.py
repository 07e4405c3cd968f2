"""分配角色 picks among the people the officer works with: members and officers of the unit's subtree,
and officers of units where she assigns roles. Anyone else reads exactly like a login that does not
exist, so the form tells nobody which logins exist in other unions."""

from django.urls import reverse

from conftest import make_person
from orgs.models import RoleAssignment
from orgs.roles import Role


def assign(client, unit, username, role=Role.COMMITTEE):
    return client.post(reverse("orgs:roles", args=[unit.pk]), {"username": username, "role": role})


def role_options(response):
    return [value for value, _label in response.context["form"].fields["role"].choices]


def test_a_member_of_the_subtree_and_an_officer_in_scope_may_be_picked(client_for, zhuxi, huiyuan, xiaozu, units):
    client = client_for(zhuxi)
    assert assign(client, units["school"], "huiyuan").status_code == 302  # a member of 东关完小
    assert assign(client, units["g2"], "xiaozu", Role.GROUP_LEADER).status_code == 302  # 东关's leader, elsewhere
    assert RoleAssignment.objects.filter(user=huiyuan, unit=units["school"], role=Role.COMMITTEE).exists()
    assert RoleAssignment.objects.filter(user=xiaozu, unit=units["g2"]).exists()


def test_logins_beyond_the_officers_reach_read_like_logins_that_do_not_exist(
    client_for, zhuxi, xianzong, outsider, units, django_user_model
):
    django_user_model.objects.create_superuser("admin", password="x")
    make_person("yizhong", "县一中", units["office"], Role.CHAIR)  # another union's officer
    client = client_for(zhuxi)
    errors = {
        username: assign(client, units["school"], username).context["form"].errors["username"]
        for username in ["admin", "yizhong", "xianzong", "linxian", "nobody"]
    }
    for username, error in errors.items():
        assert error == [errors["nobody"][0].replace("nobody", username)]
    assert "nobody" in errors["nobody"][0] and "admin" not in errors["nobody"][0]
    assert not RoleAssignment.objects.filter(unit=units["school"], role=Role.COMMITTEE).exists()


def test_the_form_offers_no_member_role_and_no_federation_viewer_below_a_federation(client_for, zhuxi, xianzong, units):
    school = client_for(zhuxi).get(reverse("orgs:roles", args=[units["school"].pk]))
    assert Role.MEMBER not in role_options(school)
    assert Role.FEDERATION_VIEWER not in role_options(school)
    assert Role.CHAIR in role_options(school)

    forged = assign(client_for(zhuxi), units["g2"], "zhuxi", Role.MEMBER)
    assert forged.context["form"].errors["role"]
    assert not RoleAssignment.objects.filter(unit=units["g2"], role=Role.MEMBER).exists()
