"""The one import machine for every sheet officers send (roster, insurance lists, households, dues...).

After pretix's model import: a reader within bounds (``reading``), the table found in the workbook
as officers make it (``layout``), columns mapped by synonyms and cleaned, rows checked with errors
naming the row and column, a preview, then an all-or-nothing (or skip-failed-rows) commit in
batches (``running``), background jobs with progress (``jobs``), and the failed rows back as .xlsx
(``output``). An app declares an ``Importer`` (``importer``) and registers it.
"""

from core.sheets.importer import (
    Column,
    Importer,
    ImportResult,
    Row,
    RowError,
    Session,
    importer_for,
    register,
    registered,
)
from core.sheets.reading import SUPPORTED, ImportFileError
from core.sheets.running import cell_text, import_upload, run_import

__all__ = [
    "SUPPORTED",
    "Column",
    "ImportFileError",
    "ImportResult",
    "Importer",
    "Row",
    "RowError",
    "Session",
    "cell_text",
    "import_upload",
    "importer_for",
    "register",
    "registered",
    "run_import",
]
