import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Member, Status
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


@pytest.fixture
def school_roster(make_member):
    """The school's members, each found by a different filter of the roster page; 男, born 1985 and
    教师 (the model's default category) unless said otherwise."""
    make_member("张伟", "g1")
    make_member("李娜", "g2", gender="F", birth_date=datetime.date(1995, 6, 1), category="worker")
    make_member("王强", "g1", birth_date=datetime.date(1960, 5, 1), status=Status.RETIRED, is_retiree=True, phone="")
    make_member("刘洋", "g2", category="cadre", is_migrant_worker=True, id_number="")
    make_member("赵强", "school", status=Status.LEFT)


def exported_names(tmp_path, *options):
    out = tmp_path / "roster.csv"
    call_command("export_members", "--unit", "demo-school", "--out", str(out), *options, stdout=io.StringIO())
    return [row[0] for row in list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[1:]]


def roster_page_names(client, options):
    query = dict(zip(options[::2], options[1::2], strict=True))
    response = client.get(reverse("members:list"), {key.removeprefix("--"): value for key, value in query.items()})
    return [member.name for member in response.context["page"]]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], ["李娜", "刘洋", "王强", "张伟"]),
        (["--status", "all"], ["李娜", "刘洋", "王强", "张伟", "赵强"]),
        (["--status", "left"], ["赵强"]),
        (["--status", "retired"], ["王强"]),
        (["--gender", "F"], ["李娜"]),
        (["--age", "u35"], ["李娜"]),
        (["--age", "o55"], ["王强"]),
        (["--category", "cadre"], ["刘洋"]),
        (["--flag", "migrant"], ["刘洋"]),
        (["--flag", "retiree"], ["王强"]),
        (["--flag", "women"], ["李娜"]),
        (["--flag", "no_id_number"], ["刘洋"]),
        (["--flag", "no_phone"], ["王强"]),
        (["--status", "all", "--gender", "M", "--age", "36_45"], ["刘洋", "张伟", "赵强"]),
        (["--status", "all", "--gender", "M", "--age", "36_45", "--category", "teacher"], ["张伟", "赵强"]),
        (["--category", "teacher", "--flag", "no_phone"], ["王强"]),
        (["--category", "worker", "--flag", "no_phone"], []),
    ],
)
def test_the_export_command_filters_as_the_roster_page_does(
    units, school_roster, tmp_path, client_for, zhuxi, options, expected
):
    """The chair who filters the school's roster on the page and the office exporting it with the same
    names and values get the same members."""
    assert roster_page_names(client_for(zhuxi), options) == expected
    assert exported_names(tmp_path, *options) == expected


def test_all_is_still_every_status_and_a_clear_filtered_export_is_logged(units, school_roster, tmp_path, zhuxi):
    from core.models import AccessLog

    assert exported_names(tmp_path, "--all") == exported_names(tmp_path, "--status", "all")
    assert exported_names(tmp_path, "--all", "--status", "all", "--flag", "women") == ["李娜"]
    assert exported_names(tmp_path, "--flag", "no_phone", "--unmasked", "--by", "zhuxi") == ["王强"]
    assert AccessLog.objects.get().user == zhuxi


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--status", "gone"], "--status 'gone': use one of all, active, "),
        (["--gender", "女"], "--gender '女': use one of M, F"),
        (["--age", "30"], "--age '30': use one of u35, 36_45, 46_55, o55"),
        (["--category", "teachers"], "--category 'teachers': use one of teacher, worker, cadre, other"),
        (["--flag", "phone"], "--flag 'phone': use one of migrant, retiree, women, no_id_number, no_phone"),
        (["--all", "--status", "left"], "--all means --status all"),
    ],
)
def test_a_filter_the_page_would_ignore_is_refused_naming_the_option_and_its_values(
    units, school_roster, tmp_path, options, said
):
    """The page drops a value it does not know and shows everyone; a command writing a file for an office
    says so instead, and writes nothing."""
    out = tmp_path / "roster.csv"
    with pytest.raises(CommandError) as refused:
        call_command("export_members", "--unit", "demo-school", "--out", str(out), *options, stdout=io.StringIO())
    assert said in str(refused.value) and not out.exists()
