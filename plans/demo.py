"""Demo plans: demo-school's published plan for this year, tracked up to today (most past items
done, a few overdue, some assigned to the union groups), last year's plan with its final summary,
next year's draft copied from this year's, and plans of a few other demo unions."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from orgs.models import OrgUnit
from plans import services
from plans.models import ItemStatus, Plan, PlanStatus, SummaryStatus

# Items assigned to a union group of demo-school rather than the union itself: (words in the text, group code).
SCHOOL_GROUP_ITEMS = [
    ("小型文体活动", "demo-school-g2"),
    ("趣味运动会", "demo-school-g2"),
    ("猜灯谜", "demo-school-g3"),
    ("拔河", "demo-school-g4"),
    ("读书分享会", "demo-school-g1"),
]

TYPED_ACTUALS = {"教代会提案答复率": 100, "走访慰问困难教职工": 11, "女职工安康互助保险参保率": 96}

OTHER_PLANS = [
    # unit code, template, published
    ("demo-county", "federation", True),
    ("demo-jixie", "company", True),
    ("demo-jiaoyuju", "office", False),
    ("demo-yizhong", "school", True),
]


def _track(plan, *, today, by, leave_open_every=6):
    """Mark the plan's past items done as an officer would have, leaving every n-th one open."""
    past = [i for i in plan.items.all() if i.month > 0 and (plan.year, i.month) < (today.year, today.month)]
    for position, item in enumerate(past):
        if position % leave_open_every == leave_open_every - 1:
            continue
        item.status = ItemStatus.DONE
        item.done_by = by
        day = item.date or datetime.date(plan.year, item.month, 20)
        item.done_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 30)))
        item.save(update_fields=["status", "done_by", "done_at"])
    current = [i for i in plan.items.all() if i.month == today.month and plan.year == today.year]
    for item in current[:1]:
        item.status = ItemStatus.IN_PROGRESS
        item.save(update_fields=["status"])


def _school_plan(school, year, *, today, chair):
    plan = Plan.objects.filter(unit=school, year=year).first()
    if plan is not None:
        return plan
    plan = services.plan_from_template(unit=school, year=year, template_key="school", user=chair)
    groups = {u.code: u for u in OrgUnit.objects.get_children(school)}
    for words, code in SCHOOL_GROUP_ITEMS:
        if code in groups:
            plan.items.filter(text__contains=words).update(unit=groups[code])
    for target in plan.targets.filter(name__in=TYPED_ACTUALS):
        target.actual_manual = Decimal(TYPED_ACTUALS[target.name])
        target.save(update_fields=["actual_manual"])
    services.plan_publish(plan=plan, user=chair)
    _track(plan, today=today, by=chair)
    return plan


def populate(*, stdout=None):
    today = timezone.localdate()
    school = OrgUnit.objects.get(code="demo-school")
    chair = get_user_model().objects.filter(username="zhuxi").first()

    last_year = _school_plan(school, today.year - 1, today=today, chair=chair)
    if not last_year.summaries.exists():
        summary = services.summary_draft(plan=last_year, user=chair, today=today)
        summary.status = SummaryStatus.FINAL
        summary.dated = datetime.date(last_year.year, 12, 28)
        summary.save(update_fields=["status", "dated"])
    this_year = _school_plan(school, today.year, today=today, chair=chair)
    if not Plan.objects.filter(unit=school, year=today.year + 1).exists():
        services.plan_copy(source=this_year, year=today.year + 1, user=chair)

    for code, template, published in OTHER_PLANS:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None or Plan.objects.filter(unit=unit, year=today.year).exists():
            continue
        plan = services.plan_from_template(unit=unit, year=today.year, template_key=template)
        if published:
            services.plan_publish(plan=plan)
            _track(plan, today=today, by=None, leave_open_every=4)

    if stdout:
        plans = Plan.objects.in_subtree(OrgUnit.objects.get(code="demo-county"))
        published = plans.filter(status=PlanStatus.PUBLISHED).count()
        stdout.write(f"plans: {plans.count()} plans ({published} published) under demo-county")
