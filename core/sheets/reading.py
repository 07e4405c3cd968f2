"""Reading a workbook an officer sent, within bounds that no file can pass.

Every sheet the product reads comes through ``open_book``: .xlsx/.xlsm/.xls/.ods through
python-calamine, .csv in UTF-8 or GB18030. Before a sheet is read its real size is known:

- .xlsx is a zip: ``core.limits.check_archive`` refuses a zip bomb unread, then the sheets' XML is
  scanned (streamed, nothing kept) for the farthest cell. calamine lays a sheet out as a dense
  grid from A1 to that cell, so a 1.6 KB file with cells at A1 and XFD1048576 would ask for
  17 billion cells; here it is refused with the range it claims. A cell may also leave out its
  reference and be placed after the one before it (a few kB of such cells made a 10 GB grid):
  such a sheet is measured as an .xls is. calamine also copies a shared string into every cell
  that names it (one string of 3 MB named by 20,000 cells of a 108 KB file asked for 60 GB): a
  sheet whose cells could add up to more than ``MAX_REPEATED_TEXT_MB`` so is measured too.
- .xls and .ods are measured by calamine in a child process under memory and time limits
  (``core.limits.run_limited``), and then read only if the measure is within bounds.
- .csv is bounded in bytes, rows, columns and cell length as it is read.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.files import OLE_SIGNATURE, SCANS, SIGNATURES, password_protected
from core.limits import FileRefused, check_archive, run_limited

SUPPORTED = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
ZIPPED = (".xlsx", ".xlsm")

# Bounds, each a setting with this default. A county's whole roster is well inside them.
MAX_ROWS = 300_000
MAX_COLUMNS = 200
MAX_CELLS = 12_000_000  # rows × columns of the dense grid calamine builds
# ... and of all a workbook's sheets: a roster with one sheet per group keeps each one read.
MAX_BOOK_CELLS = 24_000_000
MAX_CELL_CHARS = 32_767  # what Excel itself allows in a cell
MAX_UNPACKED_MB = 400
# Text calamine may copy out of the shared-strings table without first being measured (see _repeats_text).
MAX_REPEATED_TEXT_MB = 256
# Merged ranges of a sheet: each becomes a few Python objects (3,000,000 of a 14 MB file took 850 MB).
MAX_MERGES = 500_000


def bound(name):
    return getattr(settings, f"SHEETS_{name}", globals()[name])


class ImportFileError(Exception):
    """The file as a whole cannot be read; ``str(error)`` says why, in words for the officer."""


@dataclass
class Sheet:
    name: str
    height: int  # rows, counting from A1 (Excel's row numbers)
    rows: Iterator[tuple[int, list]]  # (Excel row number, cells)
    # Merged ranges as ((first row, first column), (last row, last column)), counted from 0: a value
    # is stored in the first cell only (layout.fill_merged copies it over the data rows).
    merged: tuple = ()


class Book:
    """The sheets of one file, each read when asked for. ``names`` are all of them, in the file's
    order; ``hidden`` the ones hidden in Excel or WPS (hidden or "very hidden"), which a reader may
    leave out as the officer never sees them (``visible``)."""

    def __init__(self, path, names, loader, hidden=frozenset()):
        self.path = path
        self.names = names
        self.hidden = frozenset(hidden)
        self._load = loader

    @property
    def visible(self) -> list[str]:
        return [name for name in self.names if name not in self.hidden]

    def sheet(self, name) -> Sheet:
        return self._load(name)


def open_book(path, *, name: str = "") -> Book:
    """The workbook in ``path``; ``name``: the file's name as the officer gave it (default the path's),
    which names a .csv's one sheet in the preview and in messages."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ImportFileError(_("不支持“%(suffix)s”格式，请上传 .xlsx、.xls 或 .csv 文件。") % {"suffix": suffix})
    size = path.stat().st_size
    if size > settings.UPLOAD_MAX_BYTES:
        raise ImportFileError(
            _("文件太大（最大 %(size)d MB）。") % {"size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    if suffix == ".csv":
        _check_kind(path, suffix)
        return _csv_book(path, Path(name).stem if name else path.stem)
    if _has_password(path):
        raise ImportFileError(
            _("这个表格设置了打开密码，系统无法读取。请在 Excel 或 WPS 中取消密码（或另存一份不加密的）后再上传。")
        )
    _check_kind(path, suffix)
    try:
        if suffix in ZIPPED:
            if not zipfile.is_zipfile(path):
                raise ImportFileError(
                    _("无法读取这个表格文件：它不是有效的 %(suffix)s 文件（可能已损坏，或只是改了扩展名）。")
                    % {"suffix": suffix}
                )
            check_archive(str(path), max_bytes=bound("MAX_UNPACKED_MB") * 1024 * 1024)
            longest = _check_shared_strings(path)
            extents = _xlsx_extents(path)
            _check_dimensions(extents)
            if _repeats_text(longest, extents):
                _measured(path)
        else:
            _check_dimensions(_measured(path))
    except FileRefused as refused:
        raise ImportFileError(refused.message) from None
    return _calamine_book(path)


# --- what the file is


# What a file named as each kind of workbook holds, by its bytes (see _kind_of).
_EXPECTED = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods", ".csv": "text"}
_KIND_WORDS = {
    "xlsx": gettext_lazy("一个 .xlsx 格式的表格"),
    "xls": gettext_lazy("一个 .xls 格式的表格"),
    "ods": gettext_lazy("一个 .ods 格式的表格"),
    "word": gettext_lazy("一份 Word 文档"),
    "pdf": gettext_lazy("一份 PDF 文件"),
    "image": gettext_lazy("一张图片"),
    "html": gettext_lazy("一个网页（HTML）"),
}
_HEAD = 1024  # bytes looked at for a web page's first tag


def _check_kind(path, suffix):
    """Refuse a file that is not the workbook its name says, saying what it is: a Word document or a
    picture renamed .xlsx, an .xlsx named .xls, a web page a system exported as .xls. calamine's own
    words for them ("styleSheet", "Cfb error: Invalid OLE ...") told the officer nothing."""
    kind = _kind_of(path)
    if kind == "empty":
        raise ImportFileError(_("这个文件是空的（0 字节），可能没有保存完或没有传完。请重新保存后再上传。"))
    # A .csv is text of any kind (a web page's text too): only a binary file is not one.
    if kind == _EXPECTED[suffix] or (suffix == ".csv" and kind in ("text", "html")):
        return
    if kind in _KIND_WORDS:
        raise ImportFileError(
            _("这个文件的扩展名是“%(suffix)s”，但它其实是%(kind)s。请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再上传。")
            % {"suffix": suffix, "kind": _KIND_WORDS[kind]}
        )
    raise ImportFileError(
        _("无法读取这个表格文件：它不是有效的 %(suffix)s 文件（可能已损坏，或只是改了扩展名）。") % {"suffix": suffix}
    )


def _kind_of(path) -> str:
    """What the file is by its bytes: "xlsx", "xls", "ods", "word", "pdf", "image", "html", "empty", or
    "text" (anything else: a .csv, or a file too damaged to say)."""
    with path.open("rb") as stream:
        head = stream.read(_HEAD)
    if not head:
        return "empty"
    if head.startswith(OLE_SIGNATURE):
        # Office 97-2003: a .doc holds a WordDocument stream, an .xls a Workbook (or Book) stream.
        return "word" if "WordDocument".encode("utf-16-le") in path.read_bytes() else "xls"
    if zipfile.is_zipfile(path):
        return _zipped_kind(path)
    for suffix in SCANS:
        if any(head[offset : offset + len(magic)] == magic for offset, magic in SIGNATURES[suffix]):
            return "pdf" if suffix == ".pdf" else "image"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in head.lower():
        return "html"
    return "text"


def _zipped_kind(path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "text"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "word"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    return "text"


# --- bounds


def _check_dimensions(extents):
    """Refuse a sheet whose rows, columns or grid exceed the bounds; ``extents`` are (sheet, rows, columns)."""
    for name, rows, columns in extents:
        if rows > bound("MAX_ROWS") or columns > bound("MAX_COLUMNS") or rows * columns > bound("MAX_CELLS"):
            raise ImportFileError(
                _(
                    "工作表“%(sheet)s”的范围有 %(rows)s 行 × %(columns)s 列，超过了可以读取的 %(max_rows)s 行、"
                    "%(max_columns)s 列。请删去表格右边和下方多余的内容（或把内容复制到新的工作簿）后再上传。"
                )
                % {
                    "sheet": name,
                    "rows": rows,
                    "columns": columns,
                    "max_rows": bound("MAX_ROWS"),
                    "max_columns": bound("MAX_COLUMNS"),
                }
            )
    cells = sum(rows * columns for _name, rows, columns in extents)
    if cells > bound("MAX_BOOK_CELLS"):
        # Each within bounds, 20 sheets of a 9 KB file claimed 12 million cells apiece: 8 GB once read.
        raise ImportFileError(
            _(
                "这个工作簿的 %(sheets)s 个工作表合计有 %(cells)s 个单元格的范围，超过了可以读取的 %(max)s 个。"
                "请删去多余的工作表，或删去各表右边和下方多余的内容后再上传。"
            )
            % {"sheets": len(extents), "cells": cells, "max": bound("MAX_BOOK_CELLS")}
        )


def _check_merges(name, merges):
    if merges > bound("MAX_MERGES"):
        raise FileRefused(
            _(
                "工作表“%(sheet)s”有 %(count)s 处合并单元格，超过了可以读取的 %(max)s 处。"
                "请取消多余的合并单元格（或把内容复制到新的工作簿）后再上传。"
            )
            % {"sheet": name, "count": merges, "max": bound("MAX_MERGES")}
        )


# Every cell's and row's start tag as Excel, WPS, LibreOffice and openpyxl write it, beginning with its reference:
# <c r="XFD1048576" ...>, <row r="1048576" ...> (calamine places a cell by the first r attribute it meets).
# Attribute values hold no "<", so outside comments, CDATA and processing instructions every "<c " or
# "<row " in the XML is a real tag. Three scans, each of one plain pattern and each quick in C: the
# references' row numbers; the cells' column letters (a few distinct ones per sheet); and a tag that does
# not begin with its reference (_UNREFERENCED), which no look at references can bound.
_ROW_NUMBERS = re.compile(rb'<(?:c|row)\sr="[A-Z]{0,3}([0-9]{1,7})"(?=[\s/>])')
_COLUMN_LETTERS = re.compile(rb'<c\sr="([A-Z]{1,3})[0-9]{1,7}"(?=[\s/>])')
_UNREFERENCED = re.compile(rb'<(?:c|row)(?=[\s/>])(?!\sr="[A-Z]{0,3}[0-9]{1,7}"(?=[\s/>]))')
# What the scan would not see as a cell or row, or could hide one from it or make one up: a tag with a
# namespace prefix, comments, CDATA, a DTD and its entities, processing instructions (the XML
# declaration aside). Looked for one at a time: as one alternation the scan stops at every "<".
_PREFIXED_TAG = re.compile(rb":(?:c|row)[\s/>]")
_INSTRUCTION = re.compile(rb"<\?(?!xml\s)")


def _not_plain(xml: bytes) -> bool:
    return b"<!" in xml or bool(_PREFIXED_TAG.search(xml)) or bool(_INSTRUCTION.search(xml))


# Bytes from a piece's last "<" to its end: a tag and the text after it, at most a cell's 32,767
# characters written as character references (&#20154;, 8 bytes each), as openpyxl writes inline text.
_LONGEST_TAIL = 1 << 19
_PIECE = 1 << 22  # bytes of XML looked at a time
_SHEET_ENTRY = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_RELATION = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_RELATION_REVERSED = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


# The root element's start tag: the first tag that is not the XML declaration, a comment or a DTD.
_ROOT_START = re.compile(rb"<(?![?!])((?:\w+:)?\w+)\b([^>]*)>")
_UNIQUE_COUNT = re.compile(rb'\buniqueCount\s*=\s*["\']\s*(\d+)')
_SHORTEST_ENTRY = len(b"<si/>")
_PROLOG_MOST = 1 << 20  # bytes before a part's root element: Office writes a few dozen


def _check_shared_strings(path) -> int:
    """Refuse a shared-strings table that declares more entries than it could hold. calamine reserves
    room for the declared uniqueCount before reading one: 2,147,483,647 in a 2 KB file asked for 51 GB
    and killed the process (web worker or task worker) with it. Each part's root start tag is read,
    whatever its name (the workbook's relations may name any part as the table).

    Returns the bytes of XML of the table's longest entry (at least what calamine makes of it)."""
    longest = 0
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if member.is_dir() or member.filename.startswith("xl/worksheets/"):
                continue
            root = _root_tag(archive, member)
            if root is None:
                raise ImportFileError(
                    _("这个表格文件的内部结构不像正常的 Excel 文件。请在 Excel 或 WPS 中另存为新的 .xlsx 再上传。")
                )
            name, attributes = root
            found = _UNIQUE_COUNT.search(attributes) if name.rsplit(b":", 1)[-1] == b"sst" else None
            if found and int(found.group(1)) > min(bound("MAX_CELLS"), member.file_size // _SHORTEST_ENTRY + 1):
                raise ImportFileError(
                    _(
                        "这个表格文件的共享字符串表声明有 %(count)s 项，超过了文件实际能容纳的数量，不像正常的 Excel 文件。"
                        "请在 Excel 或 WPS 中打开后另存为新的 .xlsx 再上传。"
                    )
                    % {"count": int(found.group(1))}
                )
            if name.rsplit(b":", 1)[-1] == b"sst":
                with archive.open(member) as stream:
                    longest = max(longest, _longest_entry(stream))
    return longest


def _longest_entry(stream) -> int:
    """Bytes from one "<si" to the next, the longest of a shared-strings part, streamed. A tag cut
    by the end of a piece or written with a prefix makes two entries count as one: never less."""
    longest = current = 0
    while piece := stream.read(_PIECE):
        parts = piece.split(b"<si")
        current += len(parts[0])
        if len(parts) > 1:
            longest = max(longest, current, max(map(len, parts[1:-1]), default=0))
            current = len(parts[-1])
    return max(longest, current)


def _repeats_text(longest, extents) -> bool:
    """Could the cells of these sheets, each naming the longest shared string, add up to more text
    than may be read unmeasured? calamine gives every cell its own copy of the string it names."""
    cells = sum(rows * columns for _name, rows, columns in extents)
    return longest * cells > bound("MAX_REPEATED_TEXT_MB") * 1024 * 1024


def _root_tag(archive, member):
    """(name, attributes) of an XML part's root start tag; ("", b"") for a part that is not XML (an
    image, a binary part); None when the first megabyte holds no root start tag."""
    with archive.open(member) as stream:
        head = stream.read(_PROLOG_MOST)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # XML in UTF-16, as a reader may accept it
        head = head.decode("utf-16", "ignore").encode()
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return b"", b""
    found = _ROOT_START.search(head)
    return (found.group(1), found.group(2)) if found else None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _xlsx_extents(path):
    """(sheet name, last row, last column) of each worksheet, from its cells' own references.

    The XML is streamed through in pieces and only the tags are looked at, so this costs no more
    memory than a piece, whatever the sheet claims. A cell without a reference is placed by calamine
    after the cell before it, a row after the row before it, which no look at references can bound:
    when a sheet has such a cell or row (or anything that could hide one), calamine itself measures
    the workbook, in a child process under memory and time limits, as it does an .xls.
    """
    with zipfile.ZipFile(path) as archive:
        names = _xlsx_sheet_names(archive)
        extents = []
        for member in archive.namelist():
            if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
                continue
            with archive.open(member) as stream:
                found = _referenced_extent(stream)
            if found is None:
                return _measured(path)
            rows, columns, merges = found
            name = names.get(member, member.rsplit("/", 1)[-1])
            _check_merges(name, merges)
            extents.append((name, rows, columns))
        return extents


def _referenced_extent(stream):
    """(last row, last column, merged ranges at most) of a sheet's XML if every cell and row tag in it
    carries its reference, else None."""
    rows = columns = merges = 0
    tail = b""
    while True:
        piece = stream.read(_PIECE)
        text = tail + piece
        # Up to the last "<" every tag is whole; the rest is looked at with the next piece.
        cut = text.rfind(b"<") if piece else -1
        whole, tail = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
        if len(tail) > _LONGEST_TAIL or _not_plain(whole):
            return None
        numbers = _ROW_NUMBERS.findall(whole)
        # <mergeCell ...> with or without a prefix (an end tag too, which only counts one range twice).
        merges += whole.count(b"mergeCell") - whole.count(b"mergeCells")
        # When every "<c" and "<row" in the piece begins a referenced tag (a sheet's data, past its <cols>),
        # there is no other tag to look for.
        if whole.count(b"<c") + whole.count(b"<row") != len(numbers) and _UNREFERENCED.search(whole):
            return None  # a cell or row that does not begin with its reference
        if numbers:
            rows = max(rows, max(map(int, numbers)))
            columns = max(columns, max(map(_column_number, set(_COLUMN_LETTERS.findall(whole))), default=0))
        if not piece:
            return rows, columns, merges


def _xlsx_sheet_names(archive):
    """{zip member: sheet name as the officer sees it}, for messages; {} when the parts are unusual."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = dict(_RELATION.findall(relations))
    targets.update((rid, target) for target, rid in _RELATION_REVERSED.findall(relations))
    names = {}
    for name, rid in _SHEET_ENTRY.findall(workbook):
        target = targets.get(rid, b"").decode("utf-8", "replace").lstrip("/")
        member = target if target.startswith("xl/") else f"xl/{target}"
        names[member] = name.decode("utf-8", "replace").replace("&amp;", "&")
    return names


def _measured(path):
    """(sheet, rows, columns) of every sheet as calamine lays it out, measured in a child process: a
    workbook too large for the limits is refused there, not in this process."""
    return run_limited(_measure, str(path), seconds=120, memory_mb=1024)


def _measure(path):
    """(sheet, rows, columns) of every sheet: run in a child process under limits (see open_book). A
    file calamine cannot read is refused with its words (it was a ParserCrashed, a 500, for a broken .xls)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(path)
        extents = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            # The last row's and column's index, counted from 0.
            extents.append((name, sheet.total_height + 1, sheet.total_width + 1))
            _check_merges(name, len(sheet.merged_cell_ranges or ()))
    except (CalamineError, ValueError, OSError) as error:
        raise FileRefused(_("无法读取这个表格文件：%(error)s") % {"error": error}) from None
    return extents


def _has_password(path) -> bool:
    """An Office file saved with a password to open, whatever its name says (see core.files)."""
    with path.open("rb") as stream:
        if stream.read(len(OLE_SIGNATURE)) != OLE_SIGNATURE:
            return False  # a zip, a CSV: not read whole
    return password_protected(path.read_bytes())


# --- reading


def _calamine_book(path):
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
        hidden = {sheet.name for sheet in workbook.sheets_metadata if sheet.visible != SheetVisibleEnum.Visible}
    except (CalamineError, ValueError, OSError) as error:
        raise ImportFileError(_("无法读取这个表格文件：%(error)s") % {"error": error}) from None

    def load(name):
        try:
            sheet = workbook.get_sheet_by_name(name)
        except (CalamineError, ValueError, OSError) as error:
            raise ImportFileError(_("无法读取这个表格文件：%(error)s") % {"error": error}) from None
        # iter_rows starts at the sheet's first row (A1) even when the used range starts lower,
        # so the n-th row yielded is Excel's row n.
        height = sheet.end[0] + 1 if sheet.end else 0
        return Sheet(name, height, enumerate(sheet.iter_rows(), start=1), tuple(sheet.merged_cell_ranges or ()))

    return Book(path, names, load, hidden)


def _csv_book(path, name):
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 编码的 CSV 或 .xlsx。"))
    height = text.count("\n") + 1
    if height > bound("MAX_ROWS") + 1:
        _check_dimensions([(name, height, 1)])

    def load(_name):
        return Sheet(name, height, _csv_rows(text, name))

    return Book(path, [name], load)


def _csv_rows(text, name):
    csv.field_size_limit(bound("MAX_CELL_CHARS"))
    reader = csv.reader(io.StringIO(text))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if len(cells) > bound("MAX_COLUMNS"):
                _check_dimensions([(name, number, len(cells))])
            yield number, cells
    except csv.Error:
        raise ImportFileError(
            _("CSV 文件第 %(row)d 行附近有超长的内容（单个单元格超过 %(limit)d 个字符）或引号不成对。")
            % {"row": number + 1, "limit": bound("MAX_CELL_CHARS")}
        ) from None
