"""The year a new call asks about, as the county opens the form: in December the county asks for next
year's plan and for the summary of the year now ending, not for this year's plan (CallKind.default_year)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from federation.models import CallKind

DECEMBER = datetime.date(2026, 12, 7)
MAY = datetime.date(2026, 5, 11)
JANUARY = datetime.date(2027, 1, 8)


@pytest.mark.parametrize(
    ("today", "plan", "summary", "report"),
    [
        (DECEMBER, 2027, 2026, 2026),
        (datetime.date(2026, 10, 1), 2027, 2026, 2026),
        (datetime.date(2026, 9, 30), 2026, 2025, 2026),
        (MAY, 2026, 2025, 2026),
        (JANUARY, 2027, 2026, 2027),
    ],
)
def test_each_kind_of_call_asks_about_the_year_being_written(today, plan, summary, report):
    assert CallKind.PLAN.default_year(today) == plan
    assert CallKind.SUMMARY.default_year(today) == summary
    assert CallKind.REPORT.default_year(today) == report


@pytest.fixture
def on(monkeypatch):
    def set_today(day):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return set_today


def opened(client, kind=None):
    url = reverse("federation:call_new") + (f"?kind={kind}" if kind is not None else "")
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("kind", "year"),
    [(CallKind.PLAN, 2027), (CallKind.SUMMARY, 2026), (CallKind.REPORT, 2026), (None, 2026)],
)
def test_in_december_the_county_asking_for_plans_is_offered_next_year(client_for, xianzong, on, kind, year):
    on(DECEMBER)
    form = opened(client_for(xianzong), kind).context["form"]
    assert form["year"].value() == year
    assert form["kind"].value() == (kind or CallKind.REPORT)


def test_in_may_the_plan_call_is_still_for_this_year(client_for, xianzong, on):
    on(MAY)
    assert opened(client_for(xianzong), CallKind.PLAN).context["form"]["year"].value() == 2026


def test_the_form_tells_its_script_each_kinds_year(client_for, xianzong, on):
    """Picking another kind in the form moves the year the county has not typed (call_form.js)."""
    on(DECEMBER)
    html = opened(client_for(xianzong)).content.decode()
    assert 'data-default-years="{&quot;plans.plan&quot;: 2027, &quot;plans.summary&quot;: 2026' in html
    assert "federation/call_form.js" in html


def test_an_unknown_kind_is_said_and_the_report_form_opened(client_for, xianzong, on):
    on(DECEMBER)
    response = opened(client_for(xianzong), "plans.plan<b>x</b>")
    html = response.content.decode()
    assert "链接中的任务类型“plans.plan&lt;b&gt;x&lt;/b&gt;”不存在，请在下面选择类型。" in html
    form = response.context["form"]
    assert form["kind"].value() == CallKind.REPORT and form["year"].value() == 2026
    assert '<option value="federation.report" selected>' in html


def test_an_unknown_kind_posted_is_refused_beside_the_field(client_for, xianzong, on):
    on(DECEMBER)
    data = {"kind": "plans.budget", "title": "预算报备", "year": 2027, "due": "2026-12-31"}
    data |= {"fields-TOTAL_FORMS": "8", "fields-INITIAL_FORMS": "0"}
    response = client_for(xianzong).post(reverse("federation:call_new") + "?kind=plans.budget", data)
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert response.context["form"]["title"].value() == "预算报备"


def test_a_group_leader_cannot_open_the_call_form(client_for, units, xiaozu):
    assert client_for(xiaozu).get(reverse("federation:call_new") + "?kind=plans.plan").status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_picking_a_plan_call_moves_the_year_the_county_has_not_typed(page, units, xianzong):
    from playwright.sync_api import expect

    from conftest import log_in

    today = timezone.localdate()
    log_in(page, "xianzong")
    page.goto(reverse("federation:call_new"))
    year = page.get_by_label("年度")
    expect(year).to_have_value(str(today.year))  # a report call, this year
    page.get_by_label("类型").select_option(CallKind.PLAN)
    expect(year).to_have_value(str(CallKind.PLAN.default_year(today)))
    page.get_by_label("类型").select_option(CallKind.SUMMARY)
    expect(year).to_have_value(str(CallKind.SUMMARY.default_year(today)))
    year.fill("2030")  # typed: kept whatever kind is picked next
    page.get_by_label("类型").select_option(CallKind.PLAN)
    expect(year).to_have_value("2030")
