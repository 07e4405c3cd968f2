"""The session's Word documents read as the congress pages do: the handling report counts what the
statistics count and lists each proposal once, a notice is dated when it was issued, and the pack
prepared before a meeting reports no attendance it cannot know yet."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from core.officialdoc import chinese_date
from democracy.documents import proposals_report, session_documents, session_notice
from democracy.models import Proposal
from democracy.services import congress as congress_svc
from democracy.services import proposals as svc
from democracy.tests.conftest import ROUTE_DAY, WINDOW_DAY


def paragraphs(data):
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def table_rows(data):
    return [[cell.text for cell in row.cells] for table in Document(io.BytesIO(data)).tables for row in table.rows]


def submitted(session, author, fellows, title):
    proposal = svc.proposal_submit(
        session=session, author=author, title=title, reasons="理由", measures="措施", today=WINDOW_DAY
    )
    for fellow in fellows[:2]:
        proposal = svc.proposal_cosign(proposal=proposal, user=fellow, today=WINDOW_DAY)
    return proposal


@pytest.fixture
def vetted(session, daibiao, fellows, chuzhang):
    """One proposal of each fate: accepted, rejected, turned into a suggestion, merged, still to vet
    and still gathering co-signers."""
    routing = {"category": "logistics", "handler": chuzhang, "department": "总务处"}
    kept = submitted(session, daibiao, fellows, "改善食堂")
    svc.proposal_vet(proposal=kept, decision=svc.Decision.ACCEPT, by=None, today=ROUTE_DAY, routing=routing)
    for title, decision in (("调整个人课时", svc.Decision.REJECT), ("配备护嗓用品", svc.Decision.TO_SUGGESTION)):
        proposal = submitted(session, daibiao, fellows, title)
        svc.proposal_vet(proposal=proposal, decision=decision, by=None, today=ROUTE_DAY, reason="审查意见")
    merged = submitted(session, daibiao, fellows, "食堂增加晚餐")
    svc.proposal_vet(
        proposal=merged, decision=svc.Decision.MERGE, by=None, today=ROUTE_DAY, reason="内容相近", merged_into=kept
    )
    submitted(session, daibiao, fellows, "设立青年教师成长基金")
    svc.proposal_submit(
        session=session, author=daibiao, title="心理健康关爱", reasons="理由", measures="措施", today=WINDOW_DAY
    )
    return session


TITLES = ["改善食堂", "调整个人课时", "配备护嗓用品", "食堂增加晚餐", "设立青年教师成长基金", "心理健康关爱"]


def test_the_handling_report_counts_as_the_congress_pages_and_lists_every_proposal_once(vetted):
    data, _name = proposals_report(vetted)
    text = paragraphs(data)
    received = Proposal.objects.filter(session=vetted).count()  # the session page's figure
    [figures] = svc.handling_figures(Proposal.objects.filter(session=vetted).proposals())  # the statistics page's
    assert received == 6 and figures.received == 5
    opening = next(p for p in text if p.startswith("本次会议共收到提案"))
    assert opening.startswith(
        "本次会议共收到提案6件：立案1件，转为合理化建议1件，并案1件，不予立案1件，待审查1件，正在征集附议1件。"
    )
    for title in TITLES:
        assert sum(title in p for p in text) == 1, title
    assert "尚未审查的提案" in "".join(text)


def test_the_handling_reports_table_counts_what_was_not_handed_over_and_adds_up(vetted):
    data, _name = proposals_report(vetted)
    rows = table_rows(data)
    assert rows[0][:3] == ["主办部门", "收到", "立案"]
    by_label = {row[0]: row[1:] for row in rows[1:]}
    assert by_label["未交办"][:2] == ["4", "0"]
    assert by_label["总务处"][:2] == ["1", "1"]
    # The one turned into a suggestion was received as a proposal: the 合计 is the opening's 6, not 5.
    assert by_label["转为合理化建议"][:2] == ["1", "0"]
    assert by_label["合计"][:2] == ["6", "1"]
    assert sum(int(row[0]) for label, row in by_label.items() if label != "合计") == 6


def test_a_session_still_collecting_proposals_reports_no_empty_rows(session, daibiao, fellows):
    submitted(session, daibiao, fellows, "设立青年教师成长基金")
    data, _name = proposals_report(session)
    text = "\n".join(paragraphs(data))
    assert table_rows(data) == []
    assert "本次会议共收到提案1件：待审查1件。" in text and "已答复" not in text


def test_a_notice_is_signed_on_the_day_it_was_issued_not_the_day_it_is_downloaded(session):
    data, _name = session_notice(session)
    assert paragraphs(data)[-1] == chinese_date(datetime.date(2025, 9, 1))  # proposals_open_on


def test_the_pack_prepared_before_the_meeting_reports_no_failed_quorum(session, daibiao, fellows):
    session.resolutions.create(unit=session.unit, title="绩效工资分配方案")
    data, _name = session_documents(session)
    text = "\n".join(paragraphs(data))
    assert "实到" not in text and "未达到规定比例" not in text
    assert "本届代表6人。会议尚未召开" in text
    assert table_rows(data)[1] == ["绩效工资分配方案", "—", "—", "—", "待表决"]


def test_the_pack_after_check_in_reports_attendance(session, daibiao, fellows):
    for representative in session.congress.representatives.all()[:4]:
        congress_svc.session_check_in(session=session, representative=representative, by=None)
    data, _name = session_documents(session)
    assert "本届代表6人，实到4人，超过规定比例，会议有效。" in "\n".join(paragraphs(data))


def test_the_reports_tables_fit_the_page_with_their_counts_right_aligned(vetted):
    """Counts line up at the right of their columns, each header on its line within the 156 mm text block,
    and the 合计 row reads as the total it is."""
    data, _name = proposals_report(vetted)
    [table] = Document(io.BytesIO(data)).tables
    assert [round(column.width.mm) for column in table.columns] == [45, 16, 16, 20, 24, 35]
    for row in table.rows[1:]:
        assert {cell.paragraphs[0].alignment for cell in row.cells[1:]} == {WD_ALIGN_PARAGRAPH.RIGHT}
    assert table.rows[-1].cells[0].text == "合计" and table.rows[-1].cells[1].paragraphs[0].runs[0].font.bold
    assert not table.rows[1].cells[1].paragraphs[0].runs[0].font.bold


def test_the_votes_table_fits_the_page_with_its_figures_right_aligned(session):
    session.resolutions.create(unit=session.unit, title="绩效工资分配方案", votes_for=50, votes_against=2)
    data, _name = session_documents(session)
    [table] = Document(io.BytesIO(data)).tables
    assert sum(round(column.width.mm) for column in table.columns) <= 156
    row = table.rows[1]
    assert [cell.text for cell in row.cells[:4]] == ["绩效工资分配方案", "50", "2", "0"]
    assert [cell.paragraphs[0].alignment for cell in row.cells[1:4]] == [WD_ALIGN_PARAGRAPH.RIGHT] * 3


def test_the_notices_title_breaks_before_the_term_not_mid_word(session):
    """关于召开…的通知 is longer than a title line: it breaks where the session's name does, before 第…届,
    and the report's title likewise, before 第…届 or 第…次 (a line break in the title paragraph, not
    wherever Word fills the line)."""
    data, _name = session_notice(session)
    title = Document(io.BytesIO(data)).paragraphs[0].text
    assert title == f"关于召开{session.unit.display_name}{session.congress.label}\n第三届第五次会议的通知"
    data, _name = proposals_report(session)
    title = Document(io.BytesIO(data)).paragraphs[0].text
    name = f"{session.unit.display_name}{session.congress.label}第三届第五次会议"
    assert title.replace("\n", "") == f"关于{name}提案办理情况的报告"
    assert title.count("\n") == 1 and title.split("\n")[1].startswith("第")


def test_in_english_what_is_put_to_the_vote_is_a_motion(client_for, zhuxi, session, settings):
    """表决事项 read "Matter voted on", also as the list's heading: the list is the session's Motions, one
    of them a Motion (the add form, the column of the pack's votes table)."""
    session.resolutions.create(unit=session.unit, title="绩效工资分配方案", votes_for=50, votes_against=2)
    client = client_for(zhuxi)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("democracy:session", args=[session.pk])).content.decode()
    assert 'fw-semibold">Motions</div>' in page
    assert 'placeholder="Motion"' in page
    assert "Matter voted on" not in page
    with translation.override("en"):
        data, _name = session_documents(session)
    [table] = Document(io.BytesIO(data)).tables
    assert table.rows[0].cells[0].text == "Motion"
    with translation.override("zh-hans"):
        data, _name = session_documents(session)
    [table] = Document(io.BytesIO(data)).tables
    assert table.rows[0].cells[0].text == "表决事项"
