"""What a county officer (xianzong) and a school chair (zhuxi) met when they tried the year's returns
in a browser: a decision sent from a page opened before the school filed again, figures no report can
hold, a total of percentages, a form claiming old figures were freshly filled in, reminders counted for
units nobody could be told, and a filed plan in the filer's language."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from federation import filing as machine
from federation import services
from federation.models import CallKind, FilingStatus
from federation.tests.conftest import REPORT_DUE, TODAY, YEAR
from federation.tests.test_report_calls import keys
from federation.tests.test_review_history import summary
from members.models import Member


@pytest.fixture
def filed(plan_call, units, zhuxi):
    found = machine.filing_for(kind=CallKind.PLAN, unit=units["school"], title="年度工会工作总结", call=plan_call)
    return machine.filing_file(filing=found, by=zhuxi, data=summary("一、概况"))


def test_a_decision_from_a_page_opened_before_the_school_filed_again_is_refused(client_for, filed, zhuxi, xianzong):
    client = client_for(xianzong)
    url = reverse("federation:filing", args=[filed.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()  # the page the county keeps open
    machine.filing_return(filing=filed, by=xianzong, comment="请补充女职工工作")  # from a second tab
    machine.filing_refile(filing=filed, by=zhuxi, data=summary("一、概况（写错了）"))
    response = client.post(
        reverse("federation:filing_review", args=[filed.pk]), {"decision": "accept", "version": "1"}, follow=True
    )
    assert "下级又重新报送了（现在是第2版）" in response.content.decode()
    filed.refresh_from_db()
    assert filed.status == FilingStatus.FILED and filed.versions.get(number=2).decision == ""
    client.post(reverse("federation:filing_review", args=[filed.pk]), {"decision": "accept", "version": "2"})
    filed.refresh_from_db()
    assert filed.status == FilingStatus.ACCEPTED


def test_figures_are_whole_and_not_negative_where_they_count_people(client_for, report_call, zhuxi):
    members, women = keys(report_call)
    client = client_for(zhuxi)
    url = reverse("federation:call", args=[report_call.pk])
    page = client.post(url, {members: "144.5", women: "-3", "submit": "1"}).content.decode()
    assert "请填写整数" in page and "144.5" in page  # kept as typed
    assert 'value="-3"' in page
    assert not report_call.filings.filter(status=FilingStatus.FILED).exists()
    assert 'step="1"' in client.get(url).content.decode()


def test_negative_counts_are_refused_with_the_field_named(report_call):
    from federation.forms import ReportForm

    members, women = keys(report_call)
    form = ReportForm({members: "10", women: "-3"}, call_fields=list(report_call.fields.all()))
    assert not form.is_valid() and list(form.errors) == [women]


def test_a_rate_may_fall_below_zero_and_has_no_total(client_for, units, xianzong, zhuxi, jiguan):
    call = services.call_issue(
        unit=units["county"],
        kind=CallKind.REPORT,
        year=YEAR,
        title="入会率统计",
        due=REPORT_DUE,
        by=xianzong,
        today=TODAY,
        fields=[services.FieldSpec("入会率", "", "%"), services.FieldSpec("会员增长", "", "人")],
    )
    rate, grown = (f.key for f in call.fields.all())
    services.report_submit(call=call, unit=units["school"], values={rate: "92.9", grown: "3"}, by=zhuxi)
    services.report_submit(call=call, unit=units["office"], values={rate: "-1.5", grown: "0"}, by=jiguan)
    _fields, _rows, total = services.report_table(call, today=TODAY)
    assert total == ["", 3]
    sheet = load_workbook(
        io.BytesIO(client_for(xianzong).get(reverse("federation:call_export", args=[call.pk])).content)
    ).active
    last = [cell.value for cell in list(sheet.iter_rows())[-1]]
    assert "合计" in last and 91.4 not in last and 3 in last


def test_after_a_return_the_form_says_the_figures_are_those_typed_before(
    client_for, report_call, units, zhuxi, xianzong
):
    members, women = keys(report_call)
    Member.objects.create(unit=units["school"], name="甲", gender="M")
    services.report_submit(call=report_call, unit=units["school"], values={members: "1", women: "1"}, by=zhuxi)
    machine.filing_return(filing=report_call.filings.get(), by=xianzong, comment="会员人数有误")
    Member.objects.create(unit=units["school"], name="乙", gender="F")
    page = client_for(zhuxi).get(reverse("federation:call", args=[report_call.pk])).content.decode()
    assert "已按本单位数据自动填入" not in page
    assert "这是上次填写的数字；按本单位现在的数据为 2，请核对。" in page


def test_units_without_an_officers_account_are_named_not_counted_as_reminded(
    client_for, report_call, units, xianzong, jiguan
):
    from orgs.models import OrgUnit, UnitKind

    OrgUnit.objects.add_child(units["county"], {"code": "h", "name": "县医院工会", "kind": UnitKind.UNION})
    response = client_for(xianzong).post(reverse("federation:call_remind", args=[report_call.pk]), follow=True)
    page = response.content.decode()
    assert "已提醒 2 个未报送的单位" in page
    assert "1 个单位还没有工会干部的账号，无法在系统中提醒，请电话联系：县医院工会" in page


def test_a_plan_filed_from_the_english_pages_reads_in_chinese_above(make_plan, plan_call, units, zhuxi):
    from plans.models import Target

    plan = make_plan()
    Target.objects.create(plan=plan, name="开展文体活动", measure="次", op=">=", value=8)
    with translation.override("en"):
        found = services.record_file(call=plan_call, unit=units["school"], by=zhuxi)
    assert found.versions.get().data["targets"] == [["开展文体活动", "不少于", "8", "次"]]


@pytest.fixture
def summary_call(units, xianzong, zhuxi, jiguan):
    return services.call_issue(
        unit=units["county"],
        kind=CallKind.SUMMARY,
        year=YEAR,
        title="年度工作总结报送",
        due=REPORT_DUE,
        by=xianzong,
        today=TODAY,
    )


def test_the_summary_page_says_where_its_filing_stands_and_the_return_reason(
    client_for, summary_call, make_plan, units, zhuxi, xianzong
):
    from plans.models import YearSummary

    summary = YearSummary.objects.create(
        unit=units["school"], year=YEAR, plan=make_plan(), title="年度工会工作总结", body="一、概况", created_by=zhuxi
    )
    url = reverse("plans:summary", args=[summary.pk])
    call_url = reverse("federation:call", args=[summary_call.pk]) + f"?unit={units['school'].pk}"
    page = client_for(zhuxi).get(url).content.decode()
    assert 'data-testid="summary-call"' in page and "要求报送“年度工作总结报送”" in page and call_url in page
    filer = client_for(zhuxi).get(call_url).content.decode()
    assert 'data-testid="draft-warning"' in filer and "这份总结还是草稿，尚未定稿" in filer
    assert "内容还是草稿，确定现在报送吗？" in filer and reverse("plans:summary", args=[summary.pk]) in filer

    filed = services.record_file(call=summary_call, unit=units["school"], by=zhuxi)
    machine.filing_return(filing=filed, by=xianzong, comment="请补充女职工工作")
    page = client_for(zhuxi).get(url).content.decode()
    assert "上级退回意见：请补充女职工工作" in page and "修改后重新报送" in page


def test_the_summary_page_shows_no_calls_to_those_who_do_not_file(client_for, summary_call, make_plan, units, zhuxi):
    from conftest import make_person
    from orgs.roles import Role
    from plans.models import YearSummary

    summary = YearSummary.objects.create(
        unit=units["school"], year=YEAR, plan=make_plan(), title="年度工会工作总结", created_by=zhuxi
    )
    reader = make_person("duzhe", "读者", units["county"], Role.FEDERATION_VIEWER)
    page = client_for(reader).get(reverse("plans:summary", args=[summary.pk])).content.decode()
    assert 'data-testid="summary-call"' not in page


def test_a_refused_review_keeps_the_reason_typed_beside_its_box(client_for, filed, zhuxi, xianzong):
    client = client_for(xianzong)
    review = reverse("federation:filing_review", args=[filed.pk])
    page = client.post(review, {"decision": "return", "comment": " ", "version": "1"}).content.decode()
    # It was said above the page, away from the box it asks to fill.
    assert 'aria-invalid="true"' in page and 'data-testid="error-summary"' in page
    assert "退回时请写明需要下级修改的地方。" in page
    machine.filing_return(filing=filed, by=xianzong, comment="请补充女职工工作")  # from a second tab
    machine.filing_refile(filing=filed, by=zhuxi, data=summary("一、概况（补充了女职工工作）"))
    reason = "第三部分的活动次数与附表不一致，请核对后重新报送。"
    page = client.post(review, {"decision": "return", "comment": reason, "version": "1"}).content.decode()
    # The long reason the county typed survives the refusal; the form now carries the version shown.
    assert "下级又重新报送了（现在是第2版）" in page and f"{reason}</textarea>" in page
    assert 'name="version" value="2"' in page
    filed.refresh_from_db()
    assert filed.status == FilingStatus.FILED
    client.post(review, {"decision": "return", "comment": reason, "version": "2"})
    filed.refresh_from_db()
    assert filed.status == FilingStatus.RETURNED and filed.comment == reason
