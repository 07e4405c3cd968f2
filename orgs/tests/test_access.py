"""The permission matrix: each role on its own unit, its subtree, a sibling and the parent."""

import pytest

from orgs.access import has_permission, scope_paths
from orgs.models import OrgUnit, RoleAssignment
from orgs.roles import PERMISSIONS, ROLE_PERMISSIONS, Role

# (persona, permission, unit) -> may?   Units: the persona's own unit, below it, beside it, above it.
MATRIX = [
    ("zhuxi", "orgs.view", "school", True),
    ("zhuxi", "orgs.view", "g1", True),
    ("zhuxi", "orgs.view", "office", False),
    ("zhuxi", "orgs.view", "county", False),
    ("zhuxi", "orgs.manage", "g2", True),
    ("zhuxi", "members.view_sensitive", "g1", True),
    ("zhuxi", "care.view", "school", True),
    ("xiaozu", "orgs.view", "g1", True),
    ("xiaozu", "orgs.view", "g2", False),
    ("xiaozu", "orgs.view", "school", False),
    ("xiaozu", "orgs.manage", "g1", False),
    ("xiaozu", "activities.manage", "g1", True),
    ("xiaozu", "members.view_sensitive", "g1", False),
    ("xiaozu", "care.view", "g1", False),
    ("bangfu", "care.view", "g2", True),
    ("bangfu", "care.view", "office", False),
    ("bangfu", "orgs.manage", "school", False),
    ("bangfu", "members.view_sensitive", "g1", True),
    ("xianzong", "orgs.view", "county", True),
    ("xianzong", "members.view", "g2", True),
    ("xianzong", "orgs.view", "other", False),
    # the federation founds and corrects the units below it (orgs.roles.BELOW_PERMISSIONS), not itself
    ("xianzong", "orgs.manage", "school", True),
    ("xianzong", "orgs.manage", "county", False),
    ("xianzong", "orgs.assign_roles", "county", False),
    ("xianzong", "members.view_sensitive", "school", False),
    ("xianzong", "care.view", "school", False),
    ("xianzong", "federation.review", "county", True),
    ("xianzong", "federation.file", "county", False),
    ("xianzong", "plans.change", "school", False),
    ("weiyuan", "members.change", "g1", True),
    ("weiyuan", "care.view", "school", False),
    ("weiyuan", "orgs.assign_roles", "school", False),
    ("huiyuan", "activities.register", "g1", True),
    ("huiyuan", "members.view", "g1", False),
    ("huiyuan", "orgs.view", "g1", False),
    ("outsider", "orgs.view", "school", False),
]


@pytest.mark.parametrize(("persona", "permission", "unit", "may"), MATRIX)
def test_permission_matrix(request, units, persona, permission, unit, may):
    user = request.getfixturevalue(persona)
    assert has_permission(user, permission, units[unit]) is may


def test_every_role_in_the_table_and_every_permission_known():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    for perms in ROLE_PERMISSIONS.values():
        assert perms <= set(PERMISSIONS)


def test_unknown_permission_is_a_programming_error(zhuxi):
    with pytest.raises(KeyError):
        scope_paths(zhuxi, "orgs.fly")


def test_visible_units_are_the_subtree_of_the_role(units, zhuxi):
    visible = set(OrgUnit.objects.visible_to(zhuxi, "orgs.view").values_list("code", flat=True))
    assert visible == {"demo-school", "demo-school-g1", "demo-school-g2"}


def test_federation_viewer_sees_whole_county_but_not_neighbour(units, xianzong):
    visible = set(OrgUnit.objects.visible_to(xianzong, "orgs.view").values_list("code", flat=True))
    assert visible == {"demo-county", "demo-school", "demo-school-g1", "demo-school-g2", "demo-office"}


def test_nested_roles_collapse_to_the_outer_subtree(units, zhuxi):
    RoleAssignment.objects.create(user=zhuxi, unit=units["g1"], role=Role.GROUP_LEADER)
    zhuxi.__dict__.pop("_gonghui_assignments", None)
    assert scope_paths(zhuxi, "orgs.view") == [units["school"].path]


def test_roles_on_a_deactivated_unit_lapse(units, xiaozu):
    OrgUnit.objects.filter(pk=units["g1"].pk).update(is_active=False)
    assert OrgUnit.objects.visible_to(xiaozu, "orgs.view").count() == 0


def test_anonymous_sees_nothing(units):
    from django.contrib.auth.models import AnonymousUser

    assert OrgUnit.objects.visible_to(AnonymousUser(), "orgs.view").count() == 0


def test_superuser_sees_everything(units, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    assert OrgUnit.objects.visible_to(admin, "care.view").count() == OrgUnit.objects.count()


def test_ancestor_paths_are_the_units_above(units):
    from orgs.access import ancestor_paths

    assert ancestor_paths([units["g1"].path]) == [units["county"].path, units["school"].path]
    assert ancestor_paths([units["county"].path]) == []


def test_a_federation_officer_manages_the_units_below_her_federation_not_the_federation(units, xianzong):
    from orgs.access import Below, has_permission_below

    assert scope_paths(xianzong, "orgs.manage") == [Below(units["county"].path)]
    managed = set(OrgUnit.objects.visible_to(xianzong, "orgs.manage").values_list("code", flat=True))
    assert managed == {"demo-school", "demo-school-g1", "demo-school-g2", "demo-office"}
    assert not has_permission(xianzong, "orgs.assign_roles", units["county"])
    assert has_permission(xianzong, "orgs.assign_roles", units["school"])
    assert has_permission_below(xianzong, "orgs.manage", units["county"])
    assert not has_permission_below(xianzong, "orgs.manage", units["other"])


def test_a_role_on_a_unit_covers_what_a_role_below_it_covers(units, xianzong):
    RoleAssignment.objects.create(user=xianzong, unit=units["county"], role=Role.CHAIR)
    xianzong.__dict__.pop("_gonghui_assignments", None)
    assert scope_paths(xianzong, "orgs.manage") == [units["county"].path]
    assert has_permission(xianzong, "orgs.manage", units["county"])
