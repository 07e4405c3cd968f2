"""What an app declares to import a sheet: its columns and the service that writes rows.

An importer names its columns (key, label, the synonyms officers write in headers, whether it is
required, and the cleaner that turns a raw cell into a value or raises ``core.cleaning.CellError``),
and opens a session per import whose ``check`` applies the rules across a row's columns and whose
``write`` writes a batch of checked rows. Apps register their importers in ``AppConfig.ready()``::

    sheets.register(RosterImporter())

and the machine (``core.sheets.run_import``), the pages' jobs and the failed-rows download work the
same for each.
"""

import dataclasses
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from core.language import each_language


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    clean: Callable[[Any], Any] | None = None  # raw cell -> value, or raises CellError
    example: str = ""  # shown in the blank template's instructions


@dataclass
class Row:
    """One sheet row on its way in."""

    sheet: str
    number: int  # as Excel shows it
    cells: list
    values: dict  # column key -> cleaned value, for the mapped columns
    errors: list = field(default_factory=list)  # (column key or None, message)
    outcome: str = ""  # "created", "updated" or "unchanged", set by the session's write
    table: int = 0  # which of the tables read (one per sheet) the row is from
    prepared: dict = field(default_factory=dict)  # what the importer's prepare computed for the row

    def fail(self, key, message):
        self.errors.append((key, message))

    def __reduce__(self):
        # A large import's rows come back from its worker processes pickled: as the fields in order,
        # not the instance's __dict__, which takes half again as long to pickle and unpickle.
        return Row, _row_fields(self)


_row_fields = operator.attrgetter(*(f.name for f in dataclasses.fields(Row)))


class Session:
    """One import's state (caches, rows seen so far) and its rules; subclassed by each importer."""

    def __init__(self, *, unit, user, context=None):
        self.unit = unit
        self.user = user
        self.context = context or {}  # what else an importer needs, e.g. {"today": ...}

    def check(self, row: Row) -> None:
        """Rules across a row's columns; add errors with ``row.fail``."""

    def write(self, rows: Sequence[Row], *, write: bool) -> None:
        """Match the checked rows of a batch, set each one's ``outcome`` (or fail it), and write them
        when ``write``. Runs inside the import's transaction."""
        raise NotImplementedError

    def finish(self) -> None:
        """After the last batch of an import that writes, inside its transaction: what is done once
        per import rather than per batch (marking the roll-ups, say)."""

    def closed(self) -> None:
        """Once the import is over, outside its transaction, whether it wrote, was rolled back or only
        previewed: what must stay even when nothing was written (the access log's entries for what
        the rows told the officer about people of other unions, whose rows fail and so roll an
        all-or-nothing import back)."""


class Importer:
    key: str = ""
    label: str = ""
    columns: Sequence[Column] = ()
    # The column a workbook with one sheet per group leaves out: then each sheet's name fills it.
    group_column: str | None = None
    batch_size: int = 1000
    session_class: type[Session] = Session
    # Rows a page may import within its request (None: the sheet's own bounds only). An importer whose
    # page imports within the request sets it, so that a long list is refused with a message rather
    # than run past the app server's timeout into a bare error page.
    page_max_rows: int | None = None
    # Whether the import page lets the officer map columns by hand (else a missing column is put right
    # in the sheet's header).
    page_maps_columns: bool = True

    def sheet_names_are_groups(self, names, *, unit) -> bool:
        """Do these sheet names name groups (so that each sheet's rows belong to its group)?

        Asked only of a workbook with several tables and no group column. A roster whose sheets are
        在职 and 退休 is not one sheet per group; an importer that can tell says so here.
        """
        return True

    def check_row(self, row: Row) -> None:
        """Rules within one cleaned row that need no database (add errors with ``row.fail``). Runs where
        the rows are cleaned, before ``prepare``: in a worker process for a large sheet, so it must not
        query the database or keep state. Rules that do (finding a unit) belong to ``Session.check``."""

    def prepare(self, rows: Sequence[Row], *, writing: bool) -> None:
        """Work on a batch of cleaned rows that needs no database (hashing, encrypting), kept in each
        row's ``prepared``; ``writing``: the import may write them. Runs before the session's check,
        in a worker process for a large sheet: it must not query the database or keep state."""

    def session(self, *, unit, user, context=None) -> Session:
        return self.session_class(unit=unit, user=user, context=context)

    def synonyms(self) -> dict[str, str]:
        """{header word: column key}: each column's label in every language the product speaks (a
        template or an export made on the English pages says "Name" and "ID number", and may be imported
        from the Chinese ones), then the words officers write."""
        from core.sheets.layout import header_key

        words = {}
        for _code in each_language():
            for column in self.columns:
                words.setdefault(header_key(str(column.label)), column.key)
        for column in self.columns:
            for word in column.synonyms:
                words.setdefault(header_key(word), column.key)
        return words

    def column(self, key) -> Column:
        return next(c for c in self.columns if c.key == key)

    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


_registry: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    _registry[importer.key] = importer
    return importer


def importer_for(key) -> Importer:
    return _registry[key]


def registered() -> list[Importer]:
    return list(_registry.values())


@dataclass
class RowError:
    row: int  # as Excel shows it
    column: str  # the header text of the column, or "" for the whole row
    message: str
    sheet: str = ""  # named only when the import read several sheets

    def as_dict(self):
        data = {"row": self.row, "column": self.column, "message": self.message}
        if self.sheet:
            data["sheet"] = self.sheet
        return data


@dataclass
class ImportResult:
    sheets: list[str] = field(default_factory=list)  # every sheet of the workbook
    sheet: str = ""  # the sheet read (the first of them when one sheet per group)
    group_sheets: list[str] = field(default_factory=list)  # all sheets read, when one per group
    header_row: int = 0
    headers: list[str] = field(default_factory=list)
    mapping: dict[int, str] = field(default_factory=dict)  # column index -> column key
    rows_in_file: int = 0
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    failed_rows: list[tuple[int, list]] = field(default_factory=list)  # (row number, cells as text)
    failed_sheets: list[str] = field(default_factory=list)  # the sheet of each failed row, same order
    written: bool = False

    @property
    def failed(self):
        return len(self.failed_rows)

    def as_json(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
        }


def required_message(label):
    return _("%(label)s为空。") % {"label": label}
