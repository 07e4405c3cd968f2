"""Units under one parent are told apart by name and by short name: a second 东关完小工会小组 would read
alike in every list and unit select, and members filed under it would be lost to their union."""

from django.urls import reverse

from orgs import services
from orgs.models import OrgUnit, UnitKind


def test_a_second_unit_of_the_same_name_is_refused_on_the_name(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("orgs:add", args=[units["school"].pk]),
        {"name": "东关完小工会小组", "code": "demo-school-g9", "kind": "group", "headcount": 3},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "“城关镇中心学校工会”下已有名称或简称为“东关完小工会小组”的单位，请换一个。"
    ]
    assert 'value="demo-school-g9"' in response.content.decode()  # the input is kept
    assert not OrgUnit.objects.filter(code="demo-school-g9").exists()


def test_a_short_name_taken_by_a_sibling_is_refused(client_for, zhuxi, units):
    OrgUnit.objects.filter(pk=units["g1"].pk).update(short_name="东关")
    response = client_for(zhuxi).post(
        reverse("orgs:add", args=[units["school"].pk]),
        {"name": "东关幼儿园工会小组", "short_name": "东关", "code": "demo-school-g9", "kind": "group", "headcount": 3},
    )
    assert "short_name" in response.context["form"].errors
    assert not OrgUnit.objects.filter(code="demo-school-g9").exists()


def test_a_name_and_a_short_name_both_taken_are_said_on_both_boxes_at_once(client_for, zhuxi, units):
    OrgUnit.objects.filter(pk=units["g2"].pk).update(short_name="西街")
    response = client_for(zhuxi).post(
        reverse("orgs:add", args=[units["school"].pk]),
        {"name": "东关完小工会小组", "short_name": "西街", "code": "demo-school-g9", "kind": "group", "headcount": 3},
    )
    assert set(response.context["form"].errors) == {"name", "short_name"}
    assert not OrgUnit.objects.filter(code="demo-school-g9").exists()


def test_renaming_a_unit_to_its_siblings_name_is_refused(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("orgs:edit", args=[units["g2"].pk]),
        {"name": "东关完小工会小组", "code": "demo-school-g2", "kind": "group", "headcount": 15},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert OrgUnit.objects.get(pk=units["g2"].pk).name == "西街完小工会小组"


def test_a_deactivated_sibling_keeps_its_name_and_the_message_says_so(units):
    services.unit_deactivate(unit=units["g1"])
    try:
        services.unit_add(parent=units["school"], name="东关完小工会小组", code="x1", kind=UnitKind.GROUP)
    except services.OrgError as error:
        assert error.field == "name" and "已停用" in error.message
    else:
        raise AssertionError("a deactivated sibling's name was taken")


def test_the_same_name_under_another_parent_and_an_unchanged_name_are_fine(client_for, zhuxi, units):
    services.unit_add(parent=units["g1"], name="西街完小工会小组", code="x1", kind=UnitKind.TEAM)
    response = client_for(zhuxi).post(
        reverse("orgs:edit", args=[units["g2"].pk]),
        {"name": "西街完小工会小组", "code": "demo-school-g2", "kind": "group", "headcount": 16},
    )
    assert response.status_code == 302
