"""The county officer presses 提醒未报送的单位: the units told are counted, and pressing it again the same day
(each unit is told at most once a day) does not claim in green that 0 units were reminded."""

import datetime

from django.urls import reverse
from django.utils import timezone

from federation import services
from federation.models import CallKind


def test_reminding_twice_the_same_day_says_nobody_was_told_again(
    client_for, xianzong, units, zhuxi, django_assert_max_num_queries
):
    today = timezone.localdate()
    call = services.call_issue(
        unit=units["county"],
        kind=CallKind.PLAN,
        year=today.year + 1,
        title="工作计划报备",
        due=today + datetime.timedelta(days=14),
        instructions="",
        fields=[],
        by=xianzong,
        today=today,
    )
    client = client_for(xianzong)
    url = reverse("federation:call_remind", args=[call.pk])
    first = [str(m) for m in client.post(url, follow=True).context["messages"]]
    with django_assert_max_num_queries(60):
        second = [str(m) for m in client.post(url, follow=True).context["messages"]]
    assert any(m.startswith("已提醒 ") and "已提醒 0" not in m for m in first)
    assert not any("已提醒 0" in m for m in second)
    assert any("每天只提醒一次" in m for m in second)


def test_in_english_one_unit_reminded_reads_in_the_singular(client_for, xianzong, units, zhuxi):
    today = timezone.localdate()
    call = services.call_issue(
        unit=units["county"],
        kind=CallKind.PLAN,
        year=today.year + 1,
        title="工作计划报备",
        due=today + datetime.timedelta(days=14),
        instructions="",
        fields=[],
        by=xianzong,
        today=today,
    )
    client = client_for(xianzong)
    client.cookies["gonghui_language"] = "en"
    url = reverse("federation:call_remind", args=[call.pk])
    told = [str(m) for m in client.post(url, follow=True).context["messages"]]
    assert "Reminded 1 unit that has not filed." in told


def test_reminding_when_every_unit_has_filed_says_so_not_once_a_day(
    client_for, xianzong, units, zhuxi, jiguan, report_call
):
    members, women = (field.key for field in report_call.fields.all())
    for unit, chair in (("school", zhuxi), ("office", jiguan)):
        services.report_submit(call=report_call, unit=units[unit], values={members: "4", women: "1"}, by=chair)
    url = reverse("federation:call_remind", args=[report_call.pk])
    said = [str(m) for m in client_for(xianzong).post(url, follow=True).context["messages"]]
    assert said == ["所有单位都已报送，不需要提醒。"]
