"""The plan and the year-end summary as Word documents in the official layout, and the
year-end archive (.zip) that bundles them with the year's tables."""

import io
import re
import zipfile
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.officialdoc import OfficialDocument
from core.tables import DATE_WIDTH, DATETIME_WIDTH, Column, write_xlsx
from plans.models import (
    MONTH_CHOICES,
    ItemStatus,
    OutlinePart,
    Plan,
    ScheduleItem,
    TargetOp,
    YearSummary,
    shown_number,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _number(value):
    value = Decimal(value)
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


def target_sentence(target):
    """ "教职工入会率：达到100%" — or the officer's own words when they already hold the figure."""
    figure = f"{_number(target.value)}{target.measure}"
    if figure in target.name.replace("％", "%"):
        return target.name
    op = {TargetOp.AT_LEAST: _("不少于"), TargetOp.AT_MOST: _("不超过"), TargetOp.EXACTLY: _("达到")}[target.op]
    return f"{target.name}：{op}{figure}"


def _month_label(month):
    return dict(MONTH_CHOICES)[month]


def _signature_date(plan):
    """The plan's own date when it has one (an imported document's 落款), else the day it was
    published, else today."""
    if plan.dated:
        return plan.dated
    return timezone.localdate(plan.published_at) if plan.published_at else timezone.localdate()


def plan_docx(plan: Plan) -> bytes:
    """The plan as the document the union hands to its federation: its outline numbered as
    on the plan's page (``Plan.outline``), the targets under the goals heading and the month
    schedule as a table under the schedule heading."""
    sections = list(plan.sections.all())
    targets = list(plan.targets.all())
    items = list(plan.items.select_related("unit").order_by("month", "order", "pk"))

    doc = OfficialDocument(plan.title)
    outline = plan.outline(sections=sections, has_targets=bool(targets), has_items=bool(items))
    for entry in outline:
        doc.heading(entry.level, f"{entry.number}{entry.heading}", numbered=False)
        if entry.part == OutlinePart.GUIDING:
            doc.paragraph(plan.guiding)
        if entry.body.strip():
            doc.paragraph(entry.body)
        if entry.part == OutlinePart.GOALS and targets:
            _targets(doc, targets)
        if entry.part == OutlinePart.SCHEDULE and items:
            _schedule(doc, plan, items)

    doc.signature(plan.unit.name, _signature_date(plan))
    return doc.to_bytes()


def _targets(doc, targets):
    for index, target in enumerate(targets, start=1):
        doc.paragraph(f"{index}. {target_sentence(target)}。".replace("。。", "。"))


def _schedule(doc, plan, items):
    rows = []
    for item in items:
        unit = "" if item.unit_id == plan.unit_id else item.unit.display_name
        who = "、".join(part for part in (item.owner, unit) if part)
        text = f"{item.text}（{item.date.month}月{item.date.day}日）" if item.date else item.text
        rows.append([_month_label(item.month), text, who])
    doc.table([_("月份"), _("工作内容"), _("负责人")], rows, widths=[22, 100, 34], merge_first_column=True)


def summary_docx(summary: YearSummary) -> bytes:
    """The edited summary: lines starting with 一、 （一） 1. （1） become headings of that
    level, keeping the officer's own numbers; every other line is a paragraph."""
    doc = OfficialDocument(summary.title)
    for level, line in summary.lines():
        if level:
            heading, body = _heading_and_body(line)
            doc.heading(level, heading, numbered=False, body=body)
        else:
            doc.paragraph(line)
    doc.signature(summary.unit.name, summary.signature_date())
    return doc.to_bytes()


def _heading_and_body(line):
    """ "1.全年开展活动12次。参与……" is a heading sentence followed by its body."""
    match = re.search(r"[。：:]", line)
    if match and match.end() < len(line) and match.start() <= 40:
        return line[: match.end()], line[match.end() :]
    return line, ""


# --- The archive -----------------------------------------------------------------------------


def _item_columns():
    return [
        Column(_("月份"), 8),
        Column(_("日期"), DATE_WIDTH),
        Column(_("事项"), 50),
        Column(_("类别"), 12),
        Column(_("负责人"), 12),
        Column(_("承办单位"), 24),
        Column(_("状态"), 10),
        Column(_("延期至"), 8),
        Column(_("完成时间"), DATETIME_WIDTH),
        Column(_("备注"), 30),
    ]


def _item_rows(items):
    for item in items:
        yield [
            str(_month_label(item.month)),
            item.date,
            item.text,
            item.get_category_display(),
            item.owner,
            item.unit.name,
            item.get_status_display(),
            str(_month_label(item.postponed_to)) if item.status == ItemStatus.POSTPONED and item.postponed_to else "",
            item.done_at,  # core.tables writes a moment as a date cell on the local clock
            item.note,
        ]


def _target_columns():
    return [
        Column(_("目标"), 40),
        Column(_("比较"), 8),
        Column(_("目标值"), 12),
        Column(_("计量单位"), 10),
        Column(_("实际值"), 12),
        Column(_("实际值来源"), 20),
        Column(_("完成情况"), 12),
    ]


def _target_rows(targets, today):
    from plans.services import target_statuses

    for status in target_statuses(targets, today=today):
        target, actual = status.target, status.actual
        yield [
            target.name,
            target.get_op_display(),
            float(target.value),
            target.measure,
            "" if actual is None else float(shown_number(actual)),
            str(target.metric_label) if target.metric else _("填报"),
            str(status.state_label),
        ]


def archive_filename(unit, year):
    return f"{unit.name}{year}年归档.zip"


def archive_zip(*, unit, year, plan=None, summary=None, extra_files=()) -> bytes:
    """The year-end bundle: the plan and the summary as .docx, the schedule and the
    targets as .xlsx, and any ``extra_files`` ((name, bytes) pairs, e.g. the roster)."""
    today = timezone.localdate()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        if plan is not None:
            bundle.writestr(f"{_safe(plan.title)}.docx", plan_docx(plan))
            items = ScheduleItem.objects.filter(plan=plan).select_related("unit").order_by("month", "order", "pk")
            # Named by the plan (its unit and year) as the Word files are: a county's officer unpacks the
            # bundles of several unions into one folder.
            bundle.writestr(
                f"{_safe(plan.title)}-{_('计划事项')}.xlsx",
                write_xlsx(
                    _item_columns(), _item_rows(items.iterator(chunk_size=500)), title=plan.title, sheet=_("计划事项")
                ),
            )
            targets = list(plan.targets.select_related("plan__unit"))
            bundle.writestr(
                f"{_safe(plan.title)}-{_('工作目标')}.xlsx",
                write_xlsx(_target_columns(), _target_rows(targets, today), title=plan.title, sheet=_("工作目标")),
            )
        if summary is not None:
            bundle.writestr(f"{_safe(summary.title)}.docx", summary_docx(summary))
        for name, data in extra_files:
            bundle.writestr(name, data)
    return buffer.getvalue()


def _safe(name):
    """A file name inside the archive: no path separators or characters Windows refuses."""
    return re.sub(r'[\\/:*?"<>|\r\n]+', "_", name).strip() or "document"


def roster_files(unit, year, today=None):
    """The roster of the unit's subtree as the members app exports it, with ID numbers and
    phones masked: an archive is handed around, so it carries no full personal data.

    The members app keeps no past rosters, so this is the roster on the day the archive is
    taken, whatever ``year`` it is for: its title and file name say so by that date."""
    from members import exporting
    from members.models import Member

    as_of = date_format(today or timezone.localdate(), "DATE_FORMAT")
    members = Member.objects.in_subtree(unit).in_union().order_by("name_pinyin", "id")
    title = _("%(unit)s会员名册（截至%(date)s）") % {"unit": unit.name, "date": as_of}
    data = write_xlsx(exporting.columns(), exporting.rows(members, unmasked=False), title=title, sheet=_("会员名册"))
    return [(_safe(title) + ".xlsx", data)]  # named by the unit, as the bundle's other files are
