"""A union's workbook on a phone: instructions first, one sheet per group, a total line; imported whole."""

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from conftest import log_in, screenshot
from members.models import Member
from members.tests.sheets import id_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HEADER = ["序号", "姓名", "性别", "身份证号码", "联系电话"]


def test_chair_imports_one_sheet_per_group_from_a_phone(phone, zhuxi, units, tmp_path):
    book = Workbook()
    book.active.title = "填表说明"
    book.active.append(["填表说明：每个小组一个工作表。"])
    for name, people in (
        ("东关完小", [[1, "张　伟", "男", id_for(1985, 3, 2, "M", seed=1), "+86 138 1234 5678"]]),
        ("西街完小", [[1, "阿依古丽•买买提", "", id_for(1990, 1, 2, "F", seed=2), "0571-88886666"]]),
    ):
        sheet = book.create_sheet(name)
        sheet.append(HEADER)
        for person in people:
            sheet.append(person)
        sheet.append([f"合计：{len(people)}人"])
        sheet.append(["填表人：", None, "审核人："])
    path = tmp_path / "各小组花名册.xlsx"
    book.save(path)

    log_in(phone, "zhuxi")
    phone.goto("/members/import/")
    phone.set_input_files("#id_file", str(path))
    phone.get_by_role("button", name="上传并检查").click()
    expect(phone.get_by_test_id("sheet-picked")).to_contain_text("东关完小")
    expect(phone.get_by_test_id("sheet-picked")).to_contain_text("西街完小")
    expect(phone.get_by_test_id("count-created")).to_have_text("2")
    expect(phone.get_by_test_id("count-failed")).to_have_text("0")
    screenshot(phone, "members-import-groups-phone")

    phone.get_by_test_id("import-all").click()
    expect(phone.get_by_test_id("job-state")).to_have_text("已导入")
    assert sorted(Member.objects.values_list("name", "unit__code", "gender", "phone")) == [
        ("张伟", "demo-school-g1", "M", "13812345678"),
        ("阿依古丽·买买提", "demo-school-g2", "F", "0571-88886666"),
    ]
