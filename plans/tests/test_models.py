import datetime
from decimal import Decimal

import pytest

from core.officialdoc import chinese_numeral
from plans.models import (
    ItemStatus,
    Plan,
    PlanStatus,
    ScheduleItem,
    Target,
    TargetState,
    format_number,
    heading_numbers,
)


class Heading:
    def __init__(self, level):
        self.level = level


def test_chinese_numerals_as_in_documents():
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 20, 23, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
        "九十九",
    ]


def test_heading_numbers_restart_under_each_higher_heading():
    levels = [1, 2, 3, 4, 4, 3, 2, 1, 3, 1, 2]
    numbers = heading_numbers(levels)
    assert numbers == ["一、", "（一）", "1.", "（1）", "（2）", "2.", "（二）", "二、", "1.", "三、", "（一）"]
    western = heading_numbers([1, 2, 2, 3, 1], chinese=False)
    assert western == ["1. ", "1.1 ", "1.2 ", "1.2.1 ", "2. "]


def test_numbers_read_as_written():
    assert [format_number(Decimal(v)) for v in ("12", "1000000", "79.30", "0.25")] == [
        "12",
        "1,000,000",
        "79.3",
        "0.25",
    ]


@pytest.fixture
def plan(units):
    return Plan.objects.create(unit=units["school"], year=2027, title="计划", status=PlanStatus.PUBLISHED)


def target(plan, op, value, actual, measure="次"):
    return Target(plan=plan, name="t", op=op, value=Decimal(value), actual_manual=actual, measure=measure)


@pytest.mark.parametrize(
    ("op", "value", "actual", "measure", "today", "state"),
    [
        (">=", 12, None, "次", datetime.date(2027, 7, 1), TargetState.NO_DATA),
        (">=", 12, 12, "次", datetime.date(2027, 3, 1), TargetState.ACHIEVED),
        # By 1 July six months have passed: six of twelve keeps pace, five is behind.
        (">=", 12, 6, "次", datetime.date(2027, 7, 1), TargetState.ON_TRACK),
        (">=", 12, 5, "次", datetime.date(2027, 7, 1), TargetState.AT_RISK),
        (">=", 12, 0, "次", datetime.date(2027, 1, 20), TargetState.ON_TRACK),
        # A rate is a level: below target is at risk whatever the month.
        (">=", 95, 94, "%", datetime.date(2027, 2, 1), TargetState.AT_RISK),
        ("<=", 0, 0, "起", datetime.date(2027, 7, 1), TargetState.ON_TRACK),
        ("<=", 0, 1, "起", datetime.date(2027, 7, 1), TargetState.AT_RISK),
        ("<=", 0, 0, "起", datetime.date(2028, 1, 2), TargetState.ACHIEVED),
        ("==", 100, 100, "%", datetime.date(2027, 7, 1), TargetState.ACHIEVED),
        ("==", 100, 101, "%", datetime.date(2027, 7, 1), TargetState.AT_RISK),
        # The year is over: what was not reached is missed.
        (">=", 12, 11, "次", datetime.date(2028, 1, 2), TargetState.MISSED),
        ("<=", 0, 2, "起", datetime.date(2028, 1, 2), TargetState.MISSED),
    ],
)
def test_target_state_rule(plan, op, value, actual, measure, today, state):
    assert target(plan, op, value, actual, measure).state(today) == state


def test_a_live_target_reads_its_metric_for_the_plans_subtree(plan, units, monkeypatch):
    from core import figures

    seen = []

    def held(unit, year):
        seen.append((unit, year))
        return 7

    monkeypatch.setitem(figures._metrics, "test.held", figures.Metric("test.held", "举办活动", "次", held))
    live = Target(plan=plan, name="活动", op=">=", value=12, measure="次", metric="test.held", actual_manual=99)
    assert live.actual() == Decimal(7) and seen == [(units["school"], 2027)]
    live.full_clean()
    live.metric = "nope.unknown"
    with pytest.raises(Exception, match="没有这项统计数据"):
        live.full_clean()


@pytest.mark.parametrize(
    ("month", "status", "postponed_to", "today", "overdue"),
    [
        (3, ItemStatus.PLANNED, None, datetime.date(2027, 3, 31), False),
        (3, ItemStatus.PLANNED, None, datetime.date(2027, 4, 1), True),
        (3, ItemStatus.IN_PROGRESS, None, datetime.date(2027, 4, 1), True),
        (3, ItemStatus.DONE, None, datetime.date(2027, 9, 1), False),
        (3, ItemStatus.CANCELLED, None, datetime.date(2027, 9, 1), False),
        (3, ItemStatus.POSTPONED, 6, datetime.date(2027, 6, 30), False),
        (3, ItemStatus.POSTPONED, 6, datetime.date(2027, 7, 1), True),
        (0, ItemStatus.PLANNED, None, datetime.date(2027, 12, 31), False),
        (0, ItemStatus.PLANNED, None, datetime.date(2028, 1, 1), True),
        (12, ItemStatus.PLANNED, None, datetime.date(2028, 1, 1), True),
    ],
)
def test_overdue_rule_is_the_same_for_one_item_and_the_queryset(
    plan, units, month, status, postponed_to, today, overdue
):
    item = ScheduleItem.objects.create(
        plan=plan, unit=units["g1"], month=month, text="事项", status=status, postponed_to=postponed_to
    )
    assert item.is_overdue(today) is overdue
    assert ScheduleItem.objects.overdue(today).filter(pk=item.pk).exists() is overdue


def test_items_of_a_draft_are_never_overdue(plan, units):
    plan.status = PlanStatus.DRAFT
    plan.save()
    item = ScheduleItem.objects.create(plan=plan, unit=units["school"], month=1, text="事项")
    assert not item.is_overdue(datetime.date(2027, 6, 1))
    assert not ScheduleItem.objects.overdue(datetime.date(2027, 6, 1)).exists()


def test_mark_done_records_who_and_keeps_earlier_notes(plan, units, zhuxi):
    item = ScheduleItem.objects.create(plan=plan, unit=units["school"], month=5, text="拔河比赛", note="借用操场")
    item.mark_done(by=zhuxi, note="已举办“春季拔河赛”，参与 36 人次。")
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.done_by == zhuxi and item.done_at is not None
    assert item.note == "借用操场\n已举办“春季拔河赛”，参与 36 人次。"
    assert item.history.first().history_type == "~"


def test_item_validation_names_the_wrong_field(plan, units):
    item = ScheduleItem(
        plan=plan, unit=units["office"], month=5, date=datetime.date(2027, 6, 1), text="x", status="postponed"
    )
    with pytest.raises(Exception) as caught:
        item.full_clean()
    errors = caught.value.message_dict
    assert set(errors) == {"unit", "date", "postponed_to"}


def test_in_month_follows_postponements(plan, units):
    moved = ScheduleItem.objects.create(
        plan=plan, unit=units["school"], month=3, text="移走", status=ItemStatus.POSTPONED, postponed_to=5
    )
    stays = ScheduleItem.objects.create(plan=plan, unit=units["school"], month=5, text="原定")
    assert set(ScheduleItem.objects.in_month(2027, 5)) == {moved, stays}
    assert not ScheduleItem.objects.in_month(2027, 3).exists()
