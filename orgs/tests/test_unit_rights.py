"""Who may redefine a unit: its kind and code are the unit above's to set, as are moving and
deactivating it; the unit's own officers run it and keep its name and headcount up to date."""

from django.urls import reverse

from conftest import make_person
from orgs.models import OrgUnit, UnitKind
from orgs.roles import Role


def test_a_chair_cannot_turn_her_union_into_a_federation_nor_change_its_code(client_for, zhuxi, units):
    client = client_for(zhuxi)
    page = client.get(reverse("orgs:edit", args=[units["school"].pk]))
    assert "kind" not in page.context["form"].fields and "code" not in page.context["form"].fields

    response = client.post(
        reverse("orgs:edit", args=[units["school"].pk]),
        {"name": "城关镇中心学校工会", "short_name": "城关", "code": "mine", "kind": "federation", "headcount": 41},
    )
    assert response.status_code == 302
    school = OrgUnit.objects.get(pk=units["school"].pk)
    assert (school.kind, school.code, school.short_name, school.headcount) == (
        UnitKind.UNION,
        "demo-school",
        "城关",
        41,
    )


def test_the_unit_above_changes_kind_and_code_but_is_never_offered_a_federation_for_a_union(client_for, units):
    county_chair = make_person("xianzhuxi", "县主席", units["county"], Role.CHAIR)
    client = client_for(county_chair)
    page = client.get(reverse("orgs:edit", args=[units["school"].pk]))
    assert [value for value, _label in page.context["form"].fields["kind"].choices] == ["", "union"]

    response = client.post(
        reverse("orgs:edit", args=[units["school"].pk]),
        {"name": "城关镇中心学校工会", "code": "demo-school-2", "kind": "federation", "headcount": 40},
    )
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    response = client.post(
        reverse("orgs:edit", args=[units["school"].pk]),
        {"name": "城关镇中心学校工会", "code": "demo-school-2", "kind": "union", "headcount": 40},
    )
    assert response.status_code == 302
    assert OrgUnit.objects.get(pk=units["school"].pk).code == "demo-school-2"


def test_the_county_officer_founds_a_union_and_appoints_its_first_chair(client_for, xianzong, units):
    client = client_for(xianzong)
    page = client.get(reverse("orgs:detail", args=[units["county"].pk])).content.decode()
    assert reverse("orgs:add", args=[units["county"].pk]) in page
    assert reverse("orgs:edit", args=[units["county"].pk]) not in page  # the county's own record
    assert reverse("orgs:roles", args=[units["county"].pk]) not in page

    response = client.post(
        reverse("orgs:add", args=[units["county"].pk]),
        {
            "name": "清河县第三中学工会",
            "short_name": "县三中",
            "code": "demo-sanzhong",
            "kind": "union",
            "headcount": 80,
        },
    )
    union = OrgUnit.objects.get(code="demo-sanzhong")
    assert response.status_code == 302 and OrgUnit.objects.get_parent(union) == units["county"]
    assert (
        reverse("orgs:roles", args=[union.pk]) in client.get(reverse("orgs:detail", args=[union.pk])).content.decode()
    )

    response = client.post(
        reverse("orgs:role_invite", args=[union.pk]), {"invite-full_name": "孙红", "invite-role": "chair"}
    )
    assert response.status_code == 302
    assert union.assignments.get().role == Role.CHAIR
    assert "清河县第三中学工会" in client.get(reverse("orgs:history")).content.decode()


def test_the_county_officer_never_acts_on_the_countys_own_records(client_for, xianzong, units):
    client = client_for(xianzong)
    own_role = units["county"].assignments.get()
    assert client.get(reverse("orgs:edit", args=[units["county"].pk])).status_code == 404
    assert client.post(reverse("orgs:roles", args=[units["county"].pk]), {"username": "xianzong"}).status_code == 404
    assert client.post(reverse("orgs:role_remove", args=[own_role.pk])).status_code == 404
    assert client.get(reverse("orgs:add", args=[units["other"].pk])).status_code == 404
    # below it she corrects what a chair may not: a union's code
    response = client.post(
        reverse("orgs:edit", args=[units["office"].pk]),
        {"name": "县教育局机关工会", "code": "demo-jiaoyuju", "kind": "union", "headcount": 30},
    )
    assert response.status_code == 302 and OrgUnit.objects.get(pk=units["office"].pk).code == "demo-jiaoyuju"


def test_a_headcount_past_a_million_is_refused_with_a_message_on_the_field(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("orgs:add", args=[units["school"].pk]),
        {"name": "南湖完小工会小组", "code": "demo-school-g3", "kind": "group", "headcount": 99999999999},
    )
    assert response.status_code == 200
    assert (
        "职工人数不能超过 1000000 人（本单位不含下级），请核对是否多输了数字。"
        in response.context["form"].errors["headcount"]
    )
    assert not OrgUnit.objects.filter(code="demo-school-g3").exists()
