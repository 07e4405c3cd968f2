"""Every importer's sheet with cells holding what nobody types: numbers that are not numbers (NaN,
Infinity, 1e999), a superscript or circled digit, a number past 64 bits, a negative, a date past
9999, 5,000 characters, a formula. Each column is tried alone beside plausible values in the others
(so the row reaches the checks and the writing), then every column at once. A bad cell is a row
error naming its row and column; nothing crashes and nothing is half-written. The files themselves
(zip bombs, XML entities, wrong types) are tested in core/tests/test_sheets.py and test_limits.py."""

import datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from care.models import InsuranceProduct
from core import sheets
from members.models import Member
from members.tests.sheets import id_for

pytestmark = pytest.mark.django_db

HOSTILE = [
    "NaN",
    "-Infinity",
    "1e999",
    "²",
    "①",
    "᧚",  # a digit to isdigit() that int() cannot read (New Tai Lue one), and NFKC leaves it
    "99999999999999999999999",
    2**76,
    -1,
    1e308,
    "9999-12-31",
    "99999年1月1日",
    '=HYPERLINK("http://example.com")',  # read as its value: none was saved, so an empty cell
    "中" * 5000,
]
# What a well-filled cell of each column holds, so that only the hostile cell is wrong. Each row is
# another person (an ID number twice in one sheet is an error of its own).
PLAUSIBLE = {
    "name": "张伟",
    "gender": "男",
    "level": "深度困难",
    "situation": "患病住院",
    "product": "职工住院医疗互助保障",
    "year": "2026",
}


def _id_number(row_index):
    """A different person for each row: a different birthday (random sequence numbers would collide)."""
    year, day = divmod(row_index, 300)
    return id_for(1960 + year, day // 28 + 1, day % 28 + 1, "M", seed=row_index)


@pytest.fixture
def insured(units):
    """The product the plausible rows name, and people on the roster for the enrollment list to find."""
    InsuranceProduct.objects.create(unit=units["county"], name=PLAUSIBLE["product"], premium=Decimal("50"))

    def add(rows):
        for index in range(len(rows)):
            Member.objects.create(unit=units["g1"], name="张伟", gender="M", id_number=_id_number(index))

    return add


def _sheet(path, importer, rows):
    book = Workbook()
    book.active.append([str(column.label) for column in importer.columns])
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _rows(importer):
    """One row per (column, hostile value), and one row with every column hostile per value."""
    keys = [column.key for column in importer.columns]
    rows = []
    for key in keys:
        for value in HOSTILE:
            plausible = PLAUSIBLE | {"id_number": _id_number(len(rows))}
            rows.append([value if k == key else plausible.get(k, "") for k in keys])
    rows.extend([value] * len(keys) for value in HOSTILE)
    return rows


@pytest.mark.parametrize("key", [importer.key for importer in sheets.registered()])
def test_no_cell_nobody_types_crashes_an_import_or_is_written(key, tmp_path, units, zhuxi, bangfu, insured):
    importer = sheets.importer_for(key)
    rows = _rows(importer)
    if key == "care.insurance_enrollment":
        insured(rows)
    path = _sheet(tmp_path / f"{key}.xlsx", importer, rows)
    options = {"unit": units["school"], "user": bangfu if key.startswith("care.") else zhuxi}
    options["context"] = {"today": datetime.date(2026, 12, 1)}

    preview = sheets.run_import(importer, path, dry_run=True, **options)
    assert preview.total == len(rows) - 1, key  # the row of formulas only reads as empty
    for error in preview.errors:
        assert error.row >= 2 and error.message, error  # each names its row and says why

    result = sheets.run_import(importer, path, **options)
    assert not result.written  # a sheet with bad rows writes nothing
    kept = sheets.run_import(importer, path, skip_errors=True, **options)
    assert kept.written and kept.failed >= len(HOSTILE) * 2  # the good rows in, the bad ones named
