"""Reading uploaded plan files: .docx under limits, .doc through LibreOffice when it is
installed, PDF with a text layer, and clear refusals for what cannot be read."""

import io
import sys
import zipfile
from pathlib import Path

import pytest

from plans import reading
from plans.parsing import parse_plan
from plans.reading import PlanParseError, read_text

CORPUS = Path(__file__).resolve().parent / "corpus"


def test_old_word_file_is_refused_with_what_to_do_when_libreoffice_is_missing(monkeypatch):
    monkeypatch.setattr(reading, "soffice_path", lambda: None)
    with pytest.raises(PlanParseError, match="另存为 .docx"):
        read_text((CORPUS / "14-word-97.doc").read_bytes(), "plan.doc")


def test_old_word_file_is_converted_when_libreoffice_is_installed():
    if not reading.soffice_path():
        pytest.skip("LibreOffice is not installed")
    plan = parse_plan(read_text((CORPUS / "14-word-97.doc").read_bytes(), "计划.doc"))
    assert plan.title == "卫生院工会2027年工作计划"
    assert [m.month for m in plan.months] == [3, 6, 9, 12]


def test_damaged_old_word_file_is_refused():
    if not reading.soffice_path():
        pytest.skip("LibreOffice is not installed")
    with pytest.raises(PlanParseError, match="损坏"):
        read_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "plan.doc")


def test_pdf_text_layer_is_read_without_the_gaps_pypdf_puts_between_chinese_and_digits():
    text = read_text((CORPUS / "15-text-layer.pdf").read_bytes(), "plan.pdf")
    assert "卫生院工会2027年工作计划" in text


def test_pdf_is_refused_with_what_to_do_when_pypdf_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "pypdf", None)  # import pypdf now raises ImportError
    with pytest.raises(PlanParseError, match="pypdf"):
        read_text((CORPUS / "15-text-layer.pdf").read_bytes(), "plan.pdf")


def test_scanned_pdf_is_refused_saying_it_is_a_scan():
    with pytest.raises(PlanParseError, match="扫描件"):
        read_text((CORPUS / "16-scanned.pdf").read_bytes(), "plan.pdf")


def test_damaged_pdf_is_refused():
    with pytest.raises(PlanParseError, match="PDF"):
        read_text(b"%PDF-1.7\n" + bytes(200), "plan.pdf")


def _docx_with_body(xml_body: bytes) -> bytes:
    source = zipfile.ZipFile(CORPUS / "13-table.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, _, _ = data.partition(b"<w:body>")
                data = head + b"<w:body>" + xml_body + b"</w:body></w:document>"
            out.writestr(info.filename, data)
    return buffer.getvalue()


def test_a_small_docx_of_ten_megabytes_of_xml_is_refused_quickly_with_a_message():
    paragraph = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    data = _docx_with_body(paragraph * (10 * 1024 * 1024 // len(paragraph)))
    assert len(data) < 100_000
    with pytest.raises(PlanParseError, match="压缩|MB|秒"):
        read_text(data, "plan.docx")


def test_a_plan_with_a_password_to_open_is_said_to_have_one():
    from pathlib import Path

    from plans.reading import PlanParseError, read_text

    data = (Path(__file__).parent / "samples" / "password-plan.docx").read_bytes()
    with pytest.raises(PlanParseError, match="设置了打开密码"):
        read_text(data, "计划.docx")


# --- Excel: the month-by-month schedule many unions keep as a sheet ---------------------------


def _schedule_workbook(*, hidden_sheet=False):
    """A 行事历 as officers type it: a merged title row, a header, months merged down over their
    rows, one month typed as a number, one cell holding two lines, and a 负责人 column."""
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "行事历"
    sheet.append(["实验小学工会2027年工作行事历"])
    sheet.merge_cells("A1:C1")
    sheet.append(["月份", "工作内容", "负责人"])
    sheet.append(["3月", "三八妇女节活动", "女工委员"])
    sheet.append([None, "召开教职工代表大会", "工会主席"])
    sheet.merge_cells("A3:A4")
    sheet.append([5, "五一劳动节表彰\n评选优秀教职工", "工会主席"])
    sheet.append([datetime.date(2027, 9, 10), "庆祝教师节", "宣传委员"])
    if hidden_sheet:
        notes = workbook.create_sheet("草稿")
        notes.append(["12月", "不该读到的草稿"])
        notes.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_schedule_is_read_as_months_with_their_items():
    plan = parse_plan(read_text(_schedule_workbook(), "行事历.xlsx"))
    assert plan.title == "实验小学工会2027年工作行事历"
    assert [(m.month, m.items) for m in plan.months] == [
        (3, ["三八妇女节活动（负责人：女工委员）", "召开教职工代表大会（负责人：工会主席）"]),
        (5, ["五一劳动节表彰（负责人：工会主席）", "评选优秀教职工（负责人：工会主席）"]),
        (9, ["庆祝教师节（负责人：宣传委员）"]),
    ]


def test_hidden_sheets_of_a_workbook_are_left_out():
    assert "不该读到的草稿" not in read_text(_schedule_workbook(hidden_sheet=True), "行事历.xlsx")


def test_a_workbook_renamed_docx_is_read_as_the_sheet_it_is():
    plan = parse_plan(read_text(_schedule_workbook(), "计划.docx"))
    assert [m.month for m in plan.months] == [3, 5, 9]


def test_a_word_file_renamed_xlsx_is_read_as_the_document_it_is():
    plan = parse_plan(read_text((CORPUS / "13-table.docx").read_bytes(), "计划.xlsx"))
    assert plan.months


def test_damaged_workbook_is_refused_in_the_sheet_readers_words():
    with pytest.raises(PlanParseError, match="不是有效的 .xlsx 文件"):
        read_text(b"PK\x03\x04broken", "行事历.xlsx")


# A schedule goes through the sheet machine's reader (core.sheets.reading.open_book): a hostile
# workbook is refused there, before calamine lays it out, with the words every sheet import uses.


def test_a_tiny_schedule_claiming_a_far_cell_is_refused_with_the_range_it_claims():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "行事历"
    workbook.active.append(["月份", "工作内容"])
    workbook.active["XFD1048576"] = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(buffer.getvalue()) < 10_000
    with pytest.raises(PlanParseError, match="行事历.*1048576 行 × 16384 列"):
        read_text(buffer.getvalue(), "行事历.xlsx")


def test_a_schedule_that_is_a_zip_bomb_is_refused_unread():
    buffer = io.BytesIO(_schedule_workbook())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (50 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(PlanParseError, match="压缩"):
        read_text(buffer.getvalue(), "行事历.xlsx")


def test_a_schedule_whose_shared_strings_claim_two_billion_entries_is_refused_before_it_is_read():
    """A 2 KB table saying uniqueCount="2147483647" made calamine reserve 51 GB and abort the process."""
    buffer = io.BytesIO(_schedule_workbook())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b'<sst uniqueCount="2147483647"><si><t>x</t></si></sst>')
    with pytest.raises(PlanParseError, match="声明有 2147483647 项"):
        read_text(buffer.getvalue(), "行事历.xlsx")


def test_a_schedule_of_formulas_reads_the_values_excel_saved_never_the_formulas():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["月份", "工作内容"])
    sheet.append([3, '=HYPERLINK("http://example.com","召开教代会")'])
    buffer = io.BytesIO()
    workbook.save(buffer)  # openpyxl saves no value for a formula, as if Excel never computed it
    text = read_text(buffer.getvalue(), "行事历.xlsx")
    assert "HYPERLINK" not in text and "example.com" not in text


def _schedule_table(first_cell_properties: bytes) -> bytes:
    """A 月份 | 工作内容 table whose first cell carries ``first_cell_properties``."""

    def cell(text, properties=b""):
        return (
            b"<w:tc><w:tcPr>" + properties + b"</w:tcPr><w:p><w:r><w:t>" + text.encode() + b"</w:t></w:r></w:p></w:tc>"
        )

    rows = [(cell("月份", first_cell_properties), cell("工作内容")), (cell("3月"), cell("召开教代会"))]
    return (
        b"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
        + b"".join(b"<w:tr>" + b"".join(cells) + b"</w:tr>" for cells in rows)
        + b"</w:tbl>"
    )


@pytest.mark.parametrize(
    "properties",
    [b'<w:vMerge w:val="continue"/>', b'<w:gridSpan w:val="two"/>'],
    ids=["merged-down-from-above-the-table", "span-that-is-not-a-number"],
)
def test_a_table_python_docx_cannot_lay_out_is_read_as_its_text_not_a_crash(properties):
    """A cell merged down from above the first row, or a span that is not a number (Word repairs both
    on opening), made python-docx raise in the child: a ParserCrashed, a 500 on the import page."""
    heading = "<w:p><w:r><w:t>一、工作安排</w:t></w:r></w:p>".encode()
    text = read_text(_docx_with_body(heading + _schedule_table(properties)), "plan.docx")
    assert text.split("\n") == ["一、工作安排", "月份", "工作内容", "3月", "召开教代会"]


def test_a_document_python_docx_stumbles_over_is_refused_as_one_it_cannot_open(monkeypatch, caplog):
    def stumble(data):
        raise AttributeError("'NoneType' object has no attribute 'iterchildren'")

    monkeypatch.setattr(reading, "_docx_lines", stumble)
    with pytest.raises(PlanParseError, match="无法打开这个 Word 文件"):
        read_text(_docx_with_body(b"<w:p/>"), "plan.docx")
    assert "python-docx could not read" in caplog.text and "iterchildren" in caplog.text
