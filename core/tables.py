"""One writer for every .xlsx and .csv the product hands out.

Exports are row generators (see members, activities): ``write_table`` streams them into
a file without holding the sheet in memory, using openpyxl's write-only mode.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 14  # in characters; a Chinese character counts about two


def _text(value):
    return "" if value is None else str(value)


def write_xlsx(columns: Sequence[Column], rows: Iterable[Sequence], *, title: str = "", sheet: str = "Sheet1"):
    """Return the bytes of a styled workbook: optional title row, bold frozen header."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    for index, column in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    # The sheet's view is written before its first row, so freeze first.
    worksheet.freeze_panes = "A3" if title else "A2"
    if title:
        cell = WriteOnlyCell(worksheet, value=str(title))
        cell.font = Font(bold=True, size=14)
        worksheet.append([cell])
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="B71C1C")
    header_cells = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=str(column.header))
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header_cells.append(cell)
    worksheet.append(header_cells)
    for row in rows:
        worksheet.append(list(row))
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
        workbook.save(buffer)
        buffer.seek(0)
        return buffer.read()


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark, which Excel on a Chinese Windows needs to read it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(c.header) for c in columns])
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_response(columns, rows, *, filename: str, fmt: str = "xlsx", title: str = ""):
    """An HttpResponse with the table as an attachment, .xlsx or .csv."""
    from django.http import HttpResponse

    if fmt == "csv":
        response = HttpResponse(write_csv(columns, rows), content_type=CSV_TYPE)
        filename = f"{filename}.csv"
    else:
        response = HttpResponse(write_xlsx(columns, rows, title=title), content_type=XLSX_TYPE)
        filename = f"{filename}.xlsx"
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
