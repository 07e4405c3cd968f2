import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from plans.models import Plan

SAMPLE = Path(__file__).resolve().parent / "samples" / "county-hospital-2027.txt"
CORPUS = Path(__file__).resolve().parent / "corpus"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_json_prints_the_documented_shape_and_saves_nothing(db):
    out, _ = run(str(SAMPLE), "--dry-run", "--json")
    data = json.loads(out)
    assert data["title"] == "县人民医院工会2027年度工作要点"
    assert [m["month"] for m in data["months"]] == list(range(1, 13))
    assert data["months"][0]["items"] == ["春节前走访慰问困难职工", "举办新春联欢会"]
    assert data["targets"][0] == {"text": "力争收集建议50条以上", "value": 50, "measure": "条", "op": ">="}
    assert Plan.objects.count() == 0


def test_dry_run_describes_the_plan(db):
    out, _ = run(str(SAMPLE), "--dry-run")
    assert "县人民医院工会2027年度工作要点" in out
    assert "共 21 项" in out


def test_import_saves_a_draft_of_the_unit(units):
    out, _ = run(str(SAMPLE), "--unit", "demo-office", "--year", "2027")
    plan = Plan.objects.get()
    assert (plan.unit, plan.year, plan.items.count()) == (units["office"], 2027, 21)
    assert f"#{plan.pk}" in out


def test_json_output_stays_pure_json_when_saving(units):
    out, err = run(str(SAMPLE), "--unit", "demo-office", "--year", "2027", "--json")
    assert json.loads(out)["title"]
    assert "已保存" in err


def test_saving_needs_unit_and_year(db):
    with pytest.raises(CommandError, match="--unit"):
        run(str(SAMPLE))


def test_unknown_unit_is_refused(db):
    with pytest.raises(CommandError, match="nowhere"):
        run(str(SAMPLE), "--unit", "nowhere", "--year", "2027")


def test_unreadable_file_exits_with_a_clear_message(db, tmp_path):
    broken = tmp_path / "plan.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a docx")
    with pytest.raises(CommandError, match="Word"):
        run(str(broken), "--dry-run")
    with pytest.raises(CommandError, match="无法读取文件"):
        run(str(tmp_path / "missing.txt"), "--dry-run")


def test_text_without_any_plan_is_refused(db, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(CommandError, match="没有读到计划内容"):
        run(str(empty), "--dry-run")


@pytest.mark.parametrize("name", ["14-word-97.doc", "15-text-layer.pdf"])
def test_dry_run_json_reads_old_word_files_and_text_pdfs(db, name):
    from plans.reading import soffice_path

    if name.endswith(".doc") and not soffice_path():
        pytest.skip("LibreOffice is not installed")
    data = json.loads(run(str(CORPUS / name), "--dry-run", "--json")[0])
    assert data["title"] == "卫生院工会2027年工作计划"
    assert data["months"][0] == {"month": 3, "items": ["三八节女职工座谈会", "护理技能比赛"]}


def test_a_festival_month_is_marked_inferred_on_its_item(db):
    data = json.loads(run(str(CORPUS / "07-festivals.txt"), "--dry-run", "--json")[0])
    september = next(m for m in data["months"] if m["month"] == 9)
    assert september["items"] == [{"text": "教师节表彰优秀教师", "inferred": True, "festival": "教师节"}]


def test_a_scanned_pdf_is_refused_saying_so(db):
    with pytest.raises(CommandError, match="扫描件"):
        run(str(CORPUS / "16-scanned.pdf"), "--dry-run")


def test_an_excel_schedule_is_imported_with_its_owners(units, tmp_path):
    from plans.tests.test_reading import _schedule_workbook

    path = tmp_path / "行事历.xlsx"
    path.write_bytes(_schedule_workbook())
    run(str(path), "--unit", "demo-school", "--year", "2027")
    items = Plan.objects.get(unit=units["school"], year=2027).items.order_by("order")
    assert [(i.month, i.text, i.owner) for i in items][:2] == [
        (3, "三八妇女节活动", "女工委员"),
        (3, "召开教职工代表大会", "工会主席"),
    ]
