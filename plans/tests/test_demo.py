import datetime

import pytest
from django.utils import timezone

from orgs import demo as orgs_demo
from plans import demo
from plans.models import ItemStatus, Plan, PlanStatus, ScheduleItem, SummaryStatus, YearSummary

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def test_demo_plans_are_tracked_up_to_today_and_idempotent(db):
    orgs_demo.populate()
    demo.populate()
    demo.populate()

    school_plans = {p.year: p for p in Plan.objects.filter(unit__code="demo-school")}
    assert sorted(school_plans) == [2025, 2026, 2027]
    current = school_plans[2026]
    assert current.status == PlanStatus.PUBLISHED
    assert school_plans[2027].status == PlanStatus.DRAFT
    assert current.items.filter(status=ItemStatus.DONE).count() > 15
    assert ScheduleItem.objects.filter(plan=current).overdue(timezone.localdate()).exists()
    assert current.items.exclude(unit=current.unit).exists()  # some work is the groups'
    assert YearSummary.objects.get(unit__code="demo-school", year=2025).status == SummaryStatus.FINAL
    assert Plan.objects.filter(year=2026).exclude(unit__code="demo-school").count() == 4
