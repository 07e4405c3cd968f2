"""The statistics page: units directly below ranked by a figure from the roll-ups, last year beside
it, and the report of every unit below as .xlsx."""

import datetime
import io
import re
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Activity, Status
from members.models import Member
from orgs.models import OrgUnit, UnitKind
from rollups.refresh import refresh

UNIONS = 40


@pytest.fixture
def county_with_unions(units, zhuxi):
    """demo-county with 40 more unions, union n having n members and n % 3 activities held this year."""
    county = OrgUnit.objects.get(pk=units["county"].pk)
    now = timezone.now()
    for n in range(UNIONS):
        union = OrgUnit.objects.add_child(
            county, {"code": f"x{n}", "name": f"第{n:02d}学校工会", "kind": UnitKind.UNION}
        )
        Member.objects.bulk_create(
            [Member(unit=union, name=f"会员{n}-{k}", gender="F" if k % 2 else "M") for k in range(n)]
        )
        for _k in range(n % 3):
            Activity.objects.create(
                unit=union,
                title="活动",
                starts_at=now - datetime.timedelta(days=1),
                status=Status.HELD,
                participant_times=10,
                created_by=zhuxi,
            )
    from rollups.refresh import drift

    drift(fix=True)  # the bulk-written members, as an import's touch() would
    refresh()
    return county


def test_federation_viewer_sees_units_below_ranked_by_members(client_for, xianzong, county_with_unions):
    response = client_for(xianzong).get(reverse("rollups:statistics"))
    assert response.status_code == 200
    lines = response.context["lines"]
    assert [row.unit.code for _rank, row, _change in lines[:3]] == ["x39", "x38", "x37"]
    assert response.context["cards"][0][3] == sum(range(UNIONS))
    assert "截至" in response.content.decode()
    # A group that held nothing yet has members who took part: the page says how each figure is counted.
    assert "按会员所在的单位统计" in response.content.decode()


def test_ranking_by_activities_held(client_for, xianzong, county_with_unions):
    response = client_for(xianzong).get(reverse("rollups:statistics"), {"sort": "held"})
    values = [row.values["held"] for _rank, row, _change in response.context["lines"]]
    assert values == sorted(values, reverse=True) and values[0] == 2


def test_the_page_reads_a_bounded_number_of_queries(
    client_for, xianzong, county_with_unions, django_assert_max_num_queries
):
    client = client_for(xianzong)
    client.get(reverse("rollups:statistics"))
    with django_assert_max_num_queries(14):
        client.get(reverse("rollups:statistics"), {"sort": "participants"})


def test_a_change_reaches_the_page_after_the_refresh(client_for, xianzong, county_with_unions):
    union = OrgUnit.objects.get(code="x0")
    Member.objects.create(unit=union, name="新会员", gender="F")
    client = client_for(xianzong)
    before = client.get(reverse("rollups:statistics")).context["cards"][0][3]
    refresh()
    after = client.get(reverse("rollups:statistics")).context["cards"][0][3]
    assert after == before + 1


def test_statistics_report_lists_every_unit_below(client_for, xianzong, county_with_unions):
    response = client_for(xianzong).get(reverse("rollups:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    text = [list(row) for row in sheet.iter_rows(values_only=True)]
    names = [str(row[1]).strip("\u3000 ") for row in text if row and row[1]]
    assert "清河县总工会" in names and "第39学校工会" in names and "东关完小工会小组" in names
    county_row = next(row for row in text if row[1] == "清河县总工会")
    assert sum(range(UNIONS)) in county_row


def test_a_member_without_the_permission_gets_404(client_for, huiyuan, county_with_unions):
    assert client_for(huiyuan).get(reverse("rollups:statistics")).status_code == 404
    assert client_for(huiyuan).get(reverse("rollups:export")).status_code == 404


def test_the_ranking_writes_a_rate_as_a_percentage(client_for, xianzong, county_with_unions):
    response = client_for(xianzong).get(reverse("rollups:statistics"))
    rate = [key for key, _label, _measure in response.context["figures"]].index("participation_rate")
    html = response.content.decode()
    start = html.index("<td>第39学校工会</td>")
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', html[start : html.index("</tr>", start)])
    assert cells[rate].endswith("%") and cells[0] == "39", cells


def test_last_years_page_and_report_count_the_members_of_its_end_not_of_today(client_for, xianzong, county_with_unions):
    # Someone who joined this year was not a member at the end of last year: not in last year's figures.
    last_year = timezone.localdate().year - 1
    Member.objects.create(unit=OrgUnit.objects.get(code="x39"), name="新会员", joined_on=timezone.localdate())
    refresh()
    client = client_for(xianzong)
    response = client.get(reverse("rollups:statistics"), {"year": last_year})
    assert response.status_code == 200 and response.context["sort"] == "members"
    [row] = [row for _rank, row, _change in response.context["lines"] if row.unit.code == "x39"]
    assert row.values["members"] == 39 and row.values["participation_rate"] is None
    assert ">None<" not in response.content.decode()
    sheet = load_workbook(io.BytesIO(client.get(reverse("rollups:export"), {"year": last_year}).content)).active
    header = next(row for row in sheet.iter_rows(values_only=True) if "会员人数（人）" in row)
    county_row = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "清河县总工会")
    assert county_row[header.index("会员人数（人）")] == sum(range(UNIONS))  # the new member not counted
    assert county_row[header.index("会员活动参与率（%）")] in ("", None)


def test_new_members_are_counted_as_the_plans_target_counts_them(client_for, xianzong, county_with_unions):
    from core.figures import metric_value
    from members.models import Status

    union = OrgUnit.objects.get(code="x5")
    today = timezone.localdate()
    Member.objects.create(unit=union, name="入会又退会", gender="F", joined_on=today, status=Status.LEFT)
    Member.objects.create(unit=union, name="新会员", gender="M", joined_on=today)
    refresh()
    response = client_for(xianzong).get(reverse("rollups:statistics"), {"sort": "entered"})
    [row] = [row for _rank, row, _change in response.context["lines"] if row.unit.code == "x5"]
    assert row.values["entered"] == metric_value("members.joined", unit=union, year=today.year) == 2


def test_last_years_overdue_items_beside_this_years_are_those_of_last_years_own_page(
    client_for, xianzong, zhuxi, county_with_unions
):
    """Last year is over: its December and year-round items not done are overdue too, beside this year's
    figure as on last year's own page (it was counted as if 31 December were still in it)."""
    from plans.models import ItemStatus, Plan, PlanStatus, ScheduleItem
    from rollups.refresh import touch

    union, last_year = OrgUnit.objects.get(code="x7"), timezone.localdate().year - 1
    plan = Plan.objects.create(unit=union, year=last_year, title="计划", status=PlanStatus.PUBLISHED, created_by=zhuxi)
    for month, status in ((0, ItemStatus.PLANNED), (3, ItemStatus.PLANNED), (12, ItemStatus.IN_PROGRESS), (5, "done")):
        ScheduleItem.objects.create(plan=plan, unit=union, month=month, text="事项", status=status)
    touch([union.pk])
    refresh()
    client = client_for(xianzong)

    def overdue(response):
        [row] = [row for _rank, row, _change in response.context["lines"] if row.unit == union]
        return row

    assert (
        overdue(client.get(reverse("rollups:statistics"), {"year": last_year, "sort": "overdue"})).values["overdue"]
        == 3
    )
    this_year = overdue(client.get(reverse("rollups:statistics"), {"sort": "overdue"}))
    assert this_year.last["overdue"] == 3 and this_year.change("overdue") == this_year.values["overdue"] - 3


def test_a_figure_not_kept_per_year_charts_this_year_alone_and_members_chart_both(
    client_for, xianzong, county_with_unions
):
    client = client_for(xianzong)
    rate = client.get(reverse("rollups:statistics"), {"sort": "participation_rate"})
    assert rate.context["chart"]["before"] is None  # not kept per year
    assert rate.context["chart_table"]["headers"] == ["单位", str(timezone.localdate().year)]
    members = client.get(reverse("rollups:statistics")).context
    assert members["sort"] == "members" and len(members["chart"]["before"]) == 20
    held = client.get(reverse("rollups:statistics"), {"sort": "held"}).context
    assert len(held["chart"]["before"]) == len(held["chart"]["units"]) == 20
    assert all(len(row) == 3 for row in held["chart_table"]["rows"])


def test_the_change_is_shown_beside_the_figure_ranked_by(client_for, xianzong, county_with_unions):
    html = client_for(xianzong).get(reverse("rollups:statistics"), {"sort": "held"}).content.decode()
    ranking = html[html.index("下级单位排名") :]
    header = ranking[ranking.index("<thead>") : ranking.index("</thead>")]
    assert re.search(r'aria-current="true">举办活动</a></th>\s*<th class="text-end">举办活动同比</th>', header), header


def test_a_deactivated_unit_is_marked_where_units_are_ranked(client_for, xianzong, county_with_unions):
    """Re-created under the same name, a deactivated union and its successor read alike: its records stay in
    the figures, so it stays in the ranking and the report, marked."""
    from orgs.services import unit_deactivate

    unit_deactivate(unit=OrgUnit.objects.get(code="x5"))
    refresh()
    client = client_for(xianzong)
    html = "".join(client.get(reverse("rollups:statistics"), {"page": n}).content.decode() for n in (1, 2))
    assert "<td>第05学校工会（已停用）</td>" in html and "<td>第06学校工会</td>" in html
    sheet = load_workbook(io.BytesIO(client.get(reverse("rollups:export")).content)).active
    assert any(row[1] == "　第05学校工会（已停用）" for row in sheet.iter_rows(values_only=True))


def test_a_past_years_members_are_those_of_its_last_day_as_the_roster_dates_them(
    client_for, xianzong, county_with_unions
):
    """Last year's 会员人数 and 女会员 beside this year's are counted as the year ended (as the plan's target
    and the summary count them), not as the roster stands today and not left empty."""
    from core.figures import metric_value
    from members.models import Status

    union, year = OrgUnit.objects.get(code="x9"), timezone.localdate().year
    before = datetime.date(year - 1, 6, 1)
    Member.objects.create(unit=union, name="今年入会", gender="F", joined_on=datetime.date(year, 3, 1))
    Member.objects.create(unit=union, name="去年入会", gender="F", joined_on=before)
    Member.objects.create(
        unit=union,
        name="今年退会",
        gender="F",
        joined_on=before,
        status=Status.LEFT,
        status_changed_on=datetime.date(year, 2, 1),
    )
    Member.objects.create(
        unit=union, name="去年退会", gender="M", joined_on=before, status=Status.LEFT, status_changed_on=before
    )
    Member.objects.create(  # joined and left this year: in neither year's end
        unit=union,
        name="今年来去",
        gender="F",
        joined_on=datetime.date(year, 1, 5),
        status=Status.DECEASED,
        status_changed_on=datetime.date(year, 4, 1),
    )
    Member.objects.create(  # the day joined not kept: counted as a member all along, until she left
        unit=union, name="日期不详", gender="F", status=Status.LEFT, status_changed_on=datetime.date(year, 5, 1)
    )
    from rollups.refresh import touch

    touch([union.pk])
    refresh()
    response = client_for(xianzong).get(reverse("rollups:statistics"))
    [row] = [row for _rank, row, _change in response.context["lines"] if row.unit == union]
    last_year_end = datetime.date(year - 1, 12, 31)
    members_then = Member.objects.in_subtree(union).in_union(last_year_end)
    assert row.last["members"] == members_then.count() == 9 + 3  # the fixture's nine, 去年入会, 今年退会, 日期不详
    assert row.last["women"] == members_then.filter(gender="F").count() == 4 + 3
    assert row.last["members"] == metric_value("members.count", unit=union, year=year - 1)
    assert row.values["members"] == 9 + 2 and row.change("members") == -1  # 今年入会, 去年入会
    county = response.context["cards"][0]
    assert county[3] - county[4] == -1  # the county's total beside last year's
    past = client_for(xianzong).get(reverse("rollups:statistics"), {"year": year - 1})
    [row] = [row for _rank, row, _change in past.context["lines"] if row.unit == union]
    assert row.values["members"] == 12 and row.last["members"] == 9 + 1  # the year before: 去年入会 not yet


@pytest.fixture
def care_and_democracy(county_with_unions, zhuxi):
    """Unions x1-x3 give help, hold hardship files and receive proposals and suggestions; x3 gives the most."""
    from decimal import Decimal

    from care.models import Assistance, Household
    from care.models.assistance import AssistanceStatus, Purpose
    from democracy.models import Kind, Proposal, ProposalStatus

    today = timezone.localdate()
    for n in (1, 2, 3):
        union = OrgUnit.objects.get(code=f"x{n}")
        for k in range(n):
            Household(
                unit=union,
                name=f"户主{n}{k}",
                id_number=f"13010119800101{n}{k:03d}",
                level="deep",
                categories=["illness"],
                situation="因病致困",
                entered_on=today,
            ).save()
            Proposal.objects.create(
                unit=union,
                kind=Kind.PROPOSAL if k % 2 == 0 else Kind.SUGGESTION,
                author=zhuxi,
                title="关于食堂的提案",
                reasons="理由",
                measures="措施",
                status=ProposalStatus.ANSWERED if k == 0 else ProposalStatus.ROUTED,
                submitted_on=today,
                first_answered_on=today if k == 0 else None,
            )
        for status, purpose, amount in (
            (AssistanceStatus.APPROVED, Purpose.SONGNUAN, Decimal("500.25") * n),
            (AssistanceStatus.APPROVED, Purpose.MEDICAL, Decimal("1000")),
            (AssistanceStatus.PENDING, Purpose.SONGNUAN, Decimal("3000")),  # not handed over: counts nowhere
        ):
            Assistance.objects.create(
                unit=union,
                recipient="受助人",
                amount=amount,
                purpose=purpose,
                given_on=today,
                status=status,
                entered_by=zhuxi,
            )
    refresh()
    return county_with_unions


def test_units_below_are_ranked_by_care_money_in_yuan_as_the_care_metric_counts_it(
    client_for, xianzong, care_and_democracy
):
    from decimal import Decimal

    from core.figures import metric_value

    year = timezone.localdate().year
    response = client_for(xianzong).get(reverse("rollups:statistics"), {"sort": "care_amount"})
    top = [row for _rank, row, _change in response.context["lines"][:3]]
    assert [row.unit.code for row in top] == ["x3", "x2", "x1"]
    assert (
        top[0].values["care_amount"]
        == Decimal("2500.75")
        == metric_value("care.assistance_amount", unit=top[0].unit, year=year)
    )
    assert top[0].values["songnuan"] == 1 and top[0].values["households"] == 3
    assert top[0].last["care_amount"] == Decimal("0.00") and top[0].change("care_amount") == Decimal("2500.75")
    assert top[0].values["proposals"] == 2 and top[0].values["proposals_answered"] == 1
    assert top[0].values["suggestions"] == 1 and top[0].values["suggestions_answered"] == 0
    html = response.content.decode()
    assert "帮扶救助金额" in html and "送温暖慰问人次" in html and "代表提案" in html
    # Money as Chinese users read it: the yuan sign, thousands separated, two decimals; the change signed.
    assert ">¥2,500.75<" in html and ">+¥2,500.75<" in html and ">¥6,001.50<" in html
    cards = {key: now for key, _label, _measure, now, _before in response.context["cards"]}
    assert cards["care_amount"] == Decimal("3001.50") + 3000 and cards["households"] == 6
    assert response.context["chart"]["now"][:3] == [2500.75, 2000.5, 1500.25]


def test_hardship_files_are_counted_as_they_are_now_so_a_past_year_shows_none(client_for, xianzong, care_and_democracy):
    client = client_for(xianzong)
    now = client.get(reverse("rollups:statistics"), {"sort": "households"})
    assert now.context["chart"]["before"] is None  # not kept per year: this year alone
    past = client.get(reverse("rollups:statistics"), {"year": timezone.localdate().year - 1, "sort": "care_amount"})
    [row] = [row for _rank, row, _change in past.context["lines"] if row.unit.code == "x3"]
    assert row.values["households"] is None and row.values["care_amount"] == 0


def test_the_report_writes_care_money_as_yuan_with_two_decimals(client_for, xianzong, care_and_democracy):
    from decimal import Decimal

    sheet = load_workbook(io.BytesIO(client_for(xianzong).get(reverse("rollups:export")).content)).active
    rows = list(sheet.iter_rows())
    header = next([c.value for c in row] for row in rows if any(c.value == "帮扶救助金额（元）" for c in row))
    column = header.index("帮扶救助金额（元）")
    [x3] = [row for row in rows if row[1].value and str(row[1].value).strip("\u3000") == "第03学校工会"]
    assert Decimal(str(x3[column].value)) == Decimal("2500.75") and x3[column].number_format == "#,##0.00"
    assert x3[header.index("在档困难职工户数（户）")].value == 3
    assert x3[header.index("代表提案（件）")].value == 2


def test_the_page_sorted_by_a_care_figure_reads_a_bounded_number_of_queries(
    client_for, xianzong, care_and_democracy, django_assert_max_num_queries
):
    client = client_for(xianzong)
    client.get(reverse("rollups:statistics"))
    for sort in ("care_amount", "proposals_answered"):
        with django_assert_max_num_queries(14):
            client.get(reverse("rollups:statistics"), {"sort": sort})


def test_units_below_are_ranked_by_lifted_files_rights_cases_and_proposal_satisfaction(
    client_for, xianzong, zhuxi, care_and_democracy
):
    """The figures a union's own care and proposal pages show, kept in the roll-ups since: the county ranks
    its unions by them too, and its card adds the rates up from the counts, not from the unions' rates."""
    from decimal import Decimal

    from care import services as care
    from care.models import Household
    from democracy.models import Answer, Proposal, Rating

    today, now = timezone.localdate(), timezone.now()
    x2, x3 = OrgUnit.objects.get(code="x2"), OrgUnit.objects.get(code="x3")
    household = Household.objects.filter(unit=x3).first()
    care.household_lift(household=household, by=zhuxi, on=today, reason="收入稳定", today=today)
    case = care.case_submit(unit=x3, name="贾", phone="13803190000", category="wages", account="欠薪", now=now)
    care.case_close(case=case, by=zhuxi, on=today, outcome="已结清", recovered=Decimal("3000.75"))
    for unit, rating in ((x3, Rating.SATISFIED), (x2, Rating.NOT_SATISFIED)):
        answered = Proposal.objects.get(unit=unit, first_answered_on__isnull=False)
        Answer.objects.create(
            proposal=answered, by=zhuxi, text="已落实", answered_on=today, rating=rating, rated_on=today
        )
    refresh()

    response = client_for(xianzong).get(reverse("rollups:statistics"), {"sort": "recovered"})
    rows = {row.unit.code: row for _rank, row, _change in response.context["lines"]}
    assert response.context["lines"][0][1].unit == x3
    assert rows["x3"].values["lifted"] == 1 and rows["x3"].values["rights_cases"] == 1
    assert rows["x3"].values["recovered"] == Decimal("3000.75") and ">¥3,000.75<" in response.content.decode()
    assert rows["x3"].values["proposals_accepted"] == 2  # the answered one and the one routed; not the suggestion
    assert rows["x3"].values["proposal_satisfaction"] == Decimal("100.0")
    assert rows["x2"].values["proposal_satisfaction"] == Decimal("0.0")
    assert rows["x1"].values["proposal_satisfaction"] is None  # answered, not rated: no rate to show
    cards = {key: now for key, _label, _measure, now, _before in response.context["cards"]}
    assert cards["proposal_satisfaction"] == Decimal("50.0") and cards["lifted"] == 1


def test_a_large_amount_fits_its_card_in_wan_with_the_exact_amount_beside_it(client_for, xianzong, care_and_democracy):
    from care.models import Assistance

    Assistance.objects.filter(unit__code="x3", purpose="medical").update(amount="1234567.89")
    from rollups.refresh import touch

    touch([OrgUnit.objects.get(code="x3").pk])
    refresh()
    html = client_for(xianzong).get(reverse("rollups:statistics")).content.decode()
    card = re.search(r'<div class="card-figure[^"]*" data-testid="total-care_amount"([^>]*)>([^<]*)<', html)
    assert card[2] == "¥123.96万" and 'title="¥1,239,569.39"' in card[1]


def test_last_years_rate_on_a_card_is_a_percentage_and_its_year_reads_as_a_label_in_english(
    client_for, xianzong, zhuxi, care_and_democracy, django_assert_max_num_queries
):
    """The county officer compares a rate with last year's: 2025年 50.0% beside 80.0%, not a bare 50.0; in
    English the year is a label (2025: 50.0%), not a second number run into the first (2025 50.0)."""
    import datetime as dt

    from democracy.models import Answer, Proposal, Rating
    from rollups.refresh import touch

    a_year_ago = timezone.localdate() - dt.timedelta(days=366)
    x2, x3 = OrgUnit.objects.get(code="x2"), OrgUnit.objects.get(code="x3")
    for unit, rating in ((x3, Rating.SATISFIED), (x2, Rating.NOT_SATISFIED)):
        answered = Proposal.objects.get(unit=unit, first_answered_on__isnull=False)
        Proposal.objects.filter(pk=answered.pk).update(submitted_on=a_year_ago, first_answered_on=a_year_ago)
        Answer.objects.create(
            proposal=answered, by=zhuxi, text="已落实", answered_on=a_year_ago, rating=rating, rated_on=a_year_ago
        )
    touch([x2.pk, x3.pk])
    refresh()
    client = client_for(xianzong)
    with django_assert_max_num_queries(14):
        html = client.get(reverse("rollups:statistics")).content.decode()
    before = re.search(r'data-testid="before-proposal_satisfaction">([^<]*)<', html)[1]
    assert before.split() == [f"{a_year_ago.year}年", "50.0%"]
    client.cookies["gonghui_language"] = "en"
    html = client.get(reverse("rollups:statistics")).content.decode()
    assert re.search(r'data-testid="before-proposal_satisfaction">([^<]*)<', html)[1].split() == [
        f"{a_year_ago.year}:",
        "50.0%",
    ]
    assert re.search(r'data-testid="before-members">([^<]*)<', html)[1].startswith(f"{a_year_ago.year}: ")


def test_the_report_file_is_named_by_the_unit_and_year_as_its_title(client_for, xianzong, county_with_unions):
    """An officer files the download by its name: 清河县总工会2026年工会工作统计表, not the unit's code."""
    response = client_for(xianzong).get(reverse("rollups:export"))
    disposition = unquote(response["Content-Disposition"])
    year = timezone.localdate().year
    assert f"清河县总工会{year}年工会工作统计表-" in disposition and "demo-county" not in disposition


def test_the_chart_says_top_20_only_when_there_are_more_units_below(client_for, xianzong, county_with_unions):
    html = client_for(xianzong).get(reverse("rollups:statistics")).content.decode()
    assert "下级单位会员人数（前 20 个）" in html  # 41 units below the county: the chart draws 20


def test_the_chart_of_a_few_units_below_does_not_say_top_20(client_for, xianzong, units):
    refresh()
    response = client_for(xianzong).get(reverse("rollups:statistics"))
    html = response.content.decode()
    assert 0 < response.context["page"].paginator.count < 20
    assert "下级单位会员人数</div>" in html and "（前" not in html
