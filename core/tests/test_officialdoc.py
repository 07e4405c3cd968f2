import datetime
import io
import os
import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.officialdoc import OfficialDocument, chinese_date, heading_number, title_lines

TITLE = "城关镇中心学校工会2027年工作计划"


def build():
    doc = OfficialDocument(TITLE)
    doc.heading(1, "工作目标")
    doc.paragraph("教职工入会率保持100%。\n全年召开教代会不少于2次。")
    doc.heading(2, "加强思想引领")
    doc.heading(3, "每月集中学习")
    doc.heading(4, "学习篇目")
    doc.heading(2, "推进民主管理")
    doc.heading(1, "月度安排")
    doc.table(["月份", "工作内容"], [["3月", "三八节活动"], ["9月", "教师节表彰"]])
    doc.signature("城关镇中心学校工会", datetime.date(2027, 1, 5))
    return doc.to_bytes()


def east_asian(run):
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_page_is_a4_with_the_official_margins():
    section = Document(io.BytesIO(build())).sections[0]
    # Word stores lengths in twentieths of a point, so compare to the nearest 0.1 mm.
    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    measured += [section.left_margin, section.right_margin]
    assert [round(length.mm, 1) for length in measured] == [210, 297, 37, 35, 28, 26]


def test_title_is_xiaobiaosong_22pt_centred():
    title = Document(io.BytesIO(build())).paragraphs[0]
    assert title.text == TITLE
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert east_asian(run) == "方正小标宋简体"


def test_body_is_fangsong_16pt_indented_two_characters_on_22_lines_a_page():
    document = Document(io.BytesIO(build()))
    body = next(p for p in document.paragraphs if p.text == "教职工入会率保持100%。")
    assert body.runs[0].font.size == Pt(16)
    assert east_asian(body.runs[0]) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent == Pt(32)
    line = document.styles["Normal"].paragraph_format.line_spacing
    assert 22 * line.pt <= Mm(225).pt < 23 * line.pt
    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_headings_are_numbered_by_level_in_their_fonts():
    document = Document(io.BytesIO(build()))
    texts = [p.text for p in document.paragraphs]
    for text, font, bold in [
        ("一、工作目标", "黑体", False),
        ("（一）加强思想引领", "楷体_GB2312", False),
        ("1.每月集中学习", "仿宋_GB2312", True),
        ("（1）学习篇目", "仿宋_GB2312", False),
        ("（二）推进民主管理", "楷体_GB2312", False),
        ("二、月度安排", "黑体", False),
    ]:
        paragraph = document.paragraphs[texts.index(text)]
        assert east_asian(paragraph.runs[0]) == font, text
        assert bool(paragraph.runs[0].font.bold) == bold, text
        assert paragraph.runs[0].font.size == Pt(16)


def test_page_numbers_in_dashes_odd_right_even_left():
    document = Document(io.BytesIO(build()))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == alignment
        instructions = [t.text.strip() for t in paragraph._element.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert all(run.font.size == Pt(14) for run in paragraph.runs)


def test_signature_is_right_aligned_with_an_arabic_date():
    document = Document(io.BytesIO(build()))
    unit, date = document.paragraphs[-2:]
    assert (unit.text, date.text) == ("城关镇中心学校工会", "2027年1月5日")
    assert unit.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent == Pt(64)


def test_the_signature_stays_on_the_page_of_the_texts_last_lines():
    """A 落款 alone on the last page is a layout fault (GB/T 9704): Word keeps the table's last row, the
    blank lines and the unit's name each with what follows, down to the date."""
    document = Document(io.BytesIO(build()))
    last_row = document.tables[0].rows[-1]
    assert all(p.paragraph_format.keep_with_next for cell in last_row.cells for p in cell.paragraphs)
    first_row = document.tables[0].rows[1]
    assert not any(p.paragraph_format.keep_with_next for cell in first_row.cells for p in cell.paragraphs)
    *kept, date = document.paragraphs[-4:]
    assert [p.paragraph_format.keep_with_next for p in kept] == [True, True, True]
    assert not date.paragraph_format.keep_with_next and date.text == "2027年1月5日"


def test_the_signature_keeps_with_the_last_row_under_a_merged_month():
    """The schedule merges a month's rows into one cell: the 落款 keeps with the last row itself, not with
    the row where 12月 starts (LibreOffice then left the 落款 alone on the last page)."""
    doc = OfficialDocument(TITLE)
    rows = [["11月", "师德演讲比赛"], ["12月", "迎新年联欢会"], ["12月", "经费审查"], ["12月", "年度总结"]]
    doc.table(["月份", "工作内容"], rows, merge_first_column=True)
    doc.signature("城关镇中心学校工会", datetime.date(2027, 1, 5))
    table = Document(io.BytesIO(doc.to_bytes())).tables[0]

    def kept(row):
        return [bool(p.xpath("./w:pPr/w:keepNext")) for p in row._tr.iter(qn("w:p"))]

    assert kept(table.rows[-1]) == [True, True]
    assert not any(kept(table.rows[2]))  # where 12月 starts: the rows above it may still break


def test_after_a_paragraph_the_signature_keeps_with_it():
    doc = OfficialDocument(TITLE)
    doc.paragraph("全年召开教代会不少于2次。")
    doc.signature("城关镇中心学校工会", datetime.date(2027, 1, 5))
    document = Document(io.BytesIO(doc.to_bytes()))
    text = next(p for p in document.paragraphs if p.text == "全年召开教代会不少于2次。")
    assert text.paragraph_format.keep_with_next


def test_table_has_a_header_row_and_its_cells():
    table = Document(io.BytesIO(build())).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["月份", "工作内容"]
    assert [c.text for c in table.rows[2].cells] == ["9月", "教师节表彰"]
    assert east_asian(table.rows[1].cells[1].paragraphs[0].runs[0]) == "仿宋_GB2312"


def test_fonts_have_windows_alternatives_in_the_font_table():
    document = Document(io.BytesIO(build()))
    part = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable"))
    assert "方正小标宋简体" in part.blob.decode() and 'w:altName w:val="宋体"' in part.blob.decode()


def test_numbers_and_dates():
    assert [heading_number(1, n) for n in (1, 10, 12, 20)] == ["一、", "十、", "十二、", "二十、"]
    assert heading_number(2, 3) == "（三）"
    assert chinese_date(datetime.date(2027, 11, 30)) == "2027年11月30日"


def convert_to_pdf(data, tmp_path):
    soffice = shutil.which("soffice")
    if not soffice:
        if os.environ.get("CI"):
            pytest.fail("soffice is missing: .ci/run installs libreoffice-writer")
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "plan.docx"
    source.write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return tmp_path / "plan.pdf"


def test_libreoffice_renders_the_document_on_a4_with_its_title_and_page_number(tmp_path):
    from pypdf import PdfReader

    reader = PdfReader(convert_to_pdf(build(), tmp_path))
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
    text = re.sub(r"\s+", "", first.extract_text())
    assert TITLE in text
    assert "一、工作目标" in text
    assert "—1—" in text


def test_table_columns_take_the_given_widths():
    doc = OfficialDocument("表格")
    doc.table(["月份", "工作内容"], [["3月", "三八节活动"]], widths=[30, 126])
    table = Document(io.BytesIO(doc.to_bytes())).tables[0]
    assert [round(c.width.mm) for c in table.rows[1].cells] == [30, 126]


def test_text_pasted_with_control_characters_still_makes_a_document():
    # Word's line break comes as a vertical tab, a page break as a form feed; other programs leave bells
    # and separators. XML holds none of them: each is dropped, and a line break still breaks the line.
    doc = OfficialDocument("城关镇中心学校工会\x072027年工作计划")
    doc.heading(1, "工作\x1f目标", body="全年\x0b完成。")
    doc.paragraph("教职工入会率\x0b保持100%。\x0c全年召开教代会\x1b不少于2次。")
    doc.table(["月份", "工作\x00内容"], [["3月", "三八节\x0b活动\x08"]])
    doc.signature("城关镇中心学校\x7f工会", datetime.date(2027, 1, 5))
    document = Document(io.BytesIO(doc.to_bytes()))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts == [
        "城关镇中心学校工会2027年工作计划",
        "一、工作目标全年完成。",
        "教职工入会率",
        "保持100%。",
        "全年召开教代会不少于2次。",
        "城关镇中心学校工会",
        "2027年1月5日",
    ]
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["月份", "工作内容"]
    assert [p.text for p in table.rows[1].cells[1].paragraphs] == ["三八节", "活动"]
    assert document.core_properties.title == "城关镇中心学校工会2027年工作计划"


def test_figure_columns_are_right_aligned_and_headers_centred():
    """One rule for figures (money, counts, scores): right-aligned, so that a column's digits line up."""
    doc = OfficialDocument("表格")
    doc.table(["事由", "金额（元）"], [["慰问", "500.00"], ["运动会", "12,480.50"]], widths=[120, 36], figures=[1])
    table = Document(io.BytesIO(doc.to_bytes())).tables[0]
    assert [c.paragraphs[0].alignment for c in table.rows[0].cells] == [WD_ALIGN_PARAGRAPH.CENTER] * 2
    assert [row.cells[1].paragraphs[0].alignment for row in table.rows[1:]] == [WD_ALIGN_PARAGRAPH.RIGHT] * 2
    assert all(row.cells[0].paragraphs[0].alignment is None for row in table.rows[1:])  # text as it reads


def test_a_total_row_is_bold_with_its_label_across_the_empty_cells():
    doc = OfficialDocument("表格")
    rows = [["2026年1月9日", "慰问", "500.00"], ["合计", "", "500.00"]]
    doc.table(["日期", "事由", "金额（元）"], rows, widths=[40, 80, 36], figures=[2], total=True)
    table = Document(io.BytesIO(doc.to_bytes())).tables[0]
    last = table.rows[-1]
    cells = last._tr.tc_lst
    assert len(cells) == 2 and cells[0].grid_span == 2
    label, amount = last.cells[0], last.cells[2]
    assert [p.text for p in label.paragraphs] == ["合计"]  # one line, not the empty cell's line below it
    assert label.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert amount.text == "500.00" and amount.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert all(run.font.bold for cell in (label, amount) for run in cell.paragraphs[0].runs)
    assert not any(run.font.bold for run in table.rows[1].cells[1].paragraphs[0].runs)


def test_a_table_wider_than_the_text_block_is_refused():
    doc = OfficialDocument("表格")
    with pytest.raises(ValueError):
        doc.table(["月份", "工作内容"], [["3月", "三八节活动"]], widths=[40, 120])


def test_a_row_never_breaks_across_pages():
    table = Document(io.BytesIO(build())).tables[0]
    assert all(row._tr.trPr.xpath("./w:cantSplit") for row in table.rows[1:])


# Titles the app writes, broken as GB/T 9704 wants: at a meaning boundary, no word split, balanced.
@pytest.mark.parametrize(
    ("title", "lines"),
    [
        # finance: the audit report, issuer before 关于 (Word broke it "…委员会关 / 于2026年度…")
        (
            "清河县城关镇中心学校工会经费审查委员会关于2026年度经费收支审查的审查报告",
            ["清河县城关镇中心学校工会经费审查委员会", "关于2026年度经费收支审查的审查报告"],
        ),
        # democracy: the congress notice, the session's name broken before 第三届
        (
            "关于召开城关中心校教职工代表大会第三届第五次会议的通知",
            ["关于召开城关中心校教职工代表大会", "第三届第五次会议的通知"],
        ),
        (
            "关于城关中心校教职工代表大会第三届第五次会议提案办理情况的报告",
            ["关于城关中心校教职工代表大会", "第三届第五次会议提案办理情况的报告"],
        ),
        # assessments: a self-evaluation's title in one line, the unit before the year
        (
            "清河县城关镇中心学校工会2026年模范职工之家评选自评报告",
            ["清河县城关镇中心学校工会", "2026年模范职工之家评选自评报告"],
        ),
        # titles that fit the 20 characters stay on one line: plan, summary, assessment notice
        ("清河县城关镇中心学校工会2027年度工作计划", ["清河县城关镇中心学校工会2027年度工作计划"]),
        ("清河县城关镇中心学校工会2026年工作总结", ["清河县城关镇中心学校工会2026年工作总结"]),
        ("关于2026年模范职工之家评选结果的通报", ["关于2026年模范职工之家评选结果的通报"]),
        # titles an officer typed: after the unit; with nothing but the kind to go by, before the kind
        ("城关镇中心学校工会青年教师成长促进会工作计划", ["城关镇中心学校工会", "青年教师成长促进会工作计划"]),
        ("城关中心校青年教师读书会与成长促进会工作计划", ["城关中心校青年教师读书会与成长促进会", "工作计划"]),
    ],
)
def test_a_long_title_is_broken_at_a_meaning_boundary(title, lines):
    assert title_lines(title) == lines


def test_a_title_without_boundaries_breaks_near_the_middle_never_inside_a_number_or_alone():
    lines = title_lines("春风化雨润物无声立德树人教书育人为人师表甘为人梯2026年")
    assert "".join(lines) == "春风化雨润物无声立德树人教书育人为人师表甘为人梯2026年"
    assert len(lines) == 2 and all(len(line) > 1 for line in lines)
    assert not lines[1].startswith(("026", "26", "6"))
    assert abs(len(lines[0]) - len(lines[1])) <= 4


def test_the_title_is_one_paragraph_with_manual_line_breaks():
    title = "清河县城关镇中心学校工会经费审查委员会关于2026年度经费收支审查的审查报告"
    document = Document(io.BytesIO(OfficialDocument(title).to_bytes()))
    paragraph = document.paragraphs[0]
    assert paragraph.text == "清河县城关镇中心学校工会经费审查委员会\n关于2026年度经费收支审查的审查报告"
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(east_asian(run) == "方正小标宋简体" and run.font.size == Pt(22) for run in paragraph.runs)
    assert document.core_properties.title == title


def test_a_title_of_hundreds_of_characters_is_set_in_lines_that_each_fit():
    """A unit and a round named at their longest: every line fits the 20 characters, none is a character
    alone, and nothing is lost (the lines read back as the title)."""
    from core.officialdoc import TITLE_LINE_WIDTH, _width, title_lines

    title = "清河县城关镇中心学校工会" * 20 + "关于2026年度经费收支审查的审查报告"
    lines = title_lines(title)
    assert "".join(lines) == title
    assert all(2 <= _width(line) <= TITLE_LINE_WIDTH for line in lines)
    assert lines[-1] == "关于2026年度经费收支审查的审查报告"
