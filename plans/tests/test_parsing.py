import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.parsing import SCHEDULE_HEADING, parse_plan, split_items, targets_in
from plans.reading import PlanParseError, read_text

SAMPLES = Path(__file__).resolve().parent / "samples"
EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_plan_parses_to_its_expected_title_months_and_targets(name):
    expected = EXPECTED[name]
    plan = parse_plan((SAMPLES / name).read_text(encoding="utf-8"))

    assert plan.title == expected["title"]
    assert [[m.month, len(m.items)] for m in plan.months] == expected["months"]
    assert [[t.value, t.measure] for t in plan.targets] == [[Decimal(v), m] for v, m in expected["targets"]]


def test_middle_school_items_lose_their_numbers_and_keep_their_words():
    plan = parse_plan((SAMPLES / "middle-school-2027.txt").read_text(encoding="utf-8"))
    september = next(m for m in plan.months if m.month == 9)
    assert september.items == ["庆祝教师节，表彰师德标兵", "校务公开：公布上半年财务收支情况", "召开七届四次教代会"]
    assert [s.heading for s in plan.sections if s.level == 1] == ["工作目标", "主要工作"]
    assert plan.guiding.startswith("2027年，校工会将在学校党支部的领导下")
    ops = [t.op for t in plan.targets]
    assert ops == ["==", "==", ">=", "==", ">=", ">=", ">=", ">="]
    assert plan.targets[-1].text == "慰问困难教职工、生病住院教职工和离退休教师不少于40人次"


def test_hospital_inline_months_split_on_semicolons_and_sections_split_heading_from_body():
    plan = parse_plan((SAMPLES / "county-hospital-2027.txt").read_text(encoding="utf-8"))
    assert plan.months[0].items == ["春节前走访慰问困难职工", "举办新春联欢会"]
    assert plan.sections[0].heading == "做好职工代表大会工作"
    assert plan.sections[0].body.startswith("全年召开职代会一次")
    assert plan.guiding.startswith("围绕医院高质量发展目标")
    assert [(t.measure, t.op) for t in plan.targets] == [("条", ">="), ("%", ">="), ("个", "=="), ("名", "==")]


def test_machinery_plant_quarters_are_not_items():
    plan = parse_plan((SAMPLES / "machinery-plant-2027.txt").read_text(encoding="utf-8"))
    december = plan.months[-1]
    assert december.items == ["困难职工档案年终复核", "十佳班组表彰", "年度总结"]
    assert not any("季度" in item for m in plan.months for item in m.items)
    assert [(s.level, s.heading) for s in plan.sections[:3]] == [(2, "总体目标"), (2, "重点工作"), (3, "技能提升工程")]


def test_as_json_has_exactly_the_documented_shape():
    data = parse_plan((SAMPLES / "machinery-plant-2027.txt").read_text(encoding="utf-8")).as_json()
    assert set(data) == {"title", "sections", "months", "targets"}
    assert set(data["sections"][0]) == {"heading", "body"}
    assert data["months"][0] == {"month": 1, "items": ["春节游园会", "送温暖慰问困难职工家庭"]}
    assert data["targets"][0] == {"text": "职工入会率98%以上", "value": 98, "measure": "%", "op": ">="}
    json.dumps(data)


@pytest.mark.parametrize(
    "text, value, measure, op",
    [
        ("入会率达到100%", 100, "%", "=="),
        ("开展活动不少于8次", 8, "次", ">="),
        ("寄送商函200万件以上", 2_000_000, "件", ">="),
        ("征订1200万元以上", 12_000_000, "元", ">="),
        ("续保率98%以上", 98, "%", ">="),
        ("收集建议50条以上", 50, "条", ">="),
        ("采纳率不低于30%", 30, "%", ">="),
        ("评选优秀班组5个", 5, "个", "=="),
        ("经费支出控制在3.5万元以内", 35_000, "元", "<="),
        ("入会率达到９５％", 95, "%", "=="),
        ("全年开展1.5万人次培训", 15_000, "人次", "=="),
    ],
)
def test_numeric_goal_becomes_a_target_candidate(text, value, measure, op):
    [found] = targets_in(text)
    assert (found.value, found.measure, found.op) == (Decimal(value), measure, op)
    assert found.text == text.replace("９５％", "95%")


@pytest.mark.parametrize("text", ["2027年3月召开", "每月1次集中学习", "获得第2名", "为期12个月", "七届三次教代会"])
def test_dates_ranks_and_frequencies_are_not_goals(text):
    assert targets_in(text) == []


@pytest.mark.parametrize(
    "line, items",
    [
        ("1. 召开会议 2. 慰问职工", ["召开会议", "慰问职工"]),
        ("（1）召开会议（2）慰问职工", ["召开会议", "慰问职工"]),
        ("1、召开会议；2、慰问职工。", ["召开会议", "慰问职工"]),
        ("召开会议；慰问职工；", ["召开会议", "慰问职工"]),
        ("- 召开会议", ["召开会议"]),
        ("· 召开会议", ["召开会议"]),
        ("1．召开会议", ["召开会议"]),
        ("提高1.5倍", ["提高1.5倍"]),
    ],
)
def test_items_split_on_their_numbering(line, items):
    assert split_items(line) == items


def test_month_forms_and_quarters_and_year_round_work():
    text = """某工会2028年工作计划
一、重点工作
（一）加强学习。组织学习。
二、工作日程
全年：坚持每周学习
第一季度
1月份：慰问
三月：
(1) 三八节活动
(2) 体检
第二季度：举办运动会
5月 五一表彰
三、保障措施
加强领导。
"""
    plan = parse_plan(text)
    assert [(m.month, m.items) for m in plan.months] == [
        (0, ["坚持每周学习"]),
        (1, ["慰问"]),
        (3, ["三八节活动", "体检"]),
        (4, ["举办运动会"]),
        (5, ["五一表彰"]),
    ]
    assert [s.heading for s in plan.sections] == ["重点工作", "加强学习", "保障措施"]
    assert plan.sections[-1].body == "加强领导。"


def test_a_schedule_tables_days_and_spans_of_months_are_labels_not_items():
    """A 时间 column of 3月5日, 9月10日 and 4—5月: the cells were saved as items ("3月5日："), and the
    work beside them filed under the month before (学雷锋 in 2月, 教师节表彰 in 6月)."""
    text = """某校工会2029年工作计划
一、月度安排
2月：
开学慰问
3月5日：
学雷锋志愿服务
3月上旬：
三八节活动
4—5月：
春季运动会
2029年6月：
端午包粽子
9月10日前：
教师节表彰
10月至11月 秋季趣味运动会
12月：
年终总结
"""
    assert [(m.month, m.items) for m in parse_plan(text).months] == [
        (2, ["开学慰问"]),
        (3, ["学雷锋志愿服务", "三八节活动"]),
        (4, ["春季运动会"]),
        (6, ["端午包粽子"]),
        (9, ["教师节表彰"]),
        (10, ["秋季趣味运动会"]),
        (12, ["年终总结"]),
    ]


def test_a_span_of_months_running_into_the_next_year_is_a_label():
    """A school plan's last row "十二月至次年一月：": the label was read as an item of the month
    before, and the year-end work under it was filed in September."""
    text = """某校工会2027年工作计划
一、月度安排
九月份：
慰问新教师
十二月至次年一月：
年终总结；送温暖
"""
    assert [(m.month, m.items) for m in parse_plan(text, year=2027).months] == [
        (9, ["慰问新教师"]),
        (12, ["年终总结", "送温暖"]),
    ]


def test_a_month_named_inside_an_items_text():
    text = "活动安排：\n1. 3月8日组织三八节活动\n2. 组织秋季运动会（10月）\n3. 每月一次读书会"
    plan = parse_plan(text)
    assert [(m.month, m.items) for m in plan.months] == [
        (3, ["3月8日组织三八节活动"]),
        (10, ["组织秋季运动会（10月）"]),
        (0, ["每月一次读书会"]),
    ]


def test_first_part_headings_and_guiding_section():
    text = "某厂工会工作计划\n一、指导思想\n以职工为中心。\n第一部分 工作目标\n入会率95%以上。\n第二部分 主要任务\n（一）技能竞赛"
    plan = parse_plan(text)
    assert plan.guiding == "以职工为中心。"
    assert [(s.level, s.heading) for s in plan.sections] == [(1, "工作目标"), (1, "主要任务"), (2, "技能竞赛")]
    assert [(t.value, t.op) for t in plan.targets] == [(Decimal(95), ">=")]


def _docx(paragraphs, table=None):
    document = Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_styled_headings_and_schedule_table_are_read_in_order():
    data = _docx(
        [
            ("实验小学工会2027年工作计划", None),
            ("工作目标", "Heading 1"),
            ("会员入会率100%。", None),
            ("活动安排", "Heading 1"),
        ],
        table=[
            ["月份", "工作内容", "负责人"],
            ["三月", "三八节活动\n教代会", "女工委员"],
            ["九月", "教师节表彰", "主席"],
        ],
    )
    plan = parse_plan(read_text(data, "plan.docx"))
    assert plan.title == "实验小学工会2027年工作计划"
    assert [s.heading for s in plan.sections] == ["工作目标"]
    assert [(m.month, m.items) for m in plan.months] == [
        (3, ["三八节活动（负责人：女工委员）", "教代会（负责人：女工委员）"]),
        (9, ["教师节表彰（负责人：主席）"]),
    ]
    assert [t.value for t in plan.targets] == [Decimal(100)]


def test_text_files_in_gb18030_are_read():
    assert read_text("三月份\n1. 慰问".encode("gb18030"), "plan.txt") == "三月份\n1. 慰问"


@pytest.mark.parametrize(
    "data, message",
    [(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "另存为 .docx"), (b"%PDF-1.7\n" + bytes(200), "PDF")],
)
def test_old_word_and_pdf_files_are_refused_with_what_to_do(data, message):
    with pytest.raises(PlanParseError, match=message):
        read_text(data, "plan.bin")


def test_damaged_docx_is_refused_with_a_clear_message():
    with pytest.raises(PlanParseError, match="Word"):
        read_text(b"PK\x03\x04 not really a zip", "plan.docx")


# --- Generated plans --------------------------------------------------------------------------

WORDS = "工会职工组织开展慰问比赛学习教师代表活动读书演讲健康关爱帮扶书法合唱篮球送温暖表彰协会创建"
CN_MONTHS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
MARKERS = ["{n}. ", "{n}、", "{n}．", "({n})", "（{n}）", "- ", "· "]
words = st.text(alphabet=WORDS, min_size=2, max_size=16)


def month_label(month, form):
    return [f"{CN_MONTHS[month - 1]}月份", f"{month}月份：", f"{month}月：", f"{CN_MONTHS[month - 1]}月"][form]


@st.composite
def generated_plans(draw):
    title = draw(words) + "工会工作计划"
    # A heading such as "活动表" names a schedule, which the parser rightly reads as one.
    headings = draw(st.lists(words.filter(lambda h: not SCHEDULE_HEADING.search(h)), min_size=1, max_size=5))
    months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=12, unique=True))
    items = {m: draw(st.lists(words, min_size=1, max_size=4)) for m in months}
    form = draw(st.sampled_from(["lines", "inline", "quarters"]))
    if form == "quarters":
        months.sort(key=lambda m: ((m - 1) // 3, m))
    marker = draw(st.sampled_from(MARKERS))
    label_form = draw(st.integers(0, 3))

    lines = [title, ""]
    for index, heading in enumerate(headings):
        lines.append(f"（{CN_MONTHS[index]}）{heading}" if index % 2 else f"{CN_MONTHS[index]}、{heading}")
    lines.append(f"{CN_MONTHS[len(headings)]}、月度安排")
    quarter = None
    for month in months:
        if form == "quarters" and (month - 1) // 3 != quarter:
            quarter = (month - 1) // 3
            lines.append(f"第{'一二三四'[quarter]}季度")
        if form == "lines":
            lines.append(month_label(month, label_form))
            lines.extend(marker.format(n=n) + item for n, item in enumerate(items[month], start=1))
        else:
            lines.append(f"  {month}月份：" + "；".join(items[month]) + "。")
    return "\n".join(lines), title, headings, [(m, items[m]) for m in months]


@settings(max_examples=200, deadline=None)
@given(generated_plans())
def test_generated_plans_parse_back(generated):
    text, title, headings, months = generated
    plan = parse_plan(text)
    assert plan.title == title
    assert [s.heading for s in plan.sections] == headings
    assert [(m.month, m.items) for m in plan.months] == months


FRAGMENTS = [
    "三月份",
    "3月：",
    "第一季度",
    "一、",
    "（一）",
    "1.",
    "(1)",
    "；",
    "100%",
    "不少于",
    "万元",
    "月度安排",
    "\n",
    "：",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=30), st.sampled_from(FRAGMENTS)), max_size=40).map("".join))
def test_arbitrary_text_never_crashes(text):
    plan = parse_plan(text)
    data = plan.as_json()
    json.dumps(data)
    assert all(0 <= m["month"] <= 12 and m["items"] for m in data["months"])
    assert len({(m["month"], m.get("next_year", False)) for m in data["months"]}) == len(data["months"])
    assert all(t["op"] in (">=", "<=", "==") for t in data["targets"])


def test_a_number_longer_than_a_goal_is_not_taken_for_one():
    """Found by the test above: 30 digits before 人 made the parser fail (a decimal past its precision)."""
    assert targets_in("会员人数达到" + "9" * 30 + "人。") == []
    assert targets_in("会员人数达到999999999999人。")[0].value == Decimal("999999999999")
    assert targets_in("会员人数达到10000亿人。") == []


def test_signature_block_at_the_end_is_not_an_item():
    plan = parse_plan("某工会计划\n三月份\n1. 植树\n城关镇中心学校工会\n2027年1月5日")
    assert [(m.month, m.items) for m in plan.months] == [(3, ["植树"])]
    plan = parse_plan("某工会计划\n三月份\n1. 植树\n二〇二七年一月五日")
    assert plan.months[0].items == ["植树"]


@settings(max_examples=40, deadline=None)
@given(generated_plans())
def test_generated_plans_read_back_from_word(generated):
    text, title, headings, months = generated
    plan = parse_plan(read_text(_docx([(line, None) for line in text.splitlines()]), "plan.docx"))
    assert plan.title == title
    assert [(m.month, m.items) for m in plan.months] == months


# --- Months inside items, festivals, plans without a schedule (issue 19) ----------------------

CORPUS = Path(__file__).resolve().parent / "corpus"


def test_numbered_items_naming_months_are_the_schedule_and_their_siblings_year_round():
    plan = parse_plan((CORPUS / "01-months-inside-items.txt").read_text(encoding="utf-8"))
    by_month = {m.month: m.items for m in plan.months}
    assert by_month[4] == ["四月下旬进行教职工趣味运动会"]
    assert by_month[5] == ["五月份组织青年教师演讲比赛", "召开七届二次教代会", "开展提案征集"]
    assert by_month[6] == ["6月份以完小为单位开展拔河比赛"]
    assert by_month[0] == ["组织教职工每月集中学习一次，开展师德师风教育", "做好会员信息管理"]
    assert [s.heading for s in plan.sections if s.level == 1] == ["工作目标", "主要工作", "保障措施"]


@pytest.mark.parametrize(
    "line, items",
    [
        ("1、5月份（1）召开教代会（2）评选优秀教师", ["召开教代会", "评选优秀教师"]),
        ("1、5月份：（1）召开教代会；（2）评选优秀教师", ["召开教代会", "评选优秀教师"]),
        ("1、5月份\n（1）召开教代会\n（2）评选优秀教师", ["召开教代会", "评选优秀教师"]),
        ("1、五月份\n(1) 召开教代会\n(2) 评选优秀教师", ["召开教代会", "评选优秀教师"]),
    ],
)
def test_a_month_heading_sub_items_is_one_month_of_items_however_written(line, items):
    plan = parse_plan(f"某校工会2027年工作计划\n一、主要工作\n{line}\n2、6月份组织拔河比赛")
    assert [(m.month, m.items) for m in plan.months] == [(5, items), (6, ["6月份组织拔河比赛"])]


@pytest.mark.parametrize("when", ["次年1月份", "~年1月份", "～年1月", "明年一月", "2028年1月"])
def test_january_of_the_next_year_is_not_this_january(when):
    plan = parse_plan(f"某校工会2027年工作计划\n五、全年工作安排：九月份：开学慰问\n{when}：学期总结")
    assert [(m.month, m.next_year, m.items) for m in plan.months] == [(9, False, ["开学慰问"]), (1, True, ["学期总结"])]
    assert plan.as_json()["months"][1] == {"month": 1, "items": ["学期总结"], "next_year": True}


@pytest.mark.parametrize(
    "heading",
    [
        "五、全年工作安排：九月份：召开会员大会",
        "五、全年工作安排 九月份：召开会员大会",
        "（五）月度工作安排：9月：召开会员大会",
    ],
)
def test_the_first_month_on_the_schedule_headings_own_line(heading):
    plan = parse_plan(f"某校工会2027年工作计划\n一、工作目标\n入会率100%。\n{heading}\n十月份：登山活动")
    assert [(m.month, m.items) for m in plan.months] == [(9, ["召开会员大会"]), (10, ["登山活动"])]


def test_festival_items_without_a_month_are_suggested_for_the_festivals_month_of_the_plans_year():
    plan = parse_plan((CORPUS / "07-festivals.txt").read_text(encoding="utf-8"))
    assert [(s.text, s.month) for s in plan.suggested] == [
        ("组织好三八妇女节的庆祝活动", 3),
        ("元旦联欢", 1),
        ("教师节表彰优秀教师", 9),
        ("春节前送温暖", 1),  # 春节 2028 is on 26 January
        ("中秋节慰问退休教师", 10),  # 中秋 2028 is on 3 October
    ]
    march = next(m for m in plan.as_json()["months"] if m["month"] == 3)
    assert march["items"] == [
        "3月组织女教师踏青",
        {"text": "组织好三八妇女节的庆祝活动", "inferred": True, "festival": "三八妇女节"},
    ]
    assert (
        parse_plan("某校工会2027年计划\n一、主要工作\n1、3月植树\n2、春节前送温暖", year=2027).suggested[0].month == 2
    )


def test_a_plan_without_a_schedule_invents_no_months_and_offers_its_work_items():
    plan = parse_plan((CORPUS / "06-no-schedule.txt").read_text(encoding="utf-8"))
    assert plan.months == [] and plan.suggested == [] and not plan.has_schedule
    assert plan.work_items()[:2] == ["组织干部职工开展理论学习", "开展“最美农业人”评选活动"]
    assert len(plan.sections) == 13


@pytest.mark.parametrize(
    "text, value, measure, op",
    [
        ("印制宣传画册5000册以上", 5000, "册", ">="),
        ("发放宣传册2000本", 2000, "本", "=="),
        ("订阅报刊杂志份数300份以上", 300, "份", ">="),
        ("组建篮球队3支队", 3, "支", "=="),
        ("报刊征订金额达到1.2亿元", 120_000_000, "元", "=="),
        ("安全事故控制在0起以内", 0, "起", "<="),
    ],
)
def test_a_goal_whose_measure_word_also_comes_before_the_number(text, value, measure, op):
    [found] = targets_in(text)
    assert (found.value, found.measure, found.op) == (Decimal(value), measure, op)


def test_a_page_break_in_a_text_file_still_breaks_the_line():
    plan = parse_plan("某校工会2027年工作计划\n三月份：植树\x0c四月份：春游")
    assert [(m.month, m.items) for m in plan.months] == [(3, ["植树"]), (4, ["春游"])]


def test_headings_numbered_in_financial_or_roman_numerals_and_enclosed_numbers_are_read():
    plan = parse_plan(
        "2027年工会工作要点\n壹、重点任务\n1、加强学习\n⑶ 做好帮扶\n⒋ 建设职工之家\nⅣ. 月度安排\n三月份：三八节活动\n十二月份：年终总结"
    )
    assert [(s.level, s.heading) for s in plan.sections] == [
        (1, "重点任务"),
        (3, "加强学习"),
        (4, "做好帮扶"),
        (3, "建设职工之家"),
    ]
    assert [(m.month, m.items) for m in plan.months] == [(3, ["三八节活动"]), (12, ["年终总结"])]


# --- The plan's own date ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "signature, day",
    [
        ("2026年12月28日", datetime.date(2026, 12, 28)),
        ("２０２６年１２月２８日", datetime.date(2026, 12, 28)),
        ("二〇二六年十二月二十八日", datetime.date(2026, 12, 28)),
        ("二〇二七年一月十日", datetime.date(2027, 1, 10)),
        ("2027年2月30日", None),  # no such day: the line is still the 落款, the date unknown
    ],
)
def test_the_signature_date_at_the_end_is_the_plans_own_date(signature, day):
    plan = parse_plan(f"实验小学工会2027年工作计划\n一、主要工作\n1. 召开教代会。\n实验小学工会\n{signature}")
    assert plan.dated == day
    assert signature not in json.dumps(plan.as_json(), ensure_ascii=False)  # the 落款 is no part of the plan


@pytest.mark.parametrize(
    "line, day",
    [
        ("2026年12月28日", datetime.date(2026, 12, 28)),
        ("（2026年12月28日校工会委员会通过）", datetime.date(2026, 12, 28)),
        ("(2026年12月28日)", datetime.date(2026, 12, 28)),
        ("2026年12月28日召开教代会审议通过本计划", None),  # a sentence, not a date line
    ],
)
def test_a_date_line_under_the_title_is_the_plans_own_date(line, day):
    plan = parse_plan(f"实验小学工会2027年工作计划\n{line}\n一、主要工作\n1. 召开教代会。")
    assert plan.dated == day


def test_the_signature_date_wins_over_a_date_under_the_title():
    plan = parse_plan("实验小学工会2027年工作计划\n2026年12月1日\n一、主要工作\n实验小学工会\n2027年1月5日")
    assert plan.dated == datetime.date(2027, 1, 5)
