import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from members.models import Member
from members.tests.sheets import id_for, xlsx

ZHANG = id_for(1985, 3, 2, "M", seed=1)
LI = id_for(1990, 1, 2, "F", seed=2)


def import_members(*args):
    out = io.StringIO()
    try:
        call_command("import_members", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as stop:
        return stop.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def good_and_bad(tmp_path):
    return xlsx(
        tmp_path / "roster.xlsx",
        [[1, "张伟", "男", ZHANG, "", "", "", ""], [2, "", "女", LI, "", "", "", ""]],
    )


def test_json_lists_counts_and_errors_and_the_exit_status_says_it_stopped(units, good_and_bad):
    status, out = import_members(str(good_and_bad), "--unit", "demo-school", "--json")
    assert status == 1
    assert json.loads(out) == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "errors": [{"row": 4, "column": "姓名", "message": "姓名为空。"}],
    }
    assert not Member.objects.exists()


def test_skip_errors_imports_the_good_rows_and_succeeds(units, good_and_bad):
    status, _out = import_members(str(good_and_bad), "--unit", "demo-school", "--skip-errors")
    assert status == 0 and Member.objects.get().name == "张伟"


def test_dry_run_writes_nothing(units, tmp_path):
    path = xlsx(tmp_path / "ok.xlsx", [[1, "张伟", "男", ZHANG, "", "", "", ""]])
    status, out = import_members(str(path), "--unit", "demo-school", "--dry-run")
    assert status == 0 and "1 new" in out and not Member.objects.exists()


def test_unknown_unit_or_file_is_a_command_error(units, tmp_path):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("import_members", str(tmp_path / "x.xlsx"), "--unit", "nowhere")
    with pytest.raises(CommandError):
        call_command("import_members", str(tmp_path / "missing.xlsx"), "--unit", "demo-school")


def test_export_then_import_round_trips(units, make_member, tmp_path, zhuxi):
    make_member("张伟", "g1", phone="13812345678", job_title="语文教师")
    make_member("李娜", "g2", gender="F")
    out = tmp_path / "roster.xlsx"
    call_command(
        "export_members",
        "--unit",
        "demo-school",
        "--out",
        str(out),
        "--unmasked",
        "--by",
        "zhuxi",
        stdout=io.StringIO(),
    )
    sheet = load_workbook(out).active
    assert sheet.freeze_panes == "A3"
    header = [c.value for c in sheet[2]]
    assert header[:5] == ["序号", "姓名", "性别", "出生日期", "身份证号"]  # numbered, as the office prints it
    assert sheet.column_dimensions["E"].width == 22
    status, output = import_members(str(out), "--unit", "demo-school", "--json")
    assert status == 0 and json.loads(output)["unchanged"] == 2


def test_export_csv_masked(units, make_member, tmp_path):
    member = make_member("张伟", "g1")
    out = tmp_path / "roster.csv"
    call_command("export_members", "--unit", "demo-school", "--out", str(out), "--masked", stdout=io.StringIO())
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "张伟" and rows[1][3] == member.id_number_masked


def test_the_command_exports_masked_unless_an_officer_who_may_read_is_named_and_logged(
    units, make_member, tmp_path, zhuxi, xiaozu
):
    """A clear roster leaves the product for good: by command as on the page, it is for a named officer
    allowed to read ID numbers there, the read is in the unit's access log, and only the file's owner
    may open it."""
    from core.models import AccessLog

    member = make_member("张伟", "g1")
    out = tmp_path / "roster.csv"
    call_command("export_members", "--unit", "demo-school", "--out", str(out), stdout=io.StringIO())
    assert list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[1][3] == member.id_number_masked
    assert not AccessLog.objects.exists() and out.stat().st_mode & 0o777 == 0o600
    for refused in (["--unmasked"], ["--unmasked", "--by", "xiaozu"], ["--unmasked", "--by", "nobody"]):
        with pytest.raises(CommandError):
            call_command("export_members", "--unit", "demo-school", "--out", str(out), *refused)
    call_command("export_members", "--unit", "demo-school", "--out", str(out), "--unmasked", "--by", "zhuxi")
    # Written with the tab after its digits that keeps it text in Excel (members.exporting.excel_text).
    assert list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[1][3].rstrip("\t") == member.id_number
    log = AccessLog.objects.get()
    assert (log.user, log.unit, log.ip_address) == (zhuxi, units["school"], None) and "导出名册" in log.fields
