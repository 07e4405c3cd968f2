"""The unit's self-evaluation (自评报告) as a Word document, to hand in or print: each criterion with its
points, the unit's score and what supports it, the self total and the unit's 落款; for whoever may read
the self-check page, and no one else."""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from assessments import services
from assessments.models import Criterion, Scheme
from assessments.tests.conftest import check_of, open_round
from core.officialdoc import chinese_date
from core.testing import in_english

SUBMITTED_AT = timezone.make_aware(datetime.datetime(2026, 11, 6, 16, 30))


def _filled(round_, unit, by, *, submit=True):
    """The school's self-check: two criteria scored with notes, material for one and for the whole."""
    check = check_of(round_, unit)
    ids = {c.title: c.pk for c in round_.scheme.criteria.all()}
    services.selfcheck_save(
        check=check,
        scores={ids["委员分工明确"]: Decimal(9), ids["有职工书屋"]: Decimal("18.5")},
        notes={ids["委员分工明确"]: "分工文件已印发"},
        summary="对照标准逐项自查，材料齐全。",
    )
    services.evidence_add(
        check=check,
        by=by,
        criterion=Criterion.objects.get(pk=ids["有职工书屋"]),
        text="职工书屋藏书三千册\n借阅登记本一册",
        file=SimpleUploadedFile("shuwu.png", b"\x89PNG\r\n\x1a\nfake", content_type="image/png"),
    )
    services.evidence_add(check=check, by=by, text="工会工作台账（2026年）")
    if submit:
        services.selfcheck_submit(check=check, by=by, now=SUBMITTED_AT)
    return check


def _document(client, check):
    response = client.get(reverse("assessments:self_evaluation_docx", args=[check.pk]))
    assert response.status_code == 200
    return response, Document(io.BytesIO(response.content))


def test_the_chair_downloads_the_self_evaluation_with_every_criterion_and_the_total(round_, units, client_for, zhuxi):
    check = _filled(round_, units["school"], zhuxi)
    response, document = _document(client_for(zhuxi), check)
    assert "utf-8''" in response["Content-Disposition"]  # 城关镇中心学校工会2026年模范职工之家评选自评报告.docx
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[:2] == ["城关镇中心学校工会", "2026年模范职工之家评选自评报告"]
    assert "考核细则共3项，满分40.0分，自评得分27.5分" in texts[2]
    assert "对照标准逐项自查，材料齐全。" in texts
    assert "1. 工会工作台账（2026年）" in texts  # material for the self-check as a whole
    assert texts[-2:] == ["城关镇中心学校工会", chinese_date(datetime.date(2026, 11, 6))]  # the day it was submitted
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["类别", "考核内容", "分值", "自评得分", "自评说明及佐证"]
    assert rows[1][:4] == ["组织建设", "委员分工明确", "10.0", "9.0"] and rows[1][4] == "分工文件已印发"
    assert rows[2][:4] == ["阵地建设", "有职工书屋", "20.0", "18.5"]
    assert rows[2][4] == "佐证：职工书屋藏书三千册（附件：shuwu.png）"  # its first line, and the file
    assert rows[3][:4] == ["组织建设", "年度计划已发布", "10.0", "0.0"]
    assert rows[3][4].startswith("系统记录：没有2026年工作计划")  # what the record held at submission
    assert rows[4] == ["合计", "合计", "40.0", "27.5", ""]
    assert sum(round(column.width.mm) for column in table.columns) <= 156
    for row in table.rows[1:]:
        assert [cell.paragraphs[0].alignment for cell in row.cells[2:4]] == [WD_ALIGN_PARAGRAPH.RIGHT] * 2


def test_a_draft_reads_as_the_page_shows_it_signed_today(round_, units, client_for, zhuxi):
    check = _filled(round_, units["school"], zhuxi, submit=False)
    _response, document = _document(client_for(zhuxi), check)
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[-1][2:4] == ["40.0", "27.5"]  # the rule scores nothing yet: no plan published
    assert document.paragraphs[-1].text == chinese_date(timezone.localdate())


def test_a_criterion_not_yet_scored_shows_a_dash(round_, units, client_for, zhuxi):
    check = check_of(round_, units["school"])
    _response, document = _document(client_for(zhuxi), check)
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[1][3] == "—" and rows[-1][3] == "0.0"


def test_the_check_page_links_to_it(round_, units, client_for, zhuxi):
    check = check_of(round_, units["school"])
    page = client_for(zhuxi).get(reverse("assessments:check", args=[check.pk])).content.decode()
    assert reverse("assessments:self_evaluation_docx", args=[check.pk]) in page


def test_only_the_unit_and_its_reviewers_once_submitted_may_download_it(
    round_, units, client_for, zhuxi, xianzong, bangong, huiyuan, outsider
):
    check = check_of(round_, units["school"])
    url = reverse("assessments:self_evaluation_docx", args=[check.pk])
    assert client_for(xianzong).get(url).status_code == 404  # a draft is the unit's own work
    _filled(round_, units["school"], zhuxi)
    assert client_for(zhuxi).get(url).status_code == 200
    assert client_for(xianzong).get(url).status_code == 200  # the county, which reviews it
    for person in (bangong, huiyuan, outsider):  # another unit's chair, a member, someone elsewhere
        assert client_for(person).get(url).status_code == 404, person.username
    assert client_for(bangong).get(reverse("assessments:check", args=[check.pk])).status_code == 404  # as the page


def test_from_the_english_pages_the_document_is_chinese(round_, units, client_for, zhuxi):
    check = _filled(round_, units["school"], zhuxi)
    _response, document = _document(in_english(client_for(zhuxi)), check)
    assert document.tables[0].rows[0].cells[0].text == "类别"
    assert "自评报告" in document.paragraphs[1].text


def test_the_download_keeps_to_bounded_queries_with_many_criteria_and_material(
    units, client_for, zhuxi, django_assert_max_num_queries
):
    scheme = Scheme.objects.create(unit=units["county"], title="职工之家建设标准")
    Criterion.objects.bulk_create(
        Criterion(scheme=scheme, order=n, group=f"类别{n // 5}", title=f"细则{n}", points=Decimal(5)) for n in range(40)
    )
    round_ = open_round(scheme, units, invited=[units["school"]])
    check = check_of(round_, units["school"])
    criteria = list(scheme.criteria.all())
    services.selfcheck_save(
        check=check, scores={c.pk: Decimal(4) for c in criteria}, notes={c.pk: "已落实" for c in criteria}, summary=""
    )
    for criterion in criteria:
        services.evidence_add(check=check, by=zhuxi, criterion=criterion, text=f"{criterion.title}的台账")
    services.selfcheck_submit(check=check, by=zhuxi)
    client = client_for(zhuxi)
    with django_assert_max_num_queries(12):
        _response, document = _document(client, check)
    assert len(document.tables[0].rows) == 42  # the header, 40 criteria and the 合计
