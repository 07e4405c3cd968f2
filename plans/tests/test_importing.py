import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from plans.importing import guess_category, plan_import
from plans.models import Category, Plan, PlanSource, PlanStatus
from plans.parsing import parse_plan
from plans.services import PlanError

SAMPLES = Path(__file__).resolve().parent / "samples"

TEXT = """实验小学工会2027年工作计划
指导思想：以教职工为中心。
一、工作目标
入会率达到100%，全年文体活动不少于8次。
二、月度安排
三月份
1. 3月8日组织三八妇女节活动
2. 召开教代会
九月份
1. 庆祝教师节
"""


def test_import_saves_a_draft_with_sections_targets_and_items(units, zhuxi):
    plan = plan_import(unit=units["school"], year=2027, parsed=parse_plan(TEXT), user=zhuxi)
    assert (plan.status, plan.source, plan.created_by) == (PlanStatus.DRAFT, PlanSource.IMPORT, zhuxi)
    assert plan.title == "实验小学工会2027年工作计划"
    assert plan.guiding == "以教职工为中心。"
    assert [(s.level, s.heading) for s in plan.sections.all()] == [(1, "工作目标")]
    assert [(t.value, t.measure, t.op) for t in plan.targets.all()] == [
        (Decimal(100), "%", "=="),
        (Decimal(8), "次", ">="),
    ]
    items = list(plan.items.order_by("order"))
    assert [(i.month, i.text, i.unit) for i in items] == [
        (3, "3月8日组织三八妇女节活动", units["school"]),
        (3, "召开教代会", units["school"]),
        (9, "庆祝教师节", units["school"]),
    ]
    assert items[0].date == datetime.date(2027, 3, 8)
    assert [i.category for i in items] == [Category.WOMEN, Category.DEMOCRACY, Category.CULTURE]


def test_a_percentage_above_the_whole_is_refused_by_name_and_nothing_saved(units):
    """A slip in the document ("入会率达到150%") is named; the plan is not half written."""
    with pytest.raises(PlanError, match="目标“入会率达到150%”的目标值有误：百分比不能大于100。"):
        plan_import(unit=units["school"], year=2027, parsed=parse_plan(TEXT.replace("100%", "150%")))
    assert Plan.objects.count() == 0


def test_import_refuses_a_second_plan_for_the_same_year_and_saves_nothing(units):
    plan_import(unit=units["school"], year=2027, parsed=parse_plan(TEXT))
    with pytest.raises(PlanError, match="已有2027年"):
        plan_import(unit=units["school"], year=2027, parsed=parse_plan(TEXT))
    assert Plan.objects.count() == 1


def test_a_second_import_raced_past_the_check_is_told_and_saves_nothing(units, monkeypatch):
    plan_import(unit=units["school"], year=2027, parsed=parse_plan(TEXT))
    monkeypatch.setattr(Plan.objects, "filter", lambda **kw: Plan.objects.none())  # its check ran first
    with pytest.raises(PlanError, match="已有2027年"):
        plan_import(unit=units["school"], year=2027, parsed=parse_plan(TEXT))
    assert Plan.objects.count() == 1


def test_untitled_text_gets_a_title_from_unit_and_year(units):
    plan = plan_import(unit=units["office"], year=2028, parsed=parse_plan("三月：植树活动"))
    assert plan.title == "县教育局机关工会2028年工作计划"
    assert plan.items.get().month == 3


@pytest.mark.parametrize("name", ["middle-school-2027.txt", "county-hospital-2027.txt", "machinery-plant-2027.txt"])
def test_every_sample_imports(units, name):
    parsed = parse_plan((SAMPLES / name).read_text(encoding="utf-8"))
    plan = plan_import(unit=units["school"], year=2027, parsed=parsed)
    assert plan.items.count() == parsed.item_count
    assert plan.targets.count() == len(parsed.targets)


def test_category_guesses():
    assert guess_category("女职工“两癌”筛查") == Category.WOMEN
    assert guess_category("车工技术比武") == Category.COMPETITION
    assert guess_category("春节前走访慰问困难职工") == Category.CARE
    assert guess_category("组织青年教师演讲比赛") == Category.STUDY
    assert guess_category("植树") == Category.OTHER


def test_numbered_target_lines_become_targets_not_headings_as_well(units, zhuxi):
    """Under 二、工作目标 each numbered line is a target: listed once on the page and in the Word document."""
    text = """城关中心校工会2027年工作计划
一、指导思想
以教职工为中心。
二、工作目标
1. 教职工入会率达到98%；
2. 全年开展文体活动不少于15次；
三、主要工作
1. 加强思想引领
每月组织一次学习。
"""
    plan = plan_import(unit=units["school"], year=2027, parsed=parse_plan(text), user=zhuxi)
    assert [t.name for t in plan.targets.all()] == ["教职工入会率达到98%", "全年开展文体活动不少于15次"]
    headings = [s.heading for s in plan.sections.all()]
    assert not any("入会率" in h or "文体活动" in h for h in headings)
    assert "加强思想引领" in headings  # a numbered heading with its own text stays
