"""The proposal's page as its people use it: the proposer asking for co-signers and rating the
answer, the handler answering and seeing the deadline pass (findings 12-14 of the mobile walk)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from democracy.models import Proposal, ProposalStatus, Session
from democracy.services import DemocracyError
from democracy.services import proposals as svc


def _page(client, proposal):
    return client.get(reverse("democracy:proposal", args=[proposal.pk])).content.decode()


def test_the_proposer_is_given_a_link_to_send_and_told_where_co_signers_find_it(client_for, proposal, daibiao):
    page = _page(client_for(daibiao), proposal)
    url = f"http://testserver/democracy/proposals/{proposal.pk}/"
    assert f'value="{url}"' in page and 'data-copy="#proposal-url"' in page
    assert "core/copy.js" in page
    assert "?kind=proposal&amp;status=cosigning" in page and "代表工作" in page
    # Honest about what the system does not do.
    assert "系统不会另发通知" in page


def test_a_fellow_representative_gets_the_co_sign_button_not_the_invitation(client_for, proposal, fellows):
    page = _page(client_for(fellows[0]), proposal)
    assert 'data-testid="cosign"' in page and 'data-testid="invite"' not in page


def test_a_new_proposal_is_not_said_to_need_invitations_the_page_cannot_send(client_for, session, daibiao):
    day = timezone.localdate()
    Session.objects.filter(pk=session.pk).update(
        proposals_open_on=day - datetime.timedelta(days=1), proposals_close_on=day + datetime.timedelta(days=1)
    )
    response = client_for(daibiao).post(
        reverse("democracy:proposal_create", args=[session.pk]),
        {"title": "增设教工书屋", "reasons": "r", "measures": "m"},
        follow=True,
    )
    page = response.content.decode()
    assert "请邀请其他代表附议" not in page
    assert "可以把本页的链接发给他们" in page and 'data-testid="invite"' in page


def test_answering_asks_first_and_says_the_answer_is_final(client_for, routed, chuzhang):
    page = _page(client_for(chuzhang), routed)
    button = page[page.index('data-testid="answer-submit"') :].split(">", 1)[0]
    assert 'data-confirm="答复提交后不能修改' in button


def test_an_overdue_deadline_is_said_in_words_not_only_in_red(client_for, routed, chuzhang):
    client = client_for(chuzhang)
    assert 'data-testid="overdue"' in _page(client, routed)
    assert 'data-testid="overdue"' in client.get(reverse("democracy:proposals") + "?status=mine").content.decode()
    assert 'data-testid="overdue"' in client.get(reverse("democracy:index")).content.decode()


def test_an_answered_proposal_is_no_longer_marked_overdue(client_for, routed, chuzhang):
    svc.item_answer(proposal=routed, by=chuzhang, text="已整改", today=timezone.localdate())
    assert 'data-testid="overdue"' not in _page(client_for(chuzhang), routed)


def test_the_rating_radios_are_a_group_named_by_its_question(client_for, routed, chuzhang, daibiao):
    svc.item_answer(proposal=routed, by=chuzhang, text="已整改", today=timezone.localdate())
    assert Proposal.objects.get(pk=routed.pk).status == ProposalStatus.ANSWERED
    page = _page(client_for(daibiao), routed)
    group = page[page.index("<fieldset") : page.index("</fieldset>")]
    assert "<legend" in group and "评价办理结果" in group
    assert group.count('name="rating"') == 3


def test_the_reasons_box_is_described_by_its_help_and_its_error(client_for, routed, chuzhang, daibiao):
    from core.testing import undescribed

    svc.item_answer(proposal=routed, by=chuzhang, text="已整改", today=timezone.localdate())
    client = client_for(daibiao)
    assert undescribed(_page(client, routed)) == []
    refused = client.post(reverse("democracy:proposal_rate", args=[routed.pk]), {"rating": "not_satisfied"})
    page = refused.content.decode()
    assert 'data-testid="reason-error"' in page and undescribed(page) == []


def _open_window(session):
    day = timezone.localdate()
    Session.objects.filter(pk=session.pk).update(
        proposals_open_on=day - datetime.timedelta(days=1), proposals_close_on=day + datetime.timedelta(days=1)
    )


def test_the_same_proposal_sent_twice_is_refused_the_second_time(client_for, session, daibiao):
    _open_window(session)
    url = reverse("democracy:proposal_create", args=[session.pk])
    data = {"title": "增设教工书屋", "reasons": "r", "measures": "m"}
    client = client_for(daibiao)
    client.post(url, data)
    page = client.post(url, data).content.decode()
    assert "您今天已经提交过内容相同的提案，请勿重复提交" in page and "增设教工书屋" in page
    assert Proposal.objects.count() == 1
    # A different text the same day is another proposal.
    client.post(url, {**data, "title": "增设教工健身房"})
    assert Proposal.objects.count() == 2


def test_the_same_suggestion_sent_twice_is_refused(units, huiyuan):
    day = datetime.date(2026, 3, 2)
    svc.suggestion_submit(unit=units["school"], author=huiyuan, title="节能灯", reasons="r", measures="m", today=day)
    with pytest.raises(DemocracyError, match="内容相同"):
        svc.suggestion_submit(
            unit=units["school"], author=huiyuan, title="节能灯", reasons="r", measures="m", today=day
        )


def test_the_author_withdraws_a_proposal_still_gathering_co_signers_after_asking(
    client_for, proposal, fellows, daibiao, zhuxi
):
    """Withdrawn, it is kept as 已撤回: its author and the committee still open it, the representatives who
    could co-sign it no longer do; the co-signer is told, and it is received no more."""
    svc.proposal_cosign(proposal=proposal, user=fellows[0], today=datetime.date(2025, 9, 10))
    page = _page(client_for(fellows[1]), proposal)
    assert 'data-testid="withdraw"' not in page
    assert client_for(fellows[1]).post(reverse("democracy:proposal_withdraw", args=[proposal.pk])).status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.COSIGNING
    page = _page(client_for(daibiao), proposal)
    button = page[page.index('data-testid="withdraw"') :].split(">", 1)[0]
    assert 'data-confirm="撤回后这件提案不再审查，保留为“已撤回”' in button
    client_for(daibiao).post(reverse("democracy:proposal_withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert (proposal.status, proposal.number) == (ProposalStatus.WITHDRAWN, None)
    assert Notification.objects.filter(user=fellows[0], kind="democracy.withdrawn").exists()
    assert "已撤回" in _page(client_for(daibiao), proposal) and "已撤回" in _page(client_for(zhuxi), proposal)
    for fellow in fellows[:2]:
        url = reverse("democracy:proposal", args=[proposal.pk])
        assert client_for(fellow).get(url).status_code == 404
    [figures] = client_for(zhuxi).get(reverse("democracy:statistics")).context["total"]
    assert figures.received == 0
    mine = client_for(daibiao).get(reverse("democracy:proposals") + "?author=me").context["page"].object_list
    assert list(mine) == [proposal]


def test_a_withdrawn_proposal_may_be_sent_again_the_same_day(proposal, daibiao, session):
    svc.item_withdraw(proposal=proposal, by=daibiao, today=datetime.date(2025, 9, 10))
    again = svc.proposal_submit(
        session=session,
        author=daibiao,
        title="改善食堂",
        reasons="理由",
        measures="措施",
        today=datetime.date(2025, 9, 10),
    )
    assert again.pk != proposal.pk and again.status == ProposalStatus.COSIGNING


def test_a_vetted_proposal_is_not_withdrawn(client_for, routed, daibiao):
    assert 'data-testid="withdraw"' not in _page(client_for(daibiao), routed)
    with pytest.raises(DemocracyError, match="审查之前"):
        svc.item_withdraw(proposal=routed, by=daibiao, today=datetime.date(2025, 10, 9))
    assert Proposal.objects.filter(pk=routed.pk, status=ProposalStatus.ROUTED).exists()


def test_a_refused_rating_says_why(client_for, routed, chuzhang, daibiao):
    svc.item_answer(proposal=routed, by=chuzhang, text="已协调", today=datetime.date(2025, 10, 9))
    url = reverse("democracy:proposal_rate", args=[routed.pk])
    client = client_for(daibiao)
    client.post(url, {"rating": "not_satisfied", "reason": "没有措施"})
    response = client.post(url, {"rating": "not_satisfied", "reason": "没有措施"}, follow=True)
    assert "还没有可以评价的答复。" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("democracy:proposal", args=[routed.pk])


def test_the_chair_reassigns_a_routed_proposal_with_a_note_and_the_new_handler_is_told(
    client_for, routed, zhuxi, chuzhang, cohandler, daibiao
):
    assert 'data-testid="reassign"' in _page(client_for(zhuxi), routed)
    assert 'data-testid="reassign"' not in _page(client_for(daibiao), routed)
    url = reverse("democracy:proposal_reassign", args=[routed.pk])
    due = timezone.localdate() + datetime.timedelta(days=20)
    data = {"department": "教务处", "handler": cohandler.pk, "due_on": due.isoformat(), "note": ""}
    page = client_for(zhuxi).post(url, data).content.decode()
    assert "这个字段是必填项" in page or "请写明改派的原因" in page
    assert Proposal.objects.get(pk=routed.pk).handler == chuzhang
    client_for(zhuxi).post(url, {**data, "note": "原主办人调离"})
    routed.refresh_from_db()
    assert (routed.handler, routed.department, routed.due_on) == (cohandler, "教务处", due)
    assert Notification.objects.filter(user=cohandler, kind="democracy.reassigned").exists()
    assert Notification.objects.filter(user=chuzhang, kind="democracy.reassigned").exists()
    assert "原主办人调离" in _page(client_for(zhuxi), routed)
    # The new handler answers it; the old one no longer may.
    assert routed.may_answer(cohandler) and not routed.may_answer(chuzhang)


def test_a_member_cannot_reassign_and_a_past_deadline_is_refused(client_for, routed, zhuxi, daibiao, cohandler):
    url = reverse("democracy:proposal_reassign", args=[routed.pk])
    data = {"department": "教务处", "handler": cohandler.pk, "due_on": "2020-01-01", "note": "调离"}
    assert client_for(daibiao).post(url, data).status_code == 404
    page = client_for(zhuxi).post(url, data).content.decode()
    assert "办理期限不能早于今天。" in page
    assert Proposal.objects.get(pk=routed.pk).department == "总务处"


def test_a_too_long_title_is_told_in_plain_words(client_for, huiyuan):
    page = client_for(huiyuan).post(
        reverse("democracy:suggestion_create"), {"title": "长" * 101, "reasons": "r", "measures": "m"}
    )
    page = page.content.decode()
    assert "最多100个字，现在是101个。" in page and "变量" not in page
    assert not Proposal.objects.exists()


def test_rejecting_and_closing_ask_first(client_for, proposal, fellows, routed, zhuxi, chuzhang, daibiao):
    other = svc.proposal_submit(
        session=proposal.session,
        author=daibiao,
        title="其他",
        reasons="r",
        measures="m",
        today=datetime.date(2025, 9, 10),
    )
    for fellow in fellows[:2]:
        svc.proposal_cosign(proposal=other, user=fellow, today=datetime.date(2025, 9, 10))
    page = _page(client_for(zhuxi), other)
    assert 'data-confirm="审查决定提交后不能撤销' in page[page.index('data-testid="vet-submit"') :].split(">", 1)[0]
    svc.item_answer(proposal=routed, by=chuzhang, text="已办", today=datetime.date(2025, 10, 9))
    page = _page(client_for(zhuxi), routed)
    assert 'data-confirm="办结后不能再答复或评价' in page[page.index('data-testid="close"') :].split(">", 1)[0]
