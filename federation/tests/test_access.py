"""Who meets a call and a filing, asked of one QuerySet method that pages and the API share.

A call is met by the reviewers of the unit that issued it (federation.review there or above) and by
the filers of each unit it asks (federation.file held on that unit: its chair, vice chair, committee).
A filing is met by the reviewers of the unit it goes to and the filers of the unit that files it, with
the permissions its kind names. Everyone else gets 404, on pages and in the API alike.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from federation import services
from federation.models import FILE, REVIEW, CallKind, Filing, FilingCall
from federation.tests.conftest import TODAY, YEAR
from federation.tests.test_api import bearer
from orgs.models import OrgUnit, UnitKind
from orgs.roles import Role


def call_url(call):
    return reverse("federation:call", args=[call.pk])


def api_call(call):
    return f"/api/v1/federation/calls/{call.pk}"


def titles(response):
    return [c["title"] for c in response.json()["items"]]


@pytest.fixture
def inspector(units):
    """A county safety inspector: reads the county's figures, neither files nor reviews anything."""
    return make_person("anquan", "郑强", units["county"], Role.SAFETY_INSPECTOR)


@pytest.fixture
def late_chair(plan_call, units):
    """The chair of a union set up after the plan call's deadline passed: the call never asked it
    (FilingCall.asks)."""
    plan_call.due = TODAY - datetime.timedelta(days=30)
    plan_call.save()
    union = OrgUnit.objects.add_child(
        OrgUnit.objects.get(pk=units["county"].pk),
        {"code": "cg-erxiao", "name": "城关镇第二小学工会", "kind": UnitKind.UNION},
    )
    return make_person("liuxiaomei", "刘晓梅", union, Role.CHAIR)


# --- calls: the QuerySet ---------------------------------------------------------------------------


def test_the_county_reviews_its_call_and_the_unions_asked_file_it(report_call, xianzong, zhuxi, jiguan, weiyuan):
    assert list(FilingCall.objects.visible_to(xianzong, REVIEW)) == [report_call]
    assert list(FilingCall.objects.visible_to(xianzong, FILE)) == []  # the county files nothing to itself
    for filer in (zhuxi, jiguan, weiyuan):  # the chairs, and a committee member of the school
        assert list(FilingCall.objects.visible_to(filer, FILE)) == [report_call]
        assert list(FilingCall.objects.visible_to(filer, REVIEW)) == []  # a union does not review the county


def test_groups_below_the_unions_and_the_neighbouring_county_meet_no_call(report_call, xiaozu, bangfu, outsider):
    for persona in (xiaozu, bangfu, outsider):  # a group two levels down; a care officer files nothing
        assert not FilingCall.objects.reviewed_or_filed_by(persona).exists()


def test_each_side_is_told_which_it_is(report_call, xianzong, zhuxi, weiyuan):
    assert FilingCall.objects.reviewed_or_filed_by(xianzong).get().user_reviews is True
    assert FilingCall.objects.reviewed_or_filed_by(zhuxi).get().user_reviews is False
    # A committee member reviews nothing anywhere: still a plain False, on PostgreSQL as on SQLite.
    assert FilingCall.objects.reviewed_or_filed_by(weiyuan).get().user_reviews is False


def test_a_union_set_up_after_the_deadline_is_not_addressed(plan_call, late_chair):
    assert not plan_call.addresses(OrgUnit.objects.get(code="cg-erxiao"))
    assert not FilingCall.objects.visible_to(late_chair, FILE).exists()


@pytest.mark.parametrize(
    "set_up_at, asked",
    [
        (datetime.time(23, 59), True),  # on the deadline day, in the union's time: still asked
        (None, False),  # from the first moment of the day after: not asked
    ],
)
def test_the_database_and_the_record_agree_on_who_a_call_asks(plan_call, units, set_up_at, asked):
    plan_call.due = TODAY - datetime.timedelta(days=10)
    plan_call.save()
    FilingCall.objects.filter(pk=plan_call.pk).update(created_at=timezone.now() - datetime.timedelta(days=60))
    day = plan_call.due if set_up_at else plan_call.due + datetime.timedelta(days=1)
    moment = timezone.make_aware(datetime.datetime.combine(day, set_up_at or datetime.time.min))
    OrgUnit.objects.filter(pk=units["office"].pk).update(created_at=moment)
    call = FilingCall.objects.select_related("unit").get(pk=plan_call.pk)
    office = OrgUnit.objects.get(pk=units["office"].pk)
    assert call.addresses(office) is asked
    assert FilingCall.objects.addressed_to([office]).filter(pk=call.pk).exists() is asked


# --- calls: pages and the API ask the same ----------------------------------------------------------


@pytest.mark.parametrize(
    "persona, meets",
    [
        ("xianzong", True),  # reviews it for the county
        ("zhuxi", True),  # files it for the school
        ("weiyuan", True),  # files it too: a committee member of the school
        ("jiguan", True),  # files it for the education bureau's union
        ("xiaozu", False),  # a group two levels below the county is not asked
        ("bangfu", False),  # a care officer of the school neither files nor reviews
        ("outsider", False),  # the neighbouring county
    ],
)
def test_the_call_page_and_the_api_open_the_call_to_the_same_people(persona, meets, request, client_for, report_call):
    user = request.getfixturevalue(persona)
    expected = 200 if meets else 404
    assert bearer(user).get(api_call(report_call)).status_code == expected
    assert client_for(user).get(call_url(report_call)).status_code == expected


def test_a_filer_reads_through_the_api_the_call_addressed_to_its_union_and_an_outsider_does_not(
    report_call, zhuxi, outsider
):
    school = bearer(zhuxi)
    assert titles(school.get("/api/v1/federation/calls", {"to_file": "true"})) == ["基层工会统计年报"]
    assert school.get(api_call(report_call)).json() == {
        "id": report_call.pk,
        "unit_code": "demo-county",
        "kind": "federation.report",
        "year": YEAR,
        "title": "基层工会统计年报",
        "due": report_call.due.isoformat(),
        "instructions": "",
    }
    # Every union's state and figures are the county's to read, not another union's.
    assert school.get(f"{api_call(report_call)}/states").status_code == 404
    assert school.get(f"{api_call(report_call)}/report").status_code == 404

    other = bearer(outsider)
    assert titles(other.get("/api/v1/federation/calls", {"to_file": "true"})) == []
    assert other.get(api_call(report_call)).status_code == 404


def test_the_county_lists_the_calls_it_issued_and_has_none_to_file(report_call, xianzong):
    county = bearer(xianzong)
    assert titles(county.get("/api/v1/federation/calls")) == ["基层工会统计年报"]
    assert titles(county.get("/api/v1/federation/calls", {"to_file": "true"})) == []
    assert county.get(api_call(report_call)).status_code == 200


def test_a_union_set_up_after_the_deadline_meets_the_call_nowhere(client_for, plan_call, late_chair):
    assert client_for(late_chair).get(call_url(plan_call)).status_code == 404
    api = bearer(late_chair)
    assert api.get(api_call(plan_call)).status_code == 404
    assert titles(api.get("/api/v1/federation/calls", {"to_file": "true"})) == []


def report_calls(count, *, units, by):
    """``count`` more report calls from the county, each asking one typed figure."""
    return [
        services.call_issue(
            unit=units["county"],
            kind=CallKind.REPORT,
            year=YEAR,
            title="统计报表",
            due=TODAY + datetime.timedelta(days=10),
            by=by,
            today=TODAY,
            fields=[services.FieldSpec("会员人数", "", "人")],
        )
        for _number in range(count)
    ]


def test_the_calls_to_file_are_read_in_the_same_queries_however_many(units, xianzong, zhuxi):
    api = bearer(zhuxi)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = api.get("/api/v1/federation/calls", {"to_file": "true"})
        return len(captured), response.json()["count"]

    report_calls(1, units=units, by=xianzong)
    queries()  # the token's first use is recorded once
    one, listed = queries()
    assert listed == 1
    report_calls(12, units=units, by=xianzong)
    assert queries() == (one, 13)
    assert one <= 6


# --- filings ----------------------------------------------------------------------------------------


@pytest.fixture
def school_report(report_call, units, zhuxi):
    """The school's figures filed to the county."""
    members, women = report_call.fields.all()
    return services.report_submit(
        call=report_call, unit=units["school"], values={members.key: "40", women.key: "22"}, by=zhuxi
    )


def test_a_filing_is_the_filers_to_read_and_the_parents_to_review(school_report, xianzong, zhuxi, weiyuan, jiguan):
    assert list(Filing.objects.visible_to(zhuxi, FILE)) == [school_report]
    assert list(Filing.objects.visible_to(weiyuan, FILE)) == [school_report]
    assert list(Filing.objects.visible_to(zhuxi, REVIEW)) == []  # a union never reviews its own filing
    assert list(Filing.objects.visible_to(xianzong, REVIEW)) == [school_report]
    assert list(Filing.objects.visible_to(xianzong, FILE)) == []
    assert not Filing.objects.reviewed_or_filed_by(jiguan).exists()  # a sibling union sees nothing of it
    assert Filing.objects.reviewed_or_filed_by(xianzong).get().user_reviews is True
    assert Filing.objects.reviewed_or_filed_by(zhuxi).get().user_reviews is False
    assert Filing.objects.reviewed_or_filed_by(weiyuan).get().user_reviews is False


def test_an_activity_summary_is_met_with_the_permission_its_kind_names(units, zhuxi, xiaozu, xianzong):
    summary = Filing.objects.create(
        kind="activities.summary", unit=units["g1"], parent=units["school"], title="三八节活动总结"
    )
    assert list(Filing.objects.visible_to(zhuxi, "activities.manage")) == [summary]  # the school reviews it
    assert list(Filing.objects.visible_to(zhuxi, REVIEW)) == []  # not a kind federation.review decides
    assert list(Filing.objects.visible_to(xiaozu, "activities.manage")) == [summary]  # the group files it
    assert Filing.objects.reviewed_or_filed_by(zhuxi).get().user_reviews is True
    assert Filing.objects.reviewed_or_filed_by(xiaozu).get().user_reviews is False
    assert not Filing.objects.reviewed_or_filed_by(xianzong).exists()  # the county officer runs no activities


@pytest.mark.parametrize(
    "persona, status, review_form",
    [
        ("xianzong", 200, True),
        ("zhuxi", 200, False),
        ("jiguan", 404, False),
        ("xiaozu", 404, False),
        ("outsider", 404, False),
    ],
)
def test_the_filing_page_opens_to_the_filer_and_the_reviewer_only(
    persona, status, review_form, request, client_for, school_report
):
    response = client_for(request.getfixturevalue(persona)).get(reverse("federation:filing", args=[school_report.pk]))
    assert response.status_code == status
    if status == 200:
        assert (response.context["review_form"] is not None) is review_form


def test_a_units_page_links_the_filings_the_reader_may_open_and_names_the_others(
    client_for, school_report, units, xianzong, inspector
):
    page = reverse("federation:unit", args=[units["school"].pk])
    link = reverse("federation:filing", args=[school_report.pk])
    assert link in client_for(xianzong).get(page).content.decode()
    html = client_for(inspector).get(page).content.decode()
    assert "基层工会统计年报" in html and link not in html
    assert client_for(inspector).get(link).status_code == 404


def test_a_units_page_reads_the_same_queries_however_many_filings(client_for, units, xianzong, zhuxi):
    page = reverse("federation:unit", args=[units["school"].pk])

    def file_reports(count):
        for call in report_calls(count, units=units, by=xianzong):
            services.report_submit(call=call, unit=units["school"], values={call.fields.get().key: "1"}, by=zhuxi)

    def queries():
        client = client_for(xianzong)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page)
        return len(captured), len(response.context["openable"])

    file_reports(1)
    one, openable = queries()
    assert openable == 1
    file_reports(8)
    assert queries() == (one, 9)


def test_the_federation_page_lists_a_call_only_for_a_unit_whose_call_page_opens_it(client_for, units, zhuxi, weiyuan):
    """A school committee member is also a member of a group: working as the group, she does not file
    the school's call to the groups (a member's role files nothing), so neither page offers it."""
    from orgs.models import RoleAssignment

    RoleAssignment.objects.create(user=weiyuan, unit=units["g1"], role=Role.MEMBER)
    to_groups = services.call_issue(
        unit=units["school"], kind=CallKind.PLAN, year=YEAR, title="小组工作计划", due=TODAY, by=zhuxi, today=TODAY
    )
    client = client_for(weiyuan)
    session = client.session
    session["gonghui_unit"] = units["g1"].pk
    session.save()
    assert "小组工作计划" not in client.get(reverse("federation:index")).content.decode()
    assert client.get(call_url(to_groups)).status_code == 404
