import datetime
import io
import random
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from core import idnumber
from members.models import Member
from plans.documents import roster_files
from plans.models import Plan, PlanSection, ScheduleItem, Target, YearSummary


@pytest.fixture
def year_2027(units):
    plan = Plan.objects.create(unit=units["school"], year=2027, title="城关镇中心学校工会2027年工作计划")
    PlanSection.objects.create(plan=plan, level=1, heading="主要工作", body="扎实开展各项工作。")
    Target.objects.create(plan=plan, name="文体活动", measure="次", op=">=", value=8, actual_manual=9)
    for month in range(1, 13):
        ScheduleItem.objects.create(plan=plan, unit=units["g1"], month=month, text=f"{month}月的活动")
    summary = YearSummary.objects.create(
        unit=units["school"],
        year=2027,
        plan=plan,
        title="城关镇中心学校工会2027年工作总结",
        body="一、总体情况\n全年完成。",
    )
    return plan, summary


def add_members(units, count):
    for n in range(count):
        born = datetime.date(1980, 1, 1) + datetime.timedelta(days=n)
        Member(
            unit=units["g1"],
            name=f"会员{n}",
            gender="F",
            birth_date=born,
            id_number=idnumber.make(born, "F", rng=random.Random(n)),
            phone=f"139{n:08d}",
        ).save()


def download(client, unit, year=2027):
    return client.get(reverse("plans:archive_zip", args=[unit.pk, year]))


@pytest.fixture
def on_20_december_2027(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2027, 12, 20))


def test_chair_downloads_the_years_bundle_with_masked_roster(client_for, zhuxi, units, year_2027, on_20_december_2027):
    add_members(units, 3)
    response = download(client_for(zhuxi), units["school"])
    assert response["Content-Type"] == "application/zip"
    assert "2027" in response["Content-Disposition"]
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert bundle.namelist() == [
        "城关镇中心学校工会2027年工作计划.docx",
        "城关镇中心学校工会2027年工作计划-计划事项.xlsx",
        "城关镇中心学校工会2027年工作计划-工作目标.xlsx",
        "城关镇中心学校工会2027年工作总结.docx",
        "城关镇中心学校工会会员名册（截至2027年12月20日）.xlsx",
    ]
    plan_doc = Document(io.BytesIO(bundle.read("城关镇中心学校工会2027年工作计划.docx")))
    assert plan_doc.paragraphs[0].text == "城关镇中心学校工会2027年工作计划"
    items = list(load_workbook(io.BytesIO(bundle.read("城关镇中心学校工会2027年工作计划-计划事项.xlsx"))).active.values)
    assert len(items) == 2 + 12
    targets = list(
        load_workbook(io.BytesIO(bundle.read("城关镇中心学校工会2027年工作计划-工作目标.xlsx"))).active.values
    )
    assert targets[2][1:6] == ("文体活动", "不少于", 8, "次", 9)  # after the 序号 column
    assert targets[2][7] == "已达成"
    roster = list(
        load_workbook(io.BytesIO(bundle.read("城关镇中心学校工会会员名册（截至2027年12月20日）.xlsx"))).active.values
    )
    member = Member.objects.get(name="会员0")
    id_column = roster[1].index("身份证号")
    name_column = roster[1].index("姓名")
    assert [r[name_column] for r in roster[2:]] == ["会员0", "会员1", "会员2"]
    assert roster[2][id_column] != member.id_number and "*" in roster[2][id_column]


def test_viewer_without_export_gets_no_roster(client_for, xianzong, units, year_2027):
    response = download(client_for(xianzong), units["school"])
    assert not [name for name in zipfile.ZipFile(io.BytesIO(response.content)).namelist() if "会员名册" in name]


def test_the_roster_says_the_day_it_was_taken_not_the_archives_year(client_for, zhuxi, units, year_2027, monkeypatch):
    """No past rosters are kept: a 2027 archive taken in March 2029 holds the roster of that day, and says so."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2029, 3, 6))
    add_members(units, 1)
    client = client_for(zhuxi)
    bundle = zipfile.ZipFile(io.BytesIO(download(client, units["school"]).content))
    name = "城关镇中心学校工会会员名册（截至2029年3月6日）.xlsx"
    assert name in bundle.namelist()
    assert list(load_workbook(io.BytesIO(bundle.read(name))).active.values)[0][0] == (
        "城关镇中心学校工会会员名册（截至2029年3月6日）"
    )
    with translation.override("en"):
        [(english_name, _data)] = roster_files(units["school"], 2027)
    assert english_name == "Member roster of 城关镇中心学校工会 (as of March 6, 2029).xlsx"


def test_a_year_without_plan_or_summary_is_404(client_for, zhuxi, units, year_2027):
    assert download(client_for(zhuxi), units["school"], 2026).status_code == 404


def test_outsiders_and_groups_below_cannot_download_the_unions_archive(client_for, outsider, xiaozu, units, year_2027):
    assert download(client_for(outsider), units["school"]).status_code == 404
    assert download(client_for(xiaozu), units["school"]).status_code == 404


def test_archive_queries_do_not_grow_with_items_and_members(
    client_for, zhuxi, units, year_2027, django_assert_max_num_queries
):
    plan, _summary = year_2027
    add_members(units, 30)
    for n in range(60):
        ScheduleItem.objects.create(plan=plan, unit=units["g2"], month=n % 12 + 1, text=f"追加事项{n}")
    client = client_for(zhuxi)
    with django_assert_max_num_queries(20):
        assert download(client, units["school"]).status_code == 200


def test_plan_and_summary_docx_downloads(client_for, zhuxi, year_2027):
    plan, summary = year_2027
    client = client_for(zhuxi)
    response = client.get(reverse("plans:plan_docx", args=[plan.pk]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert Document(io.BytesIO(response.content)).paragraphs[0].text == plan.title
    response = client.get(reverse("plans:summary_docx", args=[summary.pk]))
    assert Document(io.BytesIO(response.content)).paragraphs[0].text == summary.title


def test_docx_downloads_follow_the_access_rule(client_for, outsider, xianzong, year_2027):
    plan, summary = year_2027
    assert client_for(outsider).get(reverse("plans:plan_docx", args=[plan.pk])).status_code == 404
    assert client_for(outsider).get(reverse("plans:summary_docx", args=[summary.pk])).status_code == 404
    assert client_for(xianzong).get(reverse("plans:plan_docx", args=[plan.pk])).status_code == 200


def test_plan_docx_queries_stay_bounded(client_for, zhuxi, units, year_2027, django_assert_max_num_queries):
    plan, _summary = year_2027
    for n in range(40):
        ScheduleItem.objects.create(plan=plan, unit=units["g2"], month=n % 12 + 1, text=f"追加事项{n}")
        PlanSection.objects.create(plan=plan, level=2, heading=f"小节{n}")
    client = client_for(zhuxi)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("plans:plan_docx", args=[plan.pk])).status_code == 200


def test_a_plan_whose_title_holds_a_slash_downloads_under_a_name_a_system_takes(client_for, zhuxi, units):
    from plans import services

    plan = services.plan_create_blank(unit=units["school"], year=2027, title="2027/2028学年工会工作计划")
    response = client_for(zhuxi).get(reverse("plans:plan_docx", args=[plan.pk]))
    disposition = response["Content-Disposition"]
    assert response.status_code == 200 and "%2F" not in disposition and "/" not in disposition.split("''")[-1]
