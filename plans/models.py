"""Annual work plans (年度工作计划), their targets and month schedule, and the year-end summary.

A plan is the union's year in structured form: numbered sections as in the Word document,
targets whose actual value is typed or read live from another app's figures
(``core.figures.metric``), and schedule items that officers of the unit and of the units
below it carry out and mark done.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import figures
from core.calendar import MONTHS
from core.files import discard, private_storage, retention_cutoff
from core.officialdoc import heading_number
from orgs.access import UnitScopedQuerySet
from plans.parsing import SCHEDULE_HEADING, numbering

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def heading_numbers(levels, *, chinese=True):
    """The numbers of an outline's headings, given their levels in order.

    Numbers follow the position: a heading's counter restarts under each heading of a
    higher level, the way officers number a plan by hand. ``chinese=False`` numbers the
    same outline 1. / 1.1 / 1.1.1 for pages read in another language.
    """
    counters = [0, 0, 0, 0]
    numbers = []
    for level in levels:
        index = min(max(level, 1), 4) - 1
        counters[index] += 1
        for lower in range(index + 1, 4):
            counters[lower] = 0
        if chinese:
            numbers.append(heading_number(index + 1, counters[index]))
        else:
            numbers.append(".".join(str(c) for c in counters[: index + 1]) + (". " if index == 0 else " "))
    return numbers


class OutlinePart(models.TextChoices):
    """What a heading of the plan's outline holds besides its own text."""

    GUIDING = "guiding", _("指导思想")
    GOALS = "goals", _("工作目标")
    SCHEDULE = "schedule", _("月度安排")
    SECTION = "section", _("章节")


@dataclass(frozen=True)
class OutlineEntry:
    """A numbered heading of the plan as the page and the Word document both show it."""

    number: str
    level: int
    heading: str
    part: str  # an OutlinePart: the targets follow a goals heading, the schedule table a schedule heading
    section: "PlanSection | None" = None  # None for a heading the document adds itself

    @property
    def body(self):
        return self.section.body if self.section is not None else ""


def _is_goals_heading(heading):
    return "目标" in heading and len(heading) <= 12


# From October a union writes next year's plan and sums up the year now ending (DOMAIN: plan, do,
# review); before that it is still planning the current year, and the last summary written is last year's.
PLANNING_FROM_MONTH = 10


def default_plan_year(today=None) -> int:
    """The year a plan is written for: next year's from October, before that the current one."""
    today = today or timezone.localdate()
    return today.year + 1 if today.month >= PLANNING_FROM_MONTH else today.year


def default_summary_year(today=None) -> int:
    """The year a year-end summary is written for: the year now ending from October, before that the last
    one over (a summary asked for in January is of the year just ended)."""
    today = today or timezone.localdate()
    return today.year if today.month >= PLANNING_FROM_MONTH else today.year - 1


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class PlanSource(models.TextChoices):
    TEMPLATE = "template", _("模板")
    COPY = "copy", _("沿用上年")
    IMPORT = "import", _("导入文档")
    BLANK = "blank", _("空白")


class PlanQuerySet(UnitScopedQuerySet):
    def published(self):
        return self.filter(status=PlanStatus.PUBLISHED)

    def years(self):
        """The years that have any plan, latest first: one step down the year index per year (a
        loose index scan), not a read of every plan. All units' years: a list page reads each in turn."""
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        sql = (
            f"WITH RECURSIVE years(y) AS (SELECT MAX(year) FROM {table} "
            f"UNION ALL SELECT (SELECT MAX(year) FROM {table} WHERE year < y) FROM years WHERE y IS NOT NULL) "
            "SELECT y FROM years WHERE y IS NOT NULL"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [year for (year,) in cursor.fetchall()]

    def with_item_counts(self):
        """``items_planned`` (cancelled items left out) and ``items_done`` on each plan, in the same query."""
        return self.annotate(
            items_planned=models.Count("items", filter=~Q(items__status=ItemStatus.CANCELLED)),
            items_done=models.Count("items", filter=Q(items__status=ItemStatus.DONE)),
        )


class Plan(models.Model):
    """The work plan of one unit for one year.

    One row per unit and year, its state in ``status``: a plan is written as a draft and
    published when the committee has adopted it; only then does it count for tracking
    (overdue items, home-page to-dos). It stays one row after publication rather than
    a published copy beside a draft revision, because schedule items are what other
    records point at (an activity proves an item): a second copy would split that
    evidence between two versions. Changes after publication are kept by simple-history
    on the plan, its targets and its items, so every earlier state can be read back.
    """

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("标题"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    guiding = models.TextField(_("指导思想"), blank=True)
    template_key = models.CharField(_("模板"), max_length=40, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=PlanSource.choices, default=PlanSource.BLANK)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # An imported plan's own date (its 落款): the Word document is signed with it rather than with
    # the day the plan was published here.
    dated = models.DateField(_("落款日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作计划")
        verbose_name_plural = _("工作计划")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_plan_per_unit_and_year")]
        indexes = [models.Index(fields=["year"], name="plan_year_idx")]  # Plan.objects.years()

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.status == PlanStatus.PUBLISHED

    def has_begun(self, today=None):
        """Has the plan's year begun? Next year's plan, drafted in December, has nothing to sum up yet."""
        return (today or timezone.localdate()).year >= self.year

    @property
    def first_day(self):
        return datetime.date(self.year, 1, 1)

    def outline(self, *, chinese=True, sections=None, has_targets=None, has_items=None):
        """The plan's numbered headings, the same on the page and in the Word document.

        The guiding principles come first under their own heading; the targets go under the
        plan's goals section, or under a heading "工作目标" added before the sections when it has
        none; the schedule likewise under its own section, or a "月度安排" added at the end.
        """
        sections = list(self.sections.all()) if sections is None else sections
        has_targets = self.targets.exists() if has_targets is None else has_targets
        has_items = self.items.exists() if has_items is None else has_items
        goals = next((s for s in sections if s.level == 1 and _is_goals_heading(s.heading)), None)
        schedule = next((s for s in sections if s.level == 1 and SCHEDULE_HEADING.search(s.heading)), None)
        parts = []  # (level, heading, part, section)
        if self.guiding.strip():
            parts.append((1, OutlinePart.GUIDING.label, OutlinePart.GUIDING, None))
        if has_targets and goals is None:
            parts.append((1, OutlinePart.GOALS.label, OutlinePart.GOALS, None))
        for section in sections:
            part = OutlinePart.SECTION
            if section is goals:
                part = OutlinePart.GOALS
            elif section is schedule:
                part = OutlinePart.SCHEDULE
            parts.append((section.level, section.heading, part, section))
        if has_items and schedule is None:
            parts.append((1, OutlinePart.SCHEDULE.label, OutlinePart.SCHEDULE, None))
        numbers = heading_numbers((level for level, *_rest in parts), chinese=chinese)
        return [
            OutlineEntry(number, level, str(heading), str(part), section)
            for number, (level, heading, part, section) in zip(numbers, parts, strict=True)
        ]


class PlanSection(models.Model):
    LEVELS = [(1, "一、"), (2, "（一）"), (3, "1."), (4, "（1）")]

    plan = models.ForeignKey(Plan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("顺序"), default=0)
    level = models.PositiveSmallIntegerField(
        _("层级"), choices=LEVELS, default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    heading = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)

    class Meta:
        verbose_name = _("计划章节")
        verbose_name_plural = _("计划章节")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.heading


class TargetOp(models.TextChoices):
    AT_LEAST = ">=", _("不少于")
    AT_MOST = "<=", _("不超过")
    EXACTLY = "==", _("达到")


class TargetState(models.TextChoices):
    ACHIEVED = "achieved", _("已达成")
    ON_TRACK = "on_track", _("进度正常")
    AT_RISK = "at_risk", _("有风险")
    MISSED = "missed", _("未达成")
    NO_DATA = "no_data", _("暂无数据")
    NOT_STARTED = "not_started", _("年度未开始")


def shown_number(value):
    """``value`` to the hundredths pages show it in (format_number): a computed rate is 93.1, not 93.10344…"""
    return Decimal(value).quantize(Decimal("0.01"))


def format_number(value):
    """12, 1,000,000, 79.3: grouped, without trailing zeros, as a target is written."""
    value = shown_number(value)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0")


# The measures officers use, with their names for pages read in another language; a
# target may still be counted in any other word an officer types.
MEASURE_NAMES = {
    "人": _("人"),
    "人次": _("人次"),
    "次": _("次"),
    "元": _("元"),
    "万元": _("万元"),
    "%": "%",
    "件": _("件"),
    "个": _("个"),
    "名": _("名"),
    "户": _("户"),
    "场": _("场"),
    "条": _("条"),
    "篇": _("篇"),
    "项": _("项"),
    "期": _("期"),
    "起": _("起"),
    "份": _("份"),
}
MEASURES = list(MEASURE_NAMES)


def measure_label(measure):
    return MEASURE_NAMES.get(measure, measure)


# Rates are levels, not amounts gathered through the year: "入会率达到95%" is behind
# whenever the rate is below 95%, in March as in December.
LEVEL_MEASURES = {"%"}
# A share of a whole, however the officer typed the sign: never above 100.
PERCENT_MEASURES = ("%", "％")


def elapsed_share(year, today):
    """The share of ``year`` that has passed by ``today``, counted in whole months."""
    if today.year < year:
        return Decimal(0)
    if today.year > year:
        return Decimal(1)
    return Decimal(today.month - 1) / 12


class Target(models.Model):
    """A numeric goal of the plan: "入会率达到95%", "开展文体活动不少于8次"."""

    plan = models.ForeignKey(Plan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveIntegerField(_("顺序"), default=0)
    name = models.CharField(_("目标"), max_length=200)
    measure = models.CharField(_("计量单位"), max_length=10)
    op = models.CharField(_("比较"), max_length=2, choices=TargetOp.choices, default=TargetOp.AT_LEAST)
    value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2)
    metric = models.CharField(_("实际值来源"), max_length=60, blank=True, help_text=_("留空表示由工会干部填写实际值。"))
    actual_manual = models.DecimalField(_("实际值"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    # Set when the federation above handed this target down (federation.HandedDownTarget): the unit
    # cannot delete it, and its actual rolls up to the federation's own target.
    handed_down_from = models.ForeignKey(
        "self",
        verbose_name=_("上级下达目标"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="handed_down_copies",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作目标")
        verbose_name_plural = _("工作目标")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.metric and self.metric not in figures.metrics():
            errors["metric"] = _("没有这项统计数据。")
        # Counts, sums and rates are never below zero, nor a share above the whole: such a figure
        # is a typing slip, and "-5户" would show as achieved against any "at most" target.
        ceiling = 100 if self.is_percentage else None
        for name in ("value", "actual_manual"):
            figure = getattr(self, name)
            if figure is None:
                continue
            if figure < 0:
                errors[name] = _("不能小于0。")
            elif ceiling is not None and figure > ceiling:
                errors[name] = _("百分比不能大于100。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_percentage(self):
        """A share of a whole (入会率达到95%), never above 100, and so is each unit's share handed down."""
        return self.measure.strip() in PERCENT_MEASURES

    @property
    def is_live(self):
        return bool(self.metric)

    @property
    def value_display(self):
        return format_number(self.value)

    def actual_display(self):
        actual = self.actual()
        return "" if actual is None else format_number(actual)

    @property
    def measure_label(self):
        return measure_label(self.measure)

    @property
    def metric_label(self):
        found = figures.metrics().get(self.metric)
        return found.label if found else ""

    def actual(self):
        """The live figure for the plan's unit subtree and year, or the value an officer typed.

        Pages that show many targets use ``services.target_statuses``, which computes each
        metric once per page and passes the value to ``state_of``.
        """
        if self.metric:
            return figures.metric_value(self.metric, unit=self.plan.unit, year=self.plan.year)
        return self.actual_manual

    def state(self, today=None):
        return self.state_of(self.actual(), today or timezone.localdate())

    def state_of(self, actual, today):
        """Achieved, on track, at risk, missed, not started or no data, given the ``actual`` value:

        - no actual value: no data;
        - before the plan's year begins: achieved if already reached, else not started (a rate
          below target in December is no risk to next year's plan);
        - at least (>=): achieved once reached; otherwise on track while the actual value keeps
          pace with the months elapsed (by the end of June at least half of the target), at risk
          when it falls behind; a rate (%) is a level, so it is at risk whenever below target;
        - at most (<=): at risk as soon as it is exceeded, achieved when the year is over
          within the limit, on track before that;
        - exactly (==): achieved when equal; at risk when exceeded, else as "at least";
        - once the plan's year is over, a target not achieved is missed rather than at risk.
        """
        if actual is None:
            return TargetState.NO_DATA
        state = self._state_within_year(Decimal(actual), today)
        if today.year < self.plan.year:
            return TargetState.ACHIEVED if state == TargetState.ACHIEVED else TargetState.NOT_STARTED
        if state != TargetState.ACHIEVED and today.year > self.plan.year:
            return TargetState.MISSED
        return state

    def _state_within_year(self, actual, today):
        if self.op == TargetOp.AT_MOST:
            if actual > self.value:
                return TargetState.AT_RISK
            return TargetState.ACHIEVED if today.year > self.plan.year else TargetState.ON_TRACK
        if self.op == TargetOp.EXACTLY:
            if actual == self.value:
                return TargetState.ACHIEVED
            if actual > self.value:
                return TargetState.AT_RISK
        elif actual >= self.value:
            return TargetState.ACHIEVED
        if self.measure in LEVEL_MEASURES:
            return TargetState.AT_RISK
        expected = self.value * elapsed_share(self.plan.year, today)
        return TargetState.ON_TRACK if actual >= expected else TargetState.AT_RISK

    def progress_percent(self, actual=None):
        """How far ``actual`` (by default the live value) is towards the target, 0-100, for a progress bar."""
        actual = self.actual() if actual is None else actual
        if actual is None or not self.value:
            return 0
        return int(max(0, min(100, Decimal(actual) * 100 / self.value)))


class Category(models.TextChoices):
    STUDY = "study", _("学习与师德")
    DEMOCRACY = "democracy", _("民主管理")
    CULTURE = "culture", _("文体活动")
    CARE = "care", _("关爱帮扶")
    COMPETITION = "competition", _("劳动竞赛")
    WOMEN = "women", _("女职工工作")
    SELF_BUILDING = "self_building", _("自身建设")
    OTHER = "other", _("其他")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")
    POSTPONED = "postponed", _("已延期")


MONTH_NAMES = list(MONTHS.items())
MONTH_CHOICES = [(0, _("全年")), *MONTH_NAMES]
OPEN_STATUSES = [ItemStatus.PLANNED, ItemStatus.IN_PROGRESS]


def _month_passed(year, month, today):
    """Has month ``month`` of ``year`` (0: the whole year) ended by ``today``?"""
    if month == 0:
        return today.year > year
    return (year, month) < (today.year, today.month)


class ScheduleItemQuerySet(UnitScopedQuerySet):
    def overdue(self, today):
        """Items of published plans whose month has passed without being done.

        Open items (planned, in progress) are late once their month is over, year-round
        items once the year is over; a postponed item once the month it was moved to is over.
        """
        past_year = Q(plan__year__lt=today.year)
        this_year = Q(plan__year=today.year)
        open_late = Q(status__in=OPEN_STATUSES) & (past_year | (this_year & Q(month__gte=1, month__lt=today.month)))
        postponed_late = Q(status=ItemStatus.POSTPONED, postponed_to__isnull=False) & (
            past_year | (this_year & Q(postponed_to__lt=today.month))
        )
        return self.filter(plan__status=PlanStatus.PUBLISHED).filter(open_late | postponed_late)

    def in_month(self, year, month):
        """Items due in ``month`` of ``year``: scheduled for it or postponed to it."""
        scheduled, postponed = self.in_month_parts(year, month)
        return scheduled | postponed

    def in_month_parts(self, year, month):
        """``in_month`` as its two disjoint parts, scheduled for the month and postponed to it. Each
        part has an index that gives its items in (plan, order, id) order; their OR has none."""
        return (
            self.filter(plan__year=year, month=month).exclude(status=ItemStatus.POSTPONED),
            self.filter(plan__year=year, status=ItemStatus.POSTPONED, postponed_to=month),
        )


class ScheduleItem(models.Model):
    """One line of the month schedule: what, when, who, which unit, and how far it got."""

    plan = models.ForeignKey(Plan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="items")
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="plan_items",
        help_text=_("本单位或下级单位。"),
    )
    month = models.PositiveSmallIntegerField(
        _("月份"), choices=MONTH_CHOICES, validators=[MaxValueValidator(12)], help_text=_("“全年”表示贯穿全年。")
    )
    date = models.DateField(_("日期"), null=True, blank=True)
    text = models.CharField(_("事项"), max_length=500)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.OTHER)
    owner = models.CharField(_("负责人"), max_length=100, blank=True, help_text=_("负责人或岗位，如“女工委员”。"))
    status = models.CharField(_("状态"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    postponed_to = models.PositiveSmallIntegerField(
        _("延期至"),
        null=True,
        blank=True,
        choices=MONTH_NAMES,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    note = models.TextField(_("备注"), blank=True)
    recurring = models.BooleanField(
        _("每月一次"),
        default=False,
        help_text=_("每个月都要开展的工作（如“每月开展一次小型文体活动”）：每月分别完成，全部月份完成才算完成。"),
    )
    # A festival item keeps its place relative to the festival (春节慰问 a week before 春节),
    # so that copying the plan to another year recomputes its date from the lunar calendar.
    festival = models.CharField(_("节日"), max_length=20, blank=True)
    festival_offset = models.SmallIntegerField(_("距节日天数"), default=0)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("标记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)
    # Last year's unfinished item this one was carried over from (结转, services.items_carry): the new
    # year's page says where it came from, and an item is carried once.
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("结转自"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="carried_into",
    )

    history = HistoricalRecords()
    objects = ScheduleItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("计划事项")
        verbose_name_plural = _("计划事项")
        ordering = ["plan", "month", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["carried_from"], name="one_carry_per_item")]
        indexes = [
            models.Index(fields=["plan", "month"]),
            models.Index(fields=["unit", "status"]),
            # Items in month order, a plan's together (the home card's overdue items, the items page):
            # a province reads its first few in the index's order instead of sorting a million.
            models.Index(fields=["month", "plan", "order", "id"], name="item_month_plan_order_idx"),
            # The work calendar's month: its dated items by date for the grid, the undated ones in plan order
            # for the list below it (without walking past the dated ones of a province).
            models.Index(fields=["date", "id"], condition=Q(date__isnull=False), name="item_date_idx"),
            models.Index(
                fields=["month", "plan", "order", "id"], condition=Q(date__isnull=True), name="item_undated_month_idx"
            ),
            # The same for a city's thousand units, a few entries each: its share of the province's month
            # is too thin to find by walking the two above (a city's 333 dated items among 33,333).
            models.Index(fields=["unit", "date"], condition=Q(date__isnull=False), name="item_unit_date_idx"),
            models.Index(fields=["unit", "month"], condition=Q(date__isnull=True), name="item_unit_undated_idx"),
            # Items postponed to a month, in the same order (the work calendar's list of the month).
            models.Index(
                fields=["postponed_to", "plan", "order", "id"],
                condition=Q(status=ItemStatus.POSTPONED),
                name="item_postponed_plan_order_idx",
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        errors = {}
        if self.status == ItemStatus.POSTPONED and not self.postponed_to:
            errors["postponed_to"] = _("延期的事项请选择延期到哪个月。")
        if self.plan_id and self.date and self.date.year != self.plan.year:
            errors["date"] = _("日期应在计划年度（%(year)s年）之内。") % {"year": self.plan.year}
        elif self.date and self.month and self.date.month != self.month:
            errors["date"] = _("日期不在所选月份之内。")
        if self.plan_id and self.unit_id and not self.unit.is_in_subtree_of(self.plan.unit):
            errors["unit"] = _("承办单位应是本单位或下级单位。")
        if errors:
            raise ValidationError(errors)

    @property
    def due_month(self):
        """The month the item is now due: the month it was postponed to, else its own."""
        if self.status == ItemStatus.POSTPONED and self.postponed_to:
            return self.postponed_to
        return self.month

    @property
    def is_done(self):
        return self.status == ItemStatus.DONE

    @property
    def latest_note(self):
        """The officer's latest word on the item, the last line of its note: why it was cancelled,
        postponed or is still open, which the unit above and next year's plan ask for."""
        return next((line.strip() for line in reversed(self.note.splitlines()) if line.strip()), "")

    def is_overdue(self, today=None):
        """The same rule as ``ScheduleItem.objects.overdue(today)``, for one item."""
        today = today or timezone.localdate()
        if self.plan.status != PlanStatus.PUBLISHED:
            return False
        if self.status in OPEN_STATUSES:
            return _month_passed(self.plan.year, self.month, today)
        if self.status == ItemStatus.POSTPONED and self.postponed_to:
            return _month_passed(self.plan.year, self.postponed_to, today)
        return False

    def is_still_ahead(self, today=None):
        """Not done, not cancelled, and its month (or the month it was moved to; 全年: the year; a
        recurring item: its last month, December) not over on ``today``: work still under way, not
        work left undone, whether or not the plan is published."""
        today = today or timezone.localdate()
        if self.status not in (*OPEN_STATUSES, ItemStatus.POSTPONED):
            return False
        return not _month_passed(self.plan.year, 12 if self.recurring else self.due_month, today)

    def occurrence_months(self):
        """The months a recurring item is due in: every month from its own (全年: from January)."""
        return list(range(max(self.month, 1), 13)) if self.recurring else []

    def mark_done(self, *, by=None, note="", month=None):
        """Record the item as carried out (the activities app calls this when a linked event is held).

        A recurring item records the turn of ``month`` only (the month its activity was held in),
        and is done once every month's turn is; without a month it is done as a whole.
        """
        if self.recurring and month is not None:
            self._mark_occurrence(month, by=by, note=note)
            return
        self.status = ItemStatus.DONE
        self.done_at = timezone.now()
        self.done_by = by
        if note:
            self.note = f"{self.note}\n{note}".strip() if self.note else note
        self.save(update_fields=["status", "done_at", "done_by", "note"])

    def _mark_occurrence(self, month, *, by, note):
        if month in self.occurrence_months():
            ItemOccurrence.objects.get_or_create(
                item=self, month=month, defaults={"done_at": timezone.now(), "done_by": by, "note": note}
            )
        done = set(self.occurrences.values_list("month", flat=True))
        if done >= set(self.occurrence_months()):
            self.mark_done(by=by, note=note)
        elif self.status == ItemStatus.PLANNED:
            self.status = ItemStatus.IN_PROGRESS
            self.save(update_fields=["status"])

    def last_day(self):
        """The last day the item can be done on time."""
        year = self.plan.year
        month = self.due_month or 12
        return datetime.date(year, month, calendar.monthrange(year, month)[1])


class ItemOccurrence(models.Model):
    """One month's turn of a recurring schedule item, recorded when it was carried out."""

    item = models.ForeignKey(
        ScheduleItem, verbose_name=_("计划事项"), on_delete=models.CASCADE, related_name="occurrences"
    )
    month = models.PositiveSmallIntegerField(
        _("月份"), choices=MONTH_NAMES, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    done_at = models.DateTimeField(_("完成时间"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("标记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("每月事项完成记录")
        verbose_name_plural = _("每月事项完成记录")
        ordering = ["item", "month"]
        constraints = [models.UniqueConstraint(fields=["item", "month"], name="one_occurrence_per_item_and_month")]

    def __str__(self):
        return f"{self.item} · {self.month}"


_RECURRING = re.compile(r"每(?:个)?月(?!\d+日)")


def looks_recurring(text):
    """ "每月开展一次……", "每个月组织……": work to be done month by month."""
    return bool(_RECURRING.search(text))


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FINAL = "final", _("定稿")


class YearSummaryQuerySet(UnitScopedQuerySet):
    pass


class YearSummary(models.Model):
    """The year-end work summary (工作总结): drafted from what was recorded, then edited by hand.

    ``body`` is plain text in which a line such as "一、..." or "（一）..." is a heading,
    the way officers write in Word; the .docx export keeps that structure.
    """

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="year_summaries"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR_VALIDATORS)
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("工作计划"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="summaries",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT)
    # The date under the unit's name at its end (落款): set when it is made final, so that a typo
    # corrected in the new year does not redate the year's summary.
    dated = models.DateField(_("落款日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = YearSummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作总结")
        verbose_name_plural = _("工作总结")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_summary_per_unit_and_year")]

    def __str__(self):
        return self.title

    def lines(self):
        """The body's lines as (heading level, text), level 0 for a paragraph: a line starting with
        一、 （一） 1. （1） is a heading of that level, as the Word export reads it."""
        found = []
        for line in self.body.splitlines():
            line = line.strip()
            if line:
                numbered = numbering(line)
                found.append((numbered[0] if numbered and numbered[0] <= 4 else 0, line))
        return found

    def signature_date(self):
        """The 落款 date: the one set (or the day it was made final), else the day it was last changed."""
        if self.dated:
            return self.dated
        return timezone.localdate(self.updated_at) if self.updated_at else timezone.localdate()


class ReadState(models.TextChoices):
    QUEUED = "queued", _("正在读取")
    DONE = "done", _("已读取")
    FAILED = "failed", _("未能读取")


def _read_upload_path(job, filename):
    return f"plans/reading/{timezone.now():%Y/%m}/{filename}"


class PlanReadJobQuerySet(models.QuerySet):
    def of(self, user):
        """Jobs only their uploader sees (the view also checks plans.change on the unit)."""
        return self.filter(created_by=user)


class PlanReadJob(models.Model):
    """An uploaded .doc or PDF whose text the worker reads (plans.read_jobs): LibreOffice and pypdf
    may take a minute and much memory, which a web request must not. The upload is deleted once read;
    the text, for the review page, until PRIVATE_FILES_RETENTION_DAYS have passed."""

    State = ReadState

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to=_read_upload_path, storage=private_storage, blank=True)
    original_name = models.CharField(_("文件名"), max_length=200)
    state = models.CharField(_("状态"), max_length=10, choices=ReadState.choices, default=ReadState.QUEUED)
    text = models.TextField(_("读取的文字"), blank=True)
    message = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始读取时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = PlanReadJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("计划文件读取")
        verbose_name_plural = _("计划文件读取")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def is_waiting(self):
        return self.state == ReadState.QUEUED

    @classmethod
    def purge_uploads(cls, *, now, days=None) -> int:
        """Delete jobs uploaded before the retention period, their text and any upload left
        (``manage.py purge_imports``)."""
        old = cls.objects.filter(created_at__lt=retention_cutoff(now=now, days=days))
        for job in old.exclude(file="").iterator():
            discard(job.file)
        return old.delete()[0]
