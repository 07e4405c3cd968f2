"""Read the text of an existing plan document into a structured plan.

Pure functions over lines of text, returning dataclasses; nothing here touches the
database or reads files (plans.reading turns .docx, .doc, PDF and text files into text).
The officer checks the result in a preview before anything is saved (plans.importing), so
the parser prefers keeping text over guessing: a line it cannot place goes into the body
of the section above it, and a month it only infers (from a festival) is marked as such.

What it recognises, the ways Chinese plans are written:
- a title on the first line, the guiding principles (指导思想) before the first section or
  under their own label;
- numbered sections at four levels, 一、 （一） 1. （1）, also with half-width or
  full-width punctuation (1、 1． (1) ①) and 第一部分 / 第一章;
- the month schedule: a line "三月份" or "3月份：" followed by numbered items, a month with
  its items inline split on "；", months under quarter headings (第一季度), a schedule
  heading whose first month follows on the same line ("五、全年工作安排：九月份：召开……"),
  and year-round work (全年);
- months inside numbered items anywhere in the plan ("4、五月份组织……", "3、四月下旬进行……",
  "5、5月份（1）……（2）……"): such items are the schedule, and their siblings without a month
  are year-round work; "次年1月" / "明年一月" is January of the next year;
- an item tied to a festival but to no month ("春节前送温暖") is suggested for the festival's
  month of the plan's year (lunar festivals computed), for the officer to confirm;
- numeric goals ("入会率达到100%", "不少于8次", "200万件以上", "印制宣传画册5000册以上")
  as target candidates.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from core import calendar as cn_calendar

MAX_TEXT_CHARS = 200_000

_DIGIT_TABLE = str.maketrans(
    {
        **str.maketrans("０１２３４５６７８９％～", "0123456789%~"),
        # Word's and WPS's enclosed numbers: "⑴" is "(1)", "⒈" is "1.".
        **{0x2474 + n: f"({n + 1})" for n in range(20)},
        **{0x2488 + n: f"{n + 1}." for n in range(20)},
    }
)
# Characters that ride along when text is copied out of Word, web pages or PDFs.
# (Form feeds and vertical tabs stay: they break lines, as a page break in a text file does.)
_STRAY = re.compile("[\u200b-\u200f\u2060\ufeff\xad\ue000-\uf8ff\x00-\x08\x0e-\x1f]")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_NUMBER = "[一二三四五六七八九十]+"
# Other ways a first-level heading is numbered: financial numerals (壹、) and Roman ones (Ⅳ.).
_OTHER_FIRST_NUMBER = "[壹贰叁肆伍陆柒捌玖拾]+|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]"
_SPACE = " \t\u3000\xa0"
_TRAILING = "。；;，,、 \t\u3000\xa0"


@dataclass
class Section:
    heading: str
    body: str = ""
    level: int = 1
    # The line as written (heading and body together), in case it turns out to be an item.
    source: str = field(default="", repr=False, compare=False)


@dataclass
class Month:
    month: int  # 1-12, or 0 for year-round work
    items: list[str] = field(default_factory=list)
    next_year: bool = False  # January of the next year in a plan that runs into it ("次年1月")


@dataclass
class Suggestion:
    """An item placed in a month only because it names a festival: to be confirmed."""

    text: str
    month: int
    festival: str  # a key of core.calendar.FESTIVAL_NAMES

    @property
    def festival_name(self):
        return cn_calendar.FESTIVAL_NAMES[self.festival]


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
    suggested: list[Suggestion] = field(default_factory=list)
    targets: list[TargetCandidate] = field(default_factory=list)
    year: int | None = None
    # The document's own date: its 落款 at the end, else a date line under the title.
    dated: datetime.date | None = None

    @property
    def item_count(self):
        return sum(len(m.items) for m in self.months) + len(self.suggested)

    @property
    def has_schedule(self):
        return bool(self.months or self.suggested)

    def work_items(self):
        """Numbered items of the task sections, for an officer placing a plan with no schedule by month."""
        found = []
        outside_work = None
        for index, section in enumerate(self.sections):
            if outside_work is not None and section.level <= outside_work:
                outside_work = None
            if outside_work is None and _NOT_WORK.search(section.heading):
                outside_work = section.level
            deeper_follows = index + 1 < len(self.sections) and self.sections[index + 1].level > section.level
            if outside_work is None and section.level >= 2 and not deeper_follows:
                found.append((section.source or section.heading).strip(_TRAILING))
        return found

    def as_json(self):
        """The shape ``import_plan --json`` prints: an item is a string, or, when its month is
        only inferred from a festival, ``{"text", "inferred": true, "festival"}``; January of
        the next year is a month with ``"next_year": true``. Months in the document's order."""
        months = []
        for m in self.months:
            entry = {"month": m.month, "items": list(m.items)}
            if m.next_year:
                entry["next_year"] = True
            months.append(entry)
        for s in self.suggested:
            item = {"text": s.text, "inferred": True, "festival": str(s.festival_name)}
            same = next((e for e in months if e["month"] == s.month and not e.get("next_year")), None)
            if same is None:
                # Before the first later month of the year, so that a calendar-ordered plan stays so.
                same = {"month": s.month, "items": []}
                later = next((i for i, e in enumerate(months) if e["month"] > s.month or e.get("next_year")), None)
                months.insert(len(months) if later is None else later, same)
            same["items"].append(item)
        return {
            "title": self.title,
            "sections": [{"heading": s.heading, "body": s.body} for s in self.sections],
            "months": months,
            "targets": [
                {"text": t.text, "value": _json_number(t.value), "measure": t.measure, "op": t.op} for t in self.targets
            ],
        }


def _json_number(value):
    return int(value) if value == value.to_integral_value() else float(value)


# --- Recognising lines ----------------------------------------------------------------------

_LEVEL_PATTERNS = [
    (
        1,
        re.compile(rf"^(?:(?:{_CN_NUMBER}|{_OTHER_FIRST_NUMBER})\s*[、.．]|第{_CN_NUMBER}(?:部分|章|篇)[、:：\s]?)\s*"),
    ),
    (2, re.compile(rf"^[（(]\s*{_CN_NUMBER}\s*[）)]\s*[、.．]?\s*")),
    (3, re.compile(r"^\d{1,2}\s*(?:[、．]|\.(?!\d))\s*")),
    (4, re.compile(r"^(?:[（(]\s*\d{1,2}\s*[）)]|\d{1,2}\s*[）)]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*[、.．]?\s*")),
]
_BULLET = re.compile(r"^[-－—·•●▪■◆◇○]\s*")
_ITEM_LEVEL = 3  # 1. and （1） number items; 一、 and （一） number sections
# Numbers that start an item in the middle of a line: "3月：1.xxx 2.xxx", "（1）xxx（2）xxx";
# a bare "2." only after a space or punctuation, so that "提高1.5倍" stays whole.
_INLINE_NUMBER = re.compile(
    r"(?:(?:^|(?<=[\s；;。，,]))\d{1,2}\s*(?:[、．]|\.(?!\d))|[（(]\d{1,2}[）)]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*"
)

# "次年1月", "明年一月", "~年1月" (a school-year plan's placeholder year), "2028年1月".
_YEAR_PREFIX = r"(?P<year>次年|明年|翌年|下一?年|~\s*年|(?P<digits>20\d\d)\s*年)?\s*"
_MONTH_WORD = r"(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]|正|腊)"
# A part of the month, or a day in it: "3月上旬", "3月5日", "9月10日前", "3月5日—8日".
_DAY = r"\d{1,2}\s*[日号]"
_PART_OF_MONTH = rf"(?:上旬|中旬|下旬|初|中|底|末|\s*{_DAY}(?:\s*[—\-－~～至到]\s*{_DAY})?(?:前|左右)?)?"
# "4—5月", "4月—5月", "4至5月", "十二月至次年一月": a label spanning months files its items under the first.
_TO_MONTH = (
    r"(?:\s*月(?:份)?)?\s*[—\-－~～至到]\s*(?:次年|明年|翌年)?\s*(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
)
_MONTH_LABEL = re.compile(
    rf"^{_YEAR_PREFIX}{_MONTH_WORD}(?:{_TO_MONTH})?\s*月(?:份)?{_PART_OF_MONTH}"
    r"(?:\s*[:：，,、]\s*|\s+|$|(?=[（(①-⑳]|\d{1,2}\s*[、.．]))(?P<rest>.*)$"
)
_MONTH_IN_TEXT = re.compile(rf"(?<![\d每本下上次当]){_YEAR_PREFIX}{_MONTH_WORD}\s*月(?!度|份度|薪|刊)")
_YEAR_ROUND = re.compile(r"^(?:全年|常年|日常|每月|长期)(?:工作|事项|性工作)?\s*[:：]\s*(?P<rest>.*)$")
_QUARTER = re.compile(r"^第?(?P<q>[一二三四1-4])季度(?:\s*[（(][^）)]*[）)])?(?:\s*[:：]\s*(?P<rest>.*)|\s*)$")
SCHEDULE_HEADING = re.compile(
    r"(?:月度|月份|逐月|分月|时间|进度|日程|活动)(?:工作|活动)?(?:安排|计划|表)|行事历|工作日程|工作日历"
    r"|全年(?:工作|活动)(?:安排|日程)|工作安排表"
)
_GUIDING_LABEL = re.compile(r"^(?:指导思想|总体思路|工作思路|总体要求)\s*[:：]\s*(?P<rest>.+)$")
_GUIDING_HEADING = re.compile(r"^(?:指导思想|总体思路|工作思路|总体要求)$")
_GOALS_HEADING = re.compile(r"目标|指标")
# Parts of a plan whose numbered lines are goals or measures, never work to schedule.
_NOT_WORK = re.compile(r"目标|指标|指导思想|思路|要求|保障|措施|原则")

# Festival words -> key of core.calendar.festivals; longer words first.
_FESTIVAL_WORDS = [
    ("元宵", "yuanxiao"),
    ("元旦", "yuandan"),
    ("春节|新春|迎春|年货", "chunjie"),
    ("三八|妇女节", "funv"),
    ("清明", "qingming"),
    ("五一|劳动节", "laodong"),
    ("五四|青年节", "qingnian"),
    ("六一|儿童节", "ertong"),
    ("端午", "duanwu"),
    ("教师节", "jiaoshi"),
    ("中秋", "zhongqiu"),
    ("国庆", "guoqing"),
    ("重阳|敬老节", "chongyang"),
]


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
    if word.isdecimal():
        return int(word)
    if word == "正":
        return 1
    if word == "腊":
        return 12
    if word.startswith("十"):
        return 10 + (_CN[word[1]] if len(word) > 1 else 0)
    return _CN[word]


@dataclass(frozen=True)
class _When:
    month: int
    next_year: bool = False


def _when(match, year):
    """The month a match of _MONTH_LABEL or _MONTH_IN_TEXT names, or None for a year not the plan's."""
    month = _month_number(match.group("month"))
    if not 1 <= month <= 12:
        return None
    prefix = match.group("year")
    if not prefix:
        return _When(month)
    if match.group("digits"):
        offset = int(match.group("digits")) - year if year else 0
        if offset == 0:
            return _When(month)
        return _When(month, True) if offset == 1 and month == 1 else None
    # "次年3月" in a plan running into the next year is past its end: only January is read.
    return _When(month, True) if month == 1 else None


def _month_label(text, year=None):
    """(when, rest of the line) when ``text`` starts with a month label like "3月份："; when is
    None for year-round work (全年：)."""
    match = _MONTH_LABEL.match(text)
    if match:
        when = _when(match, year)
        if when:
            return when, match.group("rest").strip(_SPACE)
    match = _YEAR_ROUND.match(text)
    if match:
        return _When(0), match.group("rest").strip(_SPACE)
    return None


def _month_in_text(text, year=None, *, at_start=False):
    match = _MONTH_IN_TEXT.search(text)
    if match and (not at_start or match.start() == 0):
        return _when(match, year)
    return None


def festival_in(text):
    """The key of the festival an item is tied to, if any."""
    for words, key in _FESTIVAL_WORDS:
        if re.search(words, text):
            return key
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


def parse_plan(text: str, *, year: int | None = None) -> ParsedPlan:
    """Parse the text of a plan document; never raises on odd input, only finds less.

    ``year`` is the plan's year, for "2028年1月" and festival months; by default the year
    in the title, else the coming year.
    """
    lines = _clean_lines(text)
    plan = ParsedPlan()
    header_date = None
    if lines and _is_title(lines[0]):
        plan.title = lines.pop(0).rstrip("。")
        header_date = _strip_header_date(lines)
    plan.year = year or _year_in(plan.title) or timezone.localdate().year + 1
    plan.dated = _strip_signature(lines) or header_date
    reader = _PlanReader(plan)
    for line in lines:
        reader.read(line)
    reader.finish()
    plan.targets = find_targets(plan)
    return plan


def _clean_lines(text):
    text = _STRAY.sub("", (text or "")[:MAX_TEXT_CHARS]).translate(_DIGIT_TABLE)
    return [line for line in (raw.strip(_SPACE + "\r") for raw in text.splitlines()) if line]


def _is_title(line):
    """The first line is the title unless it already reads as part of the plan."""
    if len(line) > 60 or line.endswith(("：", ":")):
        return False
    return not (numbering(line) or _month_label(line) or _QUARTER.match(line) or _GUIDING_LABEL.match(line))


def _year_in(title):
    found = re.search(r"(20\d\d)\s*(?:[-—～~至]\s*20\d\d\s*)?(?:学)?年", title)
    return int(found.group(1)) if found else None


@dataclass
class _Schedule:
    """Where the reader is inside a schedule.

    ``level`` is that of the line that opened it (0 for an unnumbered one); a heading at
    that level or above, naming no month, ends it. A schedule of numbered items that name
    their months (``items_level``) ends only above the items' own level, since their
    siblings without a month are year-round work of the same list.
    """

    level: int
    items_level: int | None = None
    month: _When | None = None  # the month label items are being collected under
    month_level: int | None = None  # the level of that label's line, None when unnumbered
    quarter_month: int | None = None  # the first month of the current quarter heading

    def ended_by(self, level, content, year):
        if level is None or level > 4 or _month_in_text(content, year) is not None:
            return False
        if self.items_level is not None:
            return level < self.items_level
        return level <= (self.level or 2)


class _PlanReader:
    """Reads a plan line by line. ``read`` tries the rules in the order plans are written in:
    the first rule that recognises the line takes it."""

    def __init__(self, plan):
        self.plan = plan
        self.year = plan.year
        self.months: dict[tuple, Month] = {}
        self.guiding_lines: list[str] = []
        self.section: Section | None = None
        self.schedule: _Schedule | None = None
        self.items_part_level: int | None = None  # numbered items at this level are schedule items

    def read(self, line):
        numbered = numbering(line)
        level, content = numbered if numbered else (None, line)
        rules = (
            self._month_label,
            self._quarter,
            self._inside_schedule,
            self._item_naming_a_month,
            self._schedule_heading,
            self._guiding_label,
            self._heading,
        )
        if not any(rule(level, content) for rule in rules):
            self._body(line)

    def finish(self):
        self.plan.guiding = "\n".join(self.guiding_lines)
        # In the document's order of months: a school-year plan starts in 二月 or 九月.
        self.plan.months = [m for m in self.months.values() if m.items]

    # --- The rules, each returning True when it took the line ---

    def _month_label(self, level, content):
        """ "三月份", "3月份：……", "5、5月份（1）……（2）……": a month and the items under it."""
        label = _month_label(content, self.year)
        if not label:
            return False
        when, rest = label
        if self.schedule is None:
            self._open_schedule(level)
        self.schedule.month = when
        self.schedule.month_level = level
        self._month(when)
        self._add(when, split_items(rest))
        return True

    def _quarter(self, level, content):
        """ "第一季度": the months under it follow; an item directly under it falls in its first month."""
        quarter = _QUARTER.match(content)
        if not quarter or (self.schedule is None and level is not None):
            return False
        if self.schedule is None:
            self._open_schedule(level)
        self.schedule.quarter_month = _month_number(quarter.group("q")) * 3 - 2
        self.schedule.month = None
        if quarter.group("rest"):
            self._schedule_item(level, quarter.group("rest"))
        return True

    def _inside_schedule(self, level, content):
        if self.schedule is None:
            return False
        if self.schedule.ended_by(level, content, self.year):
            self.schedule = None
            return False
        self._schedule_item(level, content)
        return True

    def _item_naming_a_month(self, level, content):
        """ "4、五月份组织……" in a task section: the section's numbered items are the schedule."""
        if level is None or level < _ITEM_LEVEL or self._under_other_part():
            return False
        names_month = _month_in_text(content, self.year, at_start=True) is not None
        if not (names_month or self.items_part_level == level):
            return False
        self._open_schedule(level, items_level=level)
        self._schedule_item(level, content)
        return True

    def _schedule_heading(self, level, content):
        found = SCHEDULE_HEADING.search(content)
        if not found:
            return False
        rest = content[found.end() :].lstrip(_SPACE + "：:")
        first_month = found.start() <= 10 and (_month_label(rest, self.year) or _QUARTER.match(rest))
        if not (first_month or SCHEDULE_HEADING.search(_split_heading(content)[0])):
            return False  # named only in a section's body
        is_heading = level is not None and level <= 4
        if not (is_heading or content.endswith(("：", ":")) or len(content) <= 12 or first_month):
            return False
        self.schedule = _Schedule(level or 0)
        self.section = None
        if first_month:
            # "五、全年工作安排：九月份：召开……": the first month on the heading's own line.
            self.read(rest)
        return True

    def _guiding_label(self, level, content):
        guiding = _GUIDING_LABEL.match(content)
        if not guiding or self.plan.sections:
            return False
        self.guiding_lines.append(guiding.group("rest"))
        return True

    def _heading(self, level, content):
        if level is None or level > 4:
            return False
        if level == 1:
            self.items_part_level = None
        heading, body = _split_heading(content)
        if _GUIDING_HEADING.match(heading) and not self.plan.sections:
            # 一、指导思想 is the plan's guiding text, not one of its sections.
            self.section = None
            self.guiding_lines.extend([body] if body else [])
            return True
        self.section = Section(heading, body, level, source=content)
        self.plan.sections.append(self.section)
        return True

    def _body(self, line):
        if self.section is not None:
            self.section.body = f"{self.section.body}\n{line}" if self.section.body else line
            self.section.source += line
        else:
            self.guiding_lines.append(line)

    # --- Steps the rules share ---

    def _open_schedule(self, level, items_level=None):
        if level is not None and level >= _ITEM_LEVEL and items_level is None:
            items_level = level  # a numbered month label among items: "5、5月份"
        self.schedule = _Schedule(level or 0, items_level=items_level)
        if items_level is not None:
            self.items_part_level = items_level
            self._adopt_earlier_items(items_level)

    def _schedule_item(self, level, content):
        schedule = self.schedule
        if level is not None and schedule.month_level is not None and level <= schedule.month_level:
            schedule.month = None  # the next item of the label's own level: the label's month is over
        if schedule.month is not None:
            self._add(schedule.month, split_items(content))
            return
        when = _month_in_text(content, self.year)
        if level is not None and _month_in_text(content, self.year, at_start=True):
            # "3、四月下旬进行……" then "（1）……": the lines below it share its month.
            schedule.month, schedule.month_level = when, level
        if when is None and schedule.quarter_month is not None:
            when = _When(schedule.quarter_month)
        if when is None:
            self._unscheduled(split_items(content))
        else:
            self._add(when, split_items(content))

    def _unscheduled(self, items):
        """Items with no month: a festival's month as a suggestion, else year-round."""
        for item in items:
            festival = festival_in(item) if cn_calendar.MIN_YEAR <= self.year <= cn_calendar.MAX_YEAR else None
            if festival:
                month = cn_calendar.festivals(self.year)[festival].month
                self.plan.suggested.append(Suggestion(item, month, festival))
            else:
                self._add(_When(0), [item])

    def _adopt_earlier_items(self, level):
        """Numbered items read as sections before the first one naming a month are its siblings:
        they join the schedule, and the lines below them with them."""
        sections = self.plan.sections
        start = len(sections)
        while start > 0 and sections[start - 1].level >= level:
            start -= 1
        if start > 0 and _NOT_WORK.search(sections[start - 1].heading):
            return
        adopted = sections[start:]
        del sections[start:]
        self.section = sections[-1] if sections else None
        for section in adopted:
            self._unscheduled([(section.source or section.heading).strip(_TRAILING)])

    def _under_other_part(self):
        """Is the reader inside goals or measures, whose numbered lines are no work to schedule?"""
        for section in reversed(self.plan.sections):
            if section.level < _ITEM_LEVEL:
                return bool(_NOT_WORK.search(section.heading))
        return False

    def _month(self, when):
        key = (when.next_year, when.month)
        if key not in self.months:
            self.months[key] = Month(when.month, next_year=when.next_year)
        return self.months[key]

    def _add(self, when, items):
        if items:
            self._month(when).items.extend(items)


_DATE_WORDS = (
    r"(?P<year>\d{4}|[〇零一二三四五六七八九]{4})年"
    r"(?P<month>[\d一二三四五六七八九十]{1,3})月(?P<day>[\d一二三四五六七八九十]{1,3})日"
)
_SIGNATURE_DATE = re.compile(rf"^{_DATE_WORDS}$")
# Under the title: "2027年1月8日", or in brackets with what adopted it, "（2027年1月8日校工会委员会通过）".
_HEADER_DATE = re.compile(rf"^{_DATE_WORDS}(?P<note>[^（）()]{{0,30}})$")
_CN_DIGITS = {digit: value for value, digit in enumerate("〇一二三四五六七八九")} | {"零": 0}


def _strip_signature(lines):
    """Drop the signature block at the end (unit name, then the date): it is no item. Returns its
    date, or None."""
    found = _SIGNATURE_DATE.match(lines[-1].replace(" ", "")) if lines else None
    if not found:
        return None
    lines.pop()
    if lines and len(lines[-1]) <= 30 and not numbering(lines[-1]) and not _month_label(lines[-1]):
        lines.pop()
    return _date_of(found.group("year"), found.group("month"), found.group("day"))


def _strip_header_date(lines):
    """Drop a date line right under the title: it is no section. Returns the date, or None."""
    if not lines:
        return None
    line = lines[0].replace(" ", "")
    bracketed = line[:1] in "（(" and line[-1:] in "）)"
    found = _HEADER_DATE.match(line[1:-1] if bracketed else line)
    if not found or (found.group("note") and not bracketed):
        return None  # "2027年1月8日召开……" under the title is the plan's text
    lines.pop(0)
    return _date_of(found.group("year"), found.group("month"), found.group("day"))


def _date_of(year, month, day):
    """The date written in digits or Chinese numerals ("二〇二七年一月十日"); None if it is no date."""
    try:
        return datetime.date(_cn_int(year), _cn_int(month), _cn_int(day))
    except (KeyError, ValueError):
        return None


def _cn_int(text):
    if text.isdecimal():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return int("".join(str(_CN_DIGITS[digit]) for digit in text))


# --- Targets --------------------------------------------------------------------------------

_MEASURES = (
    "人次|场次|万元|元|件|次|场|个|名|人|户|条|项|篇|期|家|所|支|批|天|小时|课时|本|册|份|张|套|部|幅|首|台|队|起|%"
)
_TARGET = re.compile(
    r"(?P<pre>不少于|不低于|不超过|不高于|不多于|至少|超过|达到|控制在|保持在?|确保)?\s*"
    r"(?P<number>\d+(?:\.\d+)?)\s*(?P<scale>万|亿)?\s*(?P<measure>" + _MEASURES + r")"
    r"(?P<post>及以上|以上|以下|以内|之内)?"
)
_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
TARGET_VALUE_LIMIT = Decimal(10) ** 12  # a Target's value holds 12 digits before the point
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
    for clause in _clauses(_STRAY.sub("", text).translate(_DIGIT_TABLE)):
        for match in _TARGET.finditer(clause):
            if not _is_goal(clause, match):
                continue
            value = Decimal(match.group("number")) * _SCALE.get(match.group("scale"), Decimal(1))
            if value >= TARGET_VALUE_LIMIT:  # a serial number or a typo, not a goal (and more than a target holds)
                continue
            value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
            found.append(TargetCandidate(clause, value, match.group("measure"), _op(match)))
    return found


def _is_goal(clause, match):
    """Dates, ranks and frequencies are not goals: "3月", "第2名", "每月1次", "12个月"."""
    before = clause[: match.start("number")]
    after = clause[match.end() :]
    return not (before.endswith(("第", "前")) or "每" in before[-3:] or after.startswith(("月", "年", "周", "届")))


def _op(match):
    if match.group("pre") in _AT_LEAST or match.group("post") in _AT_LEAST:
        return ">="
    if match.group("pre") in _AT_MOST or match.group("post") in _AT_MOST:
        return "<="
    return "=="


def _clauses(text):
    """Clauses of one goal each: "评选优秀班组5个、服务明星20名" is two, "慰问困难教职工、
    生病住院教职工……不少于40人次" one."""
    for clause in re.split(r"[，。；;：:,\n]", text):
        clause = clause.strip(_SPACE)
        if len(_TARGET.findall(clause)) > 1:
            yield from (part.strip(_SPACE) for part in clause.split("、"))
        elif clause:
            yield clause
