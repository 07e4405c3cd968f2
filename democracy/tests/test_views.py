"""Pages: who may see what (a persona matrix), bad input shown in Chinese changing nothing,
documents, the public board without login, and bounded queries."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from conftest import make_person
from democracy.models import Ballot, DisclosureItem, Opinion, Proposal, ProposalStatus
from democracy.services import DemocracyError
from democracy.services import ballots as ballot_svc
from democracy.services import proposals as svc
from democracy.tests.conftest import ROUTE_DAY, WINDOW_DAY, add_member
from orgs.roles import Role


@pytest.fixture
def open_ballot(units, huiyuan, zhuxi):
    add_member(units["g1"], "周小红", user=huiyuan)
    ballot = ballot_svc.ballot_create(
        unit=units["school"], title="优秀会员", candidates=["甲", "乙", "丙"], seats=1, scrutineers=[zhuxi]
    )
    return ballot_svc.ballot_open(ballot=ballot)


@pytest.mark.parametrize(
    "persona, status",
    [
        ("zhuxi", 200),
        ("weiyuan", 200),
        ("xianzong", 200),
        ("daibiao", 200),
        ("chuzhang", 200),
        ("xiaozu", 404),
        ("outsider", 404),
    ],
)
def test_who_may_read_a_proposal(request, client_for, routed, persona, status):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("democracy:proposal", args=[routed.pk])).status_code == status


def test_statistics_and_congress_pages_are_for_overseers_only(client_for, session, xiaozu, outsider, huiyuan, zhuxi):
    for user in (xiaozu, outsider, huiyuan):
        assert client_for(user).get(reverse("democracy:session", args=[session.pk])).status_code == 404
    for user in (xiaozu, huiyuan):
        assert client_for(user).get(reverse("democracy:statistics")).status_code == 404
    assert client_for(zhuxi).get(reverse("democracy:statistics")).status_code == 200


def test_opinions_are_read_by_the_union_not_by_the_federation_viewer_nor_a_group_leader(
    client_for, units, huiyuan, xianzong, xiaozu, zhuxi
):
    client_for(huiyuan).post(reverse("democracy:opinions"), {"text": "操场灯坏了", "anonymous": "on"})
    for user in (xianzong, xiaozu):
        response = client_for(user).get(reverse("democracy:opinion_inbox"))
        assert response.status_code == 404
    page = client_for(zhuxi).get(reverse("democracy:opinion_inbox")).content.decode()
    assert "操场灯坏了" in page and "匿名" in page and "周小红" not in page


def test_an_answer_by_someone_not_assigned_shows_a_chinese_message_and_changes_nothing(client_for, routed, zhuxi):
    response = client_for(zhuxi).post(
        reverse("democracy:proposal_answer", args=[routed.pk]), {"text": "已办"}, follow=True
    )
    assert "只有交办的主办人可以答复" in response.content.decode()
    assert Proposal.objects.get(pk=routed.pk).status == ProposalStatus.ROUTED


def test_the_handler_answers_and_the_proposer_rates_through_the_pages(client_for, routed, chuzhang, daibiao):
    client_for(chuzhang).post(reverse("democracy:proposal_answer", args=[routed.pk]), {"text": "已整改"})
    assert Proposal.objects.get(pk=routed.pk).status == ProposalStatus.ANSWERED
    client_for(daibiao).post(reverse("democracy:proposal_rate", args=[routed.pk]), {"rating": "basically"})
    assert Proposal.objects.get(pk=routed.pk).status == ProposalStatus.CLOSED


def test_not_satisfied_without_a_reason_comes_back_on_the_page_and_the_handler_reads_the_reason(
    client_for, routed, chuzhang, daibiao
):
    client_for(chuzhang).post(reverse("democracy:proposal_answer", args=[routed.pk]), {"text": "已沟通"})
    rate = reverse("democracy:proposal_rate", args=[routed.pk])
    response = client_for(daibiao).post(rate, {"rating": "not_satisfied", "reason": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "请写明不满意的理由" in html
    assert 'value="not_satisfied" id="id_rating_2" required checked' in html  # her choice is kept
    assert Proposal.objects.get(pk=routed.pk).status == ProposalStatus.ANSWERED

    client_for(daibiao).post(rate, {"rating": "not_satisfied", "reason": "只说了沟通，没有措施。"})
    assert Proposal.objects.get(pk=routed.pk).status == ProposalStatus.REOPENED
    page = client_for(chuzhang).get(reverse("democracy:proposal", args=[routed.pk])).content.decode()
    assert "不满意的理由" in page and "只说了沟通，没有措施。" in page


def test_an_answer_with_a_mistake_comes_back_with_the_text_the_handler_wrote(client_for, units, huiyuan, chuzhang):
    item = svc.suggestion_submit(
        unit=units["school"], author=huiyuan, title="节能灯", reasons="r", measures="m", today=datetime.date(2025, 5, 1)
    )
    svc.item_route(proposal=item, today=datetime.date(2025, 5, 1), category="logistics", handler=chuzhang)
    url = reverse("democracy:proposal_answer", args=[item.pk])
    text = "经研究，教学楼走廊灯具年内全部更换为LED节能灯，由总务处负责落实。"
    # 采纳情况 forgotten: the service's refusal stands at that field, and the answer is still there.
    page = client_for(chuzhang).post(url, {"text": text, "benefit": "8000"}).content.decode()
    assert "请选择建议的采纳情况。" in page and text in page and 'value="8000"' in page
    # An amount that is not one: named at its field, the rest kept.
    page = client_for(chuzhang).post(url, {"text": text, "outcome": "adopted", "benefit": "八千"}).content.decode()
    assert "is-invalid" in page and text in page and 'value="八千"' in page
    assert Proposal.objects.get(pk=item.pk).status == ProposalStatus.ROUTED


@pytest.mark.parametrize(
    "field, amount", [("benefit", "12345678901234.56"), ("benefit", "99999999999.99"), ("reward", "100000000")]
)
def test_an_amount_too_large_to_store_is_a_field_error_and_the_lists_still_open(
    client_for, units, huiyuan, chuzhang, zhuxi, field, amount
):
    item = svc.suggestion_submit(
        unit=units["school"], author=huiyuan, title="节能灯", reasons="r", measures="m", today=datetime.date(2025, 5, 1)
    )
    svc.item_route(proposal=item, today=datetime.date(2025, 5, 1), category="logistics", handler=chuzhang)
    url = reverse("democracy:proposal_answer", args=[item.pk])
    response = client_for(chuzhang).post(url, {"text": "采纳", "outcome": "adopted", field: amount})
    page = response.content.decode()
    assert response.status_code == 200 and "金额不能超过" in page and f'value="{amount}"' in page
    assert Proposal.objects.get(pk=item.pk).status == ProposalStatus.ROUTED and not item.answers.exists()
    client = client_for(zhuxi)
    for name, args in (("proposals", []), ("proposal", [item.pk]), ("commendation", [])):
        assert client.get(reverse(f"democracy:{name}", args=args)).status_code == 200


def test_the_answer_service_refuses_an_amount_its_column_cannot_hold(units, huiyuan, chuzhang):
    item = svc.suggestion_submit(
        unit=units["school"], author=huiyuan, title="节能灯", reasons="r", measures="m", today=datetime.date(2025, 5, 1)
    )
    svc.item_route(proposal=item, today=datetime.date(2025, 5, 1), category="logistics", handler=chuzhang)
    with pytest.raises(DemocracyError) as refused:
        svc.item_answer(
            proposal=item,
            by=chuzhang,
            text="采纳",
            today=datetime.date(2025, 5, 2),
            outcome="adopted",
            benefit=Decimal("10000000000"),
        )
    assert refused.value.field == "benefit" and not item.answers.exists()


def test_vetting_with_a_mistake_keeps_the_reason(client_for, proposal, fellows, zhuxi):
    for fellow in fellows[:2]:
        svc.proposal_cosign(proposal=proposal, user=fellow, today=WINDOW_DAY)
    url = reverse("democracy:proposal_vet", args=[proposal.pk])
    page = client_for(zhuxi).post(url, {"decision": "merge", "reason": "与第1号提案内容相同"}).content.decode()
    assert "请选择要并入的同一单位的另一件提案。" in page and "与第1号提案内容相同" in page
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


def test_merging_into_a_number_no_proposal_has_says_so(client_for, proposal, fellows, zhuxi):
    for fellow in fellows[:2]:
        svc.proposal_cosign(proposal=proposal, user=fellow, today=WINDOW_DAY)
    url = reverse("democracy:proposal_vet", args=[proposal.pk])
    page = client_for(zhuxi).post(url, {"decision": "merge", "reason": "相同", "merged_into": "77"}).content.decode()
    assert "本次会议没有编号为77的提案" in page
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


def test_a_proposal_after_the_window_shows_the_reason_and_writes_nothing(client_for, session, daibiao):
    response = client_for(daibiao).post(
        reverse("democracy:proposal_create", args=[session.pk]), {"title": "晚了", "reasons": "r", "measures": "m"}
    )
    assert response.status_code == 200 and "不在征集期内" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_member_votes_once_and_a_ballot_with_too_many_choices_is_refused(client_for, open_ballot, huiyuan):
    client = client_for(huiyuan)
    ids = list(open_ballot.candidates.values_list("pk", flat=True))
    url = reverse("democracy:ballot_vote", args=[open_ballot.pk])
    response = client.post(url, {f"c{ids[0]}": "on", f"c{ids[1]}": "on"})
    assert "多于应选人数" in response.content.decode()
    assert Ballot.objects.get(pk=open_ballot.pk).cast_count == 0
    assert client.post(url, {f"c{ids[0]}": "on"}).status_code == 302
    response = client.post(url, {f"c{ids[1]}": "on"})
    assert "已经投过票" in response.content.decode() or "您已投票" in response.content.decode()
    assert Ballot.objects.get(pk=open_ballot.pk).cast_count == 1


def test_a_vote_after_close_is_refused_with_a_message(client_for, open_ballot, huiyuan):
    ballot_svc.ballot_close(ballot=open_ballot)
    ids = list(open_ballot.candidates.values_list("pk", flat=True))
    response = client_for(huiyuan).post(reverse("democracy:ballot_vote", args=[open_ballot.pk]), {f"c{ids[0]}": "on"})
    assert "已经截止" in response.content.decode()


def test_results_are_sealed_on_the_api_too(client_for, open_ballot, zhuxi):
    response = client_for(zhuxi).get(f"/api/v1/democracy/ballots/{open_ballot.pk}/results")
    assert response.status_code == 409 and "结果保密" in response.json()["message"]


def test_the_public_board_needs_no_login_and_shows_only_public_published_items(client, units):
    school = units["school"]
    shown = DisclosureItem.objects.create(
        unit=school,
        title="财务公开",
        category="finance",
        period="year",
        period_label="2025年",
        due_on=datetime.date(2025, 6, 1),
        is_public=True,
        published_on=datetime.date(2025, 5, 30),
        content="收支明细",
    )
    DisclosureItem.objects.create(
        unit=school,
        title="内部事项",
        category="other",
        period="year",
        period_label="2025年",
        due_on=datetime.date(2025, 6, 1),
        is_public=False,
        published_on=datetime.date(2025, 5, 30),
        content="内部",
    )
    page = client.get(reverse("democracy:public_board", args=["demo-school"])).content.decode()
    assert shown.title in page and "内部事项" not in page
    api = client.get("/api/v1/democracy/public/demo-school/disclosure").json()
    assert [item["title"] for item in api["items"]] == ["财务公开"]


def test_overdue_disclosures_are_flagged_for_the_chair(client_for, units, zhuxi):
    DisclosureItem.objects.create(
        unit=units["school"],
        title="采购",
        category="procurement",
        period="quarter",
        period_label="三季度",
        due_on=datetime.date(2020, 1, 1),
    )
    page = client_for(zhuxi).get(reverse("democracy:disclosure")).content.decode()
    assert 'data-testid="overdue"' in page


@pytest.mark.parametrize("what", ["notice", "documents", "report"])
def test_session_documents_come_out_as_word_files(client_for, routed, session, zhuxi, what):
    response = client_for(zhuxi).get(reverse("democracy:session_document", args=[session.pk, what]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "第五次" in text


def test_the_proposal_list_keeps_to_a_bounded_number_of_queries(
    client_for, session, daibiao, fellows, zhuxi, django_assert_max_num_queries
):
    for number in range(25):
        svc.proposal_submit(
            session=session, author=daibiao, title=f"提案{number}", reasons="r", measures="m", today=WINDOW_DAY
        )
    client = client_for(zhuxi)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("democracy:proposals")).status_code == 200


def test_the_opinion_box_publishes_replies_with_the_message(client_for, units, huiyuan, zhuxi):
    client_for(huiyuan).post(reverse("democracy:opinions"), {"text": "希望延长图书室开放时间"})
    opinion = Opinion.objects.get()
    assert opinion.author == huiyuan
    client_for(zhuxi).post(
        reverse("democracy:opinion_reply", args=[opinion.pk]), {"reply": "下周起延长到18点", "publish": "on"}
    )
    page = client_for(huiyuan).get(reverse("democracy:opinions")).content.decode()
    assert "希望延长图书室开放时间" in page and "下周起延长到18点" in page


def test_a_member_reads_back_what_she_signed_and_its_answer_published_or_not(client_for, units, huiyuan, zhuxi):
    client = client_for(huiyuan)
    client.post(reverse("democracy:opinions"), {"text": "食堂能否增加素菜窗口"})
    client.post(reverse("democracy:opinions"), {"text": "匿名：希望公开评优名额", "anonymous": "on"})
    mine = client.get(reverse("democracy:opinions")).content.decode().split('data-testid="my-opinions"')[1]
    mine = mine.split("</ul>")[0]
    assert "食堂能否增加素菜窗口" in mine and "未答复" in mine and "匿名" not in mine
    signed = Opinion.objects.get(author=huiyuan)
    client_for(zhuxi).post(reverse("democracy:opinion_reply", args=[signed.pk]), {"reply": "下月起增加"})
    mine = client_for(huiyuan).get(reverse("democracy:opinions")).content.decode().split('data-testid="my-opinions"')
    assert "下月起增加" in mine[1].split("</ul>")[0]  # answered to her, though not published to everyone


def test_a_scanned_representative_code_checks_them_in(client_for, session, daibiao, zhuxi):
    representative = session.congress.representatives.get(member__user=daibiao)
    client = client_for(zhuxi)
    url = reverse("democracy:representative_code", args=[representative.token])
    assert "确认签到" in client.get(url).content.decode()
    client.post(url)
    assert session.attendances.filter(representative=representative).exists()


def test_a_blank_matter_is_refused_with_a_message_and_a_closed_session_offers_no_form(client_for, session, zhuxi):
    client = client_for(zhuxi)
    page = reverse("democracy:session", args=[session.pk])
    answer = client.post(reverse("democracy:resolution_add", args=[session.pk]), {"title": "   "}, follow=True)
    assert "表决事项：这个字段是必填项。" in answer.content.decode()
    assert not session.resolutions.exists()
    client.post(reverse("democracy:resolution_add", args=[session.pk]), {"title": "财务工作报告"})
    client.post(reverse("democracy:session_close", args=[session.pk]), {"minutes": ""})
    shown = client.get(page).content.decode()
    assert "财务工作报告" in shown
    assert reverse("democracy:resolution_add", args=[session.pk]) not in shown and "开始表决" not in shown
    assert "会议已闭幕，表决结果见下方。" in shown and "可以表决" not in shown
    answer = client.post(reverse("democracy:resolution_add", args=[session.pk]), {"title": "会后补充"}, follow=True)
    assert "会议已经闭幕，不能再添加表决事项。" in answer.content.decode()
    assert list(session.resolutions.values_list("title", flat=True)) == ["财务工作报告"]


def test_a_representatives_code_is_useless_to_someone_without_the_congress(client_for, session, daibiao, xianzong):
    representative = session.congress.representatives.get(member__user=daibiao)
    assert (
        client_for(xianzong).get(reverse("democracy:representative_code", args=[representative.token])).status_code
        == 404
    )


@pytest.fixture
def jiguan(units):
    """The chair of demo-office, the school's sibling union: runs a congress, not the school's."""
    return make_person("jiguan", "钱程", units["office"], Role.CHAIR)


@pytest.mark.parametrize("persona", ["jiguan", "outsider", "daibiao"])
def test_a_representatives_code_is_no_page_for_who_does_not_run_the_congress(
    persona, request, client_for, session, daibiao
):
    # Another union's chair, the neighbouring county's, and the representative whose own code it is.
    user = request.getfixturevalue(persona)
    representative = session.congress.representatives.get(member__user=daibiao)
    url = reverse("democracy:representative_code", args=[representative.token])
    client = client_for(user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"session": session.pk}).status_code == 404
    assert not session.attendances.exists()


def test_a_representative_chosen_from_a_group_sits_in_its_delegation(client_for, congress, units, zhuxi):
    member = add_member(units["g2"], "新代表")
    client_for(zhuxi).post(reverse("democracy:congress", args=[congress.pk]), {"member": member.pk})
    assert congress.representatives.get(member=member).delegation == units["g2"]


def test_the_commendation_list_shows_the_years_adopted_suggestions(client_for, units, huiyuan, chuzhang, zhuxi):
    item = svc.suggestion_submit(
        unit=units["school"], author=huiyuan, title="节能灯", reasons="r", measures="m", today=datetime.date(2025, 5, 1)
    )
    svc.item_route(proposal=item, today=datetime.date(2025, 5, 1), category="logistics", handler=chuzhang)
    svc.item_answer(
        proposal=item,
        by=chuzhang,
        text="采纳",
        today=datetime.date(2025, 5, 6),
        outcome="adopted",
        benefit=8000,
        reward=300,
    )
    page = client_for(zhuxi).get(reverse("democracy:commendation") + "?year=2025").content.decode()
    assert "节能灯" in page and "¥8,000.00" in page


def test_a_closed_ballots_notice_is_drafted_from_its_result(client_for, open_ballot, huiyuan, zhuxi):
    ids = list(open_ballot.candidates.values_list("pk", flat=True))
    client_for(huiyuan).post(reverse("democracy:ballot_vote", args=[open_ballot.pk]), {f"c{ids[0]}": "on"})
    client = client_for(zhuxi)
    url = reverse("democracy:notice_create") + f"?ballot={open_ballot.pk}"
    assert client.get(url).status_code == 200
    ballot_svc.ballot_close(ballot=open_ballot)
    page = client.get(url).content.decode()
    assert "甲当选优秀会员" in page


def test_paper_ballots_entered_by_two_officers_through_the_page(client_for, units, zhuxi, bangfu, weiyuan):
    ballot = ballot_svc.ballot_create(unit=units["school"], title="纸质", candidates=["甲"], mode="paper")
    ballot_svc.ballot_open(ballot=ballot)
    candidate = ballot.candidates.get()
    url = reverse("democracy:ballot_paper", args=[ballot.pk])
    data = {"returned": 0, "invalid": 0, f"c{candidate.pk}_chosen": 0}
    for officer in (zhuxi, zhuxi):
        client_for(officer).post(url, data)
    assert ballot.paper_counts.count() == 1  # the second entry must be another officer's
    response = client_for(zhuxi).post(url, data)
    assert "另一位工作人员" in response.content.decode()


def test_the_board_keeps_past_years_as_an_archive(client_for, units, zhuxi, huiyuan):
    for year in (2024, 2025):
        DisclosureItem.objects.create(
            unit=units["school"],
            title=f"财务{year}",
            category="finance",
            period="year",
            period_label=str(year),
            due_on=datetime.date(year, 6, 1),
            published_on=datetime.date(year, 5, 30),
            content="明细",
        )
    page = client_for(huiyuan).get(reverse("democracy:disclosure") + "?year=2024").content.decode()
    assert "财务2024" in page and "财务2025" not in page


def test_someone_not_on_the_roll_is_told_before_filling_the_ballot(client_for, open_ballot, xianzong):
    page = client_for(xianzong).get(reverse("democracy:ballot_vote", args=[open_ballot.pk])).content.decode()
    assert "不在本次投票的投票人名单中" in page and 'data-testid="cast"' not in page


def test_the_session_scanner_checks_a_representative_in_and_gets_the_count(
    client_for, session, daibiao, fellows, zhuxi
):
    representative = session.congress.representatives.get(member__user=daibiao)
    client = client_for(zhuxi)
    url = reverse("democracy:representative_code", args=[representative.token])
    page = client.get(reverse("democracy:session", args=[session.pk])).content.decode()
    assert "core/qrcheckin.js" in page and 'id="qr-reader"' in page
    response = client.post(url, {"session": session.pk}, HTTP_ACCEPT="application/json")
    assert response.json() == {
        "ok": True,
        "message": "吴晓梅（东关完小工会小组）已签到。",
        "present": 1,
        "reached": False,
        "representative": representative.pk,
    }
    wrong = client.post(url, {"session": session.pk + 100}, HTTP_ACCEPT="application/json")
    assert wrong.status_code == 409 and "另一届" in wrong.json()["message"]


def test_the_overview_shows_ones_latest_five_and_links_to_all_of_ones_own(client_for, session, daibiao, fellows):
    earliest = svc.proposal_submit(
        session=session,
        author=daibiao,
        title="设立青年教师成长基金",
        reasons="r",
        measures="m",
        today=WINDOW_DAY - datetime.timedelta(days=5),
    )
    for number in range(5):
        svc.proposal_submit(
            session=session, author=daibiao, title=f"提案{number}", reasons="r", measures="m", today=WINDOW_DAY
        )
    svc.proposal_submit(
        session=session, author=fellows[0], title="别人的提案", reasons="r", measures="m", today=WINDOW_DAY
    )
    client = client_for(daibiao)
    overview = client.get(reverse("democracy:index")).content.decode()
    assert "设立青年教师成长基金" not in overview and "提案4" in overview
    all_mine = reverse("democracy:proposals") + "?author=me"
    assert f'href="{all_mine}" data-testid="all-mine">查看全部（共6件）</a>' in overview
    listed = client.get(all_mine).context["page"].object_list
    assert len(listed) == 6 and earliest in listed and all(p.author == daibiao for p in listed)
    assert "别人的提案" in client.get(reverse("democracy:proposals")).content.decode()  # without the filter


def test_the_overview_needs_no_link_when_all_of_ones_own_are_shown(client_for, session, daibiao):
    for number in range(5):
        svc.proposal_submit(
            session=session, author=daibiao, title=f"提案{number}", reasons="r", measures="m", today=WINDOW_DAY
        )
    overview = client_for(daibiao).get(reverse("democracy:index")).content.decode()
    assert "提案0" in overview and "提案4" in overview and 'data-testid="all-mine"' not in overview


def test_ones_own_proposals_keep_to_a_bounded_number_of_queries(
    client_for, session, daibiao, django_assert_max_num_queries
):
    for number in range(40):
        svc.proposal_submit(
            session=session, author=daibiao, title=f"提案{number}", reasons="r", measures="m", today=WINDOW_DAY
        )
    client = client_for(daibiao)
    with django_assert_max_num_queries(12):
        assert "查看全部（共40件）" in client.get(reverse("democracy:index")).content.decode()
    with django_assert_max_num_queries(14):
        page = client.get(reverse("democracy:proposals") + "?author=me&page=2").context["page"]
    assert page.paginator.count == 40 and len(page.object_list) == 10


def test_the_county_officer_sees_the_unions_proposals_below_with_a_row_per_union(
    client_for, units, routed, huiyuan, xianzong, django_assert_max_num_queries
):
    svc.suggestion_submit(
        unit=units["office"],
        author=huiyuan,
        title="机关节能",
        reasons="r",
        measures="m",
        today=datetime.date(2025, 5, 1),
    )
    client = client_for(xianzong)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("democracy:statistics"), {"year": 2025})
    total = response.context["total"]  # the roll-ups' (democracy.rollup), exact once each change commits
    assert (total.proposals, total.suggestions) == (1, 1)  # demo-school's proposal, counted at the county
    page = response.content.decode()
    by_unit = page[page.index('data-testid="by-unit"') :].split("</table>")[0]
    assert units["school"].display_name in by_unit and units["office"].display_name in by_unit
    rows = {child.pk: figures for child, figures, _proposals in response.context["rows"]}
    assert rows[units["school"].pk].proposals == 1 and rows[units["office"].pk].suggestions == 1


def _cells(row_html):
    return re.findall(r'<td class="text-end">([^<]*)</td>', row_html)


def test_the_county_statistics_show_accepted_on_time_and_satisfaction_as_the_school_s_own_page_does(
    client_for, units, session, routed, daibiao, fellows, chuzhang, zhuxi, xianzong, django_assert_max_num_queries
):
    """立案, 按期答复 and 满意率 read from the roll-ups: the county's row of the school and its total say what
    the school's own (live) page says. Two proposals accepted, one rejected; one answered on time and rated
    satisfied, the other answered late and rated not satisfied: 50.0%, and still late (its new deadline is
    for the second answer)."""
    late = svc.proposal_submit(
        session=session, author=daibiao, title="增设健身器材", reasons="r", measures="m", today=WINDOW_DAY
    )
    rejected = svc.proposal_submit(
        session=session, author=daibiao, title="个人诉求", reasons="r", measures="m", today=WINDOW_DAY
    )
    for item in (late, rejected):
        for fellow in fellows[:2]:
            svc.proposal_cosign(proposal=item, user=fellow, today=WINDOW_DAY)
    svc.proposal_vet(proposal=rejected, decision=svc.Decision.REJECT, by=None, today=ROUTE_DAY, reason="个人诉求")
    routing = {"category": "logistics", "handler": chuzhang, "department": "总务处"}
    late = svc.proposal_vet(proposal=late, decision=svc.Decision.ACCEPT, by=None, today=ROUTE_DAY, routing=routing)
    svc.item_answer(proposal=routed, by=chuzhang, text="已改善。", today=ROUTE_DAY)
    svc.item_answer(proposal=late, by=chuzhang, text="已购置。", today=late.due_on + datetime.timedelta(days=5))
    svc.item_rate(proposal=routed, by=daibiao, rating="satisfied", today=late.due_on)
    svc.item_rate(proposal=late, by=daibiao, rating="not_satisfied", today=late.due_on, reason="数量不够")

    [school] = client_for(zhuxi).get(reverse("democracy:statistics")).context["total"]
    assert (school.received, school.accepted, school.answered, school.on_time) == (3, 2, 2, 1)
    assert school.satisfaction_rate == 50
    county = client_for(xianzong)
    with django_assert_max_num_queries(12):
        response = county.get(reverse("democracy:statistics"), {"year": 2025})
    page = response.content.decode()
    header = page[page.index('data-testid="by-unit"') :].split("</thead>")[0]
    assert all(f">{name}</th>" in header for name in ("立案", "按期答复", "满意率"))
    # 收到提案, 立案, 已答复提案, 按期答复, 满意率, then the suggestions' three.
    total = page[page.index('data-testid="total"') :].split("</tr>")[0]
    assert _cells(total)[:5] == ["3", "2", "2", "1", "50.0%"]
    school_row = page[page.index(units["school"].display_name, page.index('data-testid="own"')) :].split("</tr>")[0]
    assert _cells(school_row)[:5] == ["3", "2", "2", "1", "50.0%"]
    office_row = page[page.index(units["office"].display_name, page.index('data-testid="own"')) :].split("</tr>")[0]
    assert _cells(office_row)[:5] == ["0", "0", "0", "0", "—"]


def test_a_union_no_longer_active_keeps_its_row_while_its_proposals_count_in_the_county_total(
    client_for, units, huiyuan, xianzong
):
    """The rows and the county's own line add up to the total: a union deactivated after its suggestion was
    written is listed, marked, while the year's figures hold its records."""
    from orgs.models import OrgUnit, UnitKind

    closed = OrgUnit.objects.add_child(units["county"], {"code": "closed", "name": "撤并工会", "kind": UnitKind.UNION})
    svc.suggestion_submit(
        unit=closed, author=huiyuan, title="节能", reasons="r", measures="m", today=datetime.date(2025, 5, 1)
    )
    OrgUnit.objects.filter(pk=closed.pk).update(is_active=False)
    response = client_for(xianzong).get(reverse("democracy:statistics"), {"year": 2025})
    rows = {child.pk: figures for child, figures, _proposals in response.context["rows"]}
    assert rows[closed.pk].suggestions == 1
    total, own = response.context["total"], response.context["own"]
    assert own.suggestions + sum(f.suggestions for f in rows.values()) == total.suggestions
    assert 'data-testid="own"' in response.content.decode()


def test_the_county_s_statistics_read_the_roll_ups_in_as_many_queries_for_many_unions(
    client_for, units, huiyuan, xianzong, django_assert_max_num_queries
):
    """A province's page must not count every union's proposals: the county's reads the stored figures of
    each unit below, the same few queries for three unions' suggestions as for twenty-three."""
    from orgs.models import OrgUnit, UnitKind

    def add_unions(first, count):
        for i in range(first, first + count):
            union = OrgUnit.objects.add_child(
                units["county"], {"code": f"s{i}", "name": f"S{i}", "kind": UnitKind.UNION}
            )
            svc.suggestion_submit(
                unit=union, author=huiyuan, title=f"节能{i}", reasons="r", measures="m", today=datetime.date(2025, 5, 1)
            )

    client = client_for(xianzong)
    add_unions(0, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("democracy:statistics"), {"year": 2025})
    add_unions(3, 20)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("democracy:statistics"), {"year": 2025})
    assert response.context["total"].suggestions == 23
    assert client.get(reverse("democracy:statistics"), {"year": 2024}).context["total"].suggestions == 0


def test_the_county_overview_does_not_ask_its_officer_for_a_suggestion(client_for, xianzong, huiyuan):
    county = client_for(xianzong).get(reverse("democracy:index")).content.decode()
    assert reverse("democracy:suggestion_create") not in county and reverse("democracy:statistics") in county
    school = client_for(huiyuan).get(reverse("democracy:index")).content.decode()
    assert reverse("democracy:suggestion_create") in school


def test_the_statistics_row_of_suggestions_counted_reads_in_the_plural_in_english(client_for, units, routed, zhuxi):
    from core.testing import in_english

    svc.suggestion_submit(
        unit=units["school"], author=zhuxi, title="节能", reasons="r", measures="m", today=datetime.date(2025, 5, 1)
    )
    page = in_english(client_for(zhuxi)).get(reverse("democracy:statistics"), {"year": 2025}).content.decode()
    assert "<td>Rationalization suggestions</td>" in page
