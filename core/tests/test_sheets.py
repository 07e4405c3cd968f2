"""The sheet import machine, proved with a toy client: a dues list (姓名, 手机, 金额, 缴费月份, 小组).

Workbooks are built here the way officers send them: an instructions sheet first, one sheet per
group, title blocks, grouped two-row headers, total and signature lines.
"""

import datetime
import io
import os
import zipfile
from decimal import Decimal, InvalidOperation

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from core import cleaning, sheets
from core.sheets import output
from core.sheets.reading import open_book

pytestmark = pytest.mark.django_db  # the commit's transaction, though the toy writes no rows

# --- the toy client


def clean_amount(value):
    text = cleaning.clean_text(value).removeprefix("¥").replace(",", "")
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        raise cleaning.CellError(f"“{text}”不是金额。") from None


class DuesSession(sheets.Session):
    written: list = []  # what the toy's "service" wrote, across sessions of one test

    def check(self, row):
        amount = row.values.get("amount")
        if amount is not None and amount <= 0:
            row.fail("amount", "金额应大于0。")

    def write(self, rows, *, write):
        for row in rows:
            if not row.errors:
                row.outcome = "created"
                if write:
                    DuesSession.written.append(row.values)


class DuesImporter(sheets.Importer):
    key = "toy.dues"
    label = "会费缴纳名单"
    columns = [
        sheets.Column("name", "姓名", ("姓名", "会员姓名"), True, cleaning.clean_name),
        sheets.Column("phone", "手机", ("手机", "手机号", "联系电话"), False, cleaning.clean_phone),
        sheets.Column("landline", "座机", ("座机", "办公电话"), False, cleaning.clean_phone),
        sheets.Column("amount", "金额", ("金额", "缴费金额", "会费"), True, clean_amount),
        sheets.Column("month", "缴费月份", ("缴费月份", "月份"), False, cleaning.parse_date_or_month),
        sheets.Column("group", "小组", ("小组", "工会小组"), False, cleaning.clean_text),
    ]
    group_column = "group"
    session_class = DuesSession
    batch_size = 2


DUES = DuesImporter()


@pytest.fixture(autouse=True)
def empty_ledger():
    DuesSession.written = []
    yield


def run(path, **options):
    return sheets.run_import(DUES, path, unit=None, **options)


def book(path, sheets_rows):
    """A workbook with one sheet per (name, rows) pair; rows may hold merged ranges as ("merge", range)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets_rows:
        sheet = workbook.create_sheet(name)
        for row in rows:
            if row and row[0] == "merge":
                sheet.merge_cells(row[1])
            else:
                sheet.append(list(row))
    workbook.save(path)
    return path


INSTRUCTIONS = ("填表说明", [["填表说明"], ["1. 每人一行，姓名必填。", "金额以元为单位"], ["2. 手机号填11位。"]])
HEADER = ["序号", "姓名", "手机", "金额", "缴费月份"]


def messages(result):
    return [(e.sheet, e.row, e.column, e.message) for e in result.errors]


# --- workbooks as they come


def test_an_instructions_sheet_first_is_passed_over_and_the_preview_names_the_sheet_read(tmp_path):
    path = book(tmp_path / "dues.xlsx", [INSTRUCTIONS, ("会费", [HEADER, [1, "王芳", "13800138123", 24, "2027年3月"]])])
    result = run(path, dry_run=True)
    assert (result.sheets, result.sheet, result.header_row) == (["填表说明", "会费"], "会费", 1)
    assert (result.created, result.errors) == (1, [])


def test_the_officer_may_choose_another_sheet(tmp_path):
    path = book(
        tmp_path / "dues.xlsx",
        [
            ("上半年", [HEADER, [1, "王芳", "", 24, ""]]),
            ("下半年", [HEADER, [1, "李娜", "", 30, ""], [2, "张伟", "", 30, ""]]),
        ],
    )
    assert run(path, dry_run=True, sheet="上半年").created == 1
    result = run(path, dry_run=True, sheet="下半年")
    assert (result.sheet, result.created) == ("下半年", 2)
    with pytest.raises(sheets.ImportFileError, match="没有名为“全年”的工作表"):
        run(path, sheet="全年")


def test_one_sheet_per_group_imports_every_sheet_with_the_group_from_its_name(tmp_path):
    path = book(
        tmp_path / "dues.xlsx",
        [
            INSTRUCTIONS,
            ("东关完小", [["东关完小会费缴纳表"], HEADER, [1, "王芳", "", 24, ""], [2, "李娜", "", 24, ""]]),
            ("西街完小", [HEADER, [1, "张伟", "", 0, ""]]),
        ],
    )
    result = run(path)
    assert result.group_sheets == ["东关完小", "西街完小"]
    assert not result.written  # all or nothing: one row failed, so the transaction was rolled back
    assert messages(result) == [("西街完小", 2, "金额", "金额应大于0。")]
    assert result.as_json()["errors"][0]["sheet"] == "西街完小"
    DuesSession.written = []
    result = run(path, skip_errors=True)
    assert result.written and [(v["name"], v["group"]) for v in DuesSession.written] == [
        ("王芳", "东关完小"),
        ("李娜", "东关完小"),
    ]


def test_a_group_column_wins_over_the_sheet_names(tmp_path):
    header = [*HEADER, "小组"]
    path = book(
        tmp_path / "dues.xlsx",
        [("一", [header, [1, "王芳", "", 24, "", "东关"]]), ("二", [header, [1, "李娜", "", 24, "", "西街"]])],
    )
    run(path)
    assert [v["group"] for v in DuesSession.written] == ["东关"]  # the first sheet with a header, by itself


def test_a_title_block_and_a_grouped_two_row_header(tmp_path):
    path = book(
        tmp_path / "dues.xlsx",
        [
            (
                "Sheet1",
                [
                    ["清河县实验小学2027年度会费缴纳明细表"],
                    ("merge", "A1:F1"),
                    ["填报单位：实验小学工会", None, None, None, "单位：元"],
                    ["序号", "姓名", "联系方式", None, "缴费情况", None],
                    ("merge", "C3:D3"),
                    ("merge", "E3:F3"),
                    [None, None, "手机", "座机", "金额", "月份"],
                    [1, "王芳", "+86 138 0013 8123", "(0571) 8888-6666", "24.00", "2027.03"],
                ],
            )
        ],
    )
    result = run(path)
    assert (result.header_row, result.headers) == (3, ["序号", "姓名", "手机", "座机", "金额", "月份"])
    (values,) = DuesSession.written
    assert values["phone"] == "13800138123" and values["landline"] == "0571-88886666"
    assert values["amount"] == Decimal("24.00") and values["month"] == (datetime.date(2027, 3, 1), True)


@pytest.mark.parametrize(
    "footer",
    [
        ["合计：9人", None, None, 216],
        [None, "合  计", None, 216],
        ["小计", None, None, 48],
        ["填表人：王芳", None, "审核人：李娜", None, "制表日期：2027年3月5日"],
        ["制表日期：2027-03-05"],
        ["单位（盖章）"],
        ["注：金额以元为单位。"],
    ],
)
def test_totals_and_signature_lines_are_skipped_never_errors(tmp_path, footer):
    rows = [HEADER, [1, "王芳", "", 24, ""], [2, "李娜", "", 24, ""], [], footer]
    result = run(book(tmp_path / "dues.xlsx", [("会费", rows)]), dry_run=True)
    assert (result.created, result.errors) == (2, [])


def test_empty_trailing_columns_rows_and_a_numbered_blank_template_are_ignored(tmp_path):
    rows = [[*HEADER, None, None, ""], [1, "王芳", "", 24, "", None, None], [2], [3], [None, "", "  "]]
    result = run(book(tmp_path / "dues.xlsx", [("会费", rows)]), dry_run=True)
    assert result.headers == HEADER and (result.created, result.errors) == (1, [])


def test_row_errors_name_the_row_and_the_column_as_the_sheet_heads_it(tmp_path):
    rows = [["会费表"], HEADER, [1, "", "12345", "二十", ""], [2, "李娜", "", 30, "明年"]]
    result = run(book(tmp_path / "dues.xlsx", [("会费", rows)]), dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, "姓名"), (3, "手机"), (3, "金额"), (4, "缴费月份")]
    assert result.errors[0].message == "姓名为空。"
    assert result.failed_rows == [(3, ["1", "", "12345", "二十", ""]), (4, ["2", "李娜", "", "30", "明年"])]


def test_missing_required_columns_are_offered_for_mapping(tmp_path):
    path = book(tmp_path / "dues.xlsx", [("会费", [["姓名", "手机", "钱"], ["王芳", "", 24]])])
    with pytest.raises(sheets.ImportFileError, match="没有找到“金额”列") as raised:
        run(path)
    assert raised.value.result.headers == ["姓名", "手机", "钱"]
    assert run(path, mapping={0: "name", 2: "amount"}).created == 1


def test_a_workbook_without_any_header_says_so(tmp_path):
    path = book(tmp_path / "dues.xlsx", [INSTRUCTIONS[:1] + ([["只有一列"]],)])
    with pytest.raises(sheets.ImportFileError, match="没有找到表头"):
        run(path)


def test_csv_reads_like_a_sheet(tmp_path):
    path = tmp_path / "dues.csv"
    path.write_bytes("序号,姓名,金额\n1,王芳,24\n合计：1人,,24\n".encode("gb18030"))
    result = run(path)
    assert (result.sheet, result.created, result.errors) == ("dues", 1, [])


# --- files that must not be read


def test_a_tiny_sheet_claiming_a_far_cell_is_refused_before_it_is_read(tmp_path):
    workbook = Workbook()
    workbook.active["A1"] = "姓名"
    workbook.active["XFD1048576"] = 1
    path = tmp_path / "far.xlsx"
    workbook.save(path)
    assert path.stat().st_size < 10_000
    with pytest.raises(sheets.ImportFileError) as raised:
        run(path)
    assert "1048576 行 × 16384 列" in str(raised.value) and "Sheet" in str(raised.value)


SHEET_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>'
)


def inline(text):
    """A cell as XML, without the reference (r="B2") office programs write: allowed, and placed by
    calamine after the cell before it."""
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def with_sheet_xml(tmp_path, name, xml):
    """A workbook whose one sheet is ``xml`` as it is."""
    path = book(tmp_path / name, [("会费", [HEADER])])
    with zipfile.ZipFile(path) as source:
        parts = {member: source.read(member) for member in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = SHEET_XML.format(xml).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member, data in parts.items():
            target.writestr(member, data)
    return path


def test_cells_without_references_cannot_hide_a_grid_of_billions_of_cells(tmp_path):
    # 16,384 cells in a row and 20,000 rows below: a grid of 330 million cells (10 GB) in a file of a few kB,
    # which the scan of references did not see (no cell names its place) and calamine then tried to allocate.
    wide = "<row>" + inline("x") * 16384 + "</row>" + "<row><c><v>1</v></c></row>" * 20000
    path = with_sheet_xml(tmp_path, "wide.xlsx", wide)
    assert path.stat().st_size < 20_000
    with pytest.raises(sheets.ImportFileError, match="文件太大或太复杂"):
        run(path)


def test_the_refused_grid_leaves_one_line_in_the_log_not_a_rust_backtrace(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("RUST_BACKTRACE", "1")  # as this machine and many deployments set it
    wide = "<row>" + inline("x") * 16384 + "</row>" + "<row><c><v>1</v></c></row>" * 20000
    with pytest.raises(sheets.ImportFileError, match="文件太大或太复杂"):
        run(with_sheet_xml(tmp_path, "wide.xlsx", wide))
    logged = capfd.readouterr().err
    assert "memory allocation" in logged and "stack backtrace" not in logged


def test_cells_without_references_count_against_the_bounds_as_calamine_places_them(tmp_path):
    path = with_sheet_xml(tmp_path, "300.xlsx", "<row>" + inline("姓名") * 300 + "</row>")
    with pytest.raises(sheets.ImportFileError) as raised:
        run(path)
    assert "1 行 × 300 列" in str(raised.value)


def test_a_sheet_whose_cells_carry_no_references_is_measured_and_read(tmp_path):
    rows = [HEADER, [1, "王芳", "13800138123", 24, "2027年3月"]]
    path = with_sheet_xml(tmp_path, "plain.xlsx", "".join("<row>" + "".join(map(inline, r)) + "</row>" for r in rows))
    result = run(path, dry_run=True)
    assert (result.sheet, result.created, result.errors) == ("会费", 1, [])


def test_a_cell_of_the_longest_text_across_pieces_of_the_scan_keeps_the_quick_measure(tmp_path, monkeypatch):
    # Written as openpyxl writes inline text (&#29579; for 王, 8 bytes a character), a full cell is 262 kB
    # of XML: cut by the end of a piece, it is carried into the next, and must not pass for a runaway tag.
    from openpyxl import Workbook as Book

    from core.sheets import reading

    workbook = Book(write_only=True)
    sheet = workbook.create_sheet("会费")
    sheet.append(HEADER)
    sheet.append([1, "王" * 32_767, "13800138123", 24, "2027年3月"])
    path = tmp_path / "long.xlsx"
    workbook.save(path)
    monkeypatch.setattr(reading, "_PIECE", 1000)

    def not_measured(_path):
        raise AssertionError("measured in a child: the scan gave up on a sheet it can read")

    monkeypatch.setattr(reading, "_measured", not_measured)
    assert reading._xlsx_extents(path) == [("会费", 2, 5)]


def test_a_zip_bomb_is_refused_unread(tmp_path):
    path = book(tmp_path / "bomb.xlsx", [("会费", [HEADER, [1, "王芳", "", 24, ""]])])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(sheets.ImportFileError, match="压缩"):
        run(path)


def test_bounds_are_settings(tmp_path, settings):
    settings.SHEETS_MAX_ROWS = 3
    rows = [HEADER] + [[n, "王芳", "", 24, ""] for n in range(5)]
    with pytest.raises(sheets.ImportFileError, match="6 行"):
        run(book(tmp_path / "dues.xlsx", [("会费", rows)]))


def test_csv_is_bounded_in_columns_and_cell_length(tmp_path, settings):
    settings.SHEETS_MAX_COLUMNS = 5
    wide = tmp_path / "wide.csv"
    wide.write_text("姓名,金额\n" + ",".join(["x"] * 6) + "\n", encoding="utf-8")
    with pytest.raises(sheets.ImportFileError, match="6 列"):
        run(wide)
    settings.SHEETS_MAX_CELL_CHARS = 100
    long = tmp_path / "long.csv"
    long.write_text("姓名,金额\n" + "王" * 200 + ",1\n", encoding="utf-8")
    with pytest.raises(sheets.ImportFileError, match="超长"):
        run(long)


def test_hidden_sheets_are_listed_with_the_rest_and_named_hidden(tmp_path):
    """A reader that shows the officer only what Excel shows (the plan import) leaves them out; the
    import machine itself reads every sheet as before."""
    workbook = Workbook()
    workbook.active.title = "会费"
    workbook.create_sheet("草稿").sheet_state = "hidden"
    workbook.create_sheet("代码表").sheet_state = "veryHidden"
    workbook.create_sheet("二组")
    workbook.save(tmp_path / "dues.xlsx")
    opened = open_book(tmp_path / "dues.xlsx")
    assert opened.names == ["会费", "草稿", "代码表", "二组"]
    assert opened.hidden == {"草稿", "代码表"}
    assert opened.visible == ["会费", "二组"]
    (tmp_path / "dues.csv").write_text("姓名,金额\n王芳,24\n", encoding="utf-8")
    plain = open_book(tmp_path / "dues.csv")
    assert (plain.visible, plain.hidden) == (["dues"], frozenset())


def test_an_unsupported_or_broken_file_is_refused_clearly(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(sheets.ImportFileError, match="不支持"):
        open_book(tmp_path / "a.pdf")
    (tmp_path / "a.xlsx").write_bytes(b"not a zip")
    with pytest.raises(sheets.ImportFileError, match="无法读取"):
        open_book(tmp_path / "a.xlsx")


# --- what goes back


def test_the_failed_rows_come_back_as_a_sheet_with_their_row_numbers_and_errors(tmp_path):
    path = book(tmp_path / "dues.xlsx", [("会费", [HEADER, [1, "王芳", "", 24, ""], [2, "", "", 0, ""]])])
    result = run(path, dry_run=True)
    error = {"sheet": "", "row": 2, "column": "Name", "message": "Empty."}
    content = output.failed_rows_xlsx(
        headers=result.headers,
        failed_rows=result.failed_rows,
        errors=[e.as_dict() for e in result.errors],
    )
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0] == (*HEADER, "原行号", "错误说明")
    # The row's number in the upload, which the errors of other rows name ("与第3行重复"), and its errors
    # in one sentence.
    assert rows[1][:4] == ("2", None, None, "0") and rows[1][-2:] == (3, "姓名：姓名为空；金额：金额应大于0。")
    with translation.override("en"):
        content = output.failed_rows_xlsx(headers=["Name"], failed_rows=[(2, ["x"])], errors=[error, error])
    english = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))[1][-1]
    assert english == "Name: Empty; Name: Empty."


def test_the_blank_template_has_the_columns_with_the_required_ones_marked(tmp_path):
    content = output.template_xlsx(DUES)
    path = tmp_path / "template.xlsx"
    path.write_bytes(content)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == ("会费缴纳名单",) + (None,) * 6
    assert rows[1] == ("序号", "姓名*", "手机", "座机", "金额*", "缴费月份", "小组")
    # The template reads back as an empty sheet of the same importer.
    assert run(path, dry_run=True).total == 0


def test_importers_register_by_key():
    sheets.register(DUES)
    assert sheets.importer_for("toy.dues") is DUES and DUES in sheets.registered()


# --- any sheet of names and phones, typed any way


names = st.sampled_from(["王芳", "王　芳", "阿依古丽·买买提", "阿依古丽•买买提", "Anna Smith", "欧阳修"])
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(names, mobiles, st.integers(min_value=1, max_value=500)), min_size=1, max_size=8))
def test_any_rows_of_good_data_import_in_full_and_clean(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("h") / "dues.xlsx"
    book(
        path,
        [("会费", [HEADER] + [[n, name, f"+86 {phone}", amount, ""] for n, (name, phone, amount) in enumerate(rows)])],
    )
    result = run(path, dry_run=True)
    assert (result.created, result.errors) == (len(rows), [])
    assert result.rows_in_file == len(rows) + 1


def test_xls_and_ods_are_measured_in_a_child_process_under_limits(tmp_path, settings):
    from core.limits import run_limited
    from core.sheets import reading

    path = book(tmp_path / "dues.xlsx", [INSTRUCTIONS, ("会费", [HEADER, [1, "王芳", "", 24, ""]])])
    extents = run_limited(reading._measure, str(path), seconds=60, memory_mb=512)
    assert extents == [("填表说明", 3, 2), ("会费", 2, 5)]
    settings.SHEETS_MAX_COLUMNS = 4
    with pytest.raises(sheets.ImportFileError, match="“会费”的范围有 2 行 × 5 列"):
        reading._check_dimensions(extents)


titles = st.lists(st.sampled_from(["会费缴纳明细表", "填报单位：实验小学", "单位：元", "", "2027年度"]), max_size=5)
footers = st.lists(st.sampled_from(["合计：2人", "小计", "填表人：王芳", "审核人：李娜", "制表日期：2027年3月5日", ""]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles, footers)
def test_the_header_is_found_under_any_title_block_and_no_footer_is_an_error(tmp_path_factory, above, below):
    rows = [[t] for t in above] + [HEADER, [1, "王芳", "", 24, ""], [2, "李娜", "", 30, ""]] + [[f] for f in below]
    path = book(tmp_path_factory.mktemp("h") / "dues.xlsx", [("会费", rows)])
    result = run(path, dry_run=True)
    assert result.header_row == len(above) + 1
    assert (result.created, result.errors) == (2, [])


def test_a_row_comes_back_from_a_worker_with_every_field():
    """Rows cross from the worker processes pickled field by field: none may be left behind."""
    import dataclasses
    import pickle

    from core.sheets.importer import Row

    row = Row("东关完小", 7, ["张伟"], {"name": "张伟"}, [("phone", "手机号有误。")], "created", 2, {"id_index": "ab"})
    assert all(getattr(row, f.name) != f.default for f in dataclasses.fields(Row))  # none left at its default
    assert pickle.loads(pickle.dumps(row)) == row


class NicenessSession(DuesSession):
    def write(self, rows, *, write):
        for row in rows:
            row.outcome = "created"
            DuesSession.written.append(row.prepared["niceness"])


class NicenessImporter(DuesImporter):
    """The toy, noting in each row the scheduling priority of the process that prepared it."""

    key = "toy.dues-niceness"
    session_class = NicenessSession

    def prepare(self, rows, *, writing):
        for row in rows:
            row.prepared["niceness"] = os.nice(0)


def test_a_large_sheets_workers_give_way_to_the_process_that_writes(tmp_path, monkeypatch):
    from core.sheets import running

    monkeypatch.setattr(running, "PARALLEL_MIN_ROWS", 0)  # the workers run (forked) for this small sheet
    path = book(tmp_path / "dues.xlsx", [("会费", [HEADER] + [[n, f"会员{n}", "", 24, ""] for n in range(1, 7)])])
    result = sheets.run_import(NicenessImporter(), path, unit=None)
    assert result.created == 6
    assert DuesSession.written == [min(os.nice(0) + running.WORKER_NICENESS, 19)] * 6


def shared_strings_book(path, sst_start, *, part="sharedStrings.xml", prolog=b"", rows=(), strings=()):
    """A workbook whose cells are shared strings, the table's start tag as given: two rows (a header, a
    member) or ``rows`` of string indexes after the header, the table ending with ``strings``."""
    xml = b'<?xml version="1.0" encoding="UTF-8"?>'
    main = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    relations = b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    kind = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    cells = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{"AB"[c]}{r}" t="s"><v>{v}</v></c>' for c, v in enumerate(indexes))
        + "</row>"
        for r, indexes in enumerate([(0, 1), *(rows or [(2, 3)])], start=1)
    ).encode()
    strings = "".join(f"<si><t>{text}</t></si>" for text in ("姓名", "金额", "王芳", "24", *strings)).encode()
    parts = {
        "[Content_Types].xml": xml
        + b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        + b'<Default Extension="xml" ContentType="application/xml"/>'
        + b'<Override PartName="/xl/workbook.xml" '
        + b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": xml
        + b"<Relationships "
        + relations
        + b'><Relationship Id="rId1" Type="'
        + kind
        + b'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": xml
        + b"<workbook "
        + main
        + b' xmlns:r="'
        + kind[:-1]
        + '"><sheets><sheet name="会费" sheetId="1" r:id="rId1"/></sheets></workbook>'.encode(),
        "xl/_rels/workbook.xml.rels": xml
        + b"<Relationships "
        + relations
        + b'><Relationship Id="rId1" Type="'
        + kind
        + b'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="'
        + kind
        + b'sharedStrings" Target="'
        + part.encode()
        + b'"/></Relationships>',
        "xl/worksheets/sheet1.xml": xml + b"<worksheet " + main + b"><sheetData>" + cells + b"</sheetData></worksheet>",
        f"xl/{part}": prolog + xml + sst_start.replace(b"<sst", b"<sst " + main) + strings + b"</sst>",
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_shared_strings_table_declaring_two_billion_entries_is_refused_before_calamine_opens_it(
    tmp_path, monkeypatch
):
    """A 2 KB file whose table said uniqueCount="2147483647" made calamine reserve 51 GB and abort
    the web worker that opened it (and the task worker, for a larger copy)."""
    from core.sheets import reading

    honest = shared_strings_book(tmp_path / "honest.xlsx", b'<sst count="4" uniqueCount="4">')
    assert [row[:2] for _number, row in reading.open_book(honest).sheet("会费").rows][1] == ["王芳", "24"]

    def never(path):
        raise AssertionError("calamine opened a hostile file")

    monkeypatch.setattr(reading, "_calamine_book", never)
    for name, start, options in (
        ("huge.xlsx", b'<sst count="2147483647" uniqueCount="2147483647">', {}),
        ("unique.xlsx", b"<sst uniqueCount='2147483647'>", {}),
        ("renamed.xlsx", b'<sst uniqueCount="2147483647">', {"part": "strings.xml"}),
        ("bom.xlsx", b'<sst uniqueCount="2147483647">', {"prolog": b"\xef\xbb\xbf"}),
    ):
        path = shared_strings_book(tmp_path / name, start, **options)
        with pytest.raises(sheets.ImportFileError, match="声明有 2147483647 项"):
            reading.open_book(path)
    hidden = shared_strings_book(
        tmp_path / "hidden.xlsx", b'<sst uniqueCount="2147483647">', prolog=b"<!--" + b" " * (2 << 20) + b"-->"
    )
    with pytest.raises(sheets.ImportFileError, match="内部结构不像正常的 Excel 文件"):
        reading.open_book(hidden)


def test_a_workbook_with_a_password_to_open_is_said_to_have_one(tmp_path):
    from pathlib import Path

    from core.sheets import reading

    sample = Path(__file__).parent / "samples" / "password-roster.xlsx"
    with pytest.raises(sheets.ImportFileError, match="设置了打开密码"):
        reading.open_book(sample)
    copy = tmp_path / "renamed.xls"  # the same file named as the old format it is built like
    copy.write_bytes(sample.read_bytes())
    with pytest.raises(sheets.ImportFileError):
        reading.open_book(copy)


def test_a_broken_old_format_workbook_is_refused_with_a_message_not_a_crash(tmp_path):
    """calamine's own refusal, in the child that measures an .xls, was a ParserCrashed: a 500 on the page."""
    from core.sheets import reading

    broken = tmp_path / "花名册.xls"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    with pytest.raises(sheets.ImportFileError, match="无法读取这个表格文件"):
        reading.open_book(broken)


def test_one_long_shared_string_named_by_thousands_of_cells_is_measured_before_calamine_copies_it(
    tmp_path, monkeypatch
):
    """calamine gives every cell its own copy of the shared string it names: a 108 KB file whose 20,000
    cells named one string of 3 MB asked the web worker for 60 GB."""
    from core.sheets import reading

    text = "王" * 32_767  # the longest cell Excel allows, once in the shared-strings table
    honest = shared_strings_book(tmp_path / "honest.xlsx", b"<sst>", rows=[(2, 4)], strings=[text])
    assert [row for _number, row in reading.open_book(honest).sheet("会费").rows] == [["姓名", "金额"], ["王芳", text]]

    # 20,000 rows of two cells each naming that string (index 4, after 姓名, 金额, 王芳 and 24): 4 GB of
    # text once calamine has copied it into each cell.
    repeated = shared_strings_book(tmp_path / "repeated.xlsx", b"<sst>", rows=[(4, 4)] * 20_000, strings=[text])
    assert repeated.stat().st_size < 200_000

    def never(path):
        raise AssertionError("calamine opened a file whose cells add up to gigabytes")

    monkeypatch.setattr(reading, "_calamine_book", never)
    with pytest.raises(sheets.ImportFileError, match="文件太大或太复杂"):
        reading.open_book(repeated)


def test_merged_ranges_a_crafted_file_piles_on_the_same_cells_cost_one_range_a_column():
    """20,000 ranges over the same cells of a 56 KB file made each of its 5,000 rows look at all of them
    (half a minute, growing with both); a range right of the header widened every row it covered to
    column XFD. A cell is in one range at most, as Excel keeps it: the first range of a column holds
    until its end, and no column right of the header is filled."""
    from core.sheets import layout

    piled = [((2, 1), (4999, 1))] * 20_000 + [((3, 1), (10, 1))]  # B3:B5000 again and again, and B4:B11
    after = [((5000, 1), (5001, 1))]  # B5001:B5002, below the first
    header_row = [((0, 1), (1, 1))]  # B1:B2, the header's own
    far_right = [((1, 16383), (9, 16383))]  # XFD2:XFD10
    merged = piled + after + header_row + far_right
    assert layout.merged_spans(merged, after=1, columns=5) == [(3, 5000, 1), (5001, 5002, 1)]

    rows = [(1, ["序号", "姓名"]), (2, [1, "王芳"]), (3, [2, ""]), (4, [3, None])]
    filled = layout.fill_merged(iter(rows), [((1, 1), (3, 1)), ((1, 16383), (3, 16383))], after=1, columns=2)
    assert list(filled) == [(1, ["序号", "姓名"]), (2, [1, "王芳"]), (3, [2, "王芳"]), (4, [3, "王芳"])]


def test_a_sheet_of_more_merged_ranges_than_the_bound_is_refused_before_they_are_read(tmp_path, settings):
    """Each merged range becomes Python objects as the sheet is read: 3,000,000 ranges of a 14 MB file
    took 850 MB of the web worker. Counted in the scan, or where calamine measures the sheet."""
    settings.SHEETS_MAX_MERGES = 3
    rows = [HEADER, [1, "王芳", "", 24, ""], [2, "", "", 24, ""]]
    merges = [("merge", f"{column}2:{column}3") for column in "BCDE"]
    within = book(tmp_path / "within.xlsx", [("会费", rows + merges[:3])])
    assert open_book(within).sheet("会费").merged
    for path in (
        book(tmp_path / "over.xlsx", [("会费", rows + merges)]),
        with_sheet_xml(  # cells without references: measured by calamine in a child
            tmp_path,
            "measured.xlsx",
            "<row>"
            + "".join(map(inline, HEADER))
            + "</row></sheetData><mergeCells>"
            + "".join(f'<mergeCell ref="{column}2:{column}3"/>' for column in "BCDE")
            + "</mergeCells><sheetData>",
        ),
    ):
        with pytest.raises(sheets.ImportFileError, match="工作表“会费”有 4 处合并单元格，超过了可以读取的 3 处"):
            open_book(path)
    with translation.override("en"), pytest.raises(sheets.ImportFileError, match="“会费” has 4 merged cell ranges"):
        open_book(path)


def test_a_cell_of_a_million_characters_is_not_kept_whole_in_its_error_or_its_failed_row(tmp_path):
    """An .xlsx may hold a cell far past Excel's 32,767 characters; the error quoting it and the failed
    row were stored with the job whole (and the failed rows would not open in Excel)."""

    def cell(reference, text):
        return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'

    header = "".join(cell(f"{column}1", text) for column, text in zip("ABCDE", HEADER, strict=True))
    member = cell("B2", "王芳") + cell("D2", "九" * 1_000_000)  # 3 MB of XML, as no office program writes it
    path = with_sheet_xml(tmp_path, "huge.xlsx", f'<row r="1">{header}</row><row r="2">{member}</row>')
    result = run(path, dry_run=True)
    [error] = result.errors
    assert (error.row, error.column) == (2, "金额") and error.message.startswith("“九九")
    assert len(error.message) == 500 and error.message.endswith("…")
    [(number, cells)] = result.failed_rows
    assert number == 2 and cells[3] == "九" * 32_767


def test_sheets_each_within_bounds_that_add_up_past_the_workbooks_are_refused_before_they_are_read(
    tmp_path, monkeypatch
):
    """A roster with one sheet per group keeps every sheet it reads: 20 sheets of a 9 KB file, each a
    header and a cell at AN300000 (12 million cells, within a sheet's bound), asked for 8 GB."""
    from core.sheets import reading

    workbook = Workbook()
    workbook.remove(workbook.active)
    for group in range(1, 21):
        sheet = workbook.create_sheet(f"第{group}组")
        sheet.append(HEADER)
        sheet["AN300000"] = 1
    path = tmp_path / "groups.xlsx"
    workbook.save(path)
    assert path.stat().st_size < 50_000

    def never(path):
        raise AssertionError("calamine opened a workbook of gigabytes")

    monkeypatch.setattr(reading, "_calamine_book", never)
    with pytest.raises(
        sheets.ImportFileError, match="20 个工作表合计有 240000000 个单元格的范围，超过了可以读取的 24000000 个"
    ):
        open_book(path)
    with translation.override("en"), pytest.raises(sheets.ImportFileError, match="20 sheets add up to 240000000 cells"):
        open_book(path)
