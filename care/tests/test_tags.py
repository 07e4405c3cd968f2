"""Care marks (services.tag_add): what the roster does not record but the visit reminders and the campaigns' lists
read, a long sick leave or a model worker. One mark of a kind at a time: a second over the same days would list the
member twice."""

import datetime

import pytest
from django.urls import reverse

from care import reminders, services
from care.models import CareTag
from orgs.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def zhangna(add_member):
    return add_member("张娜")


def mark(client, member, **sent):
    return client.post(f"{reverse('care:tags')}?member={member.pk}", {"kind": "sick_leave", **sent})


def test_the_care_officer_marks_a_member_on_long_sick_leave(zhangna, bangfu, client_for):
    response = mark(client_for(bangfu), zhangna, since="2026-01-01", note="腰椎手术后休养")

    assert response.status_code == 302
    tag = CareTag.objects.get()
    assert (tag.member, tag.unit, tag.kind, tag.since, tag.until) == (zhangna, zhangna.unit, "sick_leave", JAN, None)


def test_a_second_sick_leave_over_the_same_days_is_refused_beside_the_kind(zhangna, bangfu, units, client_for):
    services.tag_add(member=zhangna, kind="sick_leave", since=JAN)

    response = mark(client_for(bangfu), zhangna, since="2026-03-01", until="2026-06-30")

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "kind": ["张娜已有“长期病休”标记（2026年1月1日起），与所填日期重叠；情况有变的，请先移除原标记再重新标记。"]
    }
    assert CareTag.objects.count() == 1
    today = datetime.date(2026, 4, 1)
    assert [r.name for r in reminders.sick_leave(units["school"], today=today)] == ["张娜"]  # listed once


def test_a_new_sick_leave_after_the_last_one_ended_and_another_kind_of_mark_are_taken(zhangna):
    services.tag_add(member=zhangna, kind="sick_leave", since=JAN, until=datetime.date(2026, 3, 31))

    services.tag_add(member=zhangna, kind="sick_leave", since=datetime.date(2026, 9, 1))
    services.tag_add(member=zhangna, kind="model_worker", since=JAN, note="县级劳动模范")

    assert CareTag.objects.filter(member=zhangna).count() == 3
    with pytest.raises(services.CareError, match="已有“长期病休”标记（2026年1月1日起）"):
        services.tag_add(member=zhangna, kind="sick_leave", since=datetime.date(2025, 12, 1), until=JAN)


def test_a_mark_ending_before_it_begins_is_refused_beside_its_end(zhangna):
    with pytest.raises(services.CareError, match="截止日期：不能早于起始日期") as error:
        services.tag_add(member=zhangna, kind="sick_leave", since=JAN, until=datetime.date(2025, 12, 31))
    assert error.value.field == "until"
    assert not CareTag.objects.exists()


def test_a_reader_of_care_who_may_not_keep_the_marks_is_answered_404_on_marking(
    zhangna, weiyuan, client_for, monkeypatch
):
    """No demo role reads care without keeping it; a committee that could is refused, not ignored in silence."""
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.COMMITTEE, ROLE_PERMISSIONS[Role.COMMITTEE] | {"care.view"})
    client = client_for(weiyuan)
    assert client.get(f"{reverse('care:tags')}?member={zhangna.pk}").status_code == 200

    assert mark(client, zhangna, since="2026-01-01").status_code == 404
    assert not CareTag.objects.exists()


def test_a_marks_end_reads_as_its_end_in_english_not_as_a_deadline():
    from django.utils import translation

    from care.forms import TagForm

    with translation.override("en"):
        assert str(TagForm().fields["until"].label) == "Until"
    assert str(TagForm().fields["until"].label) == "截止日期"
