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
