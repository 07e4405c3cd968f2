"""公示: N working days on China's calendar; objections named or anonymous, answered; final only
after the period with no upheld objection; the text archived unchanged."""

import datetime

import pytest

from democracy.models import NoticeStatus, Objection
from democracy.services import DemocracyError
from democracy.services import notices as svc


def test_five_working_days_run_across_national_day_and_its_swapped_sunday(notice):
    # Sun Sep 28 (worked), Mon 29, Tue 30, then Oct 1-8 off, Thu Oct 9, Fri Oct 10.
    assert notice.ends_on == datetime.date(2025, 10, 10)


def test_objections_only_within_the_period_and_anonymous_ones_keep_no_user(notice, huiyuan):
    with pytest.raises(DemocracyError, match="不在公示期内"):
        svc.objection_add(notice=notice, text="有异议", today=datetime.date(2025, 10, 11))
    objection = svc.objection_add(notice=notice, text="得票数未公布", today=datetime.date(2025, 10, 9))
    assert objection.user is None and objection.received_on == datetime.date(2025, 10, 9)
    named = svc.objection_add(notice=notice, text="本人有异议", today=datetime.date(2025, 10, 9), user=huiyuan)
    assert named.user == huiyuan


def test_final_only_after_the_period_with_every_objection_answered(notice):
    objection = svc.objection_add(notice=notice, text="得票数未公布", today=datetime.date(2025, 9, 29))
    with pytest.raises(DemocracyError, match="期满后"):
        svc.notice_finalize(notice=notice, today=datetime.date(2025, 10, 10))
    with pytest.raises(DemocracyError, match="未答复的异议"):
        svc.notice_finalize(notice=notice, today=datetime.date(2025, 10, 11))
    svc.objection_answer(objection=objection, answer="已公布", upheld=False, today=datetime.date(2025, 10, 9))
    final = svc.notice_finalize(notice=notice, today=datetime.date(2025, 10, 11))
    assert final.status == NoticeStatus.FINAL and final.is_unchanged()


def test_an_upheld_objection_withdraws_the_result(notice):
    objection = svc.objection_add(notice=notice, text="候选人不符合条件", today=datetime.date(2025, 9, 29))
    svc.objection_answer(
        objection=objection, answer="经核实，异议成立。", upheld=True, today=datetime.date(2025, 9, 30)
    )
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN
    with pytest.raises(DemocracyError):
        svc.notice_finalize(notice=notice, today=datetime.date(2025, 10, 13))


def test_the_published_text_cannot_be_changed(notice):
    notice.body = "改过的内容"
    with pytest.raises(ValueError):
        notice.save()
    notice.refresh_from_db()
    assert notice.body == "张慧敏当选。" and notice.is_unchanged()


def test_an_objection_is_answered_only_by_the_union(client_for, notice, xianzong, zhuxi):
    objection = svc.objection_add(notice=notice, text="异议", today=datetime.date(2025, 9, 29))
    url = f"/democracy/objections/{objection.pk}/answer/"
    assert client_for(xianzong).post(url, {"answer": "x", "upheld": "0"}).status_code == 404
    client_for(zhuxi).post(url, {"answer": "不成立", "upheld": "0"})
    assert Objection.objects.get().answered_on is not None
