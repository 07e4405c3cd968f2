"""Word documents in the official layout (GB/T 9704-2012) that federations expect.

    doc = OfficialDocument("城关镇中心学校工会2027年工作计划")
    doc.heading(1, "工作目标")          # numbered 一、 by its position; (一) 1. (1) below it
    doc.paragraph("……")
    doc.table(["月份", "工作内容"], [["3月", "……"]])
    doc.signature("城关镇中心学校工会", datetime.date(2027, 1, 5))
    data = doc.to_bytes()

The layout: A4 with a 156 × 225 mm text block (margins top 37, bottom 35, left 28, right
26 mm), 22 lines of 28 characters; title 方正小标宋简体 二号 centred; body 仿宋_GB2312 三号
with a two-character first-line indent; headings 一、 黑体, （一） 楷体_GB2312, 1. bold and
（1） in the body font; page numbers "— 1 —" in 宋体 四号, odd pages right and even pages
left, one character in from the edge.

Fonts: the names are those of a government office PC. Each one is written to the font
table with the name of a font every Chinese Windows has as its alternative (宋体, 仿宋,
楷体), so Word substitutes sensibly on a PC without them; LibreOffice falls back to the
installed CJK fonts by its own rules.
"""

import datetime
import io
import re

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from core.cleaning import without_controls

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: BODY_FONT, 4: BODY_FONT}
PAGE_NUMBER_FONT = "宋体"
ALTERNATIVES = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", "楷体_GB2312": "楷体"}

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四
TEXT_WIDTH_MM = 156  # the text block's width: a table given wider columns would run into the margin
# 22 lines in the 225 mm text block: 637.8 pt / 22 = 28.99 pt, rounded down so 22 fit.
LINE_PITCH = Pt(28.95)
CHARACTER = BODY_SIZE  # one character of body text, the unit of indents

_CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number):
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九: heading numbers of Chinese documents."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def heading_number(level, position):
    """一、 （一） 1. （1）: the number of the ``position``-th heading at ``level``."""
    if level == 1:
        return f"{chinese_numeral(position)}、"
    if level == 2:
        return f"（{chinese_numeral(position)}）"
    if level == 3:
        return f"{position}."
    return f"（{position}）"


def chinese_date(day: datetime.date) -> str:
    """The date of a signature block: 2027年1月5日 (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def add_text(paragraph, text, font, size, bold=None):
    """A run of ``text`` at the end of ``paragraph``. Control characters are dropped: text pasted from
    Word or another program may hold them (a vertical tab for a line break, a bell), and XML, so
    a .docx, cannot, so that python-docx would refuse the whole document."""
    run = paragraph.add_run(without_controls(text))
    set_run_font(run, font, size, bold)
    return run


def set_run_font(run, name, size=None, bold=None):
    """Set a run's font for Latin and East Asian text alike (python-docx sets only Latin)."""
    run.font.name = name
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:cs"), name)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold


# --- title lines ---------------------------------------------------------------------------
#
# A title of 二号 characters on the 156 mm text block holds 20 characters a line (digits and Latin
# letters count half). GB/T 9704 wants a longer one broken where the meaning allows, the lines balanced,
# no word split and no character left alone on the last line. The rule here, in order of preference:
#   1. before 关于 (the issuer on the first line, the matter after it);
#   2. before the kind of document the title ends with (的通知, 的报告, 工作计划 ...);
#   3. at a word boundary the titles of this app have: after the unit (…工会, …委员会, …代表大会), around
#      a year (2026年度), before 第 of 第三届/第五次, around 《…》;
#   4. only if none of these gives lines that fit: between two Chinese characters, as near the middle
#      as possible (never inside 关于, a number or a Latin word, nor before a closing mark).
# Among the breaks that give the fewest lines, the cheapest wins: each break costs by its rank, and
# lines that differ in length cost the square of the difference from their mean.

TITLE_LINE_WIDTH = 20
TITLE_KINDS = (
    "的审查报告", "的实施方案", "的通知", "的通报", "的公示", "的报告", "的请示", "的决定", "的决议", "的意见",
    "的批复", "的方案", "的函", "工作计划", "工作总结", "工作报告", "自评报告", "会议文件", "会议纪要",
)  # fmt: skip
_BREAK_COST = {1: 0, 2: 1, 3: 2, 4: 10}
_RANK_WEIGHT = 25  # a rank costs as much as lines 5 characters apart
_BOUNDARY_BEFORE = re.compile(r"(?=第[一二三四五六七八九十百零]+[届次])|(?=《)|(?<![0-9])(?=[0-9]{4}年)")
_BOUNDARY_AFTER = re.compile(r"(?:工会|委员会|代表大会|》|(?<=[0-9])年度?)(?!$)")
_NO_LINE_START = set("。，、；：？！）》」』”’…—")
_NO_LINE_END = set("（《「『“‘")


def _width(text):
    return sum(0.5 if ord(ch) < 0x2E80 and ch not in "—…“”‘’" else 1 for ch in text)


def _breaks(line):
    """{position: rank} of the places ``line`` may be broken (a break at i starts a line with line[i])."""
    breaks = {}
    for i in range(1, len(line)):
        before, after = line[i - 1], line[i]
        if after in _NO_LINE_START or before in _NO_LINE_END or line[i - 1 : i + 1] == "关于":
            continue
        if _width(before) == 0.5 and _width(after) == 0.5:
            continue  # inside a number or a Latin word
        breaks[i] = 4
    for match in _BOUNDARY_BEFORE.finditer(line):
        breaks[match.start()] = min(breaks.get(match.start(), 4), 3)
    for match in _BOUNDARY_AFTER.finditer(line):
        breaks[match.end()] = min(breaks.get(match.end(), 4), 3)
    for kind in TITLE_KINDS:
        if line.endswith(kind):
            breaks[len(line) - len(kind)] = 2
            break
    for match in re.finditer("关于", line):
        breaks[match.start()] = 1
    breaks.pop(0, None)
    return breaks


def title_lines(line: str, width: int = TITLE_LINE_WIDTH) -> list[str]:
    """``line`` of a title as the lines it is printed in (one line if it fits ``width`` characters)."""
    line = line.strip()
    total = _width(line)
    if total <= width:
        return [line]
    breaks = _breaks(line)
    positions = [0, *sorted(breaks), len(line)]
    before = [0.0]  # before[p]: the width of line[:p]
    for ch in line:
        before.append(before[-1] + _width(ch))
    least = -(-int(total * 2) // (width * 2))  # lines needed at the least
    for count in (least, least + 1, least + 2):
        mean = total / count
        # best[(j, k)]: the cheapest way to set line[:positions[j]] in k lines, and the break before it.
        best = {(0, 0): (0.0, None)}
        for k in range(1, count + 1):
            for j in range(1, len(positions)):
                end = positions[j]
                if (k == count) != (end == len(line)):
                    continue
                # Only the breaks a line's width back: the work grows with the title, not with its cube
                # (a 400-character title took 6 s).
                for i in range(j - 1, -1, -1):
                    piece_width = before[end] - before[positions[i]]
                    if piece_width > width:
                        break
                    if (i, k - 1) not in best or piece_width < 2:  # not reachable, or a character alone
                        continue
                    cost = best[(i, k - 1)][0] + (piece_width - mean) ** 2
                    if end < len(line):
                        cost += _BREAK_COST[breaks[end]] * _RANK_WEIGHT
                    if (j, k) not in best or cost <= best[(j, k)][0]:  # a tie: the earlier break, as read first
                        best[(j, k)] = (cost, i)
        last = (len(positions) - 1, count)
        if last in best:
            lines, (j, k) = [], last
            while k:
                i = best[(j, k)][1]
                lines.insert(0, line[positions[i] : positions[j]])
                j, k = i, k - 1
            return lines
    return [line]  # nothing fits (a long Latin word): Word wraps it


class OfficialDocument:
    def __init__(self, title: str):
        self.title = title
        self._document = Document()
        self._counters = [0, 0, 0, 0]
        self._set_up_page()
        self._set_up_styles()
        self._set_up_page_numbers()
        self._add_font_alternatives()
        self._document.core_properties.title = without_controls(title)
        self._document.core_properties.author = ""
        self._add_title(title)

    # --- layout ---------------------------------------------------------------------------

    def _set_up_page(self):
        section = self._document.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        # The page number sits about 7 mm below the text block.
        section.footer_distance = Mm(23)
        section.header_distance = Mm(15)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(int(LINE_PITCH.twips)))

    def _set_up_styles(self):
        normal = self._document.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = BODY_SIZE
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), BODY_FONT)
        fonts.set(qn("w:cs"), BODY_FONT)
        lang = normal.element.get_or_add_rPr().find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            normal.element.get_or_add_rPr().append(lang)
        lang.set(qn("w:eastAsia"), "zh-CN")
        paragraph = normal.paragraph_format
        paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.line_spacing = LINE_PITCH
        paragraph.space_before = paragraph.space_after = Pt(0)
        paragraph.widow_control = False

    def _set_up_page_numbers(self):
        self._document.settings.odd_and_even_pages_header_footer = True
        section = self._document.sections[0]
        self._page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        self._page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    def _page_number(self, footer, alignment):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = PAGE_NUMBER_SIZE
        else:
            fmt.left_indent = PAGE_NUMBER_SIZE
        set_run_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            run = paragraph.add_run()
            set_run_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._element.append(char)
            elif text.strip() == "PAGE":
                instruction = OxmlElement("w:instrText")
                instruction.set(qn("xml:space"), "preserve")
                instruction.text = text
                run._element.append(instruction)
            else:
                run.text = text
        set_run_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)

    def _add_font_alternatives(self):
        fonts_part = next(
            (rel.target_part for rel in self._document.part.rels.values() if rel.reltype == RT.FONT_TABLE), None
        )
        if fonts_part is None:
            return
        table = parse_xml(fonts_part.blob)
        for name, alternative in ALTERNATIVES.items():
            font = OxmlElement("w:font")
            font.set(qn("w:name"), name)
            for tag, value in (("w:altName", alternative), ("w:charset", "86")):  # 86: GB2312
                child = OxmlElement(tag)
                child.set(qn("w:val"), value)
                font.append(child)
            table.append(font)
        # The font table is kept as raw bytes by python-docx (it has no part class for it).
        fonts_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)

    # --- content --------------------------------------------------------------------------

    def _paragraph(self, text="", *, indent=True, alignment=None):
        paragraph = self._document.add_paragraph()
        if alignment is not None:
            paragraph.alignment = alignment
        if indent:
            paragraph.paragraph_format.first_line_indent = CHARACTER * 2
            # Word measures "2 characters" itself from this, whatever the font size.
            paragraph.paragraph_format._element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
        return paragraph

    def _add_title(self, title):
        """Each line the title is given with is a paragraph; a line too long for the text block is broken
        by ``title_lines`` with manual line breaks, so that Word does not break it mid-word."""
        for given in without_controls(title).splitlines() or [""]:
            paragraph = self._paragraph(indent=False, alignment=WD_ALIGN_PARAGRAPH.CENTER)
            paragraph.paragraph_format.line_spacing = Pt(35)  # a 22 pt title needs more room than body lines
            for number, line in enumerate(title_lines(given)):
                run = add_text(paragraph, line, TITLE_FONT, TITLE_SIZE)
                if number:
                    run._element.insert(run._element.index(run._element.rPr) + 1, OxmlElement("w:br"))
        self._paragraph(indent=False)  # one blank line between title and text

    def heading(self, level: int, text: str, *, numbered: bool = True, body: str = ""):
        """A heading at level 1-4, numbered by its position unless ``numbered`` is False
        (for text that carries its own number). ``body`` continues the same paragraph in
        the body font, as in "（一）加强思想引领。每月组织一次集中学习……"."""
        level = min(max(int(level), 1), 4)
        self._counters[level - 1] += 1
        for lower in range(level, 4):
            self._counters[lower] = 0
        number = heading_number(level, self._counters[level - 1]) if numbered else ""
        paragraph = self._paragraph()
        if not body:
            paragraph.paragraph_format.keep_with_next = True
        outline = OxmlElement("w:outlineLvl")  # lets Word's navigation pane show the headings
        outline.set(qn("w:val"), str(level - 1))
        paragraph.paragraph_format._element.get_or_add_pPr().append(outline)
        add_text(paragraph, number + text, HEADING_FONTS[level], BODY_SIZE, bold=level == 3)
        if body:
            add_text(paragraph, body, BODY_FONT, BODY_SIZE, bold=False)
        return paragraph

    def paragraph(self, text: str):
        """Body text; each line of ``text`` becomes a paragraph of its own."""
        paragraphs = []
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            paragraph = self._paragraph()
            add_text(paragraph, line, BODY_FONT, BODY_SIZE)
            paragraphs.append(paragraph)
        return paragraphs

    def table(self, headers, rows, *, widths=None, figures=(), total=False, merge_first_column=False):
        """A simple ruled table, headers in bold and centred; cells are turned to text and centred
        vertically. ``widths`` are the columns' widths in millimetres, at most the text block's 156 mm
        in all (equal columns without them).

        ``figures`` are the indices of the columns that hold figures (money, counts, scores). The rule
        for them: right-aligned, every one, short or long, so that the digits of a column line up (units
        under units, the decimal points of money under each other), as account books and statistics
        tables write them; their headers stay centred like the others.

        With ``total`` the last row is the table's 合计: in bold, its first cell spanning the empty cells
        that follow it. With ``merge_first_column`` a run of rows with the same first cell (a month)
        shares one."""
        if widths and sum(widths) > TEXT_WIDTH_MM:
            raise ValueError(f"a table of {sum(widths)} mm is wider than the {TEXT_WIDTH_MM} mm text block")
        figures = set(figures)
        table = self._document.add_table(rows=1, cols=len(headers))
        table.style = self._document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            self._cell(cell, header, bold=True, font="黑体", alignment=WD_ALIGN_PARAGRAPH.CENTER)
        self._repeat_header(table.rows[0])
        for number, row in enumerate(rows, start=1):
            bold = total and number == len(rows)
            added = table.add_row()
            self._keep_whole(added)
            cells = added.cells
            for column, (cell, value) in enumerate(zip(cells, row, strict=True)):
                alignment = WD_ALIGN_PARAGRAPH.RIGHT if column in figures else None
                self._cell(cell, "" if value is None else str(value), bold=bold, alignment=alignment)
        if widths:
            self._set_widths(table, widths)
        if total and rows:
            self._span_total(table.rows[-1])
        if merge_first_column:
            self._merge_runs(table)
        self._paragraph(indent=False)
        return table

    def _set_widths(self, table, widths):
        # Word reads the grid and each cell's width; LibreOffice reads the grid.
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
            for cell in column.cells:
                cell.width = Mm(width)

    def _span_total(self, row):
        """合计, centred, across the empty cells after it (the columns that have nothing to add up)."""
        cells = row.cells
        last = 0
        while last + 1 < len(cells) and not cells[last + 1].text:
            last += 1
        merged = cells[0].merge(cells[last]) if last else cells[0]
        for paragraph in merged.paragraphs[1:]:  # the empty cells' paragraphs, moved in by the merge
            paragraph._element.getparent().remove(paragraph._element)
        merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _merge_runs(self, table):
        rows = table.rows[1:]
        start = 0
        for index in range(1, len(rows) + 1):
            if index < len(rows) and rows[index].cells[0].text == rows[start].cells[0].text:
                continue
            if index - start > 1:
                text = rows[start].cells[0].text
                merged = rows[start].cells[0].merge(rows[index - 1].cells[0])
                for paragraph in merged.paragraphs[1:]:
                    paragraph._element.getparent().remove(paragraph._element)
                merged.paragraphs[0].runs[0].text = text
                for run in merged.paragraphs[0].runs[1:]:
                    run._element.getparent().remove(run._element)
            start = index

    def _cell(self, cell, text, *, bold=False, font=BODY_FONT, alignment=None):
        cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        lines = str(text).splitlines() or [""]
        for number, line in enumerate(lines):
            paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
            fmt = paragraph.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(20)
            paragraph.alignment = alignment
            # The page's 22-line grid is for the body text: a cell's lines keep their own 20 pt pitch
            # (snapped to the grid, LibreOffice set some cells' lines a grid line apart).
            snap = OxmlElement("w:snapToGrid")
            snap.set(qn("w:val"), "0")
            paragraph._p.get_or_add_pPr().insert_element_before(
                snap, "w:spacing", "w:ind", "w:jc", "w:textDirection", "w:outlineLvl"
            )
            add_text(paragraph, line, font, TABLE_SIZE, bold=bold or None)

    def _keep_whole(self, row):
        """A row is read whole: never half of it at the foot of a page and the rest on the next."""
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))

    def _repeat_header(self, row):
        properties = row._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        properties.append(header)

    def signature(self, unit_name: str, day: datetime.date):
        """Two blank lines, then the unit's name centred over the date, the date four characters in from
        the right; on the same page as the last lines of the text (GB/T 9704: the 落款 never stands alone
        on a page). A blank line the text ends with already (after a table) counts as one of the two."""
        blank_lines, last_lines = self._text_end()
        for paragraph in last_lines:
            paragraph.paragraph_format.keep_with_next = True
        blank_lines += [self._paragraph(indent=False) for _blank in range(2 - len(blank_lines))]
        date_text = chinese_date(day)
        # Digits are half as wide as a Chinese character.
        date_width = sum(0.5 if ch.isdigit() else 1 for ch in date_text)
        name_indent = max(0.0, 4 + (date_width - len(unit_name)) / 2)
        for text, indent in ((unit_name, name_indent), (date_text, 4)):
            paragraph = self._paragraph(indent=False, alignment=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(CHARACTER.pt * indent)
            add_text(paragraph, text, BODY_FONT, BODY_SIZE)
            blank_lines.append(paragraph)
        for paragraph in blank_lines[:-1]:  # all but the date, which ends the group
            paragraph.paragraph_format.keep_with_next = True

    def _text_end(self):
        """The blank paragraphs the document ends with (at most two), and the paragraphs of the text's
        last lines before them: its last paragraph, or its last table's last row."""
        blocks = list(self._document.iter_inner_content())
        blank = []
        while blocks and len(blank) < 2 and isinstance(blocks[-1], Paragraph) and not blocks[-1].text.strip():
            blank.insert(0, blocks.pop())
        if not blocks:
            return blank, []
        if isinstance(blocks[-1], Table):
            # The row's own cells: ``row.cells`` gives a merged cell (a month over three rows) as the
            # row it starts in, and keeping that row with the 落款 does not hold the last one.
            table = blocks[-1]
            return blank, [Paragraph(p, table) for p in table.rows[-1]._tr.iter(qn("w:p"))]
        return blank, [blocks[-1]]

    def page_break(self):
        self._document.add_page_break()

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._document.save(buffer)
        return buffer.getvalue()
