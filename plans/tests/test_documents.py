import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from core.tests.test_officialdoc import convert_to_pdf
from plans.documents import archive_zip, plan_docx, summary_docx, target_sentence
from plans.models import ItemStatus, Plan, PlanSection, ScheduleItem, Target, YearSummary


@pytest.fixture
def plan(units, zhuxi):
    plan = Plan.objects.create(
        unit=units["school"], year=2027, title="城关镇中心学校工会2027年工作计划", guiding="以服务教职工为根本。"
    )
    PlanSection.objects.create(plan=plan, order=1, level=1, heading="主要工作")
    PlanSection.objects.create(plan=plan, order=2, level=2, heading="加强思想引领", body="每月组织一次集中学习。")
    PlanSection.objects.create(plan=plan, order=3, level=2, heading="丰富文体生活", body="举办春季趣味运动会。")
    Target.objects.create(plan=plan, order=1, name="教职工入会率", measure="%", op="==", value=Decimal(100))
    Target.objects.create(plan=plan, order=2, name="全年组织文体活动不少于8次", measure="次", op=">=", value=8)
    ScheduleItem.objects.create(
        plan=plan, unit=units["school"], month=3, text="三八妇女节庆祝活动", order=1, owner="女工委员"
    )
    ScheduleItem.objects.create(
        plan=plan, unit=units["g1"], month=3, text="教代会", order=2, date=datetime.date(2027, 3, 20)
    )
    ScheduleItem.objects.create(
        plan=plan, unit=units["school"], month=9, text="庆祝教师节", order=3, status=ItemStatus.DONE
    )
    return plan


@pytest.fixture
def summary(plan):
    return YearSummary.objects.create(
        unit=plan.unit,
        year=2027,
        plan=plan,
        title="城关镇中心学校工会2027年工作总结",
        body="2027年，校工会扎实开展各项工作。\n一、计划执行情况\n（一）文体活动\n1.全年开展活动12次。参与教职工600人次。\n（1）春季运动会\n全年工作按计划完成。",
    )


def paragraphs(data):
    return Document(io.BytesIO(data)).paragraphs


def test_plan_docx_has_title_guiding_goals_numbered_sections_and_schedule_table(plan):
    document = Document(io.BytesIO(plan_docx(plan)))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == plan.title
    assert texts[1:9] == [
        "一、指导思想",
        "以服务教职工为根本。",
        "二、工作目标",
        "1. 教职工入会率：达到100%。",
        "2. 全年组织文体活动不少于8次。",
        "三、主要工作",
        "（一）加强思想引领",
        "每月组织一次集中学习。",
    ]
    assert "四、月度安排" in texts
    assert texts[-2:] == ["城关镇中心学校工会", texts[-1]]
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", texts[-1])
    table = document.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["月份", "工作内容", "负责人"]
    assert rows[1] == ["3月", "三八妇女节庆祝活动", "女工委员"]
    assert rows[2] == ["3月", "教代会（3月20日）", "东关完小工会小组"]
    assert rows[3][:2] == ["9月", "庆祝教师节"]


def test_plan_docx_puts_targets_under_the_plans_own_goals_section(plan):
    PlanSection.objects.create(plan=plan, order=0, level=1, heading="工作目标", body="")
    texts = [p.text for p in paragraphs(plan_docx(plan)) if p.text]
    assert texts.count("二、工作目标") == 1
    assert texts[texts.index("二、工作目标") + 1] == "1. 教职工入会率：达到100%。"


def test_plan_docx_headings_use_the_official_fonts(plan):
    document = Document(io.BytesIO(plan_docx(plan)))
    heading = next(p for p in document.paragraphs if p.text == "（一）加强思想引领")
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"


def test_summary_docx_turns_numbered_lines_into_headings_of_their_level(summary):
    document = Document(io.BytesIO(summary_docx(summary)))
    by_text = {p.text: p for p in document.paragraphs}
    fonts = {}
    for text in ("一、计划执行情况", "（一）文体活动", "1.全年开展活动12次。参与教职工600人次。", "（1）春季运动会"):
        run = by_text[text].runs[0]
        fonts[text] = (run._element.rPr.rFonts.get(qn("w:eastAsia")), bool(run.font.bold))
    assert fonts == {
        "一、计划执行情况": ("黑体", False),
        "（一）文体活动": ("楷体_GB2312", False),
        "1.全年开展活动12次。参与教职工600人次。": ("仿宋_GB2312", True),
        "（1）春季运动会": ("仿宋_GB2312", False),
    }
    level_three = by_text["1.全年开展活动12次。参与教职工600人次。"]
    assert [r.text for r in level_three.runs] == ["1.全年开展活动12次。", "参与教职工600人次。"]
    assert not level_three.runs[1].font.bold
    assert by_text["全年工作按计划完成。"].paragraph_format.first_line_indent is not None


def test_target_sentence_keeps_the_officers_words_when_they_hold_the_figure():
    assert (
        target_sentence(Target(name="入会率达到98%以上", measure="%", op=">=", value=Decimal("98.00")))
        == "入会率达到98%以上"
    )
    assert (
        target_sentence(Target(name="参与人次", measure="人次", op=">=", value=Decimal("600.00")))
        == "参与人次：不少于600人次"
    )
    assert target_sentence(Target(name="经费", measure="元", op="<=", value=Decimal("1.50"))) == "经费：不超过1.5元"


def test_archive_holds_plan_summary_and_the_years_tables(plan, summary):
    bundle = zipfile.ZipFile(io.BytesIO(archive_zip(unit=plan.unit, year=2027, plan=plan, summary=summary)))
    names = bundle.namelist()
    assert names == [
        f"{plan.title}.docx",
        f"{plan.title}-计划事项.xlsx",
        f"{plan.title}-工作目标.xlsx",
        f"{summary.title}.docx",
    ]
    items = load_workbook(io.BytesIO(bundle.read(f"{plan.title}-计划事项.xlsx"))).active
    rows = list(items.values)
    assert rows[1][:4] == ("序号", "月份", "日期", "事项")
    assert [r[3] for r in rows[2:]] == ["三八妇女节庆祝活动", "教代会", "庆祝教师节"]
    # A date cell, sortable, written as a Chinese reader writes a date (2027年3月20日).
    assert rows[3][2] == datetime.datetime(2027, 3, 20) and items["C4"].number_format == 'yyyy"年"m"月"d"日"'
    # Wide enough for 2027年12月20日 (and 完成时间 with its hour), or Excel shows ########.
    assert items.column_dimensions["C"].width >= 15 and items.column_dimensions["J"].width >= 21
    targets = list(load_workbook(io.BytesIO(bundle.read(f"{plan.title}-工作目标.xlsx"))).active.values)
    assert [r[1] for r in targets[2:]] == ["教职工入会率", "全年组织文体活动不少于8次"]
    assert Document(io.BytesIO(bundle.read(f"{summary.title}.docx"))).paragraphs[0].text == summary.title


def test_exported_plan_opens_in_libreoffice_with_its_title(plan, tmp_path):
    from pypdf import PdfReader

    pdf = PdfReader(convert_to_pdf(plan_docx(plan), tmp_path))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))
    assert plan.title in text
    assert "三八妇女节庆祝活动" in text


def test_an_exported_plan_imports_back_with_its_schedule_and_targets(plan):
    from plans.parsing import parse_plan
    from plans.reading import read_text

    parsed = parse_plan(read_text(plan_docx(plan), "plan.docx"))
    assert parsed.title == plan.title
    assert parsed.guiding == plan.guiding
    # The 负责人 column (the owner, or the unit below that does the work) comes back on each item.
    assert [(m.month, m.items) for m in parsed.months] == [
        (3, ["三八妇女节庆祝活动（负责人：女工委员）", "教代会（3月20日）（负责人：东关完小工会小组）"]),
        (9, ["庆祝教师节"]),
    ]
    assert [(t.value, t.measure, t.op) for t in parsed.targets] == [(Decimal(100), "%", "=="), (Decimal(8), "次", ">=")]
    assert [s.heading for s in parsed.sections if s.level == 2] == ["加强思想引领", "丰富文体生活"]


def test_archive_writes_a_computed_actual_as_the_page_shows_it(plan, monkeypatch):
    """A live rate of 27 out of 29 is 93.1 on the plan's page; the archive's table holds the same number."""
    monkeypatch.setattr("core.figures.metric_value", lambda *args, **kwargs: Decimal(27 * 100 / 29))
    Target.objects.filter(name="教职工入会率").update(metric="members.membership_rate")
    bundle = zipfile.ZipFile(io.BytesIO(archive_zip(unit=plan.unit, year=2027, plan=plan)))
    rows = list(load_workbook(io.BytesIO(bundle.read(f"{plan.title}-工作目标.xlsx"))).active.values)
    actual = rows[2][5]  # after the 序号 column: 目标, 比较, 目标值, 计量单位, 实际值
    assert actual == 93.1 and isinstance(actual, float)
    from plans.services import target_statuses

    assert target_statuses(plan.targets.filter(name="教职工入会率"))[0].actual_display == "93.1"
