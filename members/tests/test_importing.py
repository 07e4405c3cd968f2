"""Each import rule, with sheets built the way officers' sheets look (members/tests/sheets.py)."""

import datetime

import pytest
from openpyxl import Workbook

from members.importing import ImportFileError, roster_import
from members.models import Member, id_number_index
from members.tests.sheets import HEADERS, id_for, xlsx

ZHANG = id_for(1985, 3, 2, "M", seed=1)
LI = id_for(1990, 1, 2, "F", seed=2)
WANG = id_for(1978, 11, 30, "F", seed=3)


def row(name="张伟", gender="男", number=ZHANG, phone="13812345678", unit="", joined="2010-09-01", note=""):
    return [1, name, gender, number, phone, unit, joined, note]


def run(tmp_path, rows, units, **options):
    options.setdefault("unit", units["school"])
    return roster_import(xlsx(tmp_path / "roster.xlsx", rows), **options)


def messages(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def test_header_is_found_under_a_merged_title_and_rows_keep_excel_numbers(tmp_path, units):
    result = run(tmp_path, [row(), row(name="", number=LI, gender="女")], units, dry_run=True)
    assert result.header_row == 2
    assert messages(result) == [(4, "姓名", "姓名为空。")]


def test_columns_are_mapped_by_synonyms(tmp_path, units):
    headers = ["名字", "证件号码", "联系电话", "入会日期", "性别"]
    path = xlsx(tmp_path / "s.xlsx", [["李娜", LI, "13900001111", "2015年3月1日", "女"]], headers=headers, title="")
    result = roster_import(path, unit=units["school"])
    member = Member.objects.get()
    assert result.created == 1 and result.header_row == 1
    assert (member.name, member.phone, member.joined_on) == ("李娜", "13900001111", datetime.date(2015, 3, 1))


def test_the_officer_can_fix_the_mapping(tmp_path, units):
    path = xlsx(tmp_path / "s.xlsx", [["李娜", LI, "x"]], headers=["姓名", "号码", "备注"], title="")
    with pytest.raises(ImportFileError, match="身份证号"):
        roster_import(path, unit=units["school"])
    result = roster_import(path, unit=units["school"], mapping={0: "name", 1: "id_number"})
    assert result.created == 1 and Member.objects.get().note == ""


def test_a_sheet_without_a_header_says_so(tmp_path, units):
    path = xlsx(tmp_path / "s.xlsx", [["张伟"], ["李娜"]], headers=["名单"], title="")
    with pytest.raises(ImportFileError, match="表头"):
        roster_import(path, unit=units["school"])


def test_unknown_headers_are_offered_for_mapping(tmp_path, units):
    path = xlsx(tmp_path / "s.xlsx", [["张伟", ZHANG]], headers=["人员", "号码"], title="")
    with pytest.raises(ImportFileError, match="没有找到“姓名”“身份证号”列") as raised:
        roster_import(path, unit=units["school"])
    assert raised.value.result.headers == ["人员", "号码"]


def test_what_excel_does_to_data_is_undone(tmp_path, units):
    run(
        tmp_path,
        [row(name="张　伟", number="'" + ZHANG.lower(), phone="１３８ １２３４ ５６７８", joined=40179.0)],
        units,
    )
    member = Member.objects.get()
    assert member.name == "张伟" and member.id_number == ZHANG
    assert member.phone == "13812345678"
    assert member.joined_on == datetime.date(2010, 1, 1)  # Excel serial 40179


@pytest.mark.parametrize(
    "joined", ["1985-03-02", "1985/3/2", "1985.3.2", "1985年3月2日", "19850302", 19850302, datetime.date(1985, 3, 2)]
)
def test_dates_in_every_usual_notation(tmp_path, units, joined):
    run(tmp_path, [row(number=id_for(1960, 1, 1, "M"), joined=joined)], units)
    assert Member.objects.get().joined_on == datetime.date(1985, 3, 2)


def test_an_id_number_stored_as_a_number_is_a_row_error_never_a_wrong_id(tmp_path, units):
    result = run(tmp_path, [row(number=int(ZHANG[:15] + "000"))], units)
    assert not Member.objects.exists()
    ((number, column, message),) = messages(result)
    assert (number, column) == (3, "身份证号码") and "数字" in message


def test_bad_check_digit_missing_name_unknown_unit_and_duplicates_are_row_errors(tmp_path, units):
    bad = ZHANG[:17] + ("0" if ZHANG[17] != "0" else "1")
    result = run(
        tmp_path,
        [
            row(number=bad),
            row(name="", number=id_for(1970, 5, 5, "F", seed=9), gender="女"),
            row(name="王芳", number=WANG, gender="女", unit="火星工会"),
            row(name="李娜", number=LI, gender="女"),
            row(name="李娜二", number=LI, gender="女"),
        ],
        units,
        dry_run=True,
    )
    assert messages(result) == [
        (3, "身份证号码", "身份证号校验位不正确，请核对是否有数字录错。"),
        (4, "姓名", "姓名为空。"),
        (5, "所在单位", "找不到单位“火星工会”，请填写本单位或下级单位的名称或编码。"),
        (7, "身份证号码", "身份证号与第6行重复。"),
    ]
    assert (result.created, result.failed) == (1, 4)


def test_a_join_date_after_today_is_a_row_error(tmp_path, units):
    from django.utils import timezone

    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    result = run(
        tmp_path,
        [row(joined=f"{today:%Y-%m-%d}"), row(name="李娜", number=LI, gender="女", joined=f"{tomorrow:%Y.%m.%d}")],
        units,
    )
    assert messages(result) == [(4, "入会时间", f"入会时间晚于今天（{today.year}年{today.month}月{today.day}日）。")]
    assert not Member.objects.exists()


def test_a_birth_date_to_come_or_before_1900_is_a_row_error_naming_its_column(tmp_path, units):
    from django.utils import timezone

    today = timezone.localdate()
    headers = ["姓名", "身份证号码", "出生年月"]
    rows = [
        ["张伟", ZHANG, "1985-03-02"],
        ["李娜", LI, f"{today.year + 1}年1月"],
        ["王芳", WANG, "1878.11.30"],
    ]
    result = roster_import(xlsx(tmp_path / "s.xlsx", rows, headers=headers), unit=units["school"])
    assert messages(result) == [
        (4, "出生年月", f"出生日期不能晚于今天（{today.year}年{today.month}月{today.day}日）。"),
        (5, "出生年月", "出生日期不能早于1900年1月1日。"),
    ]
    assert not Member.objects.exists()


def test_gender_and_birth_date_are_cross_checked_with_the_id_number(tmp_path, units):
    result = run(tmp_path, [row(gender="女")], units, dry_run=True)
    assert messages(result) == [(3, "性别", "性别与身份证号不一致（身份证号为男）。")]


def test_units_by_name_short_name_beginning_or_code(tmp_path, units):
    run(
        tmp_path,
        [row(unit="东关完小"), row(name="李娜", number=LI, gender="女", unit="demo-school-g2")],
        units,
    )
    assert dict(Member.objects.values_list("name", "unit__code")) == {
        "张伟": "demo-school-g1",
        "李娜": "demo-school-g2",
    }


def test_a_unit_outside_the_importing_subtree_is_unknown(tmp_path, units):
    result = run(tmp_path, [row(unit="demo-school-g1")], units, unit=units["g2"], dry_run=True)
    assert "找不到单位" in result.errors[0].message


def test_existing_members_are_matched_by_id_number_and_updated(tmp_path, units, zhuxi):
    run(tmp_path, [row(), row(name="李娜", number=LI, gender="女")], units, user=zhuxi)
    result = run(
        tmp_path,
        [
            row(phone="13999999999"),
            row(name="李娜", number=LI.lower(), gender="女"),
            row(name="王芳", number=WANG, gender="女"),
        ],
        units,
        user=zhuxi,
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    zhang = Member.objects.get(name="张伟")
    assert zhang.phone == "13999999999" and zhang.phone_last4 == "9999"
    latest = zhang.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == ("~", zhuxi, "import")
    assert latest.phone == "13999999999"
    created = Member.objects.get(name="王芳").history.get()
    assert (created.history_type, created.history_user, created.id_number) == ("+", zhuxi, WANG)


def test_matching_by_id_number_leaves_the_planner_as_it_found_it(tmp_path, units):
    """On PostgreSQL the match turns sequential scans off for its own query only: neither the rest of the
    import's transaction nor the connection afterwards plans without them."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    run(tmp_path, [row()], units)
    with transaction.atomic():
        result = run(tmp_path, [row(phone="13999999999"), row(name="李娜", number=LI, gender="女")], units)
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"
    assert (result.created, result.updated) == (1, 1)


def test_a_member_of_another_union_is_not_taken_over(tmp_path, units):
    Member.objects.create(unit=units["office"], name="张伟", gender="M", id_number=ZHANG)
    result = run(tmp_path, [row()], units)
    assert "转会" in result.errors[0].message
    assert Member.objects.get().unit == units["office"]


def test_nothing_is_written_when_a_row_fails(tmp_path, units):
    result = run(tmp_path, [row(), row(name="", number=LI)], units)
    assert not result.written and not Member.objects.exists()


def test_skip_errors_writes_the_good_rows(tmp_path, units):
    result = run(tmp_path, [row(), row(name="", number=LI)], units, skip_errors=True)
    assert result.written and list(Member.objects.values_list("name", flat=True)) == ["张伟"]


def test_a_failure_half_way_writes_nothing(tmp_path, units, monkeypatch):
    from members import importing

    monkeypatch.setattr(importing, "BATCH", 2)
    calls = []
    original = importing._insert_members

    def fail_on_second_batch(rows, **kwargs):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(rows, **kwargs)

    monkeypatch.setattr(importing, "_insert_members", fail_on_second_batch)
    with pytest.raises(RuntimeError):
        run(
            tmp_path,
            [row(), row(name="李娜", number=LI, gender="女"), row(name="王芳", number=WANG, gender="女")],
            units,
        )
    assert calls == [2, 1]
    assert not Member.objects.exists() and not Member.history.exists()


def test_dry_run_writes_nothing_and_counts_everything(tmp_path, units):
    result = run(tmp_path, [row(), row(name="李娜", number=LI, gender="女")], units, dry_run=True)
    assert (result.created, result.written) == (2, False) and not Member.objects.exists()


def test_failed_rows_keep_their_cells_as_text_for_the_download(tmp_path, units):
    result = run(tmp_path, [row(number=int(ZHANG[:15] + "000"))], units)
    ((number, cells),) = result.failed_rows
    assert number == 3 and cells[3] == ZHANG[:15] + "000" and cells[1] == "张伟"


def test_csv_in_gb18030_as_excel_saves_it_on_chinese_windows(tmp_path, units):
    path = tmp_path / "roster.csv"
    path.write_bytes(("姓名,身份证号,手机\n张伟," + ZHANG + ",13812345678\n").encode("gb18030"))
    result = roster_import(path, unit=units["school"])
    assert result.created == 1 and Member.objects.get().name == "张伟"


def test_xls_and_other_formats_are_read_or_refused_clearly(tmp_path, units):
    path = tmp_path / "roster.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(ImportFileError, match="不支持"):
        roster_import(path, unit=units["school"])
    broken = tmp_path / "roster.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ImportFileError, match="无法读取"):
        roster_import(broken, unit=units["school"])


def test_blank_rows_are_skipped(tmp_path, units):
    result = run(tmp_path, [row(), [None] * len(HEADERS), row(name="李娜", number=LI, gender="女")], units)
    assert result.created == 2 and not result.errors


def test_choices_by_their_chinese_labels(tmp_path, units):
    path = xlsx(
        tmp_path / "s.xlsx",
        [["张伟", ZHANG, "党员", "本科", "教师", "是"], ["李娜", LI, "群众", "博士", "校长", "否"]],
        headers=["姓名", "身份证号", "政治面貌", "学历", "人员类别", "农民工"],
        title="",
    )
    result = roster_import(path, unit=units["school"], dry_run=True)
    assert messages(result) == [
        (
            3,
            "人员类别",
            "“校长”不是可选的人员类别（可填：教师、职工、干部、其他、专任教师、教职工、工人、管理人员、行政）。",
        )
    ]


def test_a_workbook_with_several_sheets_reads_the_first(tmp_path, units):
    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号"])
    workbook.active.append(["张伟", ZHANG])
    workbook.create_sheet("说明").append(["填表说明"])
    workbook.save(tmp_path / "two.xlsx")
    assert roster_import(tmp_path / "two.xlsx", unit=units["school"]).created == 1


def test_a_large_sheet_cleaned_by_worker_processes_gives_the_same_result(tmp_path, units, zhuxi, monkeypatch):
    from core.sheets import running
    from members import importing

    rows = [
        row(),
        row(name="李娜", number=LI, gender="女", phone=""),
        row(name="王芳", number=WANG, gender="男"),  # fails: the ID number says a woman
        row(name="李娜二", number=LI, gender="女"),  # fails: the same ID number as row 4
        [None] * 8,  # a blank line, and a total line: passed over by the workers too
        row(name="赵敏", number=id_for(1970, 5, 5, "F", seed=9), gender="女", unit="西街完小"),
        ["合计：5人", None, None, None, None, None, None, None],
    ]
    monkeypatch.setattr(importing, "BATCH", 2)
    monkeypatch.setattr(running, "PARALLEL_MIN_ROWS", 0)  # the workers run (forked) for this small sheet
    parallel = run(tmp_path, rows, units, user=zhuxi, skip_errors=True)
    monkeypatch.setattr(running, "PARALLEL_MIN_ROWS", 10**9)
    again = run(tmp_path, rows, units, user=zhuxi, dry_run=True)

    assert messages(parallel) == [
        (5, "性别", "性别与身份证号不一致（身份证号为女）。"),
        (6, "身份证号码", "身份证号与第4行重复。"),
    ]
    assert (parallel.created, parallel.failed, parallel.written) == (3, 2, True)
    assert [number for number, _cells in parallel.failed_rows] == [5, 6]
    assert parallel.failed_rows[0][1][1:4] == ["王芳", "男", WANG]  # each failed row keeps its own cells
    assert (again.unchanged, again.failed) == (3, 2)  # written as a one-process import reads them back
    li = Member.objects.get(name="李娜")
    assert (li.id_number, li.phone, li.gender, li.id_number_index) == (LI, "", "F", id_number_index(LI))
    zhao = Member.objects.get(name="赵敏")
    assert (zhao.unit, zhao.name_pinyin, zhao.phone_last4) == (units["g2"], "zhao min", "5678")
    assert zhao.history.get().phone == "13812345678"


def test_the_words_a_sheet_may_use_are_chinese_whatever_language_loads_them():
    """The module reads its choices' labels once; a worker whose first request came from the English
    pages would otherwise refuse every “男” and “女” until restarted. Reloaded in a process of its own."""
    import os
    import subprocess
    import sys

    script = (
        "import django, importlib\n"
        "django.setup()\n"
        "from django.utils import translation\n"
        "translation.activate('en')\n"
        "from members import importing\n"
        "importlib.reload(importing)\n"
        "print(importing.GENDER_WORDS['男'], importing.POLITICAL_WORDS['群众'])\n"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="gonghui.settings", DEBUG="true")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.split() == ["M", "masses"], done.stderr


def test_a_unit_merged_down_several_members_is_the_unit_of_each(tmp_path, units):
    """所在单位 merged over three rows: Excel keeps the value in the first cell only; the two below were
    read as blank and put in the importing unit, with no word in the preview."""
    from openpyxl import load_workbook

    path = xlsx(
        tmp_path / "merged.xlsx",
        [
            row(unit="西街完小工会小组"),
            row(name="李娜", gender="女", number=LI),
            row(name="王芳", gender="女", number=WANG, note="调入"),
        ],
    )
    workbook = load_workbook(path)
    workbook.active.merge_cells("F3:F5")  # 所在单位 of the three members
    workbook.active.merge_cells("H5:H5")  # a one-cell "merge" changes nothing
    workbook.save(path)
    result = roster_import(path, unit=units["school"])
    assert result.created == 3 and not result.errors
    assert set(Member.objects.values_list("unit__code", flat=True)) == {"demo-school-g2"}


def test_a_remark_merged_across_columns_is_not_copied_into_them(tmp_path, units):
    from openpyxl import load_workbook

    path = xlsx(tmp_path / "wide.xlsx", [row(), row(name="李娜", gender="女", number=LI)])
    workbook = load_workbook(path)
    workbook.active.merge_cells("G3:H4")  # 入会时间 and 备注 of both rows, one value
    workbook.save(path)
    result = roster_import(path, unit=units["school"])
    assert result.created == 2 and not result.errors
    assert sorted(Member.objects.values_list("note", flat=True)) == ["", ""]
    assert set(Member.objects.values_list("joined_on", flat=True)) == {datetime.date(2010, 9, 1)}
