"""Rules that score a criterion from the record, so that a unit is not asked what the product knows.

A rule takes the unit, the year and the criterion (for its threshold and metric) and returns an
``Outcome``: whether the criterion is met (None when the record cannot say), what the record holds
in words, and links to the evidence. A met criterion earns its full points, an unmet one none.
Rules read live data, so a draft self-check's pre-score follows the record until it is submitted.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.figures import metric_value, metrics
from core.language import written_date


@dataclass(frozen=True)
class Outcome:
    met: bool | None
    value: str  # what the record holds, translated: "入会率 96.5%"
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


@dataclass(frozen=True)
class Rule:
    key: str
    label: str  # lazy translation
    score: Callable  # (unit, year, criterion) -> Outcome
    metric: str = ""  # the metric it compares with the threshold; "" = chosen per criterion or none
    needs_threshold: bool = False


_rules: dict[str, Rule] = {}


def rule(key, label, *, metric="", needs_threshold=False):
    def decorator(func):
        _rules[key] = Rule(key=key, label=label, score=func, metric=metric, needs_threshold=needs_threshold)
        return func

    return decorator


def rules() -> dict[str, Rule]:
    return dict(_rules)


def get(key) -> Rule | None:
    return _rules.get(key)


def outcome_for(criterion, *, unit, year) -> Outcome | None:
    """The rule's outcome for ``criterion``, or None when it has no rule (the unit scores it)."""
    found = _rules.get(criterion.rule)
    if found is None:
        return None
    return found.score(unit, year, criterion)


def points_for(criterion, outcome: Outcome | None) -> Decimal | None:
    if outcome is None or outcome.met is None:
        return None
    return criterion.points if outcome.met else Decimal(0)


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value.quantize(Decimal('0.1'))}"


@rule("plans.filed_on_time", gettext_lazy("年度工作计划按时报备"))
def plan_filed_on_time(unit, year, criterion):
    from federation.models import Filing, FilingStatus

    filing = (
        Filing.objects.filter(unit=unit, kind="plans.plan", year=year)
        .exclude(status=FilingStatus.DRAFT)
        .order_by("filed_at")
        .first()
    )
    if filing is None or filing.filed_at is None:
        return Outcome(False, _("尚未向上级报备%(year)s年工作计划") % {"year": year})
    evidence = [(filing.title, _url("plans:detail", filing.subject_id) if filing.subject_id else "")]
    if filing.filed_late():
        return Outcome(
            False,
            _("%(date)s报备，晚于截止日期%(due)s")
            % {"date": written_date(timezone.localdate(filing.filed_at)), "due": written_date(filing.due)},
            evidence,
        )
    return Outcome(True, _("%(date)s报备") % {"date": written_date(timezone.localdate(filing.filed_at))}, evidence)


@rule("plans.published", gettext_lazy("当年工作计划已发布"))
def plan_published(unit, year, criterion):
    from plans.models import Plan, PlanStatus

    plan = Plan.objects.filter(unit=unit, year=year).first()
    if plan is None:
        return Outcome(False, _("没有%(year)s年工作计划") % {"year": year})
    evidence = [(plan.title, _url("plans:detail", plan.pk))]
    if plan.status != PlanStatus.PUBLISHED:
        return Outcome(False, _("工作计划尚未发布"), evidence)
    return Outcome(True, _("工作计划已发布"), evidence)


@rule("democracy.congress_held", gettext_lazy("当年召开教代会（职代会）"))
def congress_held(unit, year, criterion):
    held = metric_value("democracy.sessions_held", unit=unit, year=year)
    if held is None:
        return Outcome(None, _("无法统计"))
    evidence = []
    if held:
        from democracy.models import Session

        sessions = (
            Session.objects.in_subtree(unit)
            .filter(held_on__year=year, status="closed")
            .select_related("unit", "congress__unit")
            .order_by("held_on")
        )
        evidence = [(str(s), _url("democracy:session", s.pk)) for s in sessions[:5]]
    return Outcome(held >= 1, _("召开%(count)s次") % {"count": _number(held)}, evidence)


def _at_least(metric_key, unit, year, criterion):
    found = metrics().get(metric_key)
    if found is None or criterion.threshold is None:
        return Outcome(None, _("未设置统计指标或达标值"))
    value = metric_value(metric_key, unit=unit, year=year)
    if value is None:
        return Outcome(None, _("%(label)s：暂无数据") % {"label": found.label})
    text = _("%(label)s %(value)s%(measure)s（达标值 %(threshold)s%(measure)s）") % {
        "label": found.label,
        "value": _number(value),
        "measure": found.measure,
        "threshold": _number(criterion.threshold),
    }
    return Outcome(value >= criterion.threshold, text)


@rule(
    "members.membership_rate", gettext_lazy("入会率达到达标值"), metric="members.membership_rate", needs_threshold=True
)
def membership_rate(unit, year, criterion):
    return _at_least("members.membership_rate", unit, year, criterion)


@rule(
    "democracy.proposals_on_time",
    gettext_lazy("提案按期答复率达到达标值"),
    metric="democracy.proposals_on_time",
    needs_threshold=True,
)
def proposals_on_time(unit, year, criterion):
    return _at_least("democracy.proposals_on_time", unit, year, criterion)


@rule("metric", gettext_lazy("统计指标达到达标值"), needs_threshold=True)
def any_metric(unit, year, criterion):
    return _at_least(criterion.metric, unit, year, criterion)


@rule("contracts.filed", gettext_lazy("签订集体合同并报备"))
def contract_filed(unit, year, criterion):
    """A collective contract of the unit (or a union below it) in force during the year and filed with the
    labour authority: signed only is not yet met, since 报备 is what the criterion asks."""
    from contracts.models import Contract, Stage

    in_year = (
        Contract.objects.in_subtree(unit)
        .exclude(stage=Stage.BARGAINING)
        .filter(starts_on__lte=datetime.date(year, 12, 31), ends_on__gte=datetime.date(year, 1, 1))
        .order_by("-ends_on", "-pk")
    )
    filed = list(in_year.filter(stage=Stage.FILED)[:5])
    if filed:
        evidence = [(c.title, _url("contracts:detail", c.pk)) for c in filed]
        return Outcome(True, _("%(date)s报备") % {"date": written_date(filed[0].filed_on)}, evidence)
    signed = list(in_year[:5])
    if signed:
        evidence = [(c.title, _url("contracts:detail", c.pk)) for c in signed]
        return Outcome(False, _("集体合同已签订，尚未报备"), evidence)
    return Outcome(False, _("%(year)s年没有有效的集体合同") % {"year": year})
