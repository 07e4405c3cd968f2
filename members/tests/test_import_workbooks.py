"""The roster import on workbooks as larger unions send them (issue 20), built here in code."""

import datetime

import pytest
from openpyxl import Workbook

from members.importing import roster_import
from members.models import Member
from members.tests.sheets import id_for

ZHANG = id_for(1985, 3, 2, "M", seed=1)
LI = id_for(1990, 1, 2, "F", seed=2)
WANG = id_for(1978, 11, 30, "F", seed=3)
HEADER = ["序号", "姓名", "性别", "身份证号码", "手机号码", "出生年月", "备注"]


def workbook(path, sheets):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


INSTRUCTIONS = ("填表说明", [["填表说明"], ["1.", "身份证号码请设为文本格式。"], ["2.", "手机号填11位。"]])


def test_the_roster_on_the_second_sheet_after_the_instructions_is_found(tmp_path, units):
    rows = [["城关镇中心学校教职工花名册"], HEADER, [1, "张伟", "男", ZHANG, "", "", ""]]
    result = roster_import(workbook(tmp_path / "r.xlsx", [INSTRUCTIONS, ("花名册", rows)]), unit=units["school"])
    assert (result.sheet, result.header_row, result.created) == ("花名册", 2, 1)


def test_one_sheet_per_group_places_each_member_in_the_group_the_sheet_is_named_for(tmp_path, units):
    path = workbook(
        tmp_path / "r.xlsx",
        [
            INSTRUCTIONS,
            ("东关完小", [HEADER, [1, "张伟", "男", ZHANG, "", "", ""]]),
            ("西街完小", [HEADER, [1, "李娜", "女", LI, "", "", ""], [2, "王芳", "女", WANG, "", "", ""]]),
        ],
    )
    result = roster_import(path, unit=units["school"])
    assert result.group_sheets == ["东关完小", "西街完小"] and result.created == 3
    assert dict(Member.objects.values_list("name", "unit__code")) == {
        "张伟": "demo-school-g1",
        "李娜": "demo-school-g2",
        "王芳": "demo-school-g2",
    }


def test_sheets_not_named_for_groups_are_not_taken_for_groups(tmp_path, units):
    path = workbook(
        tmp_path / "r.xlsx",
        [
            ("在职", [HEADER, [1, "张伟", "男", ZHANG, "", "", ""]]),
            ("退休", [HEADER, [1, "李娜", "女", LI, "", "", ""]]),
        ],
    )
    result = roster_import(path, unit=units["school"], dry_run=True)
    assert (result.sheet, result.group_sheets, result.created, result.errors) == ("在职", [], 1, [])
    assert roster_import(path, unit=units["school"], sheet="退休", dry_run=True).created == 1


def test_a_total_line_and_the_signatures_under_the_roster_are_no_errors(tmp_path, units):
    rows = [
        HEADER,
        [1, "张伟", "男", ZHANG, "", "", ""],
        [2, "李娜", "女", LI, "", "", ""],
        ["合计：2人"],
        ["填表人：王芳", None, None, "审核人：李娜", None, "制表日期：2027年3月5日"],
    ]
    result = roster_import(workbook(tmp_path / "r.xlsx", [("花名册", rows)]), unit=units["school"])
    assert (result.created, result.errors) == (2, [])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+86 138 0013 8123", "13800138123"),
        ("0086-138-0013-8123", "13800138123"),
        ("(138) 0013 8123", "13800138123"),
        ("0571-88886666", "0571-88886666"),
        ("（0571）8888 6666", "0571-88886666"),
    ],
)
def test_phones_as_people_write_them_and_a_landline_kept(tmp_path, units, typed, stored):
    rows = [HEADER, [1, "张伟", "男", ZHANG, typed, "", ""]]
    result = roster_import(workbook(tmp_path / "r.xlsx", [("花名册", rows)]), unit=units["school"])
    assert result.errors == []
    assert Member.objects.get().phone == stored


def test_a_bad_phone_is_a_row_error_that_does_not_repeat_the_number(tmp_path, units):
    rows = [HEADER, [1, "张伟", "男", ZHANG, "1380013", "", ""]]
    result = roster_import(workbook(tmp_path / "r.xlsx", [("花名册", rows)]), unit=units["school"], dry_run=True)
    ((error),) = result.errors
    assert error.column == "手机号码" and "1380013" not in error.message


def test_gender_and_birth_month_blank_or_as_a_month_agree_with_the_id_number(tmp_path, units):
    rows = [
        HEADER,
        [1, "张　伟", "", ZHANG, "", "1985年3月", ""],
        [2, "阿依古丽•买买提", "", LI, "", "1990.01", ""],
        [3, "王芳", "女", WANG, "", "1979年1月", ""],
    ]
    result = roster_import(workbook(tmp_path / "r.xlsx", [("花名册", rows)]), unit=units["school"], dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == [(4, "出生年月")]
    roster_import(workbook(tmp_path / "r2.xlsx", [("花名册", rows[:3])]), unit=units["school"])
    zhang, ayi = Member.objects.order_by("birth_date")
    assert (zhang.name, zhang.gender, zhang.birth_date) == ("张伟", "M", datetime.date(1985, 3, 2))
    assert (ayi.name, ayi.gender) == ("阿依古丽·买买提", "F")


def test_a_member_elsewhere_is_refused_without_naming_where(tmp_path, units):
    Member.objects.create(unit=units["office"], name="张伟", gender="M", id_number=ZHANG)
    rows = [HEADER, [1, "张伟", "男", ZHANG, "", "", ""]]
    result = roster_import(workbook(tmp_path / "r.xlsx", [("花名册", rows)]), unit=units["school"])
    ((error),) = result.errors
    assert "其他单位" in error.message and units["office"].name not in error.message


@pytest.mark.parametrize(
    ("typed", "stored"), [("+86 139-1234-5678", "13912345678"), ("(0571) 8888 6666", "0571-88886666")]
)
def test_the_member_form_reads_a_phone_as_the_import_does(client_for, zhuxi, units, typed, stored):
    from django.urls import reverse

    data = {"name": "陈静", "id_number": "11010519491231002x", "phone": typed, "unit": units["g1"].pk}
    client_for(zhuxi).post(reverse("members:add"), {**data, "category": "teacher"})
    assert Member.objects.get(name="陈静").phone == stored
