"""The hardship household list through the sheet machine: files opened, members linked, bad rows named."""

import datetime

import pytest
from openpyxl import Workbook

from care import importers  # noqa: F401  (registers the importers, as care.apps does)
from care.models import Household
from core import sheets

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 3, 1)
HEADER = ["序号", "姓名", "身份证号码", "困难类型", "困难类别", "致困原因", "家庭月收入（元）", "建档时间"]


def sheet(path, rows):
    book = Workbook()
    data = book.active
    data.title = "困难职工名册"
    data.append(["2027年城关镇中心学校困难职工名册"])
    data.append(HEADER)
    for row in rows:
        data.append(row)
    book.save(path)
    return path


def run(path, unit, **options):
    return sheets.run_import(
        sheets.importer_for("care.households"), path, unit=unit, context={"today": TODAY}, **options
    )


def test_a_household_list_opens_files_and_links_the_roster(tmp_path, units, bangfu, add_member):
    li = add_member("李红", unit="g2")
    path = sheet(
        tmp_path / "list.xlsx",
        [
            [1, "李红", li.id_number, "深度困难", "大病、低收入", "本人患乳腺癌，化疗中", "2600", "2026年3月1日"],
            [2, "王芳", "130534198001010021", "意外", "", "房屋倒塌", "", ""],
        ],
    )
    result = run(path, units["school"], user=bangfu)
    assert result.errors == [] and result.created == 2
    first = Household.objects.get(name="李红")
    assert first.member == li and first.unit == units["g2"] and first.categories == ["illness", "low_income"]
    assert first.entered_on == datetime.date(2026, 3, 1) and first.next_review_on == datetime.date(2027, 3, 1)
    second = Household.objects.get(name="王芳")
    assert second.unit == units["school"] and second.level == "accident" and second.categories == ["other"]
    assert run(path, units["school"], user=bangfu).unchanged == 2


def test_bad_rows_are_named_and_nothing_is_written(tmp_path, units, bangfu):
    path = sheet(
        tmp_path / "bad.xlsx",
        [
            [1, "李红", "130534198001010000", "深度困难", "大病", "患病", "", ""],
            [2, "王芳", "130534198001010021", "很困难", "大病", "患病", "", ""],
            [3, "赵强", "130534198001010013", "相对困难", "失业", "患病", "", ""],
        ],
    )
    result = run(path, units["school"], user=bangfu)
    assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号码"), (4, "困难类型"), (5, "困难类别")]
    assert "不是困难程度" in result.errors[1].message and "不是困难类别" in result.errors[2].message
    assert not result.written and not Household.objects.exists()


def test_a_household_list_needs_a_signed_in_officer(tmp_path, units):
    path = sheet(tmp_path / "list.xlsx", [[1, "王芳", "130534198001010021", "意外", "", "房屋倒塌", "", ""]])
    result = run(path, units["school"])
    assert result.errors and "须由登录的帮扶干部" in result.errors[0].message
    assert not Household.objects.exists()


def test_the_import_page_imports_or_names_the_bad_rows(tmp_path, units, bangfu, xiaozu, client_for):
    good = sheet(tmp_path / "good.xlsx", [[1, "王芳", "130534198001010021", "意外", "", "房屋倒塌", "", ""]])
    bad = sheet(tmp_path / "bad.xlsx", [[1, "李红", "130534198001010000", "深度困难", "大病", "患病", "", ""]])
    client = client_for(bangfu)
    with bad.open("rb") as f:
        response = client.post("/care/households/import/", {"file": f})
    assert "第 3 行" in response.content.decode() and "身份证号码" in response.content.decode()
    assert not Household.objects.exists()
    with good.open("rb") as f:
        response = client.post("/care/households/import/", {"file": f})
    assert response.status_code == 302 and Household.objects.get().name == "王芳"
    assert client_for(xiaozu).get("/care/households/import/").status_code == 404


def test_an_income_that_is_not_an_amount_of_yuan_is_named_on_its_row(tmp_path, units, bangfu):
    rows = [
        [n, name, id_number, "深度困难", "大病", "患病", income, ""]
        for n, (name, id_number, income) in enumerate(
            [
                ("李红", "130534198001010021", "NaN"),
                ("王芳", "130534198001010048", "1e999"),
                ("赵强", "130534198001010013", "-5"),
                ("孙丽", "130534198001010064", "123456789"),
                ("周敏", "130534198001010080", "12.345"),
            ],
            start=1,
        )
    ]
    result = run(sheet(tmp_path / "incomes.xlsx", rows), units["school"], user=bangfu)
    assert [(e.row, e.column) for e in result.errors] == [(n, "家庭月收入(元)") for n in range(3, 8)]
    said = [e.message for e in result.errors]
    assert "“NaN”不是金额" in said[0] and "“1e999”太大" in said[1] and "不能为负数" in said[2]
    assert "太大" in said[3] and "两位小数" in said[4]
    assert not result.written and not Household.objects.exists()


def test_a_file_dated_after_today_is_named_on_its_row(tmp_path, units, bangfu):
    path = sheet(
        tmp_path / "ahead.xlsx", [[1, "王芳", "130534198001010021", "意外", "", "房屋倒塌", "", "2099年1月1日"]]
    )
    result = run(path, units["school"], user=bangfu)
    assert [(e.row, e.column) for e in result.errors] == [(3, "建档时间")]
    assert "建档日期晚于今天（2027年3月1日）" in result.errors[0].message and not Household.objects.exists()


def test_a_file_dated_before_1990_is_named_on_its_row(tmp_path, units, bangfu):
    # 1900-01-01 is what a blank date cell becomes when a sheet is saved by some programs.
    path = sheet(tmp_path / "old.xlsx", [[1, "王芳", "130534198001010021", "意外", "", "房屋倒塌", "", "1900-01-01"]])
    result = run(path, units["school"], user=bangfu)
    assert [(e.row, e.column) for e in result.errors] == [(3, "建档时间")]
    assert "早于1990年1月1日" in result.errors[0].message and not Household.objects.exists()


def test_a_family_with_a_file_in_another_union_is_named_not_unchanged_and_the_answer_logged(
    tmp_path, units, bangfu, zhuxi
):
    """The office union keeps 王芳's file: the school's sheet listing her is told she is filed elsewhere (not
    "unchanged": the school has no such file), and the office's access log says who asked."""
    from care import services
    from core.models import AccessLog

    services.household_create(
        unit=units["office"], by=zhuxi, name="王芳", id_number="130534198001010021", level="deep",
        categories=["illness"], situation="患病", today=TODAY,
    )  # fmt: skip
    path = sheet(tmp_path / "list.xlsx", [[1, "王芳", "130534198001010021", "深度困难", "大病", "患病", "", ""]])
    result = run(path, units["school"], user=bangfu, dry_run=True)  # the preview the page shows first
    assert result.created == 0 and result.unchanged == 0
    assert "此户已在其他单位建有困难档案" in result.errors[0].message
    logged = AccessLog.objects.get(user=bangfu)
    assert (logged.unit, logged.fields) == (units["office"], "身份证号（建档查重）")
    # The import itself fails on that row and writes nothing, but what the row told bangfu stays logged.
    assert not run(path, units["school"], user=bangfu).written
    assert AccessLog.objects.filter(user=bangfu, unit=units["office"]).count() == 2


def test_the_page_refuses_a_list_longer_than_it_imports_in_one_request(
    tmp_path, units, bangfu, client_for, monkeypatch
):
    """8,000 households ran past the app server's timeout into a bare error page; now the page says so first."""
    importer = sheets.importer_for("care.households")
    monkeypatch.setattr(type(importer), "page_max_rows", 2)
    rows = [[n, f"户主{n}", f"13053419800101{n:03d}X", "意外", "", "房屋倒塌", "", ""] for n in range(1, 4)]
    with sheet(tmp_path / "long.xlsx", rows).open("rb") as f:
        page = client_for(bangfu).post("/care/households/import/", {"file": f}).content.decode()
    assert "这个表格有约 3 行，超过了在页面上一次可以导入的 2 行" in page
    assert not Household.objects.exists()


def test_a_header_only_list_says_there_are_no_rows_not_that_it_imported_none(tmp_path, units, bangfu, client_for):
    with sheet(tmp_path / "empty.xlsx", []).open("rb") as f:
        response = client_for(bangfu).post("/care/households/import/", {"file": f})
    assert response.status_code == 200 and "表格中只有表头，没有困难职工的数据行" in response.content.decode()


def test_a_missing_column_is_put_right_in_the_header_as_the_page_maps_none(tmp_path, units, bangfu):
    book = Workbook()
    book.active.append(["姓名", "困难类型", "致困原因"])
    book.active.append(["王芳", "意外", "房屋倒塌"])
    book.save(tmp_path / "no-id.xlsx")
    with pytest.raises(sheets.ImportFileError) as refused:
        run(tmp_path / "no-id.xlsx", units["school"], user=bangfu)
    assert "请把表头改成页面上列出的列名" in str(refused.value) and "下方" not in str(refused.value)
