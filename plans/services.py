"""Workflows over several records of a plan: create from a template or last year's plan,
publish, update an item's status, measure progress, draft the year-end summary."""

import datetime
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core import calendar as cn_calendar
from core import figures
from core.errors import Refusal
from core.language import quoted_names
from core.officialdoc import heading_number
from core.unique import once
from orgs.access import has_permission
from plans import plan_templates
from plans.models import (
    MONTH_CHOICES,
    Category,
    ItemOccurrence,
    ItemStatus,
    Plan,
    PlanSection,
    PlanSource,
    PlanStatus,
    ScheduleItem,
    SummaryStatus,
    Target,
    TargetState,
    YearSummary,
    format_number,
    looks_recurring,
)


class PlanError(Refusal):
    """A workflow refused, with a message for the officer; ``field`` names the form field it concerns."""


def _new_plan(*, unit, year, **fields):
    """The unit's plan for the year, its only one: refused when there is one (or when another
    officer's request made it at the same moment)."""
    refused = PlanError(_("%(unit)s已有%(year)s年的工作计划，请打开它修改。") % {"unit": unit, "year": year})
    if Plan.objects.filter(unit=unit, year=year).exists():
        raise refused
    with once(refused):
        return Plan.objects.create(unit=unit, year=year, **fields)


def _festival_date(festival, offset, year):
    """The date ``offset`` days from ``festival`` in ``year``, kept inside the year."""
    date = cn_calendar.festivals(year)[festival] + datetime.timedelta(days=offset)
    return min(max(date, datetime.date(year, 1, 1)), datetime.date(year, 12, 31))


def _live_metric(key):
    # A template may name a metric of an app this deployment lacks: the target is then typed.
    return key if key and key in figures.metrics() else ""


def months_gone(year, today) -> int:
    """The months of the running ``year`` already over on ``today``; 0 for any other year (a past
    year's plan written afterwards is a record of that year, all of it)."""
    return today.month - 1 if year == today.year else 0


def _still_ahead(items, year, today):
    """The schedule items a plan of the running year written on ``today`` can still carry out: an item
    due in a month already over would be overdue the day the plan is published (a union set up in
    December writing its first plan had 29 of 36 overdue at once). Year-round items stay; without
    ``today`` all stay."""
    gone = months_gone(year, today) if today else 0
    return [item for item in items if not (item.month and item.month <= gone)]


@transaction.atomic
def plan_from_template(*, unit, year, template_key, user=None, today=None):
    """A new draft plan for ``unit`` and ``year`` with the template's sections, targets and schedule
    (with ``today``: only the items of months not yet over, _still_ahead)."""
    template = plan_templates.TEMPLATES.get(template_key)
    if template is None:
        raise PlanError(_("没有这个计划模板。"))
    plan = _new_plan(
        unit=unit,
        year=year,
        title=template.title.format(unit=unit.name, year=year),
        guiding=template.guiding,
        template_key=template.key,
        source=PlanSource.TEMPLATE,
        created_by=user,
    )
    plan.sections.bulk_create(
        plan.sections.model(plan=plan, order=i, level=level, heading=heading, body=body)
        for i, (level, heading, body) in enumerate(template.sections, start=1)
    )
    targets = [
        Target(
            plan=plan,
            order=i,
            name=spec.name,
            op=spec.op,
            value=Decimal(str(spec.value)),
            measure=spec.measure,
            metric=_live_metric(spec.metric),
        )
        for i, spec in enumerate(template.targets, start=1)
    ]
    bulk_create_with_history(targets, Target, default_user=user)
    items = []
    for i, spec in enumerate(template.items, start=1):
        date = _festival_date(spec.festival, spec.offset, year) if spec.festival else None
        items.append(
            ScheduleItem(
                plan=plan,
                unit=unit,
                order=i,
                month=date.month if date else spec.month,
                date=date,
                text=spec.text,
                category=spec.category,
                owner=spec.owner,
                festival=spec.festival,
                festival_offset=spec.offset,
                recurring=looks_recurring(spec.text),
            )
        )
    bulk_create_with_history(_still_ahead(items, year, today), ScheduleItem, default_user=user)
    return plan


@transaction.atomic
def plan_create_blank(*, unit, year, title, user=None):
    return _new_plan(unit=unit, year=year, title=title, source=PlanSource.BLANK, created_by=user)


def _moved_date(item, year):
    """The item's date in ``year``: festival items follow the festival, others keep month and day."""
    if item.festival:
        return _festival_date(item.festival, item.festival_offset, year)
    if item.date is None:
        return None
    try:
        return item.date.replace(year=year)
    except ValueError:  # 29 February in a common year
        return item.date.replace(year=year, day=28)


@transaction.atomic
def plan_copy(*, source, year, user=None, today=None):
    """Last year's plan as a draft for ``year``: same sections, targets and schedule, statuses reset.

    Dates of festival items are recomputed, so a 中秋 visit moves with the lunar calendar. With
    ``today``, the items of months already over are left out (_still_ahead).
    """
    if source.year == year:
        raise PlanError(_("请选择与原计划不同的年度。"))
    plan = _new_plan(
        unit=source.unit,
        year=year,
        title=source.title.replace(str(source.year), str(year)),
        guiding=source.guiding,
        template_key=source.template_key,
        source=PlanSource.COPY,
        created_by=user,
    )
    plan.sections.bulk_create(
        plan.sections.model(plan=plan, order=s.order, level=s.level, heading=s.heading, body=s.body)
        for s in source.sections.all()
    )
    targets = [
        Target(
            plan=plan,
            order=t.order,
            name=t.name,
            measure=t.measure,
            op=t.op,
            value=t.value,
            metric=t.metric,
            note=t.note,
        )
        for t in source.targets.all()
    ]
    bulk_create_with_history(targets, Target, default_user=user)
    items = []
    for item in source.items.all():
        date = _moved_date(item, year)
        items.append(
            ScheduleItem(
                plan=plan,
                unit_id=item.unit_id,
                order=item.order,
                month=date.month if date and item.month else item.month,
                date=date,
                text=item.text,
                category=item.category,
                owner=item.owner,
                festival=item.festival,
                festival_offset=item.festival_offset,
                recurring=item.recurring,
            )
        )
    bulk_create_with_history(_still_ahead(items, year, today), ScheduleItem, default_user=user)
    return plan


@transaction.atomic
def plan_publish(*, plan, user=None):
    """Publish a draft. A plan published already (a second click, a page read before another officer
    published it) is left as it was: its publication date is the date its Word document carries
    (unless the plan has a date of its own, see Plan.dated)."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.is_published:
        plan.status, plan.published_at = locked.status, locked.published_at
        return plan
    if not plan.items.exists():
        raise PlanError(_("计划还没有月度安排，请先添加事项再发布。"))
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at", "updated_at"])
    return plan


@transaction.atomic
def plan_delete(*, plan) -> None:
    """Delete a draft with its sections, targets and items; a published plan is what units track,
    so it goes back to a draft first. Under the plan's lock, so a publication cannot slip in."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_published:
        raise PlanError(_("已发布的计划不能删除，请先改回草稿。"))
    _delete_unless_kept(plan, _("这份计划"))


@transaction.atomic
def plan_unpublish(*, plan, user=None):
    plan.status = PlanStatus.DRAFT
    plan.save(update_fields=["status", "updated_at"])
    return plan


@transaction.atomic
def section_move(*, section, up):
    """Swap a section with its neighbour above (``up``) or below and number the plan's sections
    1, 2, 3... again, so the headings' numbers follow. At either end nothing moves."""
    siblings = list(section.plan.sections.select_for_update())
    index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, each in enumerate(siblings, start=1):
        each.order = order
    PlanSection.objects.bulk_update(siblings, ["order"])


def _lock_plan_still_there(plan_id):
    """Lock the plan's row for a part written to it (FOR NO KEY UPDATE, which plan_delete's lock waits
    for), or refuse when the plan has gone. PostgreSQL checks foreign keys only at commit: without the
    lock a section, target or item added while a colleague deleted the draft failed there, a server error."""
    if Plan.objects.select_for_update(no_key=True).filter(pk=plan_id).first() is None:
        raise PlanError(_("这份计划已被删除，没有保存。"))


def part_delete(*, part, name):
    """Delete a section, target or item of a plan from the officer's page, under the plan's lock.
    Refused: a target handed down from above (it is the federation's), and anything another record
    still stands on (a payment booked against an item: the accounts keep what the money was for)."""
    with transaction.atomic():
        _lock_plan_still_there(part.plan_id)
        if getattr(part, "handed_down_from_id", None):
            raise PlanError(_("这是上级下达的目标，不能删除。"))
        _delete_unless_kept(part, f"“{name}”")


def _delete_unless_kept(record, name):
    """Delete ``record`` (and what cascades with it), or refuse, naming the records that keep it."""
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the caller's transaction usable
            record.delete()
    except ProtectedError as error:
        kinds = sorted({str(kept._meta.verbose_name) for kept in error.protected_objects})
        raise PlanError(
            _("%(name)s已有%(records)s记在名下，不能删除。事项不再做了，可以把它标为“已取消”。")
            % {"name": name, "records": "、".join(kinds)}
        ) from None


def part_save(part):
    """Save a section or a target of a plan from the officer's form, under the plan's lock."""
    with transaction.atomic():
        _lock_plan_still_there(part.plan_id)
        part.save()
    return part


def item_save(*, item, by):
    """Save an item from the officer's form: a new one goes last in its month; marking it done
    records who and when, and any other status clears that. Under the plan's lock (part_save)."""
    with transaction.atomic():
        _lock_plan_still_there(item.plan_id)
        if not item.pk:
            item.order = item.plan.items.filter(month=item.month).count() + 1
        if item.status == ItemStatus.DONE and item.done_at is None:
            item.done_at, item.done_by = timezone.now(), by
        elif item.status != ItemStatus.DONE:
            item.done_at = item.done_by = None
        item.save()
    return item


@transaction.atomic
def item_set_status(*, item, status, postponed_to=None, note="", user=None, today=None, whole=False):
    """Move an item to ``status``; a postponed item needs the month it moves to, a cancelled one the
    reason, and an item of a year not yet begun is marked done only with a note saying why.

    A recurring item marked done in its year records this month's turn, unless ``whole``: the officer
    closes the item for the year ("全年共开展12次"), its months' turns as they were."""
    today = today or timezone.localdate()
    if status not in ItemStatus.values:
        raise PlanError(_("没有这个状态。"))
    if status == ItemStatus.CANCELLED and item.status != ItemStatus.CANCELLED and not note.strip():
        # A cancelled item drops out of the plan's count: the summary and the parent ask why.
        raise PlanError(_("取消事项时请在情况说明中写明原因。"), field="note")
    if status == ItemStatus.POSTPONED:
        if not postponed_to or not 1 <= postponed_to <= 12:
            raise PlanError(_("延期的事项请选择延期到哪个月。"), field="postponed_to")
        # Saving the postponement it already has (a note added later) is no new promise to check.
        if (item.status, item.postponed_to) != (status, postponed_to):
            refusal = postponement_refusal(item.plan, item.month, postponed_to, today)
            if refusal:
                raise PlanError(refusal, field="postponed_to")
    if status == ItemStatus.DONE:
        if item.plan.year > today.year and not note.strip():
            raise PlanError(early_done_message(item.plan.year), field="note")
        # A recurring item in its year: this month's turn is done, the item once every month's is.
        month = today.month if item.recurring and item.plan.year == today.year and not whole else None
        if month is not None and month not in item.occurrence_months():
            raise PlanError(
                _("这项工作从%(month)s月起每月一次，本月还没有轮到；如全年工作已经提前完成，请勾选“整项完成（全年）”。")
                % {"month": item.month},
                field="status",
            )
        item.mark_done(by=user, note=note, month=month)
        return item
    item.status = status
    item.postponed_to = postponed_to if status == ItemStatus.POSTPONED else None
    item.done_at = None
    item.done_by = None
    if note:
        item.note = f"{item.note}\n{note}".strip() if item.note else note
    item.save(update_fields=["status", "postponed_to", "done_at", "done_by", "note"])
    return item


def status_saved_message(item, status):
    """What the officer is told once ``item`` was moved to ``status``: for a month's turn of a
    recurring item, which month was recorded and how many are done, not a status it did not take."""
    if status == ItemStatus.DONE and item.recurring and not item.is_done:
        turns = item_turns(item)
        return _(
            "已记录“%(text)s”%(month)s月的一次，全年已完成 %(done)s/%(due)s 个月。"
            "如全年工作已经完成，请勾选“整项完成（全年）”后保存。"
        ) % {
            "text": item.text,
            "month": timezone.localdate().month,
            "done": sum(1 for turn in turns if turn.done_at),
            "due": len(turns),
        }
    return _("已更新“%(text)s”的状态。") % {"text": item.text}


@dataclass(frozen=True)
class Turn:
    """One month's turn of a recurring item: done when, by whom, with what note (or not yet)."""

    month: int
    done_at: datetime.datetime | None = None
    done_by: object = None
    note: str = ""


def item_turns(item) -> list[Turn]:
    """The months a recurring item runs in, each with its record if carried out (one query)."""
    if not item.recurring:
        return []
    done = {o.month: o for o in item.occurrences.select_related("done_by")}
    return [
        Turn(month, done[month].done_at, done[month].done_by, done[month].note) if month in done else Turn(month)
        for month in item.occurrence_months()
    ]


def postponement_refusal(plan, month, postponed_to, today):
    """Why an item of ``plan`` due in ``month`` cannot move to ``postponed_to`` (1–12), or None.

    A plan covers one year: a December item has no later month in it, so it goes into next
    year's plan instead, as does any item of a year already over. In the plan's own year a month
    already past would show the item overdue the moment it was postponed."""
    if month == 12:
        return _(
            "12月的事项不能在本年度内延期：请把它列入%(year)s年的工作计划，这里可改为“已取消”并在情况说明中注明。"
        ) % {"year": plan.year + 1}
    if month and postponed_to <= month:
        return _("延期后的月份应晚于原定的%(month)s月。") % {"month": month}
    if plan.year < today.year:
        return _(
            "%(year)s年已经过去，不能再延期到这一年的月份：请把这项工作列入%(next)s年的工作计划，这里可改为“已取消”并在情况说明中注明。"
        ) % {"year": plan.year, "next": today.year}
    if plan.year == today.year and postponed_to < today.month:
        return _("%(month)s月已经过去，请延期到本月（%(this)s月）或以后的月份。") % {
            "month": postponed_to,
            "this": today.month,
        }
    return None


def early_done_message(year):
    return _("%(year)s年还没有开始：如果这项工作确已提前完成，请在备注中说明后再标记完成。") % {"year": year}


# --- Carrying unfinished items into next year's plan (结转) --------------------------------


@dataclass(frozen=True)
class CarryCandidate:
    """An item of last year's plan not done, as the chair drafting the new plan weighs it."""

    item: ScheduleItem
    carried: bool  # carried over already (into this plan or another): it cannot be carried again
    listed: bool  # the new plan has an item of the same words already (copied from last year, typed)


def carry_source(*, plan, user) -> Plan | None:
    """The plan ``plan``'s items may be carried from: the same unit's plan of the year before, if
    ``user`` may change it (the access rule, as for any plan the chair writes)."""
    plans = Plan.objects.visible_to(user, "plans.change")
    return plans.filter(unit_id=plan.unit_id, year=plan.year - 1).first()


def _carryable(source):
    carried = ScheduleItem.objects.filter(carried_from=OuterRef("pk"))
    return (
        source.items.exclude(status=ItemStatus.DONE)
        .select_related("unit")
        .annotate(carried=Exists(carried))
        .order_by("month", "order", "pk")
    )


def carry_candidates(*, plan, source) -> list[CarryCandidate]:
    """``source``'s unfinished items (planned, in progress, postponed or cancelled), each with whether it was
    carried already and whether ``plan`` lists the same words: three queries, whatever the plan's size."""
    if source is None:
        return []
    listed = set(plan.items.values_list("text", flat=True))
    return [CarryCandidate(item, item.carried, item.text in listed) for item in _carryable(source)]


def _carried_copy(item, *, plan, month, order):
    """``item`` as an item of ``plan`` in ``month``: planned afresh, by the same unit (or the plan's own,
    when that unit has closed since), a dated item on the same day of the new year, a festival item on the
    festival's new date, unless the chair moved it to another month (then its day is hers to set)."""
    unit_id = item.unit_id if item.unit.is_active else plan.unit_id
    date = festival = None
    if month == item.month:
        date = _moved_date(item, plan.year)
        festival = item.festival
        if date and month:
            month = date.month
    return ScheduleItem(
        plan=plan,
        unit_id=unit_id,
        month=month,
        date=date,
        order=order,
        text=item.text,
        category=item.category,
        owner=item.owner,
        recurring=item.recurring,
        festival=festival or "",
        festival_offset=item.festival_offset if festival else 0,
        carried_from=item,
    )


def items_carry(*, plan, picks: dict[int, int], user) -> list[ScheduleItem]:
    """Carry the chosen unfinished items of last year's plan into ``plan``, a draft of the same unit:
    ``picks`` maps each item's id to the month it goes in (0: the whole year). Each new item records the
    one it came from; an item carried before is refused, as is anything but last year's unfinished items
    of a plan ``user`` may change. All or nothing, under the plan's lock."""
    if not picks:
        raise PlanError(_("请至少选择一项要结转的事项。"), field="items")
    if any(month not in range(13) for month in picks.values()):
        raise PlanError(_("请为每项事项选择月份。"), field="items")
    with transaction.atomic():
        locked = Plan.objects.select_for_update(no_key=True).filter(pk=plan.pk).first()
        if locked is None:
            raise PlanError(_("这份计划已被删除，没有保存。"))
        if not has_permission(user, "plans.change", locked.unit):
            raise PlanError(_("没有修改这份计划的权限。"))
        if locked.is_published:
            raise PlanError(_("计划已发布：请先改回草稿，再结转上年未完成的事项。"))
        source = carry_source(plan=locked, user=user)
        items = list(_carryable(source).filter(pk__in=picks)) if source is not None else []
        if len(items) != len(picks):
            raise PlanError(_("选中的事项有的不是%(year)s年计划中未完成的事项，没有结转。") % {"year": plan.year - 1})
        twice = [item.text for item in items if item.carried]
        if twice:
            raise PlanError(_("“%(items)s”已经结转过，不能重复结转。") % {"items": quoted_names(twice)}, field="items")
        # Each goes last in its month, after the items there (whose order may run on from a copied plan's).
        last = dict(locked.items.values("month").annotate(last=Max("order")).values_list("month", "last"))
        copies = []
        for item in items:
            copy = _carried_copy(item, plan=locked, month=picks[item.pk], order=0)
            last[copy.month] = copy.order = last.get(copy.month, 0) + 1
            copies.append(copy)
        with once(PlanError(_("选中的事项刚刚已被结转，不能重复结转。"), field="items")):
            bulk_create_with_history(copies, ScheduleItem, default_user=user)
    return copies


# --- Progress ------------------------------------------------------------------------------


@dataclass
class Tally:
    """Items planned and done in one month or category (cancelled items count in neither)."""

    key: object
    label: str
    planned: int = 0
    done: int = 0
    overdue: int = 0
    items: list = field(default_factory=list)

    @property
    def percent(self):
        return round(self.done * 100 / self.planned) if self.planned else 0


@dataclass
class ItemRow:
    """A schedule item as a page shows it: whether it is overdue, the records proving it was
    done, and whether the reader may change its status."""

    item: ScheduleItem
    overdue: bool = False
    evidence: list = field(default_factory=list)
    can_update: bool = False
    months_done: int = 0  # of a recurring item: the months whose turn is done
    months_due: int = 0  # of a recurring item: the months it runs in

    def under_way(self, today) -> bool:
        """Work not late on ``today``: its month not over, and of a recurring item every turn of the
        months already over done (a monthly item with no turn done since March is work left undone)."""
        if not self.item.is_still_ahead(today):
            return False
        year = self.item.plan.year
        months_over = sum(1 for month in self.item.occurrence_months() if (year, month) < (today.year, today.month))
        return self.months_done >= months_over


@dataclass(frozen=True)
class TargetStatus:
    """A target with its actual value and state, computed once for a page."""

    target: Target
    actual: Decimal | None
    state: str

    @property
    def state_label(self):
        return TargetState(self.state).label

    @property
    def actual_display(self):
        return "" if self.actual is None else format_number(self.actual)

    @property
    def progress_percent(self):
        return self.target.progress_percent(self.actual) if self.actual is not None else 0


@dataclass
class Progress:
    items: list[ItemRow]
    total: Tally
    months: list[Tally]
    categories: list[Tally]
    overdue: list[ItemRow]
    targets: list[TargetStatus]
    target_states: Counter
    # Next year's plan, drafted in December: nothing is late or at risk before its year begins, the page
    # says when it begins instead.
    days_to_begin: int = 0

    @property
    def begun(self) -> bool:
        return not self.days_to_begin


def target_statuses(targets, *, today=None) -> list[TargetStatus]:
    """Each target with its actual value and state; each live metric computed once per unit and year."""
    today = today or timezone.localdate()
    computed = {}
    statuses = []
    for target in targets:
        if target.metric:
            key = (target.metric, target.plan.unit_id, target.plan.year)
            if key not in computed:
                computed[key] = figures.metric_value(target.metric, unit=target.plan.unit, year=target.plan.year)
            actual = computed[key]
        else:
            actual = target.actual_manual
        statuses.append(TargetStatus(target, actual, target.state_of(actual, today)))
    return statuses


def item_rows(items, *, today=None, may_update=None, reader=None) -> list[ItemRow]:
    """Rows for ``items`` (fetched with ``plan`` and ``unit``): overdue, evidence, and ``may_update(item)``.

    With a ``reader``, evidence they may not open is shown as its label without the link.
    """
    today = today or timezone.localdate()
    evidence = figures.evidence_for([i.pk for i in items]) if items else {}
    recurring = [i.pk for i in items if i.recurring]
    turns = (
        Counter(ItemOccurrence.objects.filter(item__in=recurring).values_list("item", flat=True)) if recurring else {}
    )
    return [
        ItemRow(
            item=item,
            overdue=item.is_overdue(today),
            evidence=_openable(evidence.get(item.pk, []), item, reader),
            can_update=bool(may_update and may_update(item)),
            months_done=turns.get(item.pk, 0),
            months_due=len(item.occurrence_months()),
        )
        for item in items
    ]


def _openable(evidence, item, reader):
    if reader is None:
        return evidence
    return [
        e if not e.permission or has_permission(reader, e.permission, item.unit) else replace(e, url="")
        for e in evidence
    ]


def openable_evidence(item, reader):
    """One item's evidence, the links ``reader`` may not follow shown as text."""
    return _openable(figures.evidence_for([item.pk]).get(item.pk, []), item, reader)


def plan_progress(plan, *, today=None, items=None, may_update=None, reader=None) -> Progress:
    """Progress of ``plan`` by month and by category, its overdue items and its targets' states.

    ``items`` may be given already fetched (with ``unit``); ``may_update(item)`` says whether
    the reader may change an item's status.
    """
    today = today or timezone.localdate()
    if items is None:
        items = list(plan.items.select_related("unit"))
    for item in items:
        item.plan = plan  # the same plan object, so that no item fetches it again
    rows = item_rows(items, today=today, may_update=may_update, reader=reader)
    total = Tally("total", _("全年"))
    months = {value: Tally(value, label) for value, label in MONTH_CHOICES}
    categories = {value: Tally(value, label) for value, label in Category.choices}
    for row in rows:
        item = row.item
        months[item.month].items.append(row)
        if item.status == ItemStatus.CANCELLED:
            continue
        for tally in (total, months[item.month], categories[item.category]):
            tally.planned += 1
            tally.done += item.is_done
            tally.overdue += row.overdue
    targets = list(plan.targets.all())
    for target in targets:
        target.plan = plan
    statuses = target_statuses(targets, today=today)
    return Progress(
        items=rows,
        total=total,
        months=[m for m in months.values() if m.items],
        categories=[c for c in categories.values() if c.planned],
        overdue=sorted((r for r in rows if r.overdue and r.item.status != ItemStatus.CANCELLED), key=_due_order),
        targets=statuses,
        target_states=Counter(t.state for t in statuses),
        days_to_begin=max((plan.first_day - today).days, 0),
    )


def _due_order(row):
    return (row.item.due_month, row.item.order)


# --- Year-end summary ----------------------------------------------------------------------


def _paragraph_done(progress, today):
    total = progress.total
    if not total.planned:
        return [_("本年度计划未安排具体事项。")]
    lines = [
        _("全年计划安排工作事项%(planned)d项，已完成%(done)d项，完成率%(percent)d%%。")
        % {"planned": total.planned, "done": total.done, "percent": total.percent}
    ]
    for tally in progress.categories:
        done = [r.item.text for r in progress.items if r.item.category == tally.key and r.item.is_done]
        line = _("%(category)s方面，计划安排%(planned)d项工作，完成%(done)d项") % {
            "category": tally.label,
            "planned": tally.planned,
            "done": tally.done,
        }
        line += _("，主要有：%(items)s。") % {"items": "；".join(done)} if done else "。"
        lines.append(line)
    # A summary written in December: the month's work is not yet late, so it is not listed as undone.
    ahead = [r for r in progress.items if r.under_way(today)]
    if ahead:
        lines.append(_("以下事项尚在计划时间内，正在推进：%(items)s。") % {"items": "；".join(map(_unfinished, ahead))})
    return lines


def _paragraph_targets(progress, year):
    """One sentence per target, its figure as counted (summary_gaps tells the officer what it misses).

    A summary says what the year came to, so each target is judged as at the year's close, achieved
    or not: 有风险 and 进度正常 are words for tracking a year under way, not for its account."""
    year_closed = datetime.date(year + 1, 1, 1)
    lines = []
    for status in progress.targets:
        target = status.target
        words = {
            "name": target.name,
            "op": target.get_op_display(),
            "value": format_number(target.value),
            "measure": target.measure,
        }
        if status.actual is None:
            lines.append(_("%(name)s：目标%(op)s%(value)s%(measure)s，暂无数据。") % words)
            continue
        line = _("%(name)s：目标%(op)s%(value)s%(measure)s，实际%(actual)s，%(state)s。") % {
            **words,
            "actual": f"{format_number(status.actual)}{target.measure}",
            "state": TargetState(target.state_of(status.actual, year_closed)).label,
        }
        lines.append(line)
    return lines


def summary_gaps(plan, *, today=None) -> list[str]:
    """What the officer should know before handing the summary in, said on its page, never in its text
    (which goes to Word and to the federation as it is): a target counted from activities held, not
    met, while items were marked done without an activity recorded, so that the summary's figure and
    its own list of work done disagree until the activities are recorded and the summary redrafted."""
    progress = plan_progress(plan, today=today)
    unrecorded = sum(1 for r in progress.items if r.item.is_done and not r.evidence)
    short = [
        status.target.name
        for status in progress.targets
        if status.target.metric.startswith("activities.") and status.state != TargetState.ACHIEVED
    ]
    if not (unrecorded and short):
        return []
    return [
        _(
            "有%(count)d项计划事项标为已完成，却没有关联的活动记录：“%(targets)s”按登记为已举办的活动统计，"
            "未计入这些事项。请在“活动”中补登并关联计划事项后，按最新记录重新生成总结。"
        )
        % {"count": unrecorded, "targets": quoted_names(short)}
    ]


def _unfinished(row):
    """An item not done, how far it got, and the officer's latest word on why (the last line of its
    note: the reason it was cancelled, postponed or is still open), which the unit above asks for."""
    if row.months_due:
        text = _("%(text)s（%(due)d个月中完成%(done)d个月）") % {
            "text": row.item.text,
            "due": row.months_due,
            "done": row.months_done,
        }
    else:
        text = f"{row.item.text}（{row.item.get_status_display()}）"
    reason = row.item.latest_note
    if not reason:
        return text
    # Inside the brackets that say how far it got: 组织女教职工健康检查（已取消：体检机构档期已满）.
    return f"{text[:-1]}：{reason}）" if text.endswith("）") else f"{text}: {reason}"


def _paragraph_section(section):
    """An app's part of the summary: its sentences, or, when it has none, its figures as one sentence."""
    if section.paragraphs:
        return list(section.paragraphs)
    if section.figures:
        return ["，".join(f"{label}{value}" for label, value in section.figures) + "。"]
    return []


def summary_text(*, plan, today=None):
    """The draft body of the year-end summary of ``plan``'s unit and year, as plain text with headings."""
    today = today or timezone.localdate()
    progress = plan_progress(plan, today=today)
    blocks = []
    intro = _(
        "%(year)s年，%(unit)s在上级工会和本单位党组织的领导下，按照年初制定的工作计划，"
        "团结带领广大会员扎实开展各项工作。现将全年工作总结如下。"
    ) % {"year": plan.year, "unit": plan.unit.name}
    blocks.append(intro)
    parts = [(_("计划执行情况"), _paragraph_done(progress, today))]
    if progress.targets:
        parts.append((_("工作目标完成情况"), _paragraph_targets(progress, plan.year)))
    for section in figures.summary_sections(plan.unit, plan.year):
        lines = _paragraph_section(section)
        if lines:
            parts.append((section.heading, lines))
    unfinished = [r for r in progress.items if not (r.item.is_done or r.under_way(today))]
    closing = []
    if unfinished:
        closing.append(_("以下事项未能按计划完成：%(items)s。") % {"items": "；".join(map(_unfinished, unfinished))})
    closing.append(_("下一年度，我们将认真总结经验，查找不足，把未完成的工作纳入新一年计划，抓好落实。"))
    parts.append((_("存在的不足和下一步打算"), closing))
    for position, (title, lines) in enumerate(parts, start=1):
        blocks.append(f"{heading_number(1, position)}{title}")
        blocks.extend(lines)
    return "\n".join(blocks)


@transaction.atomic
def summary_save(*, summary, today=None):
    """Save the officer's edit of a summary (its text, or 定稿), under the plan's lock that summary_draft
    takes: a redraft and an edit, or a 定稿, are never interleaved. A summary made final without a
    落款 date is dated that day."""
    if summary.plan_id:
        Plan.objects.select_for_update().filter(pk=summary.plan_id).first()
    if summary.status == SummaryStatus.FINAL and not summary.dated:
        summary.dated = today or timezone.localdate()
    summary.save()
    return summary


@transaction.atomic
def summary_draft(*, plan, user=None, today=None):
    """Create the year-end summary of ``plan``'s unit and year, or redraft it while it is a draft."""
    # The plan's row, not the summary's: before the first draft there is no summary row to lock, and
    # two officers drafting at once would both insert one. The plan is the unit's only one that year.
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    today = today or timezone.localdate()
    if not plan.has_begun(today):
        raise PlanError(_("%(year)s年还没有开始，到年底再写这一年的工作总结。") % {"year": plan.year})
    summary = YearSummary.objects.filter(unit=plan.unit, year=plan.year).first()
    if summary is not None and summary.status == SummaryStatus.FINAL:
        raise PlanError(_("工作总结已定稿，不能重新生成。"))
    body = summary_text(plan=plan, today=today)
    if summary is None:
        summary = YearSummary(unit=plan.unit, year=plan.year, created_by=user)
    summary.plan = plan
    summary.title = _("%(unit)s%(year)s年工作总结") % {"unit": plan.unit.name, "year": plan.year}
    summary.body = body
    summary.save()
    return summary
