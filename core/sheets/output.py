"""What the machine hands back as sheets: the failed rows to fix, and a blank template to fill."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from core import tables


def failed_rows_xlsx(*, headers, failed_rows, errors, failed_sheets=None, group_header=None) -> bytes:
    """The rows that failed, as they were, with their row number in the upload and what was wrong with
    them: fix them and import the file again.

    ``errors`` are RowError dicts. ``group_header``: the upload's units came from its sheets' names (one
    sheet per group, ImportResult.group_sheets). A first column under this header (the importer's group
    column, e.g. 所在单位) then names each row's sheet, so that the file imported again puts every row
    where the upload would have, however many of its sheets had errors.
    """
    by_row = {}
    for error in errors:
        text = _("%(column)s：%(message)s") % error if error["column"] else error["message"]
        by_row.setdefault((error.get("sheet", ""), error["row"]), []).append(text)
    sheets = [*(failed_sheets or []), *[""] * (len(failed_rows) - len(failed_sheets or []))]  # none kept: ""
    columns = [tables.Column(h or "", 14) for h in headers]
    columns += [tables.Column(_("原行号"), 8), tables.Column(_("错误说明"), 60)]
    if group_header:
        columns.insert(0, tables.Column(str(group_header), 14))

    def rows():
        for (number, cells), sheet in zip(failed_rows, sheets, strict=True):
            cells = list(cells)[: len(headers)]
            # An error names its sheet only when the upload had several (core.sheets.running).
            texts = by_row.get((sheet, number)) or by_row.get(("", number), [])
            line = [*cells, *[""] * (len(headers) - len(cells)), number, _joined(texts)]
            yield [sheet, *line] if group_header else line

    return tables.write_xlsx(columns, rows())


def _joined(texts):
    """A row's errors in one cell: each but the last without its full stop, so that they read
    "…不是有效日期；性别：…。" rather than "…。；…"."""
    texts = [text.rstrip("。.") for text in texts[:-1]] + texts[-1:]
    # Translators: the separator between two errors of one row.
    return _("；").join(texts)


def template_xlsx(importer, *, title="") -> bytes:
    """A blank sheet with the importer's columns as its header, the required ones marked with *."""
    columns = [
        tables.Column(f"{column.label}*" if column.required else str(column.label), 16) for column in importer.columns
    ]
    examples = [column.example for column in importer.columns]
    rows = [examples] if any(examples) else []
    return tables.write_xlsx(columns, rows, title=title or str(importer.label), sheet=str(importer.label))


def template_response(importer, *, name) -> HttpResponse:
    """The blank template as a download, ``name``.xlsx."""
    response = HttpResponse(template_xlsx(importer), content_type=tables.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, tables.file_name(f"{name}.xlsx"))
    return response
