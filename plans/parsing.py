"""Read an existing plan document (.docx, .txt or pasted text) into a structured plan.

Pure functions over lines of text, returning dataclasses; nothing here touches the
database. The officer checks the result in a preview before anything is saved
(plans.importing), so the parser prefers keeping text over guessing: a line it cannot
place goes into the body of the section above it.

What it recognises, the ways Chinese plans are written:
- a title on the first line, the guiding principles (指导思想) before the first section or
  under their own label;
- numbered sections at four levels, 一、 （一） 1. （1）, also with half-width or
  full-width punctuation (1、 1． (1) ①) and 第一部分 / 第一章;
- the month schedule: a line "三月份" or "3月份：" followed by numbered items, a month with
  its items inline split on "；", months under quarter headings (第一季度), a month named
  inside an item's own text, and year-round work (全年);
- numeric goals ("入会率达到100%", "不少于8次", "200万件以上") as target candidates.
"""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from core.officialdoc import heading_number

MAX_TEXT_CHARS = 200_000

_DIGIT_TABLE = str.maketrans("０１２３４５６７８９％", "0123456789%")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_NUMBER = "[一二三四五六七八九十]+"
_SPACE = " \t\u3000\xa0"


class PlanParseError(ValueError):
    """The input cannot be read as text (a damaged .docx, an unknown encoding)."""


@dataclass
class Section:
    heading: str
    body: str = ""
    level: int = 1


@dataclass
class Month:
    month: int  # 1-12, or 0 for year-round work
    items: list[str] = field(default_factory=list)


@dataclass
class TargetCandidate:
    text: str
    value: Decimal
    measure: str
    op: str  # ">=", "<=" or "=="


@dataclass
class ParsedPlan:
    title: str = ""
    guiding: str = ""
    sections: list[Section] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)
    targets: list[TargetCandidate] = field(default_factory=list)

    @property
    def item_count(self):
        return sum(len(m.items) for m in self.months)

    def as_json(self):
        """The shape ``import_plan --json`` prints (and the import page round-trips)."""
        return {
            "title": self.title,
            "sections": [{"heading": s.heading, "body": s.body} for s in self.sections],
            "months": [{"month": m.month, "items": list(m.items)} for m in self.months],
            "targets": [
                {"text": t.text, "value": _json_number(t.value), "measure": t.measure, "op": t.op} for t in self.targets
            ],
        }


def _json_number(value):
    return int(value) if value == value.to_integral_value() else float(value)


# --- Reading files --------------------------------------------------------------------------


def read_text(data: bytes, filename: str = "") -> str:
    """The text of an uploaded file: .docx through python-docx, anything else as text."""
    if filename.lower().endswith(".docx") or data[:2] == b"PK":
        return docx_text(data)
    if data[:4] == b"\xd0\xcf\x11\xe0":  # the binary .doc of Word 97-2003
        raise PlanParseError(_("这是旧版 Word 文件（.doc），请先在 Word 中另存为 .docx 再导入。"))
    if data[:5] == b"%PDF-":
        raise PlanParseError(_("PDF 文件无法导入，请用原来的 Word 文件（.docx），或把全文复制粘贴进来。"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanParseError(_("无法识别文件的文字编码，请另存为 UTF-8 文本或 Word (.docx) 文件后再导入。"))


def docx_text(data: bytes) -> str:
    """Paragraphs and table cells of a .docx in document order, one per line.

    Headings styled "Heading N" / "标题 N" without typed numbers get a marker of their
    level, since Word's automatic numbering is not part of the paragraph text.
    """
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a damaged or foreign file
        raise PlanParseError(
            _("无法打开这个 Word 文件（只支持 .docx 格式，.doc 请先在 Word 中另存为 .docx）。")
        ) from error

    lines = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            lines.append(_styled_heading(paragraph))
        elif child.tag == qn("w:tbl"):
            lines.extend(_table_lines(Table(child, document)))
    return "\n".join(lines)


def _styled_heading(paragraph):
    text = paragraph.text.strip()
    style = paragraph.style.name if paragraph.style is not None else ""
    match = re.match(r"(?:Heading|标题)\s*(\d)", style or "")
    if text and match and not numbering(text):
        level = int(match.group(1))
        if 1 <= level <= 4:
            return f"{heading_number(level, 1)}{text}"
    return text


def _table_lines(table):
    """A schedule table (月份 | 工作内容 | 负责人) becomes month lines followed by items."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A merged cell appears once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append([p.text.strip() for p in cell.paragraphs if p.text.strip()])
        rows.append(cells)
    if not rows:
        return []
    header = ["".join(c) for c in rows[0]]
    month_col = next((i for i, h in enumerate(header) if re.search("月份|时间|月度", h)), None)
    content_col = next((i for i, h in enumerate(header) if re.search("内容|工作|活动|事项|安排", h)), None)
    lines = []
    if month_col is not None and content_col is not None and month_col != content_col:
        for cells in rows[1:]:
            if len(cells) <= max(month_col, content_col):
                continue
            month = "".join(cells[month_col])
            lines.append(f"{month}：" if month and not month.endswith(("：", ":")) else month)
            lines.extend(cells[content_col])
        return lines
    for cells in rows:
        for paragraphs in cells:
            lines.extend(paragraphs)
    return lines


# --- Recognising lines ----------------------------------------------------------------------

_LEVEL_PATTERNS = [
    (1, re.compile(rf"^(?:{_CN_NUMBER}\s*[、.．]|第{_CN_NUMBER}(?:部分|章|篇)[、:：\s]?)\s*")),
    (2, re.compile(rf"^[（(]\s*{_CN_NUMBER}\s*[）)]\s*[、.．]?\s*")),
    (3, re.compile(r"^\d{1,2}\s*(?:[、．]|\.(?!\d))\s*")),
    (4, re.compile(r"^(?:[（(]\s*\d{1,2}\s*[）)]|\d{1,2}\s*[）)]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*[、.．]?\s*")),
]
_BULLET = re.compile(r"^[-－—·•●▪■◆◇○]\s*")
# Numbers that start an item in the middle of a line: "3月：1.xxx 2.xxx", "（1）xxx（2）xxx";
# a bare "2." only after a space or punctuation, so that "提高1.5倍" stays whole.
_INLINE_NUMBER = re.compile(
    r"(?:(?:^|(?<=[\s；;。，,]))\d{1,2}\s*(?:[、．]|\.(?!\d))|[（(]\d{1,2}[）)]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*"
)

_MONTH_WORD = r"(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]|正|腊)"
_MONTH_LABEL = re.compile(
    rf"^{_MONTH_WORD}\s*月(?:份)?(?:(?:上旬|中旬|下旬|初|底|末)?\s*[:：，,、]\s*|\s+|$)(?P<rest>.*)$"
)
_MONTH_IN_TEXT = re.compile(rf"(?<![\d每本下上次])(?<!当){_MONTH_WORD}\s*月(?!度|份度)")
_YEAR_ROUND = re.compile(r"^(?:全年|常年|日常|每月|长期)(?:工作|事项|性工作)?\s*[:：]\s*(?P<rest>.*)$")
_QUARTER = re.compile(r"^第?(?P<q>[一二三四1-4])季度(?:\s*[（(][^）)]*[）)])?(?:\s*[:：]\s*(?P<rest>.*)|\s*)$")
SCHEDULE_HEADING = re.compile(
    r"(?:月度|月份|逐月|分月|时间|进度|日程|活动)(?:工作|活动)?(?:安排|计划|表)|行事历|工作日程|工作日历"
)
_GUIDING_LABEL = re.compile(r"^(?:指导思想|总体思路|工作思路|总体要求)\s*[:：]\s*(?P<rest>.+)$")
_GUIDING_HEADING = re.compile(r"^(?:指导思想|总体思路|工作思路|总体要求)$")
_GOALS_HEADING = re.compile(r"目标|指标")
_TRAILING = "。；;，,、 \t\u3000"


def _clean(line):
    return line.strip(_SPACE + "\r\ufeff")


def numbering(text):
    """(level, text without its number) for a numbered line, else None; bullets are level 5."""
    for level, pattern in _LEVEL_PATTERNS:
        match = pattern.match(text)
        if match and match.end() < len(text):
            return level, text[match.end() :].strip(_SPACE)
    match = _BULLET.match(text)
    if match and match.end() < len(text):
        return 5, text[match.end() :].strip(_SPACE)
    return None


def _month_number(word):
    word = word.lstrip("0")
    if word.isdigit():
        return int(word)
    if word == "正":
        return 1
    if word == "腊":
        return 12
    if word.startswith("十"):
        return 10 + (_CN[word[1]] if len(word) > 1 else 0)
    return _CN[word]


def _month_label(text):
    """(month, rest of the line) when ``text`` starts with a month label like "3月份："."""
    match = _MONTH_LABEL.match(text)
    if match:
        month = _month_number(match.group("month"))
        if 1 <= month <= 12:
            return month, match.group("rest").strip(_SPACE)
    match = _YEAR_ROUND.match(text)
    if match:
        return 0, match.group("rest").strip(_SPACE)
    return None


def _month_in_text(text):
    match = _MONTH_IN_TEXT.search(text)
    if match:
        month = _month_number(match.group("month"))
        if 1 <= month <= 12:
            return month
    return None


def split_items(text):
    """The items of one line: split on their numbers if numbered inline, else on "；"."""
    text = text.strip(_SPACE)
    if not text:
        return []
    starts = list(_INLINE_NUMBER.finditer(text))
    if len(starts) >= 2 or (starts and starts[0].start() == 0):
        pieces = []
        if starts[0].start() > 0:
            pieces.append(text[: starts[0].start()])
        for index, match in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
            pieces.append(text[match.end() : end])
    else:
        pieces = re.split(r"[；;]", text)
        if len(pieces) == 1 and text.rstrip("。").count("。") >= 1:
            pieces = text.split("。")
    items = []
    for piece in pieces:
        piece = piece.strip(_TRAILING)
        numbered = numbering(piece)
        if numbered:
            piece = numbered[1].strip(_TRAILING)
        if piece:
            items.append(piece)
    return items


def _split_heading(text):
    """A section line "加强思想引领。每月组织……" is its heading and the start of its body."""
    match = re.search(r"[。：:]", text)
    if match and 0 < match.start() <= 40 and match.end() < len(text):
        return text[: match.start()].strip(_SPACE), text[match.end() :].strip(_SPACE)
    return text.rstrip("。：:").strip(_SPACE), ""


# --- Parsing --------------------------------------------------------------------------------


def parse_plan(text: str) -> ParsedPlan:
    """Parse the text of a plan document; never raises on odd input, only finds less."""
    text = (text or "")[:MAX_TEXT_CHARS].translate(_DIGIT_TABLE)
    lines = [line for line in (_clean(raw) for raw in text.splitlines()) if line]
    plan = ParsedPlan()
    if not lines:
        return plan

    first = lines[0]
    if (
        len(first) <= 60
        and not first.endswith(("：", ":"))
        and not (numbering(first) or _month_label(first) or _QUARTER.match(first) or _GUIDING_LABEL.match(first))
    ):
        plan.title = lines.pop(0).rstrip("。")

    _strip_signature(lines)
    months: dict[int, Month] = {}
    guiding_lines = []
    section = None
    schedule_level = None  # the level of the schedule's heading while reading the schedule
    month = None  # the month items are being collected for
    quarter_month = None  # the first month of the current quarter heading, as a fallback

    def add_items(target_month, items):
        if not items:
            return
        if target_month not in months:
            months[target_month] = Month(target_month)
        months[target_month].items.extend(items)

    def schedule_item(text):
        if month is not None:
            add_items(month, split_items(text))
            return
        label = _month_label(text)
        if label:
            add_items(label[0], split_items(label[1]))
            return
        fallback = quarter_month if quarter_month is not None else 0
        add_items(_month_in_text(text) or fallback, split_items(text))

    for line in lines:
        numbered = numbering(line)
        level, content = numbered if numbered else (None, line)
        label = _month_label(content)
        quarter = _QUARTER.match(content)

        if label:
            schedule_level = schedule_level or level or 0
            month = label[0]
            months.setdefault(month, Month(month))
            add_items(month, split_items(label[1]))
            continue
        if quarter and (schedule_level is not None or not numbered):
            schedule_level = schedule_level or level or 0
            quarter_month = _month_number(quarter.group("q")) * 3 - 2
            month = None
            if quarter.group("rest"):
                schedule_item(quarter.group("rest"))
            continue

        is_heading = level is not None and level <= 4
        if schedule_level is not None:
            # A heading as high as the schedule's own (or, without one, a section heading)
            # that names no month is the next part of the plan.
            ends_schedule = is_heading and level <= (schedule_level or 2) and _month_in_text(content) is None
            if not ends_schedule:
                schedule_item(content)
                continue
            schedule_level = month = quarter_month = None

        if SCHEDULE_HEADING.search(content) and (is_heading or content.endswith(("：", ":")) or len(content) <= 12):
            schedule_level = level or 0
            month = quarter_month = None
            section = None
            continue

        guiding = _GUIDING_LABEL.match(content)
        if guiding and not plan.sections:
            guiding_lines.append(guiding.group("rest"))
            continue
        if is_heading:
            heading, body = _split_heading(content)
            if _GUIDING_HEADING.match(heading) and not plan.sections:
                # 一、指导思想 is the plan's guiding text, not one of its sections.
                section = None
                guiding_lines.extend([body] if body else [])
                continue
            section = Section(heading, body, level)
            plan.sections.append(section)
            continue
        if section is not None:
            section.body = f"{section.body}\n{line}" if section.body else line
        else:
            guiding_lines.append(line)

    plan.guiding = "\n".join(guiding_lines)
    plan.months = [m for m in months.values() if m.items]
    plan.targets = find_targets(plan)
    return plan


_SIGNATURE_DATE = re.compile(
    r"^(?:\d{4}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$"
)


def _strip_signature(lines):
    """Drop the signature block at the end (unit name, then the date): it is no item."""
    if lines and _SIGNATURE_DATE.match(lines[-1].replace(" ", "")):
        lines.pop()
        if lines and len(lines[-1]) <= 30 and not numbering(lines[-1]) and not _month_label(lines[-1]):
            lines.pop()


# --- Targets --------------------------------------------------------------------------------

_MEASURES = "人次|万元|元|件|次|场|个|名|人|户|条|项|篇|期|家|所|支|批|天|小时|课时|本|份|队|%"
_TARGET = re.compile(
    r"(?P<pre>不少于|不低于|不超过|不高于|不多于|至少|超过|达到|控制在|保持在?|确保)?\s*"
    r"(?P<number>\d+(?:\.\d+)?)\s*(?P<scale>万|亿)?\s*(?P<measure>" + _MEASURES + r")"
    r"(?P<post>及以上|以上|以下|以内|之内)?"
)
_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_AT_LEAST = {"不少于", "不低于", "至少", "超过", "以上", "及以上"}
_AT_MOST = {"不超过", "不高于", "不多于", "控制在", "以下", "以内", "之内"}


def find_targets(plan: ParsedPlan) -> list[TargetCandidate]:
    """Numeric goals in the plan's text outside the schedule.

    When the plan has a goals section (工作目标, 总体目标) its goals are the ones stated
    there; figures in the task sections are then means, not goals.
    """
    goal_texts = []
    inside_goals_level = None
    for section in plan.sections:
        if inside_goals_level is not None and section.level <= inside_goals_level:
            inside_goals_level = None
        if inside_goals_level is None and _GOALS_HEADING.search(section.heading) and len(section.heading) <= 12:
            inside_goals_level = section.level
        if inside_goals_level is not None:
            goal_texts.append(f"{section.heading}。{section.body}")
    texts = goal_texts or [plan.guiding] + [f"{s.heading}。{s.body}" for s in plan.sections]
    found = []
    for text in texts:
        found.extend(targets_in(text))
    return found


def targets_in(text: str) -> list[TargetCandidate]:
    found = []
    for clause in _clauses(text.translate(_DIGIT_TABLE)):
        for match in _TARGET.finditer(clause):
            before = clause[: match.start("number")]
            after = clause[match.end() :]
            # Dates, ranks and frequencies are not goals: "3月", "第2名", "每月1次", "12个月".
            if before.endswith(("第", "前")) or "每" in before[-3:] or after.startswith(("月", "年", "周", "届")):
                continue
            value = Decimal(match.group("number")) * _SCALE.get(match.group("scale"), Decimal(1))
            op = "=="
            if match.group("pre") in _AT_LEAST or match.group("post") in _AT_LEAST:
                op = ">="
            elif match.group("pre") in _AT_MOST or match.group("post") in _AT_MOST:
                op = "<="
            value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
            found.append(TargetCandidate(clause, value, match.group("measure"), op))
    return found


def _clauses(text):
    """Clauses of one goal each: "评选优秀班组5个、服务明星20名" is two, "慰问困难教职工、
    生病住院教职工……不少于40人次" one."""
    for clause in re.split(r"[，。；;：:,\n]", text):
        clause = clause.strip(_SPACE)
        if len(_TARGET.findall(clause)) > 1:
            yield from (part.strip(_SPACE) for part in clause.split("、"))
        elif clause:
            yield clause
