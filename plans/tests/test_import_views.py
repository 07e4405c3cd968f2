import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from core.testing import in_english, untranslated
from plans.models import MEASURES, Plan, PlanSource

URL = reverse("plans:import")
TEXT = """实验小学工会2027年工作计划
指导思想：以教职工为中心。
一、工作目标
入会率达到100%，全年文体活动不少于8次。
二、主要工作
（一）加强学习。每月一次。
三、月度安排
三月份
1. 三八妇女节活动
2. 召开教代会
九月份
1. 庆祝教师节
"""


def read(client, **data):
    return client.post(URL, {"step": "read", **data})


def review_data(**overrides):
    data = {
        "step": "save",
        "source_text": TEXT,
        "title": "实验小学工会2027年工作计划",
        "year": "2027",
        "guiding": "以教职工为中心。",
        "sections": "一、工作目标\n入会率达到100%。\n二、主要工作\n（一）加强学习\n每月一次。",
        "schedule": "3月\n三八妇女节活动\n召开教代会\n9月\n庆祝教师节",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-0-keep": "on",
        "targets-0-text": "入会率达到100%",
        "targets-0-value": "100",
        "targets-0-measure": "%",
        "targets-0-op": "==",
        "targets-1-text": "",
        "targets-1-op": ">=",
        "place-TOTAL_FORMS": "0",
        "place-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_pasted_text_is_shown_beside_what_was_read(client_for, zhuxi):
    response = read(client_for(zhuxi), text=TEXT)
    html = response.content.decode()
    assert response.templates[0].name == "plans/import_review.html"
    assert 'data-testid="import-original"' in html and "召开教代会" in html
    form = response.context["form"]
    assert form["title"].value() == "实验小学工会2027年工作计划"
    assert form["year"].value() == 2027
    assert (
        form["sections"].value()
        == "一、工作目标\n入会率达到100%，全年文体活动不少于8次。\n二、主要工作\n（一）加强学习\n每月一次。"
    )
    assert form["schedule"].value() == "3月\n三八妇女节活动\n召开教代会\n9月\n庆祝教师节"
    assert [f["text"].value() for f in response.context["targets"]][:2] == ["入会率达到100%", "全年文体活动不少于8次"]


def test_uploaded_docx_is_read(client_for, zhuxi):
    document = Document()
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("plan.docx", buffer.getvalue())
    response = client_for(zhuxi).post(URL, {"step": "read", "file": upload})
    assert response.context["form"]["schedule"].value().startswith("3月\n三八妇女节活动")


def test_uploaded_excel_schedule_is_read(client_for, zhuxi):
    from plans.tests.test_reading import _schedule_workbook

    upload = SimpleUploadedFile("行事历.xlsx", _schedule_workbook())
    response = client_for(zhuxi).post(URL, {"step": "read", "file": upload})
    assert response.templates[0].name == "plans/import_review.html"
    assert (
        response.context["form"]["schedule"]
        .value()
        .startswith("3月\n三八妇女节活动（负责人：女工委员）\n召开教职工代表大会（负责人：工会主席）\n5月")
    )


def test_owner_written_after_an_item_is_saved_as_its_owner(client_for, zhuxi):
    schedule = "3月\n三八妇女节活动（负责人：女工委员）\n召开教代会(责任人: 工会主席)。\n9月\n庆祝教师节"
    client_for(zhuxi).post(URL, review_data(schedule=schedule))
    items = Plan.objects.get().items.order_by("order")
    assert [(i.month, i.text, i.owner) for i in items] == [
        (3, "三八妇女节活动", "女工委员"),
        (3, "召开教代会", "工会主席"),
        (9, "庆祝教师节", ""),
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "请上传计划文件"),
        ({"file": SimpleUploadedFile("plan.rtf", b"old word")}, "只支持 .docx、.doc、.xlsx、.pdf 和 .txt"),
        (
            {"file": SimpleUploadedFile("plan.xls", b"\xd0\xcf\x11\xe0old excel")},
            "只支持 .docx、.doc、.xlsx、.pdf 和 .txt",
        ),
        ({"file": SimpleUploadedFile("plan.docx", b"PK\x03\x04broken")}, "无法打开这个 Word 文件"),
        ({"text": "随便写的几句话"}, ""),
    ],
)
def test_bad_source_is_refused_with_a_message(client_for, zhuxi, data, message):
    response = read(client_for(zhuxi), **data)
    html = response.content.decode()
    if message:
        assert response.templates[0].name == "plans/import.html"
        assert message in html


def test_an_empty_file_is_told_so_without_also_asking_for_a_file(client_for, zhuxi):
    response = read(client_for(zhuxi), file=SimpleUploadedFile("plan.docx", b""))
    html = response.content.decode()
    assert "所提交的是空文件" in html
    assert "请上传计划文件" not in html


def test_text_without_a_plan_is_refused(client_for, zhuxi):
    response = read(client_for(zhuxi), text="\n\n   \n")
    assert "请上传计划文件" in response.content.decode()


def test_saving_creates_a_draft_of_the_current_unit(client_for, zhuxi, units):
    response = client_for(zhuxi).post(URL, review_data())
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert (plan.unit, plan.year, plan.source, plan.created_by) == (units["school"], 2027, PlanSource.IMPORT, zhuxi)
    assert [(s.level, s.heading, s.body) for s in plan.sections.all()] == [
        (1, "工作目标", "入会率达到100%。"),
        (1, "主要工作", ""),
        (2, "加强学习", "每月一次。"),
    ]
    assert [(i.month, i.text) for i in plan.items.order_by("order")] == [
        (3, "三八妇女节活动"),
        (3, "召开教代会"),
        (9, "庆祝教师节"),
    ]
    assert [(t.name, t.value, t.op) for t in plan.targets.all()] == [("入会率达到100%", 100, "==")]


def test_unticked_targets_are_left_out(client_for, zhuxi):
    client_for(zhuxi).post(URL, review_data(**{"targets-0-keep": ""}))
    assert Plan.objects.get().targets.count() == 0


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"schedule": "三八妇女节活动\n3月\n召开教代会"}, "schedule", "月度安排第1行"),
        ({"schedule": "3月\n活动\n13月\n活动"}, "schedule", "月度安排第3行：月份应在1到12之间"),
        ({"sections": "正文在前\n一、标题"}, "sections", "章节第1行"),
        ({"targets-0-value": ""}, None, "请填写目标值"),
        ({"targets-0-value": "很多"}, None, "输入一个数字"),
        ({"targets-0-value": "150"}, None, "百分比不能大于100。"),
        ({"targets-0-value": "-5"}, None, "不能小于0。"),
        ({"year": "1999"}, "year", ""),
        ({"title": ""}, "title", ""),
    ],
)
def test_review_errors_say_where_and_keep_the_input(client_for, zhuxi, overrides, field, message):
    data = review_data(**overrides)
    response = client_for(zhuxi).post(URL, data)
    assert response.status_code == 200 and Plan.objects.count() == 0
    html = response.content.decode()
    if field:
        assert response.context["form"].errors[field]
    if message:
        assert message in html
    assert response.context["form"]["schedule"].value() == data["schedule"]
    assert "召开教代会" in html  # the original text is still shown


def test_second_plan_for_the_year_is_refused_on_the_year_field(client_for, zhuxi, units):
    Plan.objects.create(unit=units["school"], year=2027, title="已有计划")
    response = client_for(zhuxi).post(URL, review_data())
    assert "已有2027年的工作计划" in response.content.decode()
    assert Plan.objects.count() == 1


def test_import_needs_plans_change_on_the_current_unit(client_for, xianzong, huiyuan):
    assert client_for(xianzong).get(URL).status_code == 404
    assert client_for(huiyuan).post(URL, review_data()).status_code == 404
    assert Plan.objects.count() == 0


def test_committee_member_may_import(client_for, weiyuan):
    assert client_for(weiyuan).get(URL).status_code == 200


# Chinese that an English page still shows on purpose: the formats a Chinese plan is written
# in (the parser reads Chinese documents whatever the page's language) and the measures.
FORMAT_EXAMPLES = [
    "一、",
    "（一）",
    "（1）",
    "三月份",
    "3月份：",
    "3月：",
    "3月",
    "全年",
    "（负责人：……）",
    "“；”",
    "入会率达到100%",
    "不少于8次",
    "1200万元以上",
    "；",
]


def main_part(html):
    """The page's own content, without the navigation other apps contribute to."""
    return html[html.index("<main") : html.index("</main>")]


def without_examples(html):
    for example in sorted(FORMAT_EXAMPLES + MEASURES, key=len, reverse=True):
        html = html.replace(example, "")
    return html


def test_import_pages_in_english_are_translated(client_for, db):
    from conftest import make_person
    from orgs.models import OrgUnit, UnitKind
    from orgs.roles import Role

    root = OrgUnit.objects.add_root({"code": "en-union", "name": "Riverside Union", "kind": UnitKind.UNION})
    client = in_english(client_for(make_person("chair-en", "Wang", root, Role.CHAIR)))
    assert untranslated(without_examples(main_part(client.get(URL).content.decode()))) == []
    response = client.post(URL, {"step": "read", "text": "Plan 2027\n3月：Tree planting"})
    assert untranslated(without_examples(main_part(response.content.decode()))) == []


FESTIVALS = """阳光小学工会2028年工作计划
一、主要工作
1. 3月组织女教师踏青。
2. 元旦联欢。
3. 组织好三八妇女节的庆祝活动。
"""


def test_festival_months_are_shown_as_inferred_for_the_officer_to_confirm_or_move(client_for, zhuxi):
    response = read(client_for(zhuxi), text=FESTIVALS)
    html = response.content.decode()
    assert "其中 2 项的月份按节日推测" in html
    rows = response.context["placements"]
    assert [(r["text"].value(), r["month"].value(), r["festival"].value()) for r in rows] == [
        ("元旦联欢", 1, "元旦"),
        ("组织好三八妇女节的庆祝活动", 3, "三八妇女节"),
    ]
    assert html.count('data-testid="inferred-badge"') == 2
    assert response.context["form"]["schedule"].value() == "3月\n3月组织女教师踏青"


def test_a_moved_inferred_month_is_saved_where_the_officer_put_it(client_for, zhuxi):
    data = review_data(
        schedule="3月\n3月组织女教师踏青",
        **{
            "place-TOTAL_FORMS": "2",
            "place-0-text": "元旦联欢",
            "place-0-festival": "元旦",
            "place-0-month": "12",
            "place-1-text": "组织好三八妇女节的庆祝活动",
            "place-1-festival": "三八妇女节",
            "place-1-month": "3",
        },
    )
    client_for(zhuxi).post(URL, data)
    items = Plan.objects.get().items.order_by("month", "order")
    assert [(i.month, i.text) for i in items] == [
        (3, "3月组织女教师踏青"),
        (3, "组织好三八妇女节的庆祝活动"),
        (12, "元旦联欢"),
    ]


NO_SCHEDULE = """农业农村局机关工会2027年工作要点
一、加强思想政治引领
（一）组织干部职工开展理论学习。
（二）组织职工健康体检。
"""


def test_a_plan_without_a_schedule_says_so_and_offers_to_place_its_items_by_month(client_for, zhuxi):
    response = read(client_for(zhuxi), text=NO_SCHEDULE)
    html = response.content.decode()
    assert 'data-testid="import-no-schedule"' in html
    assert response.context["form"]["schedule"].value() == ""
    rows = response.context["placements"]
    assert [(r["text"].value(), r["month"].value()) for r in rows] == [
        ("组织干部职工开展理论学习", None),
        ("组织职工健康体检", None),
    ]
    data = review_data(
        schedule="",
        **{
            "place-TOTAL_FORMS": "2",
            "place-0-text": "组织干部职工开展理论学习",
            "place-0-month": "0",
            "place-1-text": "组织职工健康体检",
            "place-1-month": "",
        },
    )
    client_for(zhuxi).post(URL, data)
    assert [(i.month, i.text) for i in Plan.objects.get().items.all()] == [(0, "组织干部职工开展理论学习")]


def test_a_small_docx_holding_ten_megabytes_of_xml_is_refused_on_the_file_field(client_for, zhuxi):
    from plans.tests.test_reading import _docx_with_body

    paragraph = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    bomb = _docx_with_body(paragraph * (10 * 1024 * 1024 // len(paragraph)))
    response = read(client_for(zhuxi), file=SimpleUploadedFile("plan.docx", bomb))
    assert response.context["form"].errors["file"]
    assert Plan.objects.count() == 0


# Old Word (.doc) and PDF uploads are read by the worker: test_read_jobs.py.


# --- The plan's own date (落款) ------------------------------------------------------------------


def _signed(plan):
    """The date line of the plan's Word document, under the unit's name at the end."""
    from plans.documents import plan_docx

    return [p.text for p in Document(io.BytesIO(plan_docx(plan))).paragraphs if p.text][-1]


def _publish(plan, zhuxi):
    from plans.services import plan_publish

    return plan_publish(plan=plan, user=zhuxi)


def test_an_imported_plan_is_signed_with_the_date_of_its_own_signature_not_the_day_it_was_published(client_for, zhuxi):
    client = client_for(zhuxi)
    response = read(client, text=TEXT + "实验小学工会\n二〇二六年十一月二十八日\n")
    assert response.context["form"]["dated"].value() == datetime.date(2026, 11, 28)
    assert "二〇二六" not in response.context["form"]["schedule"].value()  # the 落款 is no item
    client.post(URL, review_data(dated="2026-11-28"))
    plan = _publish(Plan.objects.get(), zhuxi)
    assert plan.dated == datetime.date(2026, 11, 28)
    assert _signed(plan) == "2026年11月28日"


def test_a_date_under_the_title_is_the_plans_own_date_when_it_has_no_signature(client_for, zhuxi):
    title, rest = TEXT.split("\n", 1)
    response = read(client_for(zhuxi), text=f"{title}\n（2026年11月20日校工会委员会通过）\n{rest}")
    assert response.context["form"]["dated"].value() == datetime.date(2026, 11, 20)


def test_an_imported_plan_without_a_date_of_its_own_is_signed_on_the_day_it_was_published(client_for, zhuxi):
    client = client_for(zhuxi)
    assert read(client, text=TEXT).context["form"]["dated"].value() is None
    client.post(URL, review_data())
    plan = _publish(Plan.objects.get(), zhuxi)
    assert plan.dated is None
    day = timezone.localdate(plan.published_at)
    assert _signed(plan) == f"{day.year}年{day.month}月{day.day}日"
