"""Next year's plan, drafted and adopted in December: its year has not begun, so no target is at risk and
no item late; the pages say when the year begins instead of judging it against months not yet passed."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from plans import services
from plans.models import TargetOp, TargetState

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def in_december(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def plan_of(year, unit, user):
    plan = services.plan_from_template(unit=unit, year=year, template_key="school", user=user)
    # Two visits of twelve: behind in any month of a year under way.
    plan.targets.create(name="送温暖入户走访", op=TargetOp.AT_LEAST, value=12, measure="户", actual_manual=2)
    services.plan_publish(plan=plan)
    return plan


@pytest.fixture
def next_year(units, zhuxi):
    return plan_of(2027, units["school"], zhuxi)


def test_next_years_targets_are_not_started_rather_than_at_risk(next_year):
    target = next_year.targets.get(name="送温暖入户走访")
    assert target.state(TODAY) == TargetState.NOT_STARTED
    progress = services.plan_progress(next_year, today=TODAY)
    assert not progress.begun and progress.days_to_begin == 25
    assert progress.target_states[TargetState.AT_RISK] == 0


def test_next_years_plan_page_shows_no_risk_and_says_when_the_year_begins(client_for, zhuxi, next_year):
    html = client_for(zhuxi).get(reverse("plans:detail", args=[next_year.pk])).content.decode()
    assert "有风险" not in html and "进度落后于已过月份" not in html and "月份已过仍未完成" not in html
    begins = html.split('data-testid="year-not-begun"')[1].split("</div></div>")[0]
    assert "25 天" in begins and "2027年1月1日开始，届时按月统计逾期事项" in begins
    assert "目标未开始" in html and "年度开始后按已过月份判断进度" in html
    legend = html.split('data-testid="target-legend"')[1].split("</div>")[0]
    assert "2027年还没有开始，目标暂不判断进度" in legend
    assert "年度未开始" in html  # each target's badge


def test_this_years_plan_page_still_judges_risk(client_for, zhuxi, units):
    this_year = plan_of(2026, units["school"], zhuxi)
    html = client_for(zhuxi).get(reverse("plans:detail", args=[this_year.pk])).content.decode()
    assert "目标有风险" in html and "“有风险”：累计类目标" in html
    assert 'data-testid="year-not-begun"' not in html


def test_marking_an_item_of_next_year_keeps_the_totals_free_of_risk(client_for, zhuxi, next_year):
    """The plan page's totals come back with the item's row (htmx): still no risk card."""
    item = next_year.items.first()
    response = client_for(zhuxi).post(
        reverse("plans:item_status", args=[item.pk]),
        {"status": "in_progress", "progress": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'data-testid="year-not-begun"' in html and "目标有风险" not in html


def test_the_items_list_of_next_year_says_when_it_begins_and_offers_no_overdue_filter(client_for, zhuxi, next_year):
    html = client_for(zhuxi).get(reverse("plans:assigned"), {"year": 2027}).content.decode()
    assert "2027年还没有开始（1月1日开始）：事项届时按月份跟踪，现在不会显示逾期。" in html
    assert 'value="overdue"' not in html
    this_year = client_for(zhuxi).get(reverse("plans:assigned"), {"year": 2026}).content.decode()
    assert 'value="overdue"' in this_year and 'data-testid="year-not-begun"' not in this_year


def test_a_target_already_reached_before_the_year_is_achieved(next_year):
    target = next_year.targets.get(name="送温暖入户走访")
    target.actual_manual = Decimal(12)
    assert target.state(TODAY) == TargetState.ACHIEVED
