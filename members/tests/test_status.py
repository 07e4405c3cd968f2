"""Status changes by hand: dates that happened, reasons that fit, a death said twice, mistakes undone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Member, Status


@pytest.fixture
def teacher(make_member):
    return make_member("张伟", "g1", joined_on=datetime.date(2010, 9, 1))


def change(client, member, **values):
    values.setdefault("on", timezone.localdate().isoformat())
    return client.post(reverse("members:status", args=[member.pk]), values)


def errors(response):
    assert response.status_code == 200
    return response.context["form"].errors


def test_a_day_to_come_or_before_joining_is_refused_beside_the_date(client_for, zhuxi, teacher):
    client = client_for(zhuxi)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = change(client, teacher, status="left", reason="resigned", on=tomorrow.isoformat())
    today = timezone.localdate()
    assert errors(response)["on"] == [f"日期不能晚于今天（{today.year}年{today.month}月{today.day}日）。"]
    response = change(client, teacher, status="left", reason="resigned", on="2010-08-31")
    assert errors(response)["on"] == ["日期不能早于入会时间（2010年9月1日）。"]
    assert Member.objects.get(pk=teacher.pk).status == Status.ACTIVE


def test_a_refused_date_is_written_as_the_english_pages_write_it(client_for, zhuxi, teacher):
    from core.testing import in_english

    response = change(in_english(client_for(zhuxi)), teacher, status="left", reason="resigned", on="2010-08-31")
    assert "Sept. 1, 2010" in errors(response)["on"][0]


@pytest.mark.parametrize(("status", "reason"), [("retired", "deceased"), ("deceased", "joined"), ("left", "retired")])
def test_a_reason_that_does_not_fit_the_status_is_refused_beside_the_reason(
    client_for, xiaozu, teacher, status, reason
):
    response = change(client_for(xiaozu), teacher, status=status, reason=reason, confirm_deceased="on")
    assert "不符" in errors(response)["reason"][0]
    assert Member.objects.get(pk=teacher.pk).status == Status.ACTIVE


def test_marking_a_member_deceased_asks_for_confirmation_and_a_mistake_can_be_corrected(client_for, xiaozu, teacher):
    client = client_for(xiaozu)
    assert "confirm_deceased" in errors(change(client, teacher, status="deceased", reason="deceased"))
    assert Member.objects.get(pk=teacher.pk).status == Status.ACTIVE
    assert change(client, teacher, status="deceased", reason="deceased", confirm_deceased="on").status_code == 302
    page = client.get(reverse("members:status", args=[teacher.pk]))
    assert [value for value, _label in page.context["form"].fields["status"].choices] == ["active", "retired"]
    assert "reason" in errors(change(client, teacher, status="active", reason="rejoined"))
    assert change(client, teacher, status="active", reason="correction").status_code == 302
    assert Member.objects.get(pk=teacher.pk).status == Status.ACTIVE


def test_correcting_a_mistaken_retirement_gives_back_the_retiree_flag_it_had(client_for, zhuxi, make_member):
    client = client_for(zhuxi)
    worker = make_member("李娜", "g1", gender="F")
    already = make_member("王芳", "g1", gender="F", is_retiree=True)  # flagged as a retiree before
    for member in (worker, already):
        assert change(client, member, status="retired", reason="retired").status_code == 302
        assert change(client, member, status="active", reason="correction").status_code == 302
    assert Member.objects.get(pk=worker.pk).is_retiree is False
    assert Member.objects.get(pk=already.pk).is_retiree is True
    found = client.get(reverse("members:list"), {"flag": "retiree"}).context["page"]
    assert [m.name for m in found] == ["王芳"]


def test_the_note_stamp_is_written_in_chinese_whatever_the_officers_language(client_for, zhuxi, teacher):
    from core.testing import in_english

    client = in_english(client_for(zhuxi))
    change(client, teacher, status="retired", reason="retired", note="到龄")
    today = timezone.localdate()
    assert Member.objects.get(pk=teacher.pk).note.endswith(f"{today.year}年{today.month}月{today.day}日 退休：到龄")
