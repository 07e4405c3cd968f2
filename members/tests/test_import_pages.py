import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from members import importing
from members.models import ImportJob, Member
from members.tests.sheets import id_for, xlsx
from members.tests.test_import_workbooks import workbook

ZHANG = id_for(1985, 3, 2, "M", seed=1)
LI = id_for(1990, 1, 2, "F", seed=2)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, path):
    with open(path, "rb") as handle:
        return client.post(
            reverse("members:import"), {"file": SimpleUploadedFile(path.name, handle.read())}, follow=True
        )


def sheet(tmp_path, rows):
    return xlsx(tmp_path / "花名册.xlsx", rows)


GOOD = [1, "张伟", "男", ZHANG, "13812345678", "", "2010-09-01", ""]
BAD = [2, "李娜", "女", int(LI[:15] + "000"), "", "", "", ""]


def test_upload_shows_the_preview_without_writing(client_for, zhuxi, tmp_path):
    response = upload(client_for(zhuxi), sheet(tmp_path, [GOOD, BAD]))
    job = ImportJob.objects.get()
    html = response.content.decode()
    assert job.state == ImportJob.State.CHECKED
    assert (job.result["created"], job.result["failed"]) == (1, 1)
    assert "第 4 行" in html and "身份证号码" in html and "数字" in html
    assert not Member.objects.exists()


def test_failed_rows_download_with_an_error_column(client_for, zhuxi, tmp_path):
    client = client_for(zhuxi)
    upload(client, sheet(tmp_path, [GOOD, BAD]))
    response = client.get(reverse("members:import_failed_rows", args=[ImportJob.objects.get().pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][-1] == "错误说明" and rows[0][1] == "姓名"
    assert rows[1][1] == "李娜" and rows[1][3] == LI[:15] + "000"
    assert "数字" in rows[1][-1]
    assert len(rows) == 2


def test_import_all_refuses_while_rows_fail_and_skip_errors_imports_the_rest(client_for, zhuxi, tmp_path):
    client = client_for(zhuxi)
    upload(client, sheet(tmp_path, [GOOD, BAD]))
    job = ImportJob.objects.get()
    client.post(reverse("members:import_run", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and not Member.objects.exists()

    upload(client, sheet(tmp_path, [GOOD, BAD]))
    job = ImportJob.objects.latest("pk")
    response = client.post(reverse("members:import_run", args=[job.pk]), {"skip_errors": "1"}, follow=True)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert list(Member.objects.values_list("name", flat=True)) == ["张伟"]
    assert Member.objects.get().history.get().history_user == zhuxi
    assert "导入完成" in response.content.decode()


def test_the_officer_fixes_the_column_mapping_in_the_page(client_for, zhuxi, tmp_path):
    path = xlsx(tmp_path / "s.xlsx", [["张伟", ZHANG]], headers=["人员姓名", "号码"], title="")
    client = client_for(zhuxi)
    response = upload(client, path)
    job = ImportJob.objects.get()
    assert "没有找到" in job.message and 'data-testid="mapping"' in response.content.decode()
    client.post(reverse("members:import_mapping", args=[job.pk]), {"col0": "name", "col1": "id_number"})
    job.refresh_from_db()
    assert job.message == "" and job.result["created"] == 1
    client.post(reverse("members:import_run", args=[job.pk]))
    assert Member.objects.get().name == "张伟"


def test_a_mapping_naming_one_field_twice_is_refused(client_for, zhuxi, tmp_path):
    path = xlsx(tmp_path / "s.xlsx", [["张伟", ZHANG]], headers=["人员姓名", "号码"], title="")
    client = client_for(zhuxi)
    upload(client, path)
    job = ImportJob.objects.get()
    response = client.post(
        reverse("members:import_mapping", args=[job.pk]), {"col0": "name", "col1": "name"}, follow=True
    )
    assert "对应了多列" in response.content.decode()


def test_large_sheets_run_in_the_background_with_progress(client_for, zhuxi, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "INLINE_MAX_BYTES", 0)  # every sheet is "large"
    monkeypatch.setattr(importing, "BATCH", 1)
    client = client_for(zhuxi)
    upload(client, sheet(tmp_path, [GOOD, [3, "李娜", "女", LI, "", "", "", ""]]))
    job = ImportJob.objects.get()
    # The immediate task backend of the tests ran it at once; the progress file says where it got.
    assert job.state == ImportJob.State.CHECKED
    assert importing.read_progress(job) == (4, 4)
    client.post(reverse("members:import_run", args=[job.pk]))
    assert Member.objects.count() == 2
    finished = client.get(reverse("members:import_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert finished.status_code == 204 and finished["HX-Refresh"] == "true"


def test_the_progress_bar_polls_while_running(client_for, zhuxi, tmp_path, units):
    job = ImportJob.objects.create(
        unit=units["school"],
        created_by=zhuxi,
        file=SimpleUploadedFile("a.xlsx", b"x"),
        original_name="a.xlsx",
        state=ImportJob.State.IMPORTING,
    )
    importing._progress_writer(job)(500, 2000)
    response = client_for(zhuxi).get(reverse("members:import_progress", args=[job.pk]))
    html = response.content.decode()
    assert 'hx-trigger="every 1s"' in html and "25%" in html
    page = client_for(zhuxi).get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert 'data-testid="import-progress"' in page


def test_only_officers_who_may_import_see_the_jobs(client_for, zhuxi, xiaozu, xianzong, tmp_path):
    upload(client_for(zhuxi), sheet(tmp_path, [GOOD]))
    job = ImportJob.objects.get()
    for user in (xiaozu, xianzong):
        assert client_for(user).get(reverse("members:import_job", args=[job.pk])).status_code == 404
        assert client_for(user).get(reverse("members:import")).status_code == 404


def test_an_unsupported_file_is_a_form_error(client_for, zhuxi):
    response = client_for(zhuxi).post(reverse("members:import"), {"file": SimpleUploadedFile("roster.pdf", b"%PDF")})
    assert ".xlsx" in response.context["form"].errors["file"][0]
    assert not ImportJob.objects.exists()


def test_failed_rows_go_back_only_to_the_uploader_or_roles_that_may_see_id_numbers(
    client_for, weiyuan, zhuxi, tmp_path
):
    from core.models import AccessLog

    upload(client_for(weiyuan), sheet(tmp_path, [GOOD, BAD]))
    job = ImportJob.objects.get()
    assert client_for(weiyuan).get(reverse("members:import_failed_rows", args=[job.pk])).status_code == 200
    assert not AccessLog.objects.exists()
    assert client_for(zhuxi).get(reverse("members:import_failed_rows", args=[job.pk])).status_code == 200
    assert AccessLog.objects.get().user == zhuxi


def test_a_committee_member_cannot_download_a_colleagues_failed_rows(client_for, zhuxi, weiyuan, tmp_path):
    upload(client_for(zhuxi), sheet(tmp_path, [GOOD, BAD]))
    job = ImportJob.objects.get()
    assert client_for(weiyuan).get(reverse("members:import_failed_rows", args=[job.pk])).status_code == 404


def test_a_roster_exported_from_the_english_pages_comes_back_unchanged(client_for, zhuxi, make_member, tmp_path):
    """Export, correct in Excel, import again: the chair's weekly round trip, on the English pages too,
    where the sheet says "Male", "Teacher", "Party member", "Bachelor's degree" and "No"."""
    from core.testing import in_english

    make_member("张伟", "g1", political_status="party_member", education="bachelor")
    make_member("李娜", "g2", gender="F", category="worker", political_status="masses", is_retiree=True)
    client = in_english(client_for(zhuxi))
    exported = tmp_path / "roster.xlsx"
    exported.write_bytes(client.get(reverse("members:export") + "?confirm=1").content)
    assert "Male" in [c for row in load_workbook(exported).active.iter_rows(values_only=True) for c in row]
    upload(client, exported)
    result = ImportJob.objects.get().result
    assert result["failed"] == 0, result.get("errors")
    assert result["unchanged"] == 2


def test_a_template_taken_from_the_english_pages_imports_from_the_chinese_ones(client_for, zhuxi, tmp_path):
    """A county officer on the English pages hands out the blank roster; a school fills it in (Chinese
    values) and its chair imports it from the Chinese pages."""
    from django.conf import settings
    from openpyxl import Workbook

    from core.testing import in_english

    blank = load_workbook(io.BytesIO(in_english(client_for(zhuxi)).get(reverse("members:import_template")).content))
    headers = next(row for row in blank.active.iter_rows(values_only=True) if row[0] != "Member roster")
    assert headers[:3] == ("No.", "Name*", "ID number*")
    filled = Workbook()
    filled.active.append(headers)
    filled.active.append([1, "张伟", ZHANG, "男"])
    path = tmp_path / "filled.xlsx"
    filled.save(path)
    chinese = client_for(zhuxi)
    chinese.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"  # the same test client, switched back
    upload(chinese, path)
    result = ImportJob.objects.get().result
    assert (result["created"], result["failed"]) == (1, 0), result.get("errors")


def test_failed_rows_of_a_workbook_of_group_sheets_go_back_to_their_groups(client_for, zhuxi, tmp_path, units):
    """One sheet per group, and only the second has an error: the file to fix names the group (所在单位),
    the row's number in the upload and the error; fixed and imported again, the member lands in her group."""
    header = ["序号", "姓名", "性别", "身份证号码", "入会时间"]
    path = workbook(
        tmp_path / "分组花名册.xlsx",
        [
            ("东关完小", [header, [1, "张伟", "男", ZHANG, "2010-09-01"]]),
            ("西街完小", [header, [1, "李娜", "女", LI, "2026-5-32"]]),
        ],
    )
    client = client_for(zhuxi)
    upload(client, path)
    job = ImportJob.objects.get()
    download = client.get(reverse("members:import_failed_rows", args=[job.pk])).content
    rows = list(load_workbook(io.BytesIO(download)).active.iter_rows(values_only=True))
    assert rows[0] == ("所在单位", *header, "原行号", "错误说明")
    assert rows[1][:3] == ("西街完小", "1", "李娜") and rows[1][-2] == 2
    assert rows[1][-1].startswith("入会时间：")

    fixed = load_workbook(io.BytesIO(download))
    fixed.active.cell(row=2, column=6, value="2016-05-30")
    fixed.save(tmp_path / "改正.xlsx")
    upload(client, tmp_path / "改正.xlsx")
    again = ImportJob.objects.latest("pk")
    assert (again.result["created"], again.result["failed"]) == (1, 0)
    client.post(reverse("members:import_run", args=[again.pk]))
    assert Member.objects.get(name="李娜").unit == units["g2"]


def test_a_sheet_with_a_header_and_no_rows_says_so_and_offers_to_upload_again(client_for, zhuxi, tmp_path):
    response = upload(client_for(zhuxi), sheet(tmp_path, []))
    html = response.content.decode()
    assert "第 2 行是表头，下面没有会员的行" in html and 'data-testid="upload-again"' in html
    assert 'data-testid="import-all"' not in html
    assert ImportJob.objects.get().state == ImportJob.State.CHECKED


def test_stopping_an_import_under_way_asks_first(client_for, zhuxi, units):
    """A click on 取消 beside the progress bar throws away every row imported so far (nothing is written):
    the chair is asked before it happens, as 取消这次导入 asks after the check."""
    job = ImportJob.objects.create(
        unit=units["school"],
        created_by=zhuxi,
        file=SimpleUploadedFile("a.xlsx", b"x"),
        original_name="a.xlsx",
        state=ImportJob.State.IMPORTING,
    )
    importing._progress_writer(job)(1500, 2000)
    html = client_for(zhuxi).get(reverse("members:import_progress", args=[job.pk])).content.decode()
    cancel = re.search(r'<button[^>]*data-testid="cancel"[^>]*>', html).group(0)
    assert 'data-confirm="停止这次导入吗？' in cancel
