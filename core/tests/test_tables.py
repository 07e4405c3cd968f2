import io

import openpyxl

from core.tables import Column, write_csv, write_xlsx
from core.templatetags.gonghui import yuan


def test_xlsx_has_a_title_a_styled_frozen_header_and_widths():
    data = write_xlsx(
        [Column("姓名", 10), Column("单位", 30)], iter([("张伟", "东关完小"), ("李娜", "西街完小")]), title="会员名册"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "会员名册"
    assert [c.value for c in sheet[2]] == ["姓名", "单位"]
    assert sheet["A2"].font.b
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["B"].width == 30
    assert sheet["A4"].value == "李娜"


def test_csv_opens_in_excel_with_chinese():
    data = write_csv([Column("姓名")], [("张伟",), (None,)])
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines() == ["姓名", "张伟", '""']


def test_money_is_yuan_with_two_decimals():
    assert yuan(1234.5) == "¥1,234.50"
    assert yuan("0") == "¥0.00"
    assert yuan(None) == ""
