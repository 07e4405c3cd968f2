import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from plans.models import Plan, YearSummary


@pytest.fixture
def plan_2027(units):
    plan = Plan.objects.create(unit=units["school"], year=2027, title="城关镇中心学校工会2027年工作计划")
    YearSummary.objects.create(
        unit=units["school"], year=2027, plan=plan, title="2027年工会工作总结", body="一、概况\n全年完成计划。"
    )
    return plan


def test_writes_the_plan_as_word(plan_2027, tmp_path):
    out = tmp_path / "plan.docx"
    call_command("export_plan", "--unit", "demo-school", "--year", "2027", "--out", str(out), stdout=io.StringIO())
    assert "城关镇中心学校工会2027年工作计划" in [p.text for p in Document(out).paragraphs]


def test_writes_the_summary_and_the_archive(plan_2027, tmp_path):
    summary = tmp_path / "summary.docx"
    call_command(
        "export_plan",
        "--unit",
        "demo-school",
        "--year",
        "2027",
        "--what",
        "summary",
        "--out",
        str(summary),
        stdout=io.StringIO(),
    )
    assert any("全年完成计划" in p.text for p in Document(summary).paragraphs)
    bundle = tmp_path / "archive.zip"
    call_command(
        "export_plan",
        "--unit",
        "demo-school",
        "--year",
        "2027",
        "--what",
        "archive",
        "--out",
        str(bundle),
        stdout=io.StringIO(),
    )
    names = zipfile.ZipFile(bundle).namelist()
    assert "城关镇中心学校工会2027年工作计划.docx" in names and "2027年工会工作总结.docx" in names


def test_says_what_is_missing(units, tmp_path):
    with pytest.raises(CommandError, match="has no plan for 2030"):
        call_command("export_plan", "--unit", "demo-school", "--year", "2030", "--out", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="no unit with code"):
        call_command("export_plan", "--unit", "nowhere", "--year", "2030", "--out", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="must end in .zip"):
        call_command(
            "export_plan",
            "--unit",
            "demo-school",
            "--year",
            "2030",
            "--what",
            "archive",
            "--out",
            str(tmp_path / "x.docx"),
        )
