"""The text of an uploaded plan document: .docx, an Excel sheet (.xlsx, the month-by-month
schedule many unions keep), the old binary .doc, PDF with a text layer, or a text file in UTF-8
or GB18030.

Every reader is bounded: a .docx is checked for zip bombs and parsed in a child process under
time and memory limits (a 75 KB file can hold 10 MB of XML), an .xlsx goes through the sheet
machine's reader (core.sheets.reading.open_book) as every sheet does, an old .doc is converted
by LibreOffice with a time limit, a PDF read by pypdf under the same limits. A refusal is a
``PlanParseError`` with a message for the officer. The import page has the slow two, .doc and
PDF, read by the background worker (plans.read_jobs); ``manage.py import_plan`` reads all here.
"""

import datetime
import io
import logging
import re
import resource
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from core.files import password_protected
from core.officialdoc import heading_number
from plans.parsing import numbering

# Generous for a plan (a few pages), tight for a crafted file.
PARSE_SECONDS = 15
PARSE_MEMORY_MB = 512
MAX_DOCX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_DOCX_MEMBERS = 500
# A year's schedule is a few hundred rows; what lies beyond is not a plan.
MAX_SHEET_ROWS = 2000
MAX_SHEET_COLUMNS = 30
MAX_SHEETS = 20
CONVERT_SECONDS = 60
CONVERT_MEMORY_MB = 2048
MAX_PDF_PAGES = 60
# A page of a plan holds hundreds of characters; a scan yields none or a stray page number.
MIN_PDF_CHARS_PER_PAGE = 20

DOC_MAGIC = b"\xd0\xcf\x11\xe0"

logger = logging.getLogger(__name__)


class PlanParseError(ValueError):
    """The file cannot be read as a plan's text (damaged, scanned, too large, unknown encoding)."""


def kind_of(data: bytes, filename: str = "") -> str:
    """ "docx", "xlsx", "doc", "pdf" or "text", by the file's content rather than its name: an
    Excel workbook renamed .docx is still read as a sheet, a Word file renamed .xlsx as a document."""
    if data[:2] == b"PK":
        return "xlsx" if _is_workbook(data, filename) else "docx"
    if data[:4] == DOC_MAGIC:
        return "doc"
    if data[:5] == b"%PDF-":
        return "pdf"
    if filename.lower().endswith(".docx"):
        return "docx"
    return "text"


def _is_workbook(data, filename):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return filename.lower().endswith(".xlsx")  # damaged: refused in the words its name suggests


def read_text(data: bytes, filename: str = "") -> str:
    """The plain text of an uploaded plan, one paragraph or table cell per line."""
    kind = kind_of(data, filename)
    if kind == "docx":
        return docx_text(data)
    if kind == "xlsx":
        return xlsx_text(data)
    if kind == "doc" and password_protected(data):
        raise PlanParseError(_("这个文件设置了打开密码，系统无法读取。请在 Word 或 WPS 中取消密码后另存，再导入。"))
    if kind == "doc":
        return doc_text(data)
    if kind == "pdf":
        return pdf_text(data)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanParseError(_("无法识别文件的文字编码，请另存为 UTF-8 文本或 Word (.docx) 文件后再导入。"))


# --- .docx ---------------------------------------------------------------------------------


def docx_text(data: bytes) -> str:
    """Paragraphs and table cells of a .docx in document order, read under limits."""
    damaged = _("无法打开这个 Word 文件（只支持 .docx 格式，.doc 请先在 Word 中另存为 .docx）。")
    return _read_archive(data, _docx_lines, damaged)


def _read_archive(data: bytes, lines, damaged: str) -> str:
    """``lines(data)`` run in a child process under the time and memory limits, once the zip archive
    (a .docx) is known to unpack within bounds; ``damaged`` is said when it cannot be opened."""
    from core.limits import FileRefused, ParserCrashed, check_archive, run_limited

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise PlanParseError(damaged)
    try:
        check_archive(io.BytesIO(data), max_bytes=MAX_DOCX_UNPACKED_BYTES, max_members=MAX_DOCX_MEMBERS)
        result = run_limited(lines, data, seconds=PARSE_SECONDS, memory_mb=PARSE_MEMORY_MB)
    except FileRefused as error:
        raise PlanParseError(str(error)) from error
    except ParserCrashed as error:
        # The page reads a .docx within its request: a file python-docx stumbles over is refused there
        # as one it cannot open, not answered with a 500; the stumble stays in the log to look at.
        logger.error("python-docx could not read an uploaded document: %s", error)
        raise PlanParseError(damaged) from None
    if result is None:
        raise PlanParseError(damaged)
    return result


def _docx_lines(data: bytes):
    """In the child process: the text, or None when python-docx cannot open the file."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds for a damaged or foreign file
        return None
    lines = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(_styled_heading(Paragraph(child, document)))
        elif child.tag == qn("w:tbl"):
            lines.extend(_table_or_its_text(child, document))
    return "\n".join(lines)


def _table_or_its_text(element, document):
    """A table's lines (_table_lines), or, for a table whose grid python-docx cannot lay out (a cell
    merged down from above the first row, a span that is not a number: Word repairs such a file when
    it opens it), its paragraphs in order. It was a crash of the parser, a 500 on the import page."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        return _table_lines(Table(element, document))
    except (ValueError, TypeError, IndexError, KeyError):
        texts = (Paragraph(paragraph, document).text.strip() for paragraph in element.iter(qn("w:p")))
        return [text for text in texts if text]


def _styled_heading(paragraph):
    """Headings styled "Heading N" / "标题 N" get a typed number of their level, since Word's
    automatic numbering is not part of the paragraph text."""
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
    return _grid_lines(rows, header_rows=1)


# Where a sheet's header row may be: below a title row or two and a note.
HEADER_SEARCH_ROWS = 5


def _grid_lines(rows, *, header_rows):
    """Rows of cells (each a list of lines) as plan text. A grid whose header, within its first
    ``header_rows`` rows, names a month column and a content column is a schedule: month lines,
    each followed by the items in its row; the rows above the header (a sheet's title) are kept
    as lines. Any other grid is its cells' lines in order."""
    found = next(
        ((index, columns) for index, cells in enumerate(rows[:header_rows]) if (columns := _schedule_columns(cells))),
        None,
    )
    if found is None:
        return [text for cells in rows for paragraphs in cells for text in paragraphs]
    index, (month_col, content_col, owner_col) = found
    lines = [text for cells in rows[:index] for paragraphs in cells for text in paragraphs]
    for cells in rows[index + 1 :]:
        if len(cells) <= max(month_col, content_col):
            continue
        month = "".join(cells[month_col])
        if re.fullmatch(r"\d{1,2}", month):  # a sheet's month column typed as numbers
            month = f"{month}月"
        if month:  # an empty month cell (merged down from the row above) keeps that month
            lines.append(month if month.endswith(("：", ":")) else f"{month}：")
        owner = "、".join(cells[owner_col]) if owner_col is not None and owner_col < len(cells) else ""
        # The owner rides on the item's line as officers write it in a plan's text; the import
        # takes it off into the item's 负责人 (plans.importing.owner_in).
        items = (line.strip() for paragraph in cells[content_col] for line in paragraph.splitlines())
        lines.extend(_with_owner(item, owner) for item in items if item)
    return lines


def _with_owner(item, owner):
    return f"{item}（负责人：{owner}）" if owner else item  # the syntax owner_in reads, in any language


def _schedule_columns(cells):
    """(month column, content column, owner column or None) when these cells are a schedule's
    header, else None."""
    header = ["".join(c) for c in cells]
    month_col = next((i for i, h in enumerate(header) if re.search("月份|时间|月度", h)), None)
    content_col = next((i for i, h in enumerate(header) if re.search("内容|工作|活动|事项|安排", h)), None)
    if month_col is None or content_col is None or month_col == content_col:
        return None
    owner_col = next(
        (i for i, h in enumerate(header) if re.search("负责|责任|牵头", h) and i not in (month_col, content_col)), None
    )
    return month_col, content_col, owner_col


# --- .xlsx ---------------------------------------------------------------------------------


def xlsx_text(data: bytes) -> str:
    """The visible sheets of an Excel workbook as plan text. The workbook goes through the sheet
    machine's reader (core.sheets.reading.open_book), as every sheet the product reads does, so a
    zip bomb, a sheet claiming a huge range, a hostile shared-strings table or a broken file is
    refused there with its message; calamine reads the values Excel saved, not the formulas."""
    from core.sheets.reading import ImportFileError, open_book

    with tempfile.TemporaryDirectory(prefix="gonghui-plan-") as folder:
        path = Path(folder) / "plan.xlsx"  # a fixed name: the officer's file name is never a path
        path.write_bytes(data)
        try:
            book = open_book(path)
            lines = []
            for name in book.visible[:MAX_SHEETS]:  # hidden sheets are drafts the officer never sees
                lines.extend(_sheet_lines(book.sheet(name)))
        except ImportFileError as error:
            raise PlanParseError(str(error)) from None
    return "\n".join(lines)


def _sheet_lines(sheet):
    """A sheet's first rows and columns as plan text: a year's schedule is far inside them."""
    rows = []
    for number, values in sheet.rows:
        if number > MAX_SHEET_ROWS:
            break
        cells = [_cell_lines(value) for value in values[:MAX_SHEET_COLUMNS]]
        if any(cells):
            rows.append(cells)
    return _grid_lines(rows, header_rows=HEADER_SEARCH_ROWS)


def _cell_lines(value):
    """A cell's value as lines of text: a month typed as a number or a date reads as "3月"."""
    if value is None or value == "":
        return []
    if isinstance(value, (datetime.date, datetime.datetime)):
        return [f"{value.month}月"]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return [line.strip() for line in str(value).splitlines() if line.strip()]


# --- .doc (Word 97-2003) -------------------------------------------------------------------


def soffice_path():
    return shutil.which("soffice") or shutil.which("libreoffice")


def doc_text(data: bytes) -> str:
    """An old .doc converted to .docx by LibreOffice (headless), then read as one."""
    soffice = soffice_path()
    if not soffice:
        raise PlanParseError(_("这是旧版 Word 文件（.doc），请先在 Word 中另存为 .docx 再导入。"))
    with tempfile.TemporaryDirectory(prefix="gonghui-doc-") as folder:
        folder = Path(folder)
        source = folder / "plan.doc"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False, preexec_fn=_limit_memory)
        except subprocess.TimeoutExpired as error:
            raise PlanParseError(
                _("这个 .doc 文件转换超时（%(seconds)s 秒），请在 Word 中另存为 .docx 再导入。")
                % {"seconds": CONVERT_SECONDS}
            ) from error
        converted = folder / "plan.docx"
        if not converted.exists():
            raise PlanParseError(_("无法转换这个 .doc 文件，它可能已损坏；请在 Word 中另存为 .docx 再导入。"))
        return docx_text(converted.read_bytes())


def _limit_memory():
    limit = CONVERT_MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# --- PDF -----------------------------------------------------------------------------------


def pdf_reader_installed() -> bool:
    """pypdf is a requirement, but a deployment that trimmed it should refuse PDFs with a reason,
    not fail in the worker."""
    try:
        import pypdf  # noqa: F401
    except ImportError:
        return False
    return True


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF (pypdf); a scanned PDF, which has none, is refused."""
    from core.limits import FileRefused, run_limited

    if not pdf_reader_installed():
        raise PlanParseError(_("这台服务器没有安装 PDF 读取组件（pypdf），请上传 Word 文件或把全文复制粘贴进来。"))
    try:
        result = run_limited(_pdf_pages, data, seconds=PARSE_SECONDS, memory_mb=PARSE_MEMORY_MB)
    except FileRefused as error:
        raise PlanParseError(str(error)) from error
    if result is None:
        raise PlanParseError(_("无法打开这个 PDF 文件，它可能已损坏或加了密码。"))
    pages, text = result
    # pypdf puts a space where a line's runs of Chinese and digits meet: "2027 年".
    text = _PDF_GAP.sub("", text)
    if len(re.sub(r"\s", "", text)) < MIN_PDF_CHARS_PER_PAGE * max(1, pages):
        raise PlanParseError(
            _("这个 PDF 是扫描件（图片），没有可读取的文字。请用原来的 Word 文件，或把全文复制粘贴进来。")
        )
    return text


_PDF_GAP = re.compile(r"(?<=[\u4e00-\u9fff\d%％]) (?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) (?=[\d%])")


def _pdf_pages(data: bytes):
    """In the child process: (pages read, their text), or None when pypdf cannot open the file."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = reader.pages[:MAX_PDF_PAGES]
        return len(pages), "\n".join(page.extract_text() or "" for page in pages)
    except (PdfReadError, ValueError, KeyError, TypeError):
        return None
