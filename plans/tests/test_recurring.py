"""A recurring item ("每月开展一次小型文体活动") has one turn per month and is done when every
month's turn is; an activity held in June fulfils June's turn only."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Activity, Status
from activities.services import activity_record_held
from plans import services
from plans.importing import plan_import
from plans.models import ItemOccurrence, ItemStatus, ScheduleItem, looks_recurring
from plans.parsing import parse_plan


@pytest.fixture
def monthly(units):
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="计划")
    return ScheduleItem.objects.create(
        plan=plan, unit=units["school"], month=0, text="每月开展一次小型文体活动", category="culture", recurring=True
    )


@pytest.mark.parametrize(
    "text, recurring",
    [("每月开展一次小型文体活动", True), ("每个月组织读书会", True), ("每月1日升旗", False), ("三月开展植树", False)],
)
def test_monthly_work_is_recognised_by_its_words(text, recurring):
    assert looks_recurring(text) is recurring


def test_an_activity_in_june_fulfils_junes_turn_only(monthly, zhuxi):
    activity = Activity.objects.create(
        unit=monthly.unit,
        title="六月羽毛球小赛",
        kind="sports",
        starts_at=timezone.make_aware(datetime.datetime(2027, 6, 12, 15)),
        status=Status.OPEN,
        created_by=zhuxi,
        schedule_item=monthly,
    )
    activity_record_held(
        activity=activity, by=zhuxi, participant_times=20, now=timezone.make_aware(datetime.datetime(2027, 6, 13))
    )
    monthly.refresh_from_db()
    assert list(monthly.occurrences.values_list("month", flat=True)) == [6]
    assert monthly.status == ItemStatus.IN_PROGRESS and not monthly.is_done


def test_the_item_is_done_when_every_months_turn_is(monthly, zhuxi):
    for month in range(1, 12):
        monthly.mark_done(by=zhuxi, month=month)
    monthly.refresh_from_db()
    assert monthly.status == ItemStatus.IN_PROGRESS
    monthly.mark_done(by=zhuxi, month=12)
    monthly.refresh_from_db()
    assert monthly.status == ItemStatus.DONE and ItemOccurrence.objects.filter(item=monthly).count() == 12


def test_marking_a_recurring_item_done_in_its_year_records_this_months_turn(monthly, zhuxi):
    services.item_set_status(item=monthly, status=ItemStatus.DONE, user=zhuxi, today=datetime.date(2027, 5, 20))
    monthly.refresh_from_db()
    assert monthly.status == ItemStatus.IN_PROGRESS
    [row] = services.item_rows([monthly], today=datetime.date(2027, 5, 20))
    assert (row.months_done, row.months_due) == (1, 12)


def test_a_recurring_item_starting_in_a_month_runs_to_december(units):
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="计划")
    item = ScheduleItem(plan=plan, unit=units["school"], month=9, text="每月一次读书会", recurring=True)
    assert item.occurrence_months() == [9, 10, 11, 12]


def test_imported_and_template_plans_mark_monthly_work_recurring(units, zhuxi):
    parsed = parse_plan("某校工会2027年工作计划\n一、主要工作\n1、每月开展一次小型文体活动\n2、3月植树")
    plan = plan_import(unit=units["school"], year=2027, parsed=parsed)
    assert [(i.text, i.recurring) for i in plan.items.order_by("month")] == [
        ("每月开展一次小型文体活动", True),
        ("3月植树", False),
    ]
    template = services.plan_from_template(unit=units["school"], year=2028, template_key="school", user=zhuxi)
    assert all(looks_recurring(i.text) == i.recurring for i in template.items.all())


def test_the_summary_says_how_many_months_a_recurring_item_was_done(monthly, zhuxi):
    monthly.mark_done(by=zhuxi, month=6)
    body = services.summary_text(plan=monthly.plan, today=datetime.date(2028, 1, 10))
    assert "每月开展一次小型文体活动（12个月中完成1个月）" in body


def test_a_summary_in_december_counts_a_monthly_item_with_turns_missed_as_undone(monthly, zhuxi):
    """Drafted on 8 December, a monthly item done in June only was listed as "正在推进" with
    December's open work, though ten months' turns were missed; one with every past turn done is under way."""
    kept_up = ScheduleItem.objects.create(
        plan=monthly.plan, unit=monthly.unit, month=10, text="每月一次读书会", category="study", recurring=True
    )
    monthly.mark_done(by=zhuxi, month=6)
    kept_up.mark_done(by=zhuxi, month=10)
    kept_up.mark_done(by=zhuxi, month=11)
    body = services.summary_text(plan=monthly.plan, today=datetime.date(2027, 12, 8))
    done_part, shortfall = body.split("存在的不足和下一步打算")
    assert "每月开展一次小型文体活动（12个月中完成1个月）" in shortfall
    assert "正在推进：每月一次读书会（3个月中完成2个月）。" in done_part


def test_a_monthly_item_not_yet_begun_is_not_silently_moved_to_in_progress(units, zhuxi):
    """A reading club from September, marked done in June: no turn to record, and it says so."""
    plan = services.plan_create_blank(unit=units["school"], year=2027, title="计划")
    club = ScheduleItem.objects.create(plan=plan, unit=units["school"], month=9, text="每月一次读书会", recurring=True)
    with pytest.raises(services.PlanError, match="这项工作从9月起每月一次，本月还没有轮到") as refused:
        services.item_set_status(item=club, status=ItemStatus.DONE, user=zhuxi, today=datetime.date(2027, 6, 10))
    assert refused.value.field == "status"
    club.refresh_from_db()
    assert club.status == ItemStatus.PLANNED
    services.item_set_status(
        item=club, status=ItemStatus.DONE, user=zhuxi, whole=True, today=datetime.date(2027, 6, 10)
    )
    club.refresh_from_db()
    assert club.status == ItemStatus.DONE
