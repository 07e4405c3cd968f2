"""The import itself: read, map, clean, check, then write in batches all or nothing (or the good rows).

``run_import(importer, path, unit=..., ...)`` is the one service every sheet import goes through,
from a page's job or a management command. Nothing is written in a dry run (the preview), and the
preview holds no write lock, so on SQLite other writers carry on while a large sheet is checked.
"""

import collections
import contextlib
import gc
import multiprocessing
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from core.cleaning import CellError
from core.language import quoted_names
from core.sheets import layout
from core.sheets.importer import Importer, ImportResult, Row, RowError, required_message
from core.sheets.reading import MAX_CELL_CHARS, ImportFileError, open_book

# From this many rows on, rows are cleaned in worker processes (see _cleaned_batches).
PARALLEL_MIN_ROWS = 20_000
PARALLEL_WORKERS = 2
# The workers run ahead of the writer, which is an import's critical path: lower in the scheduler's
# eyes, they take the CPU the writer (and its database) leaves, not the writer's own turn. On a
# shared machine they also yield to the web workers' requests.
WORKER_NICENESS = 5


class _Rollback(Exception):
    pass


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # As Excel shows it: 15 significant digits (110105198503021000, not ...020992).
        return str(int(Decimal(f"{value:.15g}")))
    return str(value)


def find_tables(importer: Importer, book, *, sheet=None, mapping=None, unit=None) -> list[layout.Table]:
    """The tables to read: the chosen sheet's, or the first sheet with a header, or (when the
    workbook has one sheet per group and no group column) every sheet with a header."""
    synonyms = importer.synonyms()
    names = [sheet] if sheet else book.names
    if sheet and sheet not in book.names:
        raise ImportFileError(_("工作簿中没有名为“%(sheet)s”的工作表。") % {"sheet": sheet})
    known, unknown = [], []
    for name in names:
        data = book.sheet(name)
        table = layout.read_header(name, data.rows, data.height, synonyms)
        if table is None:
            continue
        table.rows = layout.fill_merged(
            table.rows, data.merged, after=table.header_row + table.header_height - 1, columns=len(table.headers)
        )
        (known if table.known else unknown).append(table)
        if known and not importer.group_column:
            break  # only one sheet will be read: no need to look further
    if not known and not unknown:
        raise ImportFileError(
            _("在前%(count)d行中没有找到表头。表头行应包含“%(columns)s”等列名。")
            % {
                "count": layout.HEADER_SEARCH_ROWS,
                "columns": quoted_names(c.label for c in importer.columns[:2]),
            }
        )
    tables = known or unknown[:1]
    first = tables[0]
    if mapping is not None:
        for table in tables:
            if table is first or table.headers == first.headers:
                table.mapping = dict(mapping)
    group = importer.group_column
    if (
        not sheet
        and group
        and len(tables) > 1
        and all(group not in t.mapping.values() for t in tables)
        and importer.sheet_names_are_groups([t.sheet for t in tables], unit=unit)
    ):
        for table in tables:
            table.group = table.sheet
        return tables
    return tables[:1]


def _check_required(importer, tables, result):
    for table in tables:
        keys = set(table.mapping.values())
        if table.group:
            keys.add(importer.group_column)
        missing = [c for c in importer.required() if c.key not in keys]
        if missing:
            labels = quoted_names(c.label for c in missing)
            if table is tables[0] and importer.page_maps_columns:
                message = _("没有找到“%(fields)s”列，请在下方指定对应的列。") % {"fields": labels}
            elif table is tables[0]:
                message = _("没有找到“%(fields)s”列。请把表头改成页面上列出的列名后重新上传。") % {"fields": labels}
            else:
                message = _("工作表“%(sheet)s”中没有找到“%(fields)s”列。") % {"sheet": table.sheet, "fields": labels}
            error = ImportFileError(message)
            error.result = result
            raise error


def _as_it_is(value):
    return value


def clean_row(importer, table, number, cells, *, table_index=0) -> Row:
    """A row's mapped cells through their columns' cleaners; required columns must not be empty."""
    values, errors = {}, []
    columns = table.extra.get("columns")
    if columns is None:
        # Looked up once per table rather than once per cell.
        by_key = {c.key: c for c in importer.columns}
        columns = table.extra["columns"] = [
            (i, k, by_key[k].clean or _as_it_is, by_key[k].required, by_key[k].label)
            for i, k in sorted(table.mapping.items())
        ]
    width = len(cells)
    for index, key, clean, required, label in columns:
        try:
            value = clean(cells[index] if index < width else None)
        except CellError as error:
            errors.append((key, str(error)))
            continue
        if required and (value is None or value == ""):
            errors.append((key, required_message(label)))
        values[key] = value
    if table.group:
        column = importer.column(importer.group_column)
        values[column.key] = column.clean(table.group) if column.clean else table.group
    return Row(table.sheet, number, cells, values, errors, table=table_index)


def _batches(importer, tables):
    """The rows below each header in batches of the importer's size: ([(table index, row number, cells)],
    rows read so far). Which of them hold data is decided where they are cleaned (_clean_batch)."""
    batch, before = [], 0
    for index, table in enumerate(tables):
        for number, cells in table.rows:
            batch.append((index, number, cells))
            if len(batch) >= importer.batch_size:
                yield batch, before + number
                batch = []
        before += table.height
    if batch:
        yield batch, before


def _data_of(tables, batch):
    """The rows of ``batch`` that hold data (layout.holds_data), as lists."""
    found = []
    for index, number, cells in batch:
        cells = list(cells)
        if layout.holds_data(cells, tables[index].mapping):
            found.append((index, number, cells))
    return found


def _clean_batch(importer, tables, batch, *, writing):
    """A batch's rows of data cleaned and checked, and what the importer prepares for them, all
    without the database."""
    rows = [
        clean_row(importer, tables[i], number, cells, table_index=i) for i, number, cells in _data_of(tables, batch)
    ]
    for row in rows:
        importer.check_row(row)
    importer.prepare(rows, writing=writing)
    return rows


# A worker process inherits (by fork) the import it cleans rows for: the importer and its tables.
_FORKED = {}


def _clean_in_worker(batch):
    importer, tables, writing = _FORKED["job"]
    rows = _clean_batch(importer, tables, batch, writing=writing)
    for row in rows:
        row.cells = None  # the sender has them: not sent back
    return rows


def _with_cells(rows, batch):
    """The rows back from a worker (those of the batch that hold data, in its order), each given its
    cells again from the batch sent."""
    sent = iter(batch)
    for row in rows:
        for index, number, cells in sent:
            if index == row.table and number == row.number:
                row.cells = cells
                break
    return rows


def _cleaned_batches(importer, tables, total, *, writing):
    """(batch rows, rows read so far) with each row cleaned and prepared.

    A large sheet is cleaned by worker processes while this one checks and writes the batches
    before: cleaning, hashing and encrypting rows is most of an import's work and needs no
    database. The workers are forked, so they start at once with the import's state, and they
    touch no database connection (the one they inherit belongs to this process).
    """
    batches = _batches(importer, tables)
    workers = min(PARALLEL_WORKERS, os.cpu_count() or 1)
    if total < PARALLEL_MIN_ROWS or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for batch, done in batches:
            yield _clean_batch(importer, tables, batch, writing=writing), done
        return
    _FORKED["job"] = (importer, tables, writing)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=os.nice, initargs=(WORKER_NICENESS,)) as pool:
            pending = collections.deque()
            for batch, done in batches:
                pending.append((pool.submit(_clean_in_worker, batch), batch, done))
                if len(pending) > workers:  # a few batches ahead, not the whole sheet in memory
                    future, sent, read = pending.popleft()
                    yield _with_cells(future.result(), sent), read
            while pending:
                future, sent, read = pending.popleft()
                yield _with_cells(future.result(), sent), read
    finally:
        _FORKED.clear()


@contextlib.contextmanager
def _no_cycle_collection():
    """An import allocates a few objects per cell, and Python's cycle collector would walk the
    process's whole heap again and again meanwhile (a fifth of a large import's time); reference
    counting frees the rows, and the collector runs as before once the import is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_no_cycle_collection()
def _check_rows(tables, max_rows):
    rows = sum(max(table.height - table.header_row - table.header_height + 1, 0) for table in tables)
    if rows > max_rows:
        raise ImportFileError(
            _(
                "这个表格有约 %(rows)s 行，超过了在页面上一次可以导入的 %(max)s 行。"
                "请分成几个文件分批导入，或请系统管理员用 import_sheet 命令导入。"
            )
            % {"rows": rows, "max": max_rows}
        )


def run_import(
    importer: Importer,
    path,
    *,
    unit,
    user=None,
    mapping=None,
    sheet=None,
    dry_run=False,
    skip_errors=False,
    progress: Callable[[int, int], None] | None = None,
    context: dict | None = None,
    max_rows: int | None = None,
    file_name: str = "",
) -> ImportResult:
    """Import the sheet in ``path`` for ``unit`` with ``importer``.

    ``mapping`` ({column index: key}) overrides the guess from the header names; ``sheet`` picks a
    sheet by name instead of the first with a header. With ``dry_run`` nothing is written: the
    result is the preview. Otherwise everything is written in one transaction, and nothing at all
    when a row failed (unless ``skip_errors``: then the good rows are written) or when anything
    fails half-way. ``context`` is handed to the importer's session. ``max_rows``: refuse a sheet
    longer than that before reading its rows (a page importing within its request). ``file_name``: the
    file's name as the officer gave it, which names a .csv's sheet (``path`` may be a name of our own).
    """
    book = open_book(path, name=file_name)
    tables = find_tables(importer, book, sheet=sheet, mapping=mapping, unit=unit)
    if max_rows is not None:
        _check_rows(tables, max_rows)
    result = _empty_result(book, tables)
    _check_required(importer, tables, result)
    session = importer.session(unit=unit, user=user, context=context)
    total = result.rows_in_file

    def each_batch():
        for rows, done in _cleaned_batches(importer, tables, total, writing=not dry_run):
            # Once a row failed in an all-or-nothing import, the rest is only checked, not written.
            write = not dry_run and (skip_errors or not result.errors)
            _import_batch(tables, session, rows, result, write=write)
            if progress:
                progress(done, total)

    if dry_run:
        each_batch()  # reads only: no transaction, so no write lock held while checking
    else:
        try:
            with transaction.atomic():
                each_batch()
                if result.errors and not skip_errors:
                    raise _Rollback
                session.finish()
                result.written = True
        except _Rollback:
            pass
    session.closed()
    if progress:
        progress(total, total)
    return result


def import_upload(importer: Importer, upload, **options) -> ImportResult:
    """run_import on an uploaded file (a page importing within its request, up to the importer's
    ``page_max_rows``): copied to a private temporary folder under a fixed name with the upload's
    extension (the reader goes by it; the officer's file name is never a path), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="gonghui-sheet-") as folder:
        path = Path(folder) / ("upload" + Path(upload.name).suffix.lower())
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return run_import(importer, path, max_rows=importer.page_max_rows, file_name=upload.name, **options)


def _empty_result(book, tables):
    """The result before any row is read: what was found in the book (the first table's header)."""
    first = tables[0]
    return ImportResult(
        sheets=list(book.names),
        sheet=first.sheet,
        group_sheets=[t.sheet for t in tables] if first.group else [],
        header_row=first.header_row,
        headers=first.headers,
        mapping=dict(first.mapping),
        rows_in_file=sum(t.height for t in tables),
    )


# What is kept of a failed row's cell (reading.MAX_CELL_CHARS, Excel's own limit, so the failed rows open
# in it) and of a row's error, which may quote the cell: a cell of a million characters (an .xlsx may hold
# one) would otherwise be stored with the job twice over and shown whole on its page.
MAX_MESSAGE_CHARS = 500


def _shortened(message):
    return message if len(message) <= MAX_MESSAGE_CHARS else message[: MAX_MESSAGE_CHARS - 1] + "…"


def _import_batch(tables, session, rows, result, *, write):
    for row in rows:
        session.check(row)
    session.write(rows, write=write)
    several = len(result.group_sheets) > 1
    for row in rows:
        if row.errors:
            table = tables[row.table]
            for key, message in row.errors:
                column = next((i for i, k in table.mapping.items() if k == key), None)
                header = table.headers[column] if column is not None and column < len(table.headers) else ""
                result.errors.append(RowError(row.number, header, _shortened(message), table.sheet if several else ""))
            cells = [cell_text(c)[:MAX_CELL_CHARS] for c in row.cells[: len(table.headers)]]
            result.failed_rows.append((row.number, cells))
            result.failed_sheets.append(table.sheet)
        elif row.outcome == "created":
            result.created += 1
        elif row.outcome == "updated":
            result.updated += 1
        else:
            result.unchanged += 1
    result.total += len(rows)
