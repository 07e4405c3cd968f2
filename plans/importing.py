"""Save an imported plan (plans.parsing, checked by the officer) as a draft plan."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.unique import once
from plans.models import (
    Category,
    Plan,
    PlanSection,
    PlanSource,
    PlanStatus,
    ScheduleItem,
    Target,
    TargetOp,
    looks_recurring,
)
from plans.parsing import ParsedPlan
from plans.services import PlanError

# The first category whose words appear in an item's text; officers correct the rest.
CATEGORY_WORDS = [
    (Category.WOMEN, "女职工|女教师|女工|三八|妇女|巾帼|两癌"),
    (Category.COMPETITION, "竞赛|比武|技能|练兵|班组|安康杯|劳模"),
    (Category.DEMOCRACY, "教代会|职代会|代表大会|提案|建议|公开|协商|意见箱|民主"),
    (Category.CARE, "慰问|帮扶|困难|送温暖|送清凉|助学|疗休养|体检|保险|探望|关爱"),
    (Category.STUDY, "学习|师德|演讲|征文|读书|知识|宣讲|培训班|故事"),
    (Category.CULTURE, "运动|比赛|联欢|文体|协会|球|长跑|登山|游园|展|合唱|书法|摄影|庆祝|趣味"),
    (Category.SELF_BUILDING, "委员会|总结|归档|职工之家|教工之家|换届|会员|入会|档案|部署"),
]
_DATE_IN_TEXT = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日")
# "召开教代会（负责人：工会主席）": the owner written at the end of an item, as plans often have it and
# as plans.reading writes a schedule table's 负责人 column.
_OWNER_IN_TEXT = re.compile(r"\s*[（(]\s*(?:负责人|责任人|负责|牵头人?)\s*[:：]\s*([^（）()]+?)\s*[)）]\s*[。；;]?\s*$")


def guess_category(text):
    for category, words in CATEGORY_WORDS:
        if re.search(words, text):
            return category
    return Category.OTHER


def _date_in(text, year, month):
    """A day named in the item ("3月8日组织……") when it lies in the item's month."""
    match = _DATE_IN_TEXT.search(text)
    if not match or not month or int(match.group(1)) != month:
        return None
    try:
        return datetime.date(year, month, int(match.group(2)))
    except ValueError:
        return None


def owner_in(text):
    """(the item's text, its owner) with a trailing "（负责人：…）" taken off into the owner."""
    match = _OWNER_IN_TEXT.search(text)
    if not match or not text[: match.start()].strip():
        return text, ""
    return text[: match.start()].strip(), match.group(1)


def _field(value, limit):
    return value.strip()[:limit]


def _schedule(parsed):
    """(month, text, note) of every item: suggested festival months as the officer left them, and
    January of the next year kept at the end of this plan's year, since a plan holds one year."""
    for month in parsed.months:
        for text in month.items:
            if month.next_year:
                yield 12, text, _("原定次年%(month)s月。") % {"month": month.month}
            else:
                yield month.month, text, ""
    for suggestion in parsed.suggested:
        yield suggestion.month, suggestion.text, ""


def _taken(unit, year):
    return PlanError(
        _("%(unit)s已有%(year)s年的工作计划，请先删除或改用其他年度。") % {"unit": unit.name, "year": year}
    )


def _refuse_existing_plan(unit, year):
    """A unit has one plan a year: say so in words rather than fail on the unique constraint."""
    if Plan.objects.filter(unit=unit, year=year).exists():
        raise _taken(unit, year)


def _create_draft(unit, year, parsed, user):
    """The draft plan itself, titled after the document or else after the unit and year."""
    title = _field(parsed.title, 200) or _("%(unit)s%(year)s年工作计划") % {"unit": unit.name, "year": year}
    with once(_taken(unit, year)):  # two imports of the year's plan at once: the second is told
        return Plan.objects.create(
            unit=unit,
            year=year,
            title=title,
            guiding=parsed.guiding.strip(),
            status=PlanStatus.DRAFT,
            source=PlanSource.IMPORT,
            dated=parsed.dated,
            created_by=user,
        )


_CLAUSE_END = "；;。，,、 "


def _sections(plan, parsed):
    """The sections with a heading, their level kept within the four the plan page shows. A numbered
    line under the goals ("1. 教职工入会率达到98%；") read as a target is the target: kept as a heading
    too, the plan's page and its Word document would list it twice."""
    targets = {t.text.strip().rstrip(_CLAUSE_END) for t in parsed.targets}
    return (
        PlanSection(plan=plan, order=order, level=min(max(s.level, 1), 4), heading=_field(s.heading, 200), body=s.body)
        for order, s in enumerate(parsed.sections)
        if s.heading.strip()
        and not (s.level > 1 and not s.body.strip() and s.heading.strip().rstrip(_CLAUSE_END) in targets)
    )


def _target_value(candidate):
    """A target's value as the Decimal its field holds; a PlanError the officer can act on
    when it is not a number or does not fit."""
    try:
        value = Decimal(candidate.value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError) as error:
        raise PlanError(_("目标“%(text)s”的目标值不是数字。") % {"text": candidate.text}) from error
    if abs(value) >= Decimal(10) ** 12:
        raise PlanError(_("目标“%(text)s”的目标值太大。") % {"text": candidate.text})
    return value


def _targets(plan, parsed):
    """The targets, an unknown comparison read as "at least", each within the limits the target
    form keeps (never below zero, a percentage not above 100): "入会率达到150%" is a slip to correct
    in the document, not a target to track."""
    targets = []
    for order, candidate in enumerate(parsed.targets):
        target = Target(
            plan=plan,
            order=order,
            name=_field(candidate.text, 200),
            measure=_field(candidate.measure, 10),
            op=candidate.op if candidate.op in TargetOp.values else TargetOp.AT_LEAST,
            value=_target_value(candidate),
        )
        try:
            target.clean()
        except ValidationError as error:
            problem = "".join(message for messages in error.message_dict.values() for message in messages)
            raise PlanError(
                _("目标“%(text)s”的目标值有误：%(problem)s请在文件中改正后重新导入。")
                % {"text": candidate.text, "problem": problem}
            ) from error
        targets.append(target)
    return targets


def _schedule_items(plan, unit, year, parsed):
    """The non-empty schedule items, each assigned to the unit itself, its category guessed, its
    owner taken from a trailing "（负责人：…）"."""
    items = []
    for month, line, note in _schedule(parsed):
        text, owner = owner_in(line.strip())
        text = _field(text, 500)
        if not text:
            continue
        items.append(
            ScheduleItem(
                plan=plan,
                unit=unit,
                month=month,
                date=_date_in(text, year, month),
                text=text,
                owner=_field(owner, 100),
                category=guess_category(text),
                recurring=looks_recurring(text),
                note=note,
                order=len(items),
            )
        )
    return items


@transaction.atomic
def plan_import(*, unit, year: int, parsed: ParsedPlan, user=None) -> Plan:
    """Create the draft plan of ``unit`` for ``year`` from ``parsed``: its sections, targets
    and schedule items (every item assigned to the unit itself, its category guessed)."""
    # Atomic: a target refused after the plan and its sections are written leaves nothing behind.
    _refuse_existing_plan(unit, year)
    plan = _create_draft(unit, year, parsed, user)
    PlanSection.objects.bulk_create(_sections(plan, parsed))
    Target.objects.bulk_create(_targets(plan, parsed))
    ScheduleItem.objects.bulk_create(_schedule_items(plan, unit, year, parsed))
    return plan
