"""A call's deadline is today or later: issued with one already past, every unit would be late the moment it
is asked (and reminded of nothing, the job reminds of deadlines ahead)."""

import datetime

import pytest
from django.urls import reverse

from core.testing import in_english
from federation import filing as machine
from federation import services
from federation.models import CallKind, FilingCall
from federation.tests.conftest import TODAY

YESTERDAY = TODAY - datetime.timedelta(days=1)


def plan_call_form(due):
    return {
        "kind": CallKind.PLAN,
        "title": "年度工作计划报备",
        "year": TODAY.year,
        "due": due.isoformat(),
        "instructions": "请附职代会决议。",
        "fields-TOTAL_FORMS": "8",
        "fields-INITIAL_FORMS": "0",
    }


def test_the_county_cannot_issue_a_call_due_yesterday_and_keeps_what_it_typed(client_for, units, xianzong, zhuxi):
    response = client_for(xianzong).post(reverse("federation:call_new"), plan_call_form(YESTERDAY))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["due"] == ["截止日期不能早于今天。"]
    html = response.content.decode()
    assert (
        f'value="{YESTERDAY.isoformat()}"' in html and 'value="年度工作计划报备"' in html and "请附职代会决议。" in html
    )
    assert 'class="form-control is-invalid"' in html
    assert not FilingCall.objects.exists()
    assert not zhuxi.notifications.exists()  # nobody below was asked


def test_a_call_can_be_due_today_but_not_the_day_before(units, xianzong):
    june_first = datetime.date(2026, 6, 1)
    issue = {"unit": units["county"], "kind": CallKind.PLAN, "year": 2026, "title": "年度计划报备", "by": xianzong}
    with pytest.raises(services.FederationError, match="截止日期不能早于今天") as refused:
        services.call_issue(**issue, due=datetime.date(2026, 5, 31), today=june_first)
    assert refused.value.field == "due"
    assert services.call_issue(**issue, due=june_first, today=june_first).due == june_first


def test_the_county_cannot_move_a_deadline_before_today_and_sees_why_beside_the_date(
    client_for, plan_call, units, xianzong
):
    machine.filing_for(kind=CallKind.PLAN, unit=units["school"], title="计划", call=plan_call)
    response = client_for(xianzong).post(
        reverse("federation:call_deadline", args=[plan_call.pk]), {"due": YESTERDAY.isoformat()}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "截止日期不能早于今天。" in html and f'value="{YESTERDAY.isoformat()}"' in html and "is-invalid" in html
    plan_call.refresh_from_db()
    assert plan_call.due > TODAY and plan_call.filings.get().due == plan_call.due


def test_a_passed_deadline_left_as_it_was_is_not_refused_and_it_moves_to_today_or_later(units, xianzong):
    june = datetime.date(2026, 6, 1)
    call = services.call_issue(
        unit=units["county"], kind=CallKind.PLAN, year=2026, title="年度计划报备", due=june, by=xianzong, today=june
    )
    later = june + datetime.timedelta(days=20)
    services.call_move_deadline(call=call, due=june, by=xianzong, today=later)  # the page's date sent back as is
    with pytest.raises(services.FederationError, match="截止日期不能早于今天"):
        services.call_move_deadline(call=call, due=june + datetime.timedelta(days=10), by=xianzong, today=later)
    assert services.call_move_deadline(call=call, due=later, by=xianzong, today=later).due == later


def test_an_officer_on_the_english_pages_reads_why_the_deadline_is_refused(client_for, plan_call, xianzong):
    client = in_english(client_for(xianzong))
    response = client.post(reverse("federation:call_deadline", args=[plan_call.pk]), {"due": YESTERDAY.isoformat()})
    assert "The deadline cannot be before today." in response.content.decode()


def test_a_deadline_years_ahead_is_a_slip_of_the_year_and_refused(client_for, units, xianzong, plan_call):
    response = client_for(xianzong).post(reverse("federation:call_new"), plan_call_form(datetime.date(2099, 12, 31)))
    assert response.context["form"].errors["due"] == [f"截止日期晚于{TODAY.year + 1}年底，请核对年份。"]
    with pytest.raises(services.FederationError, match="请核对年份"):
        services.call_move_deadline(call=plan_call, due=datetime.date(9999, 12, 31), by=xianzong, today=TODAY)
    # A year's summary may be due early in the next year.
    services.call_move_deadline(call=plan_call, due=datetime.date(plan_call.year + 1, 1, 31), by=xianzong, today=TODAY)
    assert FilingCall.objects.count() == 1
