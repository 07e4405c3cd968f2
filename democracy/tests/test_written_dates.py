"""Dates in democracy's refusals and notifications as its pages write them (2025年10月10日; Oct. 10, 2025 in
English), not 2025-10-10 beside them; a notification in the language of whoever it goes to."""

import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format

from core.models import Notification
from democracy.services import DemocracyError
from democracy.services import notices as notices_svc
from democracy.services import proposals as svc
from democracy.tests.conftest import WINDOW_DAY
from democracy.tests.test_proposals import accepted


def test_the_notice_period_is_written_as_the_pages_write_it(notice):
    with pytest.raises(DemocracyError) as refused:
        notices_svc.objection_add(notice=notice, text="有异议", today=datetime.date(2025, 10, 11))
    assert "公示期为2025年9月26日至2025年10月10日" in str(refused.value)
    with pytest.raises(DemocracyError) as refused:
        notices_svc.notice_finalize(notice=notice, today=datetime.date(2025, 10, 10))
    assert "公示期到2025年10月10日结束" in str(refused.value)
    with translation.override("en"), pytest.raises(DemocracyError) as refused:
        notices_svc.notice_finalize(notice=notice, today=datetime.date(2025, 10, 10))
    assert "Oct. 10, 2025" in str(refused.value) and "2025-10-10" not in str(refused.value)


def test_a_proposal_outside_the_window_is_told_the_window_in_written_dates(session, daibiao):
    with pytest.raises(DemocracyError) as refused:
        svc.proposal_submit(
            session=session,
            author=daibiao,
            title="改善食堂",
            reasons="理由",
            measures="措施",
            today=WINDOW_DAY.replace(month=11),
        )
    assert "提案征集时间为2025年9月1日至2025年9月30日" in str(refused.value)


def test_the_handler_is_told_the_deadline_in_his_own_language(session, daibiao, fellows, chuzhang, cohandler):
    cohandler.language = "en"
    cohandler.save(update_fields=["language"])
    proposal = accepted(session, daibiao, fellows, chuzhang, co_handlers=[cohandler])
    due = proposal.due_on
    chinese = Notification.objects.get(user=chuzhang, kind="democracy.routed").text
    assert f"请在{due.year}年{due.month}月{due.day}日前答复" in chinese
    english = Notification.objects.get(user=cohandler, kind="democracy.routed").text
    with translation.override("en"):
        assert date_format(due) in english and due.isoformat() not in english
