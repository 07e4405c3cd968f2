import pytest
from django.urls import reverse

from conftest import make_person
from orgs.models import OrgUnit, RoleAssignment
from orgs.roles import Role


def test_login_is_required(client, units):
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_chair_browses_own_tree(client_for, zhuxi, units):
    response = client_for(zhuxi).get(reverse("orgs:tree"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "城关镇中心学校工会" in html and "东关完小工会小组" in html
    assert "县教育局机关工会" not in html


@pytest.mark.parametrize(
    ("persona", "unit", "status"),
    [
        ("zhuxi", "g1", 200),
        ("zhuxi", "office", 404),
        ("zhuxi", "county", 404),
        ("xiaozu", "g1", 200),
        ("xiaozu", "g2", 404),
        ("xiaozu", "school", 404),
        ("xianzong", "office", 200),
        ("xianzong", "other", 404),
        ("huiyuan", "g1", 404),
        ("outsider", "school", 404),
    ],
)
def test_a_guessed_url_of_another_units_page_answers_404(request, client_for, units, persona, unit, status):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("orgs:detail", args=[units[unit].pk]))
    assert response.status_code == status


def test_chair_adds_a_union_group(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("orgs:add", args=[units["school"].pk]),
        {
            "name": "南湖完小工会小组",
            "short_name": "南湖完小",
            "code": "demo-school-g3",
            "kind": "group",
            "headcount": 18,
        },
    )
    added = OrgUnit.objects.get(code="demo-school-g3")
    assert response.status_code == 302
    assert OrgUnit.objects.get_parent(added) == units["school"]
    assert added.history.first().history_user == zhuxi


def test_add_form_keeps_input_and_says_what_is_wrong(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("orgs:add", args=[units["school"].pk]),
        {"name": "南湖完小工会小组", "code": "demo-school-g1", "kind": "group", "headcount": 18},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "编码“demo-school-g1”已被其他单位使用" in html
    assert 'value="南湖完小工会小组"' in html


def test_a_group_cannot_hold_a_federation(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("orgs:add", args=[units["g1"].pk]),
        {"name": "错误", "code": "bad-1", "kind": "federation", "headcount": 0},
    )
    assert response.status_code == 200
    assert not OrgUnit.objects.filter(code="bad-1").exists()


def test_group_leader_cannot_add_or_rename(client_for, xiaozu, units):
    client = client_for(xiaozu)
    assert client.get(reverse("orgs:add", args=[units["g1"].pk])).status_code == 404
    assert client.post(reverse("orgs:edit", args=[units["g1"].pk]), {"name": "x", "code": "x"}).status_code == 404


def test_chair_renames_a_group_and_history_says_what_changed(client_for, zhuxi, units):
    client = client_for(zhuxi)
    client.post(
        reverse("orgs:edit", args=[units["g1"].pk]),
        {"name": "东关小学工会小组", "short_name": "东关", "code": "demo-school-g1", "kind": "group", "headcount": 20},
    )
    response = client.get(reverse("orgs:history"))
    html = response.content.decode()
    assert "东关小学工会小组" in html
    assert "修改了：名称、简称" in html
    # What they were and became, so that the county can tell which group was renamed.
    assert "名称：东关完小工会小组 → 东关小学工会小组" in html


def test_the_history_page_reads_the_rows_before_its_changes_in_one_query(
    client_for, zhuxi, units, django_assert_max_num_queries
):
    client = client_for(zhuxi)
    for headcount in range(21, 31):
        client.post(
            reverse("orgs:edit", args=[units["g1"].pk]),
            {"name": units["g1"].name, "code": "demo-school-g1", "kind": "group", "headcount": headcount},
        )
    client.get(reverse("orgs:history"))
    with django_assert_max_num_queries(12):
        html = client.get(reverse("orgs:history")).content.decode()
    assert "职工人数：29 → 30" in html and "职工人数：21 → 22" in html


def test_moving_a_group_keeps_its_subtree_and_records(client_for, zhuxi, units):
    g1 = units["g1"]
    team = OrgUnit.objects.add_child(g1, {"code": "g1-team", "name": "一年级组", "kind": "team"})
    RoleAssignment.objects.create(user=zhuxi, unit=team, role=Role.COMMITTEE)
    other_union = OrgUnit.objects.get(pk=units["school"].pk)
    # zhuxi moves g1 under the school's other group is not allowed (a group holds only teams)
    response = client_for(zhuxi).post(reverse("orgs:move", args=[g1.pk]), {"target": units["g2"].pk})
    assert response.status_code == 200
    assert "不能设立" in response.content.decode()
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(pk=g1.pk)) == other_union


def test_federation_moves_a_union_with_its_groups(client_for, units, django_user_model):
    from conftest import make_person

    county_chair = make_person("xianzhuxi", "县主席", units["county"], Role.CHAIR)
    target = OrgUnit.objects.add_child(
        units["county"], {"code": "demo-town", "name": "城关镇总工会", "kind": "federation"}
    )
    assignment = RoleAssignment.objects.create(user=county_chair, unit=units["g1"], role=Role.GROUP_LEADER)
    response = client_for(county_chair).post(reverse("orgs:move", args=[units["school"].pk]), {"target": target.pk})
    assert response.status_code == 302
    school = OrgUnit.objects.get(code="demo-school")
    assert OrgUnit.objects.get_parent(school) == target
    assert {u.code for u in OrgUnit.objects.get_children(school)} == {"demo-school-g1", "demo-school-g2"}
    assert RoleAssignment.objects.get(pk=assignment.pk).unit.is_descendant_of(target)


def test_cannot_move_a_unit_below_itself(client_for, units):
    from conftest import make_person

    county_chair = make_person("xianzhuxi", "县主席", units["county"], Role.CHAIR)
    response = client_for(county_chair).post(
        reverse("orgs:move", args=[units["school"].pk]), {"target": units["g1"].pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["target"]
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(code="demo-school")).code == "demo-county"


def test_the_move_form_suggests_only_units_that_could_take_the_unit(client_for, units):
    """Typing in the new parent's box lists the federations the county chair manages that may hold a
    union, never the union itself, its groups, or a unit beyond the chair's reach."""
    from conftest import make_person

    county_chair = make_person("xianzhuxi", "县主席", units["county"], Role.CHAIR)
    OrgUnit.objects.add_child(units["county"], {"code": "demo-town", "name": "城关镇总工会", "kind": "federation"})
    client = client_for(county_chair)
    url = reverse("orgs:move_targets", args=[units["school"].pk])
    found = [s.unit.code for s in client.get(url, {"q": "城关"}).context["found"]]
    assert found == ["demo-town"]  # not 城关镇中心学校工会 itself
    assert [s.unit.code for s in client.get(url, {"q": "总工会"}).context["found"]] == ["demo-county", "demo-town"]
    assert client.get(url, {"q": "邻县"}).context["found"] == []
    page = client.get(reverse("orgs:move", args=[units["school"].pk])).content.decode()
    assert f'hx-get="{url}"' in page and "orgs/unit-picker" in page


def test_a_move_without_a_picked_unit_says_how_to_pick_one(client_for, units):
    from conftest import make_person

    county_chair = make_person("xianzhuxi", "县主席", units["county"], Role.CHAIR)
    client = client_for(county_chair)
    for sent in ({}, {"target": "demo-county"}, {"target": units["other"].pk}):
        response = client.post(reverse("orgs:move", args=[units["school"].pk]), sent)
        assert response.status_code == 200
        assert "请输入上级单位的名称或编码，从搜索结果中选择。" in response.content.decode(), sent
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(code="demo-school")).code == "demo-county"


def test_chair_cannot_move_or_deactivate_own_union(client_for, zhuxi, units):
    client = client_for(zhuxi)
    assert client.get(reverse("orgs:move", args=[units["school"].pk])).status_code == 404
    assert client.post(reverse("orgs:deactivate", args=[units["school"].pk])).status_code == 404


def test_deactivation_asks_first_then_keeps_the_units_records(client_for, zhuxi, xiaozu, units):
    client = client_for(zhuxi)
    confirm = client.get(reverse("orgs:deactivate", args=[units["g1"].pk]))
    assert "确认停用" in confirm.content.decode()
    assert OrgUnit.objects.get(pk=units["g1"].pk).is_active

    client.post(reverse("orgs:deactivate", args=[units["g1"].pk]))
    g1 = OrgUnit.objects.get(pk=units["g1"].pk)
    assert not g1.is_active
    assert RoleAssignment.objects.filter(unit=g1, user=xiaozu).exists()  # kept, but lapsed
    assert g1.history.first().history_change_reason == "deactivate"

    client.post(reverse("orgs:reactivate", args=[g1.pk]))
    assert OrgUnit.objects.get(pk=g1.pk).is_active


def test_chair_assigns_and_removes_a_role_with_history(client_for, zhuxi, units):
    newcomer = make_person("xinren", "新人", units["g2"], Role.MEMBER)
    client = client_for(zhuxi)
    client.post(reverse("orgs:roles", args=[units["g2"].pk]), {"username": "xinren", "role": Role.GROUP_LEADER})
    assignment = RoleAssignment.objects.get(user=newcomer, role=Role.GROUP_LEADER)
    assert assignment.unit == units["g2"]

    confirm = client.get(reverse("orgs:role_remove", args=[assignment.pk]))
    assert "确认撤销" in confirm.content.decode()
    client.post(reverse("orgs:role_remove", args=[assignment.pk]))
    assert not RoleAssignment.objects.filter(user=newcomer, role=Role.GROUP_LEADER).exists()

    history = client.get(reverse("orgs:history") + "?kind=roles").content.decode()
    assert history.count("新人") >= 2  # assigned, then removed


def test_unknown_login_name_is_a_field_error(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("orgs:roles", args=[units["g2"].pk]), {"username": "nobody", "role": "chair"}
    )
    assert "在可选的人中没有登录名为“nobody”的用户" in response.content.decode()
    assert response.context["form"].errors["username"]


def test_a_role_held_already_is_refused_on_the_form_keeping_the_input(client_for, zhuxi, xiaozu, units):
    response = client_for(zhuxi).post(
        reverse("orgs:roles", args=[units["g1"].pk]), {"username": "xiaozu", "role": Role.GROUP_LEADER}
    )
    assert response.context["form"].errors["username"] == ["李秀英 已经是该单位的工会小组长。"]
    assert 'value="xiaozu"' in response.content.decode()


def test_the_assign_form_preselects_no_role(client_for, zhuxi, units, django_user_model):
    django_user_model.objects.create_user("xinren", full_name="新人")
    client = client_for(zhuxi)
    html = client.get(reverse("orgs:roles", args=[units["g2"].pk])).content.decode()
    assert '<option value="" selected>请选择</option>' in html
    response = client.post(reverse("orgs:roles", args=[units["g2"].pk]), {"username": "xinren"})
    assert response.context["form"].errors["role"] == ["请选择角色。"]
    assert not RoleAssignment.objects.filter(user__username="xinren").exists()


def test_federation_viewer_assigns_roles_below_the_county_but_not_on_it(client_for, xianzong, units):
    """Changed on purpose (walk 4): the county founds unions and appoints their first chair
    (orgs.roles.BELOW_PERMISSIONS); its own unit's roles stay out of its officer's reach."""
    client = client_for(xianzong)
    assert client.get(reverse("orgs:roles", args=[units["school"].pk])).status_code == 200
    assert client.get(reverse("orgs:roles", args=[units["county"].pk])).status_code == 404
    assert client.get(reverse("orgs:history")).status_code == 200


def test_user_with_several_units_switches_between_them(client_for, zhuxi, units):
    RoleAssignment.objects.create(user=zhuxi, unit=units["office"], role=Role.COMMITTEE)
    client = client_for(zhuxi)
    home = client.get(reverse("workbench:home")).content.decode()
    assert "城关镇中心学校工会" in home and 'data-testid="unit-switcher"' in home

    client.post(reverse("orgs:switch"), {"unit": units["office"].pk})
    assert "县教育局机关工会</h1>" in client.get(reverse("workbench:home")).content.decode()

    # a unit the user holds no role on cannot be switched to
    assert client.post(reverse("orgs:switch"), {"unit": units["county"].pk}).status_code == 404


def test_breadcrumbs_follow_the_tree_within_the_users_reach(client_for, zhuxi, xianzong, units):
    html = client_for(zhuxi).get(reverse("orgs:detail", args=[units["g1"].pk])).content.decode()
    assert "城关中心校" in html and "县总工会" not in html
    html = client_for(xianzong).get(reverse("orgs:detail", args=[units["g1"].pk])).content.decode()
    assert "县总工会" in html


def test_tree_page_queries_stay_bounded(client_for, zhuxi, units, django_assert_max_num_queries):
    for n in range(40):
        OrgUnit.objects.add_child(units["school"], {"code": f"extra-{n}", "name": f"小组{n}", "kind": "group"})
    client = client_for(zhuxi)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("orgs:tree")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("orgs:detail", args=[units["school"].pk])).status_code == 200


@pytest.mark.parametrize("persona", ["zhuxi", "xianzong"])
def test_officers_see_the_codes_of_the_units_they_browse(request, client_for, persona, units):
    """A code is what a sheet or another union may ask for; the pages show it to every officer who sees
    the unit, not only to the site's staff."""
    client = client_for(request.getfixturevalue(persona))
    detail = client.get(reverse("orgs:detail", args=[units["school"].pk])).content.decode()
    assert "<code>demo-school</code>" in detail and "<code>demo-school-g1</code>" in detail
    found = client.get(reverse("orgs:tree"), {"q": "东关"}).content.decode()
    assert "demo-school-g1</code>" in found


def test_the_roles_page_lists_the_chair_first_and_the_auditor_after_the_officers(client_for, zhuxi, units):
    make_person("shenji", "审计员", units["school"], Role.AUDITOR)
    make_person("weiyuanjia", "委员甲", units["school"], Role.COMMITTEE)
    html = client_for(zhuxi).get(reverse("orgs:roles", args=[units["school"].pk])).content.decode()
    table = html[html.index("<table") :]
    # Not by the roles' codes, which put auditor (经审委员) and care officer before chair.
    assert table.index("王建国") < table.index("委员甲") < table.index("审计员")


def test_a_name_of_emoji_is_refused_before_it_becomes_a_login_named_user(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("orgs:role_invite", args=[units["g2"].pk]),
        {"invite-full_name": "😀😀", "invite-role": Role.GROUP_LEADER},
    )
    assert "里没有文字，不像姓名" in response.content.decode()
    assert not RoleAssignment.objects.filter(unit=units["g2"], role=Role.GROUP_LEADER).exists()


def test_a_units_headcount_counts_the_units_below_it(client_for, xianzong, units):
    """A central school counts 40 staff itself and 35 more in its two groups: the federation reading the
    county's units, and the school's own page, give 75 (and the school's own 40 beside it)."""
    from rollups.refresh import rebuild

    rebuild()
    client = client_for(xianzong)
    county = client.get(reverse("orgs:detail", args=[units["county"].pk])).content.decode()
    row = county[county.index("<code>demo-school</code>") :]
    assert '<td class="text-end">75</td>' in row[: row.index("</tr>")]
    school = client.get(reverse("orgs:detail", args=[units["school"].pk])).content.decode()
    cell = school[school.index('data-testid="headcount"') :]
    assert ">75<span" in cell[: cell.index("</dd>")] and "（本级 40）" in cell[: cell.index("</dd>")]
