"""seed_scale builds a province with work in proportion, and its roll-ups agree with the records."""

import io

from django.core.management import call_command

from activities.models import Activity, Registration
from members.models import Member
from orgs.models import OrgUnit
from plans.models import Plan, ScheduleItem
from rollups import read
from rollups.refresh import drift


def test_seed_scale_adds_plans_activities_check_ins_and_exact_rollups(db):
    call_command("seed_scale", members=400, prefix="t", stdout=io.StringIO())
    unions = OrgUnit.objects.filter(code__startswith="t-u", kind="union").count()
    assert Member.objects.count() == 400
    assert Plan.objects.count() == unions and ScheduleItem.objects.count() == 12 * unions
    assert Activity.objects.filter(status="held").count() == 2 * unions
    assert 0.25 * 400 < Registration.objects.filter(checked_in_at__isnull=False).count() < 0.55 * 400
    assert drift() == []
    province = OrgUnit.objects.get(code="t-province")
    figures = read.for_unit(province)
    assert figures.members == Member.objects.in_union().count()
    assert figures.items == 12 * unions
