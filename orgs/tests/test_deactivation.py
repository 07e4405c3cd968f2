"""Deactivating a unit strands nobody: while members, plan items still to do or registrations for
activities to come remain in it, the confirmation page counts them and says what to do first, and the
deactivation is refused."""

import datetime
import random

from django.urls import reverse
from django.utils import timezone

from core import idnumber
from members.models import Member
from orgs.models import OrgUnit
from plans.models import ItemStatus, Plan, ScheduleItem


def member_of(unit, name="周小红"):
    number = idnumber.make(datetime.date(1990, 5, 1), "F", rng=random.Random(7))
    return Member.objects.create(unit=unit, name=name, gender="F", id_number=number)


def test_a_group_with_members_and_open_plan_items_is_not_deactivated(client_for, zhuxi, units):
    member = member_of(units["g1"])
    plan = Plan.objects.create(unit=units["school"], year=timezone.localdate().year, title="工作计划")
    item = ScheduleItem.objects.create(plan=plan, unit=units["g1"], month=12, text="冬季长跑")
    client = client_for(zhuxi)
    url = reverse("orgs:deactivate", args=[units["g1"].pk])

    page = client.get(url).content.decode()
    assert "还有 1 名在会会员、1 项未办结的计划事项、0 个未举办活动的报名" in page and "确认停用" not in page
    response = client.post(url, follow=True)
    assert "暂不能停用" in response.content.decode()
    assert OrgUnit.objects.get(pk=units["g1"].pk).is_active

    Member.objects.filter(pk=member.pk).update(status="left")
    ScheduleItem.objects.filter(pk=item.pk).update(status=ItemStatus.DONE)
    assert "确认停用" in client.get(url).content.decode()
    client.post(url)
    assert not OrgUnit.objects.get(pk=units["g1"].pk).is_active
