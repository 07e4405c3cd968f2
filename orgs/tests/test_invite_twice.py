"""The invite form sent twice (a double click, a reload) opened wangxiaoming and wangxiaoming2 for one
person. The same name invited on the unit within ten minutes is refused, saying which login was opened;
a namesake gets through with a login name typed for her."""

from datetime import timedelta

from django.contrib.auth import get_user_model

from orgs.roles import Role
from orgs.tests.test_officer_invite import invite

User = get_user_model()


def test_the_same_name_invited_twice_is_refused_saying_who_was_invited(client_for, zhuxi, units):
    client = client_for(zhuxi)
    assert invite(client, units["g2"], full_name="王小明", role=Role.COMMITTEE).status_code == 302
    again = invite(client, units["g2"], full_name="王小明", role=Role.COMMITTEE)
    assert again.status_code == 200
    assert again.context["invite_form"].errors["full_name"] == [
        "刚刚已为 王小明 开通账号（登录名 wangxiaoming）。如果是同一个人，无需再开通；如果是同名的另一个人，请填写一个登录名再开通。"
    ]
    assert list(User.objects.filter(full_name="王小明").values_list("username", flat=True)) == ["wangxiaoming"]

    namesake = invite(client, units["g2"], full_name="王小明", username="wangxiaoming-g2", role=Role.COMMITTEE)
    assert namesake.status_code == 302


def test_the_same_name_later_or_on_another_unit_is_a_namesake(client_for, zhuxi, units):
    client = client_for(zhuxi)
    invite(client, units["g2"], full_name="王小明", role=Role.COMMITTEE)
    assert invite(client, units["g1"], full_name="王小明", role=Role.COMMITTEE).status_code == 302
    User.objects.filter(username="wangxiaoming").update(
        date_joined=User.objects.get(username="wangxiaoming").date_joined - timedelta(minutes=11)
    )
    User.objects.filter(username="wangxiaoming2").delete()
    assert invite(client, units["g2"], full_name="王小明", role=Role.COMMITTEE).status_code == 302
