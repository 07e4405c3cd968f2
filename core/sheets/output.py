"""What the machine hands back as sheets: the failed rows to fix, and a blank template to fill."""

from django.utils.translation import gettext as _

from core import tables


def failed_rows_xlsx(*, headers, failed_rows, errors, failed_sheets=None) -> bytes:
    """The rows that failed, as they were, with an error column: fix them and import the file again.

    ``errors`` are RowError dicts; with rows from several sheets a first column names each row's sheet.
    """
    by_row = {}
    for error in errors:
        text = _("%(column)s：%(message)s") % error if error["column"] else error["message"]
        by_row.setdefault((error.get("sheet", ""), error["row"]), []).append(text)
    several = bool(failed_sheets) and len(set(failed_sheets)) > 1
    columns = [tables.Column(h or "", 14) for h in headers] + [tables.Column(_("错误说明"), 60)]
    if several:
        columns.insert(0, tables.Column(_("工作表"), 14))

    def rows():
        for position, (number, cells) in enumerate(failed_rows):
            sheet = failed_sheets[position] if several else ""
            cells = list(cells)[: len(headers)]
            # Translators: the separator between two errors of one row.
            line = [*cells, *[""] * (len(headers) - len(cells)), _("；").join(by_row.get((sheet, number), []))]
            yield [sheet, *line] if several else line

    return tables.write_xlsx(columns, rows())


def template_xlsx(importer, *, title="") -> bytes:
    """A blank sheet with the importer's columns as its header, the required ones marked with *."""
    columns = [
        tables.Column(f"{column.label}*" if column.required else str(column.label), 16) for column in importer.columns
    ]
    examples = [column.example for column in importer.columns]
    rows = [examples] if any(examples) else []
    return tables.write_xlsx(columns, rows, title=title or str(importer.label), sheet=str(importer.label))
