import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from orgs.models import OrgUnit, RoleAssignment


@pytest.mark.django_db
def test_demo_builds_the_county_and_the_four_logins_and_can_run_twice(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())  # idempotent

    county = OrgUnit.objects.get(code="demo-county")
    school = OrgUnit.objects.get(code="demo-school")
    unions = OrgUnit.objects.get_children(county).filter(kind="union")
    assert 18 <= unions.count() <= 22
    assert OrgUnit.objects.get_children(school).filter(kind="group").count() == 6
    users = get_user_model().objects.filter(username__in=["zhuxi", "xiaozu", "bangfu", "xianzong"])
    assert users.count() == 4
    for user in users:
        assert user.check_password("gonghui-demo")
    assert RoleAssignment.objects.get(user__username="zhuxi").unit == school
    assert RoleAssignment.objects.get(user__username="xianzong").unit == county
    assert RoleAssignment.objects.get(user__username="xiaozu").unit.get_kind_display() == "工会小组"


@pytest.mark.django_db
def test_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo")
    assert not OrgUnit.objects.exists()
