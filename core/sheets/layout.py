"""Where the table is in a workbook as officers make them.

A workbook may open with a 填表说明 sheet, hold one sheet per group, put a merged title block
above the header, group its header in two rows (联系方式 over 手机 and 座机), and end with total
and signature lines (合计：9人, 填表人：…  审核人：…). ``find_tables`` finds the header of each
sheet that has one; ``holds_data`` tells the rows below it that hold data from everything else.
"""

import itertools
import re
from dataclasses import dataclass, field

from core import cleaning

HEADER_SEARCH_ROWS = 20
# A line under the table that sums it up or signs it: never a row of data, never an error.
FOOTER = re.compile(
    r"^(合\s*计|小\s*计|总\s*计|共\s*计|填\s*表\s*人|填报人|审\s*核\s*人|制\s*表\s*人|制表日期|填表日期|填报日期|"
    r"负\s*责\s*人|单位负责人|经办人|联系人|主管领导|(单位)?[(（]?盖章|注\s*[:：]|说明\s*[:：]|备注\s*[:：])"
)


def header_key(text) -> str:
    """A header cell reduced to what matters for matching: no spaces, marks or notes in brackets."""
    text = cleaning.clean_text(text)
    for mark in ("*", "＊", "：", ":", " ", "\n"):
        text = text.replace(mark, "")
    for opening, closing in (("(", ")"), ("（", "）")):
        if opening in text and text.endswith(closing):
            text = text[: text.index(opening)]
    return text


@dataclass
class Table:
    """One sheet's table: its header and the rows after it."""

    sheet: str
    header_row: int  # the first header row, as Excel numbers it
    headers: list[str]
    mapping: dict[int, str]  # column index -> column key, as guessed from the header
    rows: object  # iterator of (Excel row number, cells) after the header
    height: int
    known: bool = True  # False: no header names a known column; the officer maps it by hand
    group: str = ""  # the group this sheet is for, when the workbook has one sheet per group
    header_height: int = 1
    extra: dict = field(default_factory=dict)


def guess_mapping(headers, synonyms) -> dict[int, str]:
    """{column index: key} for the header cells that name a column (by one of its synonyms)."""
    mapping, taken = {}, set()
    for index, header in enumerate(headers):
        key = synonyms.get(header_key(header))
        if key and key not in taken:
            mapping[index] = key
            taken.add(key)
    return mapping


def _texts(cells):
    texts = [cleaning.clean_text(c) for c in cells]
    while texts and not texts[-1]:  # empty trailing columns are not part of the table
        texts.pop()
    return texts


def _two_row_headers(upper, lower, synonyms):
    """Headers of a grouped header: the lower cell where there is one (手机 under 联系方式), else the upper."""
    width = max(len(upper), len(lower))
    merged = []
    for index in range(width):
        top = upper[index] if index < len(upper) else ""
        bottom = lower[index] if index < len(lower) else ""
        if bottom and not synonyms.get(header_key(bottom)) and synonyms.get(header_key(top + bottom)):
            bottom = top + bottom  # 出生 over 日期 reads as 出生日期
        merged.append(bottom or top)
    return merged


def read_header(sheet_name, rows, height, synonyms) -> Table | None:
    """The table of one sheet, or None when none of its top rows looks like a header.

    The header is the first of the top rows naming two or more known columns; merged title rows
    above it name none. When the row under it names more known columns together with it, the
    header takes two rows. When no row names two, the first row with two or more filled cells is
    taken, marked unknown, for the officer to map.
    """
    rows = iter(rows)
    seen = list(itertools.islice(rows, HEADER_SEARCH_ROWS + 1))
    for position, (number, cells) in enumerate(seen[:HEADER_SEARCH_ROWS]):
        texts = _texts(cells)
        mapping = guess_mapping(texts, synonyms)
        if len(mapping) < 2:
            continue
        following = seen[position + 1 :]
        if position:
            # 姓名 merged down two rows beside 联系方式 over 手机 and 座机: the row found is the lower one.
            upper_number, upper_cells = seen[position - 1]
            merged = _two_row_headers(_texts(upper_cells), texts, synonyms)
            merged_mapping = guess_mapping(merged, synonyms)
            if len(merged_mapping) > len(mapping):
                rest = itertools.chain(following, rows)
                return Table(sheet_name, upper_number, merged, merged_mapping, rest, height, header_height=2)
        if following:
            lower = _two_row_headers(texts, _texts(following[0][1]), synonyms)
            lower_mapping = guess_mapping(lower, synonyms)
            if len(lower_mapping) > len(mapping):
                rest = itertools.chain(following[1:], rows)
                return Table(sheet_name, number, lower, lower_mapping, rest, height, header_height=2)
        return Table(sheet_name, number, texts, mapping, itertools.chain(following, rows), height)
    for position, (number, cells) in enumerate(seen[:HEADER_SEARCH_ROWS]):
        texts = _texts(cells)
        if sum(1 for t in texts if t) >= 2:
            rest = itertools.chain(seen[position + 1 :], rows)
            return Table(sheet_name, number, texts, {}, rest, height, known=False)
    return None


def fill_merged(rows, merged, *, after, columns):
    """``rows`` with the value of each range merged down the data (below Excel row ``after``, the
    header's last) in every row it covers: 所在单位 merged over three members reads as the unit of
    each, not as blank for the two below (which put them in the importing unit). The value goes down
    the range's first column only: a remark merged across columns is not copied into the columns
    beside it. Ranges reaching into the header are left to it, and so are those right of the header's
    ``columns``, which no column is mapped to."""
    spans = merged_spans(merged, after=after, columns=columns)
    return _filled(rows, spans) if spans else rows


def merged_spans(merged, *, after, columns):
    """(top row, bottom row, column) of each range merged down the data, by top row, within the first
    ``columns``. A cell is in one merged range at most, as Excel and WPS keep it: a range that
    overlaps one above it in its column is left out, so that a row looks at one range per column
    however many a crafted file lists (20,000 ranges over the same cells took half a minute for
    5,000 rows, and grew with both)."""
    candidates = sorted(
        (top + 1, bottom + 1, left)
        for (top, left), (bottom, _right) in merged
        if top + 1 > after and bottom > top and left < columns
    )
    spans, reached = [], {}
    for top, bottom, column in candidates:
        if top > reached.get(column, 0):
            spans.append((top, bottom, column))
            reached[column] = bottom
    return spans


def _filled(rows, spans):
    """Each span (top row, bottom row, column) is active from its top row to its bottom; a row looks
    only at the active ones, so a sheet of many merges costs no more per row than its open merges."""
    waiting, active = iter(spans), []
    upcoming = next(waiting, None)
    for number, cells in rows:
        while upcoming is not None and upcoming[0] <= number:
            _top, bottom, column = upcoming
            active.append([bottom, column, cells[column] if column < len(cells) else ""])
            upcoming = next(waiting, None)
        active = [span for span in active if span[0] >= number]
        for _bottom, column, value in active:
            if column >= len(cells):
                cells = list(cells) + [""] * (column + 1 - len(cells))
            if cells[column] in ("", None):
                cells[column] = value
        yield number, cells


def is_blank(cells) -> bool:
    # Cheap first: this runs on every row.
    return all(c is None or c == "" or (isinstance(c, str) and not cleaning.clean_text(c)) for c in cells)


def is_footer(cells) -> bool:
    """A total or signature line: its first filled cell starts with 合计, 填表人, 审核人, 制表日期 ..."""
    for cell in cells:
        if isinstance(cell, str) and cell.strip():
            return bool(FOOTER.match(cleaning.clean_text(cell)))
        if cell is not None and cell != "":
            # A number first (序号) is a row of data; a total line starts with words.
            return False
    return False


def holds_data(cells, columns) -> bool:
    """Does a row below the header hold data in a mapped column (``columns``)? Blank rows, rows whose
    only filled cells are outside the mapped columns (a 序号 column numbered down a blank template)
    and total or signature lines do not."""
    width = len(cells)
    for i in columns:
        if i >= width:
            continue
        cell = cells[i]
        if type(cell) is str and cell[:1].isalnum() or not is_blank((cell,)):  # a name or a number: not blank
            break
    else:
        return False
    return not is_footer(cells)
