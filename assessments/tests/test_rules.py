"""Rules score a criterion from the record, follow the record while the self-check is a draft, and
are frozen with the submission."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import rules, services
from assessments.models import Criterion
from assessments.tests.conftest import check_of, fill
from core import figures
from federation.models import Filing, FilingStatus
from plans.models import Plan, PlanStatus


def _line(check, title):
    return next(line for line in services.lines(check) if line.criterion.title == title)


def test_plan_published_rule_scores_from_the_record_and_follows_it(round_, units):
    check = check_of(round_, units["school"])
    line = _line(check, "年度计划已发布")
    assert line.by_rule and line.claimed == 0

    plan = Plan.objects.create(unit=units["school"], year=2026, title="2026年工会工作计划")
    assert _line(check, "年度计划已发布").claimed == 0  # a draft plan is not published
    plan.status = PlanStatus.PUBLISHED
    plan.save()
    line = _line(check, "年度计划已发布")
    assert line.claimed == 10
    assert line.evidence == [("2026年工会工作计划", f"/plans/{plan.pk}/")]


def test_rule_scores_are_frozen_with_the_submission(round_, units):
    check = check_of(round_, units["school"])
    plan = Plan.objects.create(unit=units["school"], year=2026, title="计划", status=PlanStatus.PUBLISHED)
    fill(check)
    services.selfcheck_submit(check=check, by=None)
    plan.status = PlanStatus.DRAFT
    plan.save()
    check.refresh_from_db()
    line = _line(check, "年度计划已发布")
    assert line.claimed == 10 and line.value == "工作计划已发布"
    assert check.self_total == 30


def _filing(unit, *, filed_on, due):
    return Filing.objects.create(
        unit=unit,
        parent=unit,
        kind="plans.plan",
        year=2026,
        title="2026年工作计划",
        status=FilingStatus.FILED,
        due=due,
        filed_at=timezone.make_aware(datetime.datetime.combine(filed_on, datetime.time(9))),
    )


@pytest.mark.parametrize(("filed_on", "met"), [(datetime.date(2026, 2, 27), True), (datetime.date(2026, 3, 2), False)])
def test_plan_filed_before_the_deadline(scheme, units, filed_on, met):
    criterion = Criterion.objects.create(scheme=scheme, title="按时报备", points=5, rule="plans.filed_on_time")
    assert rules.outcome_for(criterion, unit=units["school"], year=2026).met is False  # nothing filed
    _filing(units["school"], filed_on=filed_on, due=datetime.date(2026, 2, 28))
    outcome = rules.outcome_for(criterion, unit=units["school"], year=2026)
    assert outcome.met is met
    assert rules.points_for(criterion, outcome) == (5 if met else 0)
    assert f"{filed_on.year}年{filed_on.month}月{filed_on.day}日报备" in outcome.value  # as officers write it


def _fake_metric(monkeypatch, key, value):
    monkeypatch.setitem(
        figures._metrics, key, figures.Metric(key=key, label="测试指标", measure="%", compute=lambda unit, year: value)
    )


def test_metric_at_least_threshold(monkeypatch, scheme, units):
    criterion = Criterion.objects.create(
        scheme=scheme, title="入会率95%以上", points=10, rule="members.membership_rate", threshold=Decimal(95)
    )
    _fake_metric(monkeypatch, "members.membership_rate", Decimal("96.5"))
    outcome = rules.outcome_for(criterion, unit=units["school"], year=2026)
    assert outcome.met and "96.5" in outcome.value
    _fake_metric(monkeypatch, "members.membership_rate", Decimal("94.9"))
    assert rules.outcome_for(criterion, unit=units["school"], year=2026).met is False


def test_any_metric_and_no_data(monkeypatch, scheme, units):
    criterion = Criterion.objects.create(
        scheme=scheme, title="活动", points=10, rule="metric", metric="test.held", threshold=Decimal(4)
    )
    _fake_metric(monkeypatch, "test.held", 4)
    assert rules.outcome_for(criterion, unit=units["school"], year=2026).met is True
    _fake_metric(monkeypatch, "test.held", None)
    outcome = rules.outcome_for(criterion, unit=units["school"], year=2026)
    assert outcome.met is None and rules.points_for(criterion, outcome) is None


def test_congress_held_reads_the_democracy_metric(monkeypatch, scheme, units):
    criterion = Criterion.objects.create(scheme=scheme, title="召开教代会", points=10, rule="democracy.congress_held")
    _fake_metric(monkeypatch, "democracy.sessions_held", 0)
    assert rules.outcome_for(criterion, unit=units["school"], year=2026).met is False
    _fake_metric(monkeypatch, "democracy.sessions_held", 1)
    assert rules.outcome_for(criterion, unit=units["school"], year=2026).met is True


def test_a_criterion_the_rule_cannot_score_is_left_to_the_unit(monkeypatch, round_, units, scheme):
    Criterion.objects.filter(scheme=scheme, rule="plans.published").update(
        rule="metric", metric="test.none", threshold=1
    )
    _fake_metric(monkeypatch, "test.none", None)
    check = check_of(round_, units["school"])
    line = _line(check, "年度计划已发布")
    assert not line.by_rule and line.claimed is None
    fill(check, Decimal(7))
    assert _line(check, "年度计划已发布").claimed == 7
    services.selfcheck_submit(check=check, by=None)
    check.refresh_from_db()
    assert check.self_total == 21  # 7 for each of the three, the last scored by the unit


def test_a_contract_criterion_is_met_by_a_contract_in_force_that_year_and_filed(scheme, units, zhuxi):
    """The school scored itself 5 of 5 for 签订集体合同并报备 with no contract at all; the record says so."""
    from contracts import services as contracts

    criterion = Criterion.objects.create(scheme=scheme, title="签订集体合同并报备", points=5, rule="contracts.filed")
    school = units["school"]
    outcome = rules.outcome_for(criterion, unit=school, year=2026)
    assert (outcome.met, outcome.value) == (False, "2026年没有有效的集体合同")
    contract = contracts.contract_open(
        unit=school,
        by=zhuxi,
        kind="wages",
        title="2026年工资专项集体合同",
        employer="城关镇中心学校",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        workers_covered=30,
        requested_on=datetime.date(2025, 11, 20),
    )
    assert rules.outcome_for(criterion, unit=school, year=2026).met is False  # still bargaining
    contracts.contract_sign(
        contract=contract, by=zhuxi, signed_on=datetime.date(2025, 12, 20), congress_approval="教代会"
    )
    outcome = rules.outcome_for(criterion, unit=school, year=2026)
    assert (outcome.met, outcome.value) == (False, "集体合同已签订，尚未报备")
    assert outcome.evidence == [("2026年工资专项集体合同", f"/contracts/{contract.pk}/")]
    contracts.contract_file(contract=contract, by=zhuxi, filed_on=datetime.date(2025, 12, 28), filed_with="县人社局")
    outcome = rules.outcome_for(criterion, unit=school, year=2026)
    assert (outcome.met, outcome.value) == (True, "2025年12月28日报备")
    assert rules.outcome_for(criterion, unit=school, year=2027).met is False  # lapsed by then


def test_the_staff_home_template_scores_the_contract_criterion_from_the_record():
    from assessments.scheme_templates import STAFF_HOME

    assert "contracts.filed" in [c.rule for c in STAFF_HOME.criteria]
