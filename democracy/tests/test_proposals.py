"""Proposals and suggestions: window, co-signers, vetting, routing deadlines in working days,
answers only by the lead handler, satisfaction reopening once and only once."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_person
from core.models import Notification
from democracy.forms import handlers_of
from democracy.models import Answer, Category, Kind, Proposal, ProposalStatus, Rating
from democracy.services import DemocracyError
from democracy.services import proposals as svc
from democracy.tests.conftest import ROUTE_DAY, WINDOW_DAY
from orgs.roles import Role


def submit(session, author, title="改善教师食堂午餐质量", today=WINDOW_DAY):
    return svc.proposal_submit(
        session=session,
        author=author,
        title=title,
        reasons="午餐菜品单一，价格偏高。",
        measures="引入竞争，公开账目。",
        today=today,
    )


def accepted(session, daibiao, fellows, chuzhang, *, today=ROUTE_DAY, co_handlers=(), title="改善教师食堂午餐质量"):
    proposal = submit(session, daibiao, title=title)
    for fellow in fellows[:2]:
        svc.proposal_cosign(proposal=proposal, user=fellow, today=WINDOW_DAY)
    return svc.proposal_vet(
        proposal=proposal,
        decision=svc.Decision.ACCEPT,
        by=None,
        today=today,
        routing={
            "category": Category.LOGISTICS,
            "handler": chuzhang,
            "department": "总务处",
            "co_handlers": co_handlers,
        },
    )


def test_proposal_goes_to_the_committee_once_enough_representatives_cosign(session, daibiao, fellows):
    proposal = submit(session, daibiao)
    assert proposal.status == ProposalStatus.COSIGNING
    svc.proposal_cosign(proposal=proposal, user=fellows[0], today=WINDOW_DAY)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.COSIGNING
    svc.proposal_cosign(proposal=proposal, user=fellows[1], today=WINDOW_DAY)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


def test_author_cannot_cosign_and_nobody_cosigns_twice(session, daibiao, fellows):
    proposal = submit(session, daibiao)
    with pytest.raises(DemocracyError, match="提案人不能"):
        svc.proposal_cosign(proposal=proposal, user=daibiao, today=WINDOW_DAY)
    svc.proposal_cosign(proposal=proposal, user=fellows[0], today=WINDOW_DAY)
    with pytest.raises(DemocracyError, match="已经附议"):
        svc.proposal_cosign(proposal=proposal, user=fellows[0], today=WINDOW_DAY)
    assert proposal.cosigns.count() == 1


def test_a_member_who_is_not_a_representative_cannot_cosign(session, daibiao, huiyuan):
    proposal = submit(session, daibiao)
    with pytest.raises(DemocracyError, match="只有本届代表可以附议"):
        svc.proposal_cosign(proposal=proposal, user=huiyuan, today=WINDOW_DAY)


def test_proposal_after_the_window_is_refused_and_nothing_is_written(session, daibiao):
    with pytest.raises(DemocracyError, match="不在征集期内"):
        submit(session, daibiao, today=datetime.date(2025, 10, 1))
    assert not Proposal.objects.exists()


def test_a_member_who_is_not_a_representative_writes_a_suggestion_instead(session, huiyuan):
    with pytest.raises(DemocracyError, match="合理化建议"):
        submit(session, huiyuan)


def test_routing_deadline_counts_working_days_across_national_day_and_a_swapped_saturday(
    session, daibiao, fellows, chuzhang
):
    session.congress.answer_workdays = 5
    session.congress.save()
    proposal = accepted(session, daibiao, fellows, chuzhang)
    # Fri Sep 26 → Sun Sep 28 (swapped workday), 29, 30, then Oct 1-8 off, Oct 9, Oct 10.
    assert proposal.due_on == datetime.date(2025, 10, 10)
    session.congress.answer_workdays = 6
    session.congress.save()
    other = accepted(session, daibiao, fellows, chuzhang, title="增设教职工健身器材")
    assert other.due_on == datetime.date(2025, 10, 11)  # the Saturday worked in exchange for 国庆
    assert other.number == 2 and proposal.number == 1


def test_routing_tells_the_handler_and_co_handlers(session, daibiao, fellows, chuzhang, cohandler):
    accepted(session, daibiao, fellows, chuzhang, co_handlers=[cohandler])
    assert Notification.objects.filter(user=chuzhang, kind="democracy.routed").exists()
    assert Notification.objects.filter(user=cohandler, kind="democracy.routed").exists()


def test_an_answer_by_someone_not_assigned_is_refused(session, daibiao, fellows, chuzhang, cohandler):
    proposal = accepted(session, daibiao, fellows, chuzhang, co_handlers=[cohandler])
    for stranger in (cohandler, daibiao):
        with pytest.raises(DemocracyError, match="只有交办的主办人可以答复"):
            svc.item_answer(proposal=proposal, by=stranger, text="已处理。", today=ROUTE_DAY)
    assert not Answer.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.ROUTED


TENTH = datetime.date(2025, 10, 9)


def test_not_satisfied_reopens_once_and_only_once(session, daibiao, fellows, chuzhang):
    proposal = accepted(session, daibiao, fellows, chuzhang)
    svc.item_answer(proposal=proposal, by=chuzhang, text="已与食堂沟通。", today=datetime.date(2025, 10, 9))
    with pytest.raises(DemocracyError, match="请写明不满意的理由"):
        svc.item_rate(proposal=proposal, by=daibiao, rating=Rating.NOT_SATISFIED, reason=" \u200b", today=TENTH)
    assert not Answer.objects.get(proposal=proposal).rating
    proposal = svc.item_rate(
        proposal=proposal, by=daibiao, rating=Rating.NOT_SATISFIED, reason="价格没有变化。", today=TENTH
    )
    assert proposal.status == ProposalStatus.REOPENED and proposal.reopened
    assert proposal.due_on > TENTH
    assert Answer.objects.get(proposal=proposal, round=1).rating_reason == "价格没有变化。"
    (notice,) = Notification.objects.filter(user=chuzhang, kind="democracy.reopened")
    assert "（价格没有变化。）" in str(notice.text)

    svc.item_answer(
        proposal=proposal, by=chuzhang, text="下月起引入第二家供餐单位。", today=datetime.date(2025, 10, 13)
    )
    proposal = svc.item_rate(
        proposal=proposal, by=daibiao, rating=Rating.NOT_SATISFIED, reason="还是贵。", today=datetime.date(2025, 10, 14)
    )
    assert proposal.status == ProposalStatus.ANSWERED  # not reopened again: the committee closes it
    assert list(proposal.answers.values_list("round", "rating")) == [(1, "not_satisfied"), (2, "not_satisfied")]
    with pytest.raises(DemocracyError):
        svc.item_answer(proposal=proposal, by=chuzhang, text="第三次", today=datetime.date(2025, 10, 15))
    proposal = svc.item_close(proposal=proposal, today=datetime.date(2025, 10, 15))
    assert proposal.status == ProposalStatus.CLOSED


def test_satisfied_closes_and_counts_as_answered_on_time(session, daibiao, fellows, chuzhang):
    proposal = accepted(session, daibiao, fellows, chuzhang)
    svc.item_answer(proposal=proposal, by=chuzhang, text="已落实。", today=datetime.date(2025, 10, 9))
    proposal = svc.item_rate(proposal=proposal, by=daibiao, rating=Rating.SATISFIED, today=datetime.date(2025, 10, 9))
    assert proposal.status == ProposalStatus.CLOSED
    [row] = svc.handling_figures(Proposal.objects.all())
    assert (row.received, row.accepted, row.answered, row.on_time, row.rated, row.satisfied) == (1, 1, 1, 1, 1, 1)
    [by_department] = svc.handling_figures(Proposal.objects.all(), group_by="department")
    assert by_department.label == "总务处"


def test_only_the_proposer_rates(session, daibiao, fellows, chuzhang):
    proposal = accepted(session, daibiao, fellows, chuzhang)
    svc.item_answer(proposal=proposal, by=chuzhang, text="已落实。", today=ROUTE_DAY)
    with pytest.raises(DemocracyError, match="只有提出人"):
        svc.item_rate(proposal=proposal, by=fellows[0], rating=Rating.SATISFIED, today=ROUTE_DAY)


def test_vetting_rejects_with_a_reason_turns_into_suggestion_or_merges(session, daibiao, fellows):
    items = []
    for title in ("甲", "乙", "丙"):
        proposal = submit(session, daibiao, title=title)
        for fellow in fellows[:2]:
            svc.proposal_cosign(proposal=proposal, user=fellow, today=WINDOW_DAY)
        items.append(proposal)
    with pytest.raises(DemocracyError, match="理由"):
        svc.proposal_vet(proposal=items[0], decision=svc.Decision.REJECT, by=None, today=ROUTE_DAY)
    rejected = svc.proposal_vet(
        proposal=items[0], decision=svc.Decision.REJECT, by=None, today=ROUTE_DAY, reason="属于个人诉求"
    )
    assert rejected.status == ProposalStatus.REJECTED
    turned = svc.proposal_vet(
        proposal=items[1], decision=svc.Decision.TO_SUGGESTION, by=None, today=ROUTE_DAY, reason="不涉及全局"
    )
    assert (turned.kind, turned.status, turned.from_proposal) == (Kind.SUGGESTION, ProposalStatus.SUBMITTED, True)
    merged = svc.proposal_vet(
        proposal=items[2], decision=svc.Decision.MERGE, by=None, today=ROUTE_DAY, reason="同题", merged_into=items[1]
    )
    assert merged.status == ProposalStatus.MERGED and merged.merged_into_id == items[1].pk


def test_suggestions_run_through_the_same_routing_and_answer(units, huiyuan, chuzhang):
    suggestion = svc.suggestion_submit(
        unit=units["school"],
        author=huiyuan,
        title="打印机集中管理",
        reasons="耗材浪费",
        measures="统一采购",
        today=ROUTE_DAY,
    )
    suggestion = svc.item_route(proposal=suggestion, today=ROUTE_DAY, category=Category.MANAGEMENT, handler=chuzhang)
    assert suggestion.due_on == datetime.date(2025, 10, 23)  # 15 working days: 3 in Sept, Sat Oct 11, none Oct 1-8
    with pytest.raises(DemocracyError, match="采纳情况"):
        svc.item_answer(proposal=suggestion, by=chuzhang, text="好", today=ROUTE_DAY)
    svc.item_answer(
        proposal=suggestion, by=chuzhang, text="采纳。", today=ROUTE_DAY, outcome="adopted", benefit=12000, reward=500
    )
    suggestion.refresh_from_db()
    assert suggestion.outcome == "adopted" and suggestion.benefit == 12000


def test_reminders_reach_handlers_before_and_after_the_deadline_once_each(session, daibiao, fellows, chuzhang):
    proposal = accepted(session, daibiao, fellows, chuzhang)
    assert svc.reminders_send(today=ROUTE_DAY) == 0
    assert svc.reminders_send(today=proposal.due_on) == 1
    assert svc.reminders_send(today=proposal.due_on) == 0  # rerun: nothing new
    late = proposal.due_on + datetime.timedelta(days=1)
    assert svc.reminders_send(today=late) == 1
    assert svc.reminders_send(today=late + datetime.timedelta(days=1)) == 0
    assert Proposal.objects.overdue(late).count() == 1
    texts = list(Notification.objects.filter(user=chuzhang, kind="democracy.reminder").values_list("text", flat=True))
    assert len(texts) == 2 and any("将于" in t for t in texts) and any("超过办理期限" in t for t in texts)


def test_the_reminder_command_runs_for_a_given_day(session, daibiao, fellows, chuzhang):
    from io import StringIO

    from django.core.management import call_command

    proposal = accepted(session, daibiao, fellows, chuzhang)
    out = StringIO()
    call_command("democracy_remind", "--today", proposal.due_on.isoformat(), stdout=out)
    assert "1" in out.getvalue()


def test_a_similar_earlier_proposal_is_found_by_its_words(units, session, daibiao, fellows, chuzhang):
    submit(session, daibiao, title="改善教师食堂午餐质量")
    submit(session, daibiao, title="增设教职工健身器材")
    found = svc.similar_items(unit=units["school"], user=daibiao, title="关于提高食堂午餐质量的建议")
    assert [p.title for p, _score in found] == ["改善教师食堂午餐质量"]


def test_similar_proposals_show_a_member_only_what_their_pages_show_her(
    client_for, session, daibiao, fellows, huiyuan, zhuxi
):
    rejected = submit(session, daibiao, title="调整个别教师的课时安排")
    url = reverse("democracy:similar") + "?title=调整个别教师的课时"
    # The member may not open daibiao's proposal, so the lookup does not name it either.
    assert client_for(huiyuan).get(reverse("democracy:proposal", args=[rejected.pk])).status_code == 404
    assert "调整个别教师的课时安排" not in client_for(huiyuan).get(url).content.decode()
    # The chair, who reads the union's proposals, is shown it.
    assert "调整个别教师的课时安排" in client_for(zhuxi).get(url).content.decode()
    suggestion = svc.suggestion_submit(
        unit=session.unit, author=huiyuan, title="调整个别教师的课时", reasons="r", measures="m", today=WINDOW_DAY
    )
    # Nor on her own suggestion's page.
    page = client_for(huiyuan).get(reverse("democracy:proposal", args=[suggestion.pk])).content.decode()
    assert "调整个别教师的课时安排" not in page


def test_a_federations_proposals_are_routed_to_its_own_handlers_not_every_schools(chuzhang, units):
    federation_handler = make_person("bangongshi", "赵主任", units["county"], Role.HANDLER)
    assert list(handlers_of(units["county"])) == [federation_handler]
    assert chuzhang in handlers_of(units["school"])


@pytest.mark.parametrize("blank", ["", "  \u3000", "\x01\x1f", "\u200b\u200b", "\ufeff\u2060 "])
def test_a_suggestion_without_its_three_parts_is_refused_naming_each(blank, units, huiyuan):
    with pytest.raises(DemocracyError, match="请填写案由、理由、建议措施。"):
        svc.suggestion_submit(
            unit=units["school"], author=huiyuan, title=blank, reasons=blank, measures=blank, today=WINDOW_DAY
        )
    assert not Proposal.objects.exists()


def test_a_proposals_parts_are_stored_without_control_characters(session, daibiao):
    proposal = svc.proposal_submit(
        session=session, author=daibiao, title="食堂\x07", reasons="贵\x0b偏", measures=" 公开 ", today=WINDOW_DAY
    )
    assert (proposal.title, proposal.reasons, proposal.measures) == ("食堂", "贵\n偏", "公开")


def test_the_suggestion_page_refuses_a_title_of_control_characters(client_for, huiyuan):
    response = client_for(huiyuan).post(
        reverse("democracy:suggestion_create"), {"title": "\x01\x02", "reasons": "r", "measures": "m"}
    )
    assert response.status_code == 200 and "这个字段是必填项。" in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_handling_report_does_not_give_a_reopened_proposals_answer_as_its_outcome(
    session, daibiao, fellows, chuzhang
):
    import io

    from docx import Document

    from democracy.documents import proposals_report

    proposal = accepted(session, daibiao, fellows, chuzhang)
    svc.item_answer(proposal=proposal, by=chuzhang, text="已与食堂沟通。", today=datetime.date(2025, 10, 9))
    svc.item_rate(
        proposal=proposal,
        by=daibiao,
        rating=Rating.NOT_SATISFIED,
        reason="价格没有变化。",
        today=datetime.date(2025, 10, 9),
    )
    data, _name = proposals_report(session)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "已与食堂沟通。（提案人对这次答复不满意，已重新交办，正在办理。）" in text


def test_each_kind_is_numbered_on_its_own_and_a_suggestion_turned_from_a_proposal_among_the_year_s(
    session, daibiao, fellows, chuzhang, huiyuan, units
):
    """Proposals are numbered within their session, suggestions within their unit's year: one turned from
    a proposal takes the year's next suggestion number, not a second 第1号 beside the one written as such."""
    first = accepted(session, daibiao, fellows, chuzhang)
    written = svc.suggestion_submit(
        unit=units["school"], author=huiyuan, title="打印机集中管理", reasons="r", measures="m", today=WINDOW_DAY
    )
    written = svc.item_route(proposal=written, today=ROUTE_DAY, category=Category.MANAGEMENT, handler=chuzhang)
    turned = submit(session, daibiao, title="办公室换灯泡")
    for fellow in fellows[:2]:
        svc.proposal_cosign(proposal=turned, user=fellow, today=WINDOW_DAY)
    turned = svc.proposal_vet(
        proposal=turned, decision=svc.Decision.TO_SUGGESTION, by=None, today=ROUTE_DAY, reason="属于日常管理"
    )
    turned = svc.item_route(proposal=turned, today=ROUTE_DAY, category=Category.MANAGEMENT, handler=chuzhang)
    second = accepted(session, daibiao, fellows, chuzhang, title="增设教职工健身器材")
    assert (first.number, second.number) == (1, 2)  # the proposals: the suggestions took none of theirs
    assert (written.number, turned.number) == (1, 2)
