"""A unit files one plan and one summary a year: the county asks for them once. A second call would ask
every union below to file the same document again and split their filings between two calls."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from federation import services
from federation.models import CallKind, FilingCall
from federation.tests.conftest import TODAY

DUE = TODAY + datetime.timedelta(days=20)


def summary_call_form(title="2026年度工作总结报送"):
    return {
        "kind": CallKind.SUMMARY,
        "title": title,
        "year": TODAY.year,
        "due": DUE.isoformat(),
        "instructions": "",
        "fields-TOTAL_FORMS": "8",
        "fields-INITIAL_FORMS": "0",
    }


def test_the_county_issuing_the_years_summary_call_twice_is_pointed_to_the_first(client_for, units, xianzong, zhuxi):
    client = client_for(xianzong)
    client.post(reverse("federation:call_new"), summary_call_form())
    told = zhuxi.notifications.count()
    response = client.post(reverse("federation:call_new"), summary_call_form("年度总结（再次）"))
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == [
        f"本单位已下达{TODAY.year}年的年度工作总结报送任务“2026年度工作总结报送”"
        f"（{DUE.year}年{DUE.month}月{DUE.day}日截止），不必重复下达；如需调整截止日期或说明，请在该任务中修改。"
    ]
    assert 'value="年度总结（再次）"' in response.content.decode()  # what was typed is kept
    assert FilingCall.objects.filter(kind=CallKind.SUMMARY).count() == 1
    assert zhuxi.notifications.count() == told  # nobody below was asked again


def test_another_year_another_kind_and_report_calls_are_issued_as_often_as_needed(units, xianzong):
    issue = {"unit": units["county"], "by": xianzong, "today": TODAY, "due": DUE}
    services.call_issue(**issue, kind=CallKind.SUMMARY, year=TODAY.year, title="总结")
    services.call_issue(**issue, kind=CallKind.PLAN, year=TODAY.year + 1, title="明年计划")
    services.call_issue(**issue, kind=CallKind.SUMMARY, year=TODAY.year - 1, title="补报去年总结")
    fields = [services.FieldSpec(label="会员人数", metric="members.count")]
    for title in ("一季度报表", "二季度报表"):
        services.call_issue(**issue, kind=CallKind.REPORT, year=TODAY.year, title=title, fields=fields)
    assert FilingCall.objects.count() == 5
    with pytest.raises(services.FederationError) as refused:
        services.call_issue(**issue, kind=CallKind.PLAN, year=TODAY.year + 1, title="明年计划（重发）")
    assert refused.value.field == "kind"


def test_a_call_withdrawn_may_be_issued_again(units, xianzong):
    issue = {"unit": units["county"], "by": xianzong, "today": TODAY, "due": DUE, "kind": CallKind.SUMMARY}
    first = services.call_issue(**issue, year=TODAY.year, title="总结")
    services.call_withdraw(call=first, by=xianzong, reason="年份写错")
    assert services.call_issue(**issue, year=TODAY.year, title="总结").pk != first.pk


def test_the_refusal_reads_in_english(units, xianzong):
    issue = {"unit": units["county"], "by": xianzong, "today": TODAY, "due": DUE, "kind": CallKind.SUMMARY}
    services.call_issue(**issue, year=TODAY.year, title="Summary")
    with translation.override("en"), pytest.raises(services.FederationError) as refused:
        services.call_issue(**issue, year=TODAY.year, title="Summary again")
    assert str(refused.value).startswith(
        f"Your unit has already issued a {TODAY.year} “Year-end summary” call, “Summary” (due "
    )
