"""Long numbers in the roster's CSV open in Excel as the text they are (not 4.10E+17, not 123 for 000123),
with no formula anywhere and every cell that looks like one still neutralised."""

import csv
import datetime
import io
import json
import random

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from core import exports, idnumber
from core.models import ExportJob
from members.exporting import excel_text
from members.tests.test_commands import import_members

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ID, PHONE, CARD, NOTE = 3, 4, 11, 15  # columns of the CSV (no 序号 there)


def digits_only_id(seed):
    """An ID number of 18 digits (no final X): the one Excel turns into 1.10E+17 and cuts to 15 digits."""
    rng = random.Random(seed)
    while not (number := idnumber.make(datetime.date(1985, 3, 2), "M", rng=rng)).isdigit():
        pass
    return number


@pytest.fixture
def zhang(make_member):
    return make_member(
        "张伟", "g1", id_number=digits_only_id(1), phone="13812345678", card_number="000123", note="=1+1"
    )


def csv_rows(content: bytes):
    assert content.startswith("\ufeff".encode())  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def assert_opens_as_text(row, member):
    for column, value in ((ID, member.id_number), (PHONE, member.phone), (CARD, member.card_number)):
        cell = row[column]
        assert not cell.startswith(FORMULA_STARTS) and "=" not in cell
        assert cell != value and not cell.isdigit()  # not a number to Excel...
        assert cell.strip() == value  # ...and the value itself once the blank after it is dropped
    assert row[NOTE] == "'=1+1"  # still neutralised, as before


def test_the_csv_carries_long_numbers_as_text_and_no_formula(client_for, zhuxi, zhang):
    response = client_for(zhuxi).get(reverse("members:export"), {"format": "csv", "confirm": "1"})
    rows = csv_rows(response.content)
    assert_opens_as_text(rows[1], zhang)


def test_masked_numbers_are_text_already_and_left_as_they_are(client_for, zhuxi, zhang):
    response = client_for(zhuxi).get(reverse("members:export"), {"format": "csv", "masked": "1"})
    row = csv_rows(response.content)[1]
    assert row[ID] == zhang.id_number_masked and row[PHONE] == zhang.phone_masked


def test_the_csv_written_in_the_background_is_the_same(
    client_for, zhuxi, zhang, make_member, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "INLINE_MAX_ROWS", 1)
    make_member("李娜", "g1", gender="F")
    client = client_for(zhuxi)
    page = client.get(reverse("members:export"), {"format": "csv", "confirm": "1"})
    form = {"query": page.context["query"], "format": "csv", "unmasked": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:export_start"), form)
    job = ExportJob.objects.get()
    content = b"".join(client.get(reverse("core:export_download", args=[job.pk])).streaming_content)
    row = next(r for r in csv_rows(content) if r[0] == "张伟")
    assert_opens_as_text(row, zhang)


def test_the_csv_imports_back_unchanged(units, zhang, make_member, tmp_path, zhuxi):
    make_member("李娜", "g2", gender="F")
    out = tmp_path / "roster.csv"
    call_command(
        "export_members",
        "--unit",
        "demo-school",
        "--out",
        str(out),
        "--unmasked",
        "--by",
        "zhuxi",
        stdout=io.StringIO(),
    )
    assert_opens_as_text(next(r for r in csv_rows(out.read_bytes()) if r[0] == "张伟"), zhang)
    status, output = import_members(str(out), "--unit", "demo-school", "--json")
    assert status == 0 and json.loads(output)["unchanged"] == 2


def test_the_xlsx_has_the_numbers_as_text_cells_as_they_are(client_for, zhuxi, zhang):
    response = client_for(zhuxi).get(reverse("members:export"), {"confirm": "1"})
    row = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, max_row=3))[0]
    cells = {"id": row[ID + 1], "phone": row[PHONE + 1], "card": row[CARD + 1]}  # after the 序号 column
    assert {key: (cell.value, cell.data_type) for key, cell in cells.items()} == {
        "id": (zhang.id_number, "s"),
        "phone": ("13812345678", "s"),
        "card": ("000123", "s"),
    }


@pytest.mark.parametrize(
    "value, written",
    [
        ("110105198503021234", "110105198503021234\t"),
        ("000123", "000123\t"),
        ("11010519850302123X", "11010519850302123X"),  # text to Excel already
        ("138****5678", "138****5678"),
        ("=1+1", "=1+1"),  # left to the shared writer, which neutralises it
        ("-123", "-123"),
        ("１２３", "１２３"),  # full-width digits are text to Excel
        ("", ""),
    ],
)
def test_excel_text_only_touches_plain_digits(value, written):
    assert excel_text(value) == written
