"""A file that is not what its name says, handed to the sheet reader every import goes through
(core.sheets.reading.open_book): a Word document or a picture renamed .xlsx, an .xlsx or a web page
named .xls, an empty file. Each is refused saying what the file really is, in the officer's language,
not in calamine's words ("styleSheet", "Cfb error: Invalid OLE ..."). A .csv's one sheet is named by
the officer's file name, not by the name the page gave its temporary copy."""

import io
import struct
import zlib

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from docx import Document
from openpyxl import Workbook
from PIL import Image

from core import sheets
from core.files import OLE_SIGNATURE, PhotoField
from core.sheets.reading import open_book
from members import importing


def _word() -> bytes:
    document = Document()
    document.add_paragraph("城关镇中心学校教职工会员花名册")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(["姓名", "性别"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _picture() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return out.getvalue()


# (file name, its bytes, what the refusal says it is in Chinese, and in English)
RENAMED = [
    ("花名册.xlsx", _word, "Word 文档", "a Word document"),
    ("花名册.xlsx", _picture, "图片", "a picture"),
    ("花名册.xlsm", _word, "Word 文档", "a Word document"),
    ("花名册.xls", _workbook, ".xlsx 格式的表格", "a spreadsheet in .xlsx format"),
    (
        "花名册.xls",
        lambda: b"<html><body><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table>",
        "网页",
        "web page",
    ),
    ("花名册.xls", lambda: OLE_SIGNATURE + "WordDocument".encode("utf-16-le") + b"\0" * 512, "Word 文档", "Word"),
    ("花名册.xls", _picture, "图片", "a picture"),
    ("花名册.ods", _word, "Word 文档", "a Word document"),
    ("花名册.csv", _workbook, ".xlsx 格式的表格", "a spreadsheet in .xlsx format"),
    ("花名册.csv", lambda: b"%PDF-1.7\n" + b"\0" * 64, "PDF", "PDF"),
]


@pytest.mark.parametrize(("name", "data", "chinese", "english"), RENAMED)
def test_a_file_renamed_as_a_workbook_is_refused_saying_what_it_is(tmp_path, name, data, chinese, english):
    path = tmp_path / name
    path.write_bytes(data())
    with translation.override("zh-hans"), pytest.raises(sheets.ImportFileError) as refused:
        open_book(path)
    assert chinese in str(refused.value) and path.suffix in str(refused.value)
    with translation.override("en"), pytest.raises(sheets.ImportFileError) as refused:
        open_book(path)
    assert english in str(refused.value)


@pytest.mark.parametrize("name", ["花名册.xlsx", "花名册.xls", "花名册.ods", "花名册.csv"])
def test_an_empty_file_is_said_to_be_empty(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    with translation.override("zh-hans"), pytest.raises(sheets.ImportFileError, match="空的"):
        open_book(path)
    with translation.override("en"), pytest.raises(sheets.ImportFileError, match="empty"):
        open_book(path)


def test_workbooks_that_are_what_their_names_say_are_still_read(tmp_path):
    (tmp_path / "名册.xlsx").write_bytes(_workbook())
    (tmp_path / "名册.csv").write_bytes("姓名,性别\n<b>张伟</b>,男\n".encode("gb18030"))
    (tmp_path / "bom.csv").write_bytes("\ufeff姓名,性别\n张伟,男\n".encode())
    for name in ("名册.xlsx", "名册.csv", "bom.csv"):
        book = open_book(tmp_path / name)
        assert [cells[:1] for _number, cells in book.sheet(book.names[0]).rows][0] == ["姓名"]


@pytest.mark.django_db
def test_a_csv_read_on_a_page_is_named_by_the_officers_file_not_the_temporary_copy(units):
    too_wide = ",".join(["姓名", *(f"列{n}" for n in range(10_000))]).encode()
    upload = SimpleUploadedFile("../困难职工名册.csv", too_wide)
    with pytest.raises(sheets.ImportFileError) as refused:
        sheets.import_upload(importing.ROSTER, upload, unit=units["school"], dry_run=True)
    assert "工作表“困难职工名册”" in str(refused.value) and "10001 列" in str(refused.value)


# --- photos


def _png_claiming(width, height) -> bytes:
    """A PNG of a few hundred bytes whose header claims ``width`` × ``height`` pixels."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 10_000, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (lambda: _picture()[:60], "有效的图片"),  # truncated: it opens, then fails Django's check
        (lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "有效的图片"),
        (lambda: _png_claiming(50_000, 50_000), "像素过多"),
    ],
)
def test_a_photo_field_refuses_a_broken_a_scripted_or_a_bomb_picture_with_words_not_a_crash(data, said):
    upload = SimpleUploadedFile("../隐患照片.png", data())
    with translation.override("zh-hans"), pytest.raises(forms.ValidationError, match=said):
        PhotoField().clean(upload)
    assert not upload.closed and upload.tell() == 0  # the form may still read it (to ask for it again)
