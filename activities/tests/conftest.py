import datetime

import pytest
from django.utils import timezone

from activities.models import Activity, Status
from members.models import Member


@pytest.fixture
def member_factory(units):
    """``member_factory(name, unit="g1", **fields)``: a member of the union (no ID number needed here)."""

    def make(name="张伟", unit="g1", *, gender="M", birth_date=datetime.date(1985, 3, 2), **fields):
        return Member.objects.create(
            unit=units[unit] if isinstance(unit, str) else unit,
            name=name,
            gender=gender,
            birth_date=birth_date,
            **fields,
        )

    return make


@pytest.fixture
def me(huiyuan, member_factory):
    """huiyuan's own roster record: the member who registers from her phone."""
    return member_factory("周小红", "g1", gender="F", birth_date=datetime.date(1992, 5, 1), user=huiyuan)


@pytest.fixture
def make_activity(units, zhuxi):
    """``make_activity(**fields)``: an open activity of demo-school next week, registration open now."""

    def make(**fields):
        now = timezone.now()
        values = {
            "unit": units["school"],
            "title": "教职工趣味运动会",
            "kind": "sports",
            "starts_at": now + datetime.timedelta(days=7),
            "status": Status.OPEN,
            "created_by": zhuxi,
        }
        values.update(fields)
        return Activity.objects.create(**values)

    return make


@pytest.fixture
def plan_item(units):
    """A published plan of demo-school with one culture item this month: what an activity fulfils."""
    from plans.models import Plan, PlanStatus, ScheduleItem

    today = timezone.localdate()
    plan = Plan.objects.create(
        unit=units["school"], year=today.year, title="年度工会工作计划", status=PlanStatus.PUBLISHED
    )
    return ScheduleItem.objects.create(
        plan=plan, unit=units["school"], month=today.month, text="举办教职工趣味运动会", category="culture"
    )
