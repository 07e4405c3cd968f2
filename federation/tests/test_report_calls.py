"""Report calls: prefilled from the unit's own data, edited, submitted, reminded, exported."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils.http import content_disposition_header
from openpyxl import load_workbook

from federation import filing as machine
from federation import services
from federation.models import CallKind, FilingCall, FilingStatus, UnitState
from federation.tests.conftest import TODAY, YEAR
from members.models import Member


@pytest.fixture
def school_members(units):
    for i, unit in enumerate(["school", "g1", "g1", "g2"]):
        Member.objects.create(unit=units[unit], name=f"会员{i}", gender="F" if i % 2 else "M")


def keys(call):
    members, women = call.fields.all()
    return members.key, women.key


def test_issuing_a_call_tells_the_officers_of_each_unit_below(report_call, zhuxi, jiguan, xiaozu):
    assert zhuxi.notifications.get(kind="federation.call").url == reverse("federation:call", args=[report_call.pk])
    assert jiguan.notifications.filter(kind="federation.call").count() == 1
    assert not xiaozu.notifications.exists()  # groups are not asked by the county


def test_fields_with_a_metric_are_prefilled_from_the_units_own_data(report_call, units, school_members):
    members, women = keys(report_call)
    assert services.report_prefill(report_call, units["school"]) == {members: "4", women: ""}
    assert services.report_prefill(report_call, units["office"]) == {members: "0", women: ""}


def test_a_unit_reviews_edits_and_submits_its_figures(client_for, report_call, units, zhuxi, school_members):
    members, women = keys(report_call)
    client = client_for(zhuxi)
    url = reverse("federation:call", args=[report_call.pk])
    form = client.get(url).content.decode()
    assert 'value="4"' in form and "已按本单位数据自动填入" in form
    response = client.post(url, {members: "5", women: "", "submit": "1"})
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    client.post(url, {members: "5", women: "2", "save": "1"})
    draft = report_call.filings.get()
    assert draft.status == FilingStatus.DRAFT and draft.data == {members: "5", women: "2"}
    client.post(url, {members: "5", women: "3", "submit": "1"})
    draft.refresh_from_db()
    assert draft.status == FilingStatus.FILED and draft.versions.get().data == {members: "5", women: "3"}
    assert "已报送，上级审阅前不能修改" in client.get(url).content.decode()
    # The form of a page read before filing, sent again: told so, nothing changed.
    response = client.post(url, {members: "6", women: "3", "submit": "1"}, follow=True)
    assert 'class="alert alert-danger' in response.content.decode()
    draft.refresh_from_db()
    assert draft.data == {members: "5", women: "3"} and draft.versions.count() == 1


def test_the_county_sees_who_has_not_submitted_and_reminds_them(
    client_for, report_call, units, zhuxi, jiguan, xianzong
):
    members, women = keys(report_call)
    services.report_submit(call=report_call, unit=units["school"], values={members: "4", women: "1"}, by=zhuxi)
    states = {s.unit.code: s.state for s in machine.call_states(report_call, today=TODAY)}
    assert states == {"demo-school": UnitState.FILED, "demo-office": UnitState.NOT_STARTED}
    client = client_for(xianzong)
    client.post(reverse("federation:call_remind", args=[report_call.pk]))
    assert jiguan.notifications.filter(kind="federation.reminder").count() == 1
    assert not zhuxi.notifications.filter(kind="federation.reminder").exists()
    client.post(reverse("federation:call_remind", args=[report_call.pk]))  # a second click the same day
    assert jiguan.notifications.filter(kind="federation.reminder").count() == 1


def test_the_county_downloads_one_sheet_with_a_row_per_unit_and_a_total(
    client_for, report_call, units, zhuxi, jiguan, xianzong
):
    members, women = keys(report_call)
    services.report_submit(call=report_call, unit=units["school"], values={members: "40", women: "25"}, by=zhuxi)
    services.report_submit(call=report_call, unit=units["office"], values={members: "30", women: "12.5"}, by=jiguan)
    response = client_for(xianzong).get(reverse("federation:call_export", args=[report_call.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "基层工会统计年报"
    assert response["Content-Disposition"] == content_disposition_header(True, "基层工会统计年报.xlsx")
    assert rows[1] == ["序号", "单位", "状态", "会员人数（人）", "女职工人数（人）"]
    assert rows[2] == [1, "城关镇中心学校工会", "已报送", 40, 25]
    assert rows[3] == [2, "县教育局机关工会", "已报送", 30, 12.5]
    assert rows[4] == [None, "合计", None, 70, 37.5]


def test_a_returned_report_keeps_the_filed_figures_in_the_sheet_until_refiled(report_call, units, zhuxi, xianzong):
    members, women = keys(report_call)
    filing = services.report_submit(call=report_call, unit=units["school"], values={members: "4", women: "1"}, by=zhuxi)
    machine.filing_return(filing=filing, by=xianzong, comment="女职工人数有误")
    services.report_submit(
        call=report_call, unit=units["school"], values={members: "4", women: "9"}, by=zhuxi, submit=False
    )
    _fields, rows, total = services.report_table(report_call, today=TODAY)
    assert rows[0].sheet_row() == ["城关镇中心学校工会", "已退回", "", ""] and total == [0, 0]
    services.report_submit(call=report_call, unit=units["school"], values={members: "4", women: "9"}, by=zhuxi)
    _fields, rows, total = services.report_table(report_call, today=TODAY)
    assert rows[0].sheet_row() == ["城关镇中心学校工会", "已报送", 4, 9]


def test_only_the_county_downloads_and_reminds(client_for, report_call, zhuxi, outsider):
    for user in (zhuxi, outsider):
        client = client_for(user)
        assert client.get(reverse("federation:call_export", args=[report_call.pk])).status_code == 404
        assert client.post(reverse("federation:call_remind", args=[report_call.pk])).status_code == 404


def test_the_county_issues_a_report_call_from_the_page(client_for, units, xianzong, zhuxi):
    data = {
        "kind": "federation.report",
        "title": "送温暖统计",
        "year": TODAY.year,
        "due": (TODAY + datetime.timedelta(days=14)).isoformat(),
        "instructions": "",
        "fields-TOTAL_FORMS": "8",
        "fields-INITIAL_FORMS": "0",
        "fields-0-label": "慰问人数",
        "fields-0-metric": "",
        "fields-0-measure": "人",
        "fields-1-label": "会员人数",
        "fields-1-metric": "members.count",
        "fields-1-measure": "人",
    }
    response = client_for(xianzong).post(reverse("federation:call_new"), data)
    call = FilingCall.objects.get()
    assert response.status_code == 302 and [f.label for f in call.fields.all()] == ["慰问人数", "会员人数"]
    assert client_for(zhuxi).get(reverse("federation:call_new")).status_code == 200  # the school calls its groups


def test_a_yuan_column_of_the_sheet_reads_as_money(client_for, units, zhuxi, xianzong):
    call = services.call_issue(
        unit=units["county"],
        kind=CallKind.REPORT,
        year=YEAR,
        title="送温暖资金统计",
        due=TODAY + datetime.timedelta(days=14),
        by=xianzong,
        today=TODAY,
        fields=[services.FieldSpec("慰问金额", "", "元"), services.FieldSpec("慰问人次", "", "人次")],
    )
    money, people = (field.key for field in call.fields.all())
    services.report_submit(call=call, unit=units["school"], values={money: "12800", people: "40"}, by=zhuxi)
    response = client_for(xianzong).get(reverse("federation:call_export", args=[call.pk]))
    row = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, max_row=3))[0]
    assert row[3].value == 12800 and row[3].number_format == "#,##0.00"
    assert row[4].value == 40 and row[4].number_format == "General"
