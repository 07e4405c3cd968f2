"""A unit's type (类型): chosen by the officer, never taken silently, and correctable later while the
tree allows it. Deactivated units are never offered as a choice."""

import pytest
from django.urls import reverse

from conftest import make_person
from orgs.models import OrgUnit, UnitKind
from orgs.picker import suggest
from orgs.roles import Role


def kind_options(response):
    return [value for value, _label in response.context["form"].fields["kind"].choices]


def test_a_new_unit_has_no_kind_until_the_officer_picks_one(client_for, zhuxi, units):
    client = client_for(zhuxi)
    page = client.get(reverse("orgs:add", args=[units["school"].pk]))
    assert kind_options(page) == ["", "subunion", "group", "team"]
    assert '<option value="" selected>请选择</option>' in page.content.decode()

    response = client.post(
        reverse("orgs:add", args=[units["school"].pk]),
        {"name": "南湖完小工会小组", "code": "demo-school-g3", "headcount": 18},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == ["请选择单位类型。"]
    assert 'value="南湖完小工会小组"' in response.content.decode()
    assert not OrgUnit.objects.filter(code="demo-school-g3").exists()


def test_below_a_group_the_one_possible_kind_is_chosen(client_for, zhuxi, units):
    page = client_for(zhuxi).get(reverse("orgs:add", args=[units["g1"].pk]))
    assert kind_options(page) == ["", "team"]
    assert '<option value="team" selected>班组</option>' in page.content.decode()


def test_chair_corrects_a_group_added_as_a_sub_union(client_for, zhuxi, units):
    client = client_for(zhuxi)
    mistaken = OrgUnit.objects.add_child(
        units["school"], {"code": "demo-school-g3", "name": "南湖完小工会小组", "kind": UnitKind.SUBUNION}
    )
    page = client.get(reverse("orgs:edit", args=[mistaken.pk]))
    assert kind_options(page) == ["", "subunion", "group", "team"]  # what the school may hold
    assert '<option value="subunion" selected>分工会</option>' in page.content.decode()

    response = client.post(
        reverse("orgs:edit", args=[mistaken.pk]),
        {"name": "南湖完小工会小组", "code": "demo-school-g3", "kind": "group", "headcount": 0},
    )
    assert response.status_code == 302
    assert OrgUnit.objects.get(pk=mistaken.pk).kind == UnitKind.GROUP
    assert "修改了：类型" in client.get(reverse("orgs:history")).content.decode()


def test_the_edit_form_refuses_a_kind_the_parent_may_not_hold(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("orgs:edit", args=[units["g1"].pk]),
        {"name": "东关完小工会小组", "code": "demo-school-g1", "kind": "federation", "headcount": 20},
    )
    assert response.status_code == 200 and response.context["form"].errors["kind"]
    assert OrgUnit.objects.get(pk=units["g1"].pk).kind == UnitKind.GROUP


def test_a_kind_that_could_not_hold_the_units_below_is_refused(client_for, zhuxi, units):
    """A group with a team below it cannot become a team: teams hold nothing. Deactivated units below
    count too, as they may be enabled again."""
    team = OrgUnit.objects.add_child(units["g1"], {"code": "g1-team", "name": "一年级组", "kind": UnitKind.TEAM})
    OrgUnit.objects.filter(pk=team.pk).update(is_active=False)
    response = client_for(zhuxi).post(
        reverse("orgs:edit", args=[units["g1"].pk]),
        {"name": "东关完小工会小组", "code": "demo-school-g1", "kind": "team", "headcount": 20},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == [
        "下面已有班组，班组下不能设立。请先调整这些下级单位，再修改类型。"
    ]
    assert OrgUnit.objects.get(pk=units["g1"].pk).kind == UnitKind.GROUP


def test_a_roots_kind_is_not_offered(client, units):
    county_chair = make_person("xianzhuxi", "县主席", units["county"], Role.CHAIR)
    client.force_login(county_chair)
    page = client.get(reverse("orgs:edit", args=[units["county"].pk]))
    assert "kind" not in page.context["form"].fields


@pytest.mark.parametrize("q", ["", "完小"])
def test_the_unit_picker_never_suggests_a_deactivated_unit(units, q):
    OrgUnit.objects.filter(pk=units["g2"].pk).update(is_active=False)
    found, _more = suggest(OrgUnit.objects.filter(path__startswith=units["school"].path), q)
    assert units["g2"] not in [each.unit for each in found]
    assert units["g1"] in [each.unit for each in found]


def test_the_tree_marks_a_deactivated_root(client, units):
    """Browsing from a deactivated federation (as a superuser may), the tree says it is not live."""
    admin = make_person("admin", "管理员")
    admin.is_superuser = True
    admin.save()
    OrgUnit.objects.filter(pk=units["other"].pk).update(is_active=False)
    client.force_login(admin)
    html = client.get(reverse("orgs:tree") + f"?root={units['other'].pk}").content.decode()
    assert "邻县总工会" in html and "已停用" in html
