"""orgs' forms say what is wrong in plain words: not Django's "具有 编码 的 单位 已存在。" or "确保该变量包含不超过
100 字符", and in English a unit's kind mid-sentence is not capitalised."""

from django.urls import reverse

from orgs import services
from orgs.models import UnitKind


def test_a_code_in_use_and_a_name_too_long_are_said_plainly(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("orgs:add", args=[units["school"].pk]),
        {"name": "长" * 101, "code": "demo-office", "kind": "group", "headcount": 3},
    )
    errors = response.context["form"].errors
    assert errors["code"] == ["编码“demo-office”已被其他单位使用，请换一个。"]
    assert errors["name"] == ["最多100个字，现在是101个。"]


def test_the_role_forms_say_lengths_plainly(client_for, zhuxi, units):
    response = client_for(zhuxi).post(reverse("orgs:roles", args=[units["g2"].pk]), {"username": "x" * 151})
    assert response.context["form"].errors["username"] == ["最多150个字，现在是151个。"]


def test_a_kind_mid_sentence_is_not_capitalised_in_english(units):
    from django.utils import translation

    with translation.override("en"):
        try:
            services.unit_add(parent=units["g1"], name="一年级组", code="x1", kind=UnitKind.GROUP)
        except services.OrgError as error:
            assert error.message == "A union group cannot hold a union group."
        else:
            raise AssertionError("a group was added below a group")
