"""The insurance enrollment list, the sheet machine's second client: it has no reader of its own."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from care import importers  # noqa: F401  (registers the importer, as care.apps does)
from care.models import InsuranceEnrollment, InsuranceProduct
from core import sheets

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 3, 1)


@pytest.fixture
def product(units):
    return InsuranceProduct.objects.create(
        unit=units["county"], name="女职工安康互助保险", premium=Decimal("30"), women_only=True, max_age=60
    )


def sheet(path, rows, *, title="2027年女职工安康互助保险参保名单"):
    book = Workbook()
    book.active.title = "填表说明"
    book.active.append(["填表说明：每人一行。"])
    data = book.create_sheet("参保名单")
    data.append([title])
    data.append(["序号", "被保险人姓名", "身份证号码", "参保险种", "联系电话"])
    for row in rows:
        data.append(row)
    data.append([f"合计：{len(rows)}人"])
    data.append(["填表人：", None, "审核人：", None, "制表日期：2027年3月1日"])
    book.save(path)
    return path


def run(path, unit, **options):
    importer = sheets.importer_for("care.insurance_enrollment")
    return sheets.run_import(importer, path, unit=unit, context={"today": TODAY}, **options)


def test_an_enrollment_list_enrolls_the_women_it_names_at_the_products_premium(tmp_path, units, add_member, product):
    li, wang = add_member("李红"), add_member("王　芳", unit="g2")
    path = sheet(
        tmp_path / "list.xlsx",
        [[1, "李红", li.id_number, "女职工安康互助保险"], [2, "王芳", wang.id_number, "女职工安康互助保险"]],
    )
    result = run(path, units["school"])
    assert (result.sheet, result.created, result.errors) == ("参保名单", 2, [])
    enrollments = InsuranceEnrollment.objects.order_by("member__name")
    assert [(e.member.name, e.year, e.premium, e.enrolled_on) for e in enrollments] == [
        ("李红", 2027, Decimal("30.00"), TODAY),
        ("王　芳", 2027, Decimal("30.00"), TODAY),  # as the roster has it; the sheet wrote 王芳
    ]
    assert run(path, units["school"]).unchanged == 2


def test_people_not_on_the_roster_misnamed_or_not_qualifying_are_row_errors(tmp_path, units, add_member, product):
    li, man = add_member("李红"), add_member("张伟", gender="M")
    stranger = add_member("外单位", unit=units["office"])
    rows = [
        [1, "李红", li.id_number, "女职工安康互助保险"],
        [2, "张伟", man.id_number, "女职工安康互助保险"],
        [3, "李洪", li.id_number, "女职工安康互助保险"],
        [4, "外单位", stranger.id_number, "女职工安康互助保险"],
        [5, "李红", li.id_number, "意外险"],
    ]
    result = run(sheet(tmp_path / "list.xlsx", rows), units["school"])
    assert [(e.row, e.column) for e in result.errors] == [
        (4, "身份证号码"),
        (5, "被保险人姓名"),
        (6, "身份证号码"),
        (7, "参保险种"),
    ]
    assert "不符合" in result.errors[0].message and "名册中没有" in result.errors[2].message
    assert not result.written and not InsuranceEnrollment.objects.exists()


def test_the_same_person_twice_is_an_error_on_the_second_row(tmp_path, units, add_member, product):
    li = add_member("李红")
    rows = [[1, "李红", li.id_number, "女职工安康互助保险"], [2, "李红", li.id_number, "女职工安康互助保险"]]
    result = run(sheet(tmp_path / "list.xlsx", rows), units["school"], skip_errors=True)
    assert [(e.row, e.message) for e in result.errors] == [(4, "此人在第3行已列入同一险种。")]
    assert InsuranceEnrollment.objects.count() == 1


def test_the_generic_import_command_reads_it(tmp_path, units, add_member, product):
    li = add_member("李红")
    path = sheet(tmp_path / "list.xlsx", [[1, "李红", li.id_number, "女职工安康互助保险", "2027"]])
    out = io.StringIO()
    call_command("import_sheet", "care.insurance_enrollment", str(path), "--unit", "demo-school", "--json", stdout=out)
    assert json.loads(out.getvalue())["created"] == 1


# --- the page: the care officer uploads the list the county handed out


def test_the_care_officer_imports_the_list_on_a_page_and_sees_who_was_enrolled(
    tmp_path, units, add_member, product, bangfu, client_for
):
    li, wang = add_member("李红"), add_member("王芳", unit="g2")
    client = client_for(bangfu)
    page = client.get("/care/insurance/import/").content.decode()
    assert "导入参保名单" in page and "女职工安康互助保险" in page  # the county's product, named for the 险种 column
    rows = [[1, "李红", li.id_number, "女职工安康互助保险"], [2, "王芳", wang.id_number, "女职工安康互助保险"]]
    with sheet(tmp_path / "list.xlsx", rows).open("rb") as upload:
        response = client.post("/care/insurance/import/", {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == "/care/insurance/"
    assert "新参保 2 人，此前已参保 0 人" in response.content.decode()
    assert sorted(InsuranceEnrollment.objects.values_list("member__name", flat=True)) == ["李红", "王芳"]


def test_a_wrong_row_is_named_by_row_and_column_on_the_page_and_nothing_is_enrolled(
    tmp_path, units, add_member, product, bangfu, client_for
):
    li, man = add_member("李红"), add_member("张伟", gender="M")
    rows = [[1, "李红", li.id_number, "女职工安康互助保险"], [2, "张伟", man.id_number, "女职工安康互助保险"]]
    with sheet(tmp_path / "list.xlsx", rows).open("rb") as upload:
        response = client_for(bangfu).post("/care/insurance/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "有 1 处错误，未导入" in page
    assert "第 4 行 · 身份证号码 · 不符合“女职工安康互助保险”的参保条件" in page
    assert not InsuranceEnrollment.objects.exists()


def test_a_list_with_only_its_header_or_an_unreadable_file_is_refused_on_the_file_field(
    tmp_path, units, product, bangfu, client_for
):
    client = client_for(bangfu)
    with sheet(tmp_path / "empty.xlsx", []).open("rb") as upload:
        page = client.post("/care/insurance/import/", {"file": upload}).content.decode()
    assert "表格中只有表头，没有参保人员的数据行。" in page
    broken = tmp_path / "list.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    with broken.open("rb") as upload:
        page = client.post("/care/insurance/import/", {"file": upload}).content.decode()
    assert "无法读取这个表格文件：它不是有效的 .xlsx 文件" in page and 'id="id_file_error"' in page
    assert not InsuranceEnrollment.objects.exists()


def test_the_blank_template_has_the_columns_the_import_reads(units, bangfu, client_for, tmp_path):
    response = client_for(bangfu).get("/care/insurance/import/template/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    cells = {v for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True) for v in row}
    assert {"姓名*", "身份证号*", "险种*", "年度"} <= cells


def test_only_those_who_keep_the_care_files_may_import(units, zhuxi, xiaozu, huiyuan, client_for):
    assert client_for(zhuxi).get("/care/insurance/import/").status_code == 200
    for persona in (xiaozu, huiyuan):
        client = client_for(persona)
        assert client.get("/care/insurance/import/").status_code == 404
        assert client.get("/care/insurance/import/template/").status_code == 404
