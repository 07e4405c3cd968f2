"""Collective contracts: signed only after the congress approved them, filed after signing, renewed
before they lapse (a to-do 60 days ahead), and their coverage rolled up to the federation."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.figures import coverage_rate
from contracts.models import Contract, Kind, Stage, StepKind
from core.todo import todos_for

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def company(units):
    """demo-office stands in for a company union of 30 workers; demo-school has 40."""
    return units["office"]


def open_contract(unit, user, **fields):
    values = {
        "kind": Kind.COMPREHENSIVE,
        "title": "集体合同",
        "employer": "某公司",
        "starts_on": datetime.date(2024, 1, 1),
        "ends_on": datetime.date(2026, 12, 31),
        "workers_covered": 30,
        "requested_on": datetime.date(2023, 11, 1),
    }
    values.update(fields)
    return services.contract_open(unit=unit, by=user, **values)


def test_a_contract_is_signed_only_after_the_congress_approved_it(company, zhuxi):
    contract = open_contract(company, zhuxi)
    assert [s.kind for s in contract.steps.all()] == [StepKind.REQUEST]
    with pytest.raises(services.ContractError) as refused:
        services.contract_sign(contract=contract, by=zhuxi, signed_on=datetime.date(2023, 12, 20), congress_approval="")
    assert refused.value.field == "congress_approval"
    services.step_add(
        contract=contract,
        by=zhuxi,
        kind=StepKind.CONGRESS,
        on=datetime.date(2023, 12, 15),
        note="第二届职代会第一次会议",
    )
    services.contract_sign(contract=contract, by=zhuxi, signed_on=datetime.date(2023, 12, 20), congress_approval="")
    contract.refresh_from_db()
    assert contract.stage == Stage.SIGNED and contract.congress_approval == "第二届职代会第一次会议"


def test_filing_follows_signing_and_names_the_authority(company, zhuxi):
    contract = open_contract(company, zhuxi)
    with pytest.raises(services.ContractError, match="签订后"):
        services.contract_file(contract=contract, by=zhuxi, filed_on=datetime.date(2024, 1, 2), filed_with="县人社局")
    services.contract_sign(
        contract=contract, by=zhuxi, signed_on=datetime.date(2023, 12, 20), congress_approval="职代会"
    )
    with pytest.raises(services.ContractError) as refused:
        services.contract_file(contract=contract, by=zhuxi, filed_on=datetime.date(2024, 1, 2), filed_with=" ")
    assert refused.value.field == "filed_with"
    services.contract_file(contract=contract, by=zhuxi, filed_on=datetime.date(2024, 1, 2), filed_with="县人社局")
    assert Contract.objects.get().stage == Stage.FILED


def signed(company, user, **fields):
    return services.contract_sign(
        contract=open_contract(company, user, **fields),
        by=user,
        signed_on=datetime.date(2023, 12, 20),
        congress_approval="职代会",
    )


def test_a_contract_signed_from_two_pages_at_once_is_signed_once(company, zhuxi):
    contract = open_contract(company, zhuxi)
    first_page, second_page = Contract.objects.get(pk=contract.pk), Contract.objects.get(pk=contract.pk)
    services.contract_sign(
        contract=first_page, by=zhuxi, signed_on=datetime.date(2023, 12, 20), congress_approval="职代会"
    )
    with pytest.raises(services.ContractError, match="这份合同已经签订"):
        services.contract_sign(
            contract=second_page, by=zhuxi, signed_on=datetime.date(2023, 12, 21), congress_approval="职代会"
        )
    assert contract.steps.filter(kind=StepKind.SIGNING).count() == 1
    assert Contract.objects.get().signed_on == datetime.date(2023, 12, 20)


def test_a_contract_is_filed_once(company, zhuxi):
    contract = signed(company, zhuxi)
    first_page, second_page = Contract.objects.get(pk=contract.pk), Contract.objects.get(pk=contract.pk)
    services.contract_file(contract=first_page, by=zhuxi, filed_on=datetime.date(2024, 1, 2), filed_with="县人社局")
    with pytest.raises(services.ContractError, match="这份合同已经备案"):
        services.contract_file(
            contract=second_page, by=zhuxi, filed_on=datetime.date(2024, 1, 5), filed_with="市人社局"
        )
    assert contract.steps.filter(kind=StepKind.FILING).count() == 1
    assert Contract.objects.get().filed_with == "县人社局"


def test_no_bargaining_step_is_added_once_the_contract_is_signed(company, zhuxi):
    contract = open_contract(company, zhuxi)
    page_opened_before_signing = Contract.objects.get(pk=contract.pk)
    services.contract_sign(
        contract=contract, by=zhuxi, signed_on=datetime.date(2023, 12, 20), congress_approval="职代会"
    )
    with pytest.raises(services.ContractError, match="协商记录不能再添加"):
        services.step_add(
            contract=page_opened_before_signing, by=zhuxi, kind=StepKind.ROUND, on=datetime.date(2023, 12, 22)
        )
    assert [s.kind for s in contract.steps.all()] == [StepKind.REQUEST, StepKind.SIGNING]


def test_a_contract_is_renewed_once_and_only_after_it_was_signed(company, zhuxi):
    bargaining = open_contract(company, zhuxi)
    with pytest.raises(services.ContractError, match="签订后才能续签") as refused:
        open_contract(company, zhuxi, title="续签", renews=bargaining)
    assert refused.value.field == "renews"
    contract = signed(company, zhuxi)
    renewal = {"title": "续签", "starts_on": datetime.date(2027, 1, 1), "ends_on": datetime.date(2029, 12, 31)}
    open_contract(company, zhuxi, renews=contract, **renewal)
    with pytest.raises(services.ContractError, match="已经续签过了"):
        open_contract(company, zhuxi, renews=contract, **renewal)  # a second tab, or a double tap
    assert Contract.objects.filter(title="续签").count() == 1


def test_the_chair_is_told_on_the_page_when_a_contract_was_renewed_already(client_for, company):
    chair = _chair_of(company)
    contract = signed(company, chair)
    client = client_for(chair)
    client.post(reverse("orgs:switch"), {"unit": company.pk})
    form = {
        "kind": "comprehensive",
        "title": "2027—2029年集体合同",
        "employer": "某公司",
        "starts_on": "2027-01-01",
        "ends_on": "2029-12-31",
        "workers_covered": "30",
        "requested_on": "2026-11-20",
    }
    url = reverse("contracts:new") + f"?renews={contract.pk}"
    assert client.post(url, form).status_code == 302
    again = client.post(url, form)
    assert again.status_code == 200 and "这份合同已经续签过了。" in again.content.decode()
    assert Contract.objects.filter(renews=contract).count() == 1


def test_a_step_sent_from_a_page_opened_before_the_signing_is_refused_with_a_message(client_for, company):
    chair = _chair_of(company)
    contract = signed(company, chair)
    page = reverse("contracts:detail", args=[contract.pk])
    answer = client_for(chair).post(page, {"action": "step", "step-kind": "round", "step-on": "2023-12-22"})
    assert "合同已经签订，协商记录不能再添加。" in answer.content.decode()
    assert not contract.steps.filter(kind=StepKind.ROUND).exists()


def test_the_term_must_end_after_it_starts_and_nothing_is_written_otherwise(company, zhuxi):
    with pytest.raises(services.ContractError) as refused:
        open_contract(company, zhuxi, ends_on=datetime.date(2023, 12, 31))
    assert refused.value.field == "ends_on"
    assert not Contract.objects.exists()


def test_a_contract_ending_within_60_days_is_a_renewal_to_do_until_it_is_renewed(company, zhuxi, xianzong):
    contract = services.contract_sign(
        contract=open_contract(company, zhuxi),
        by=zhuxi,
        signed_on=datetime.date(2023, 12, 20),
        congress_approval="职代会",
    )
    assert contract.state(datetime.date(2026, 10, 1)) == "in_force"
    assert contract.state(TODAY) == "expiring"
    assert contract.state(datetime.date(2027, 1, 1)) == "expired"
    chair = _chair_of(company)
    assert "contracts.renew" not in [t.kind for t in todos_for(chair, today=datetime.date(2026, 10, 1))]
    assert "contracts.renew" in [t.kind for t in todos_for(chair, today=TODAY)]
    assert "contracts.renew" not in [t.kind for t in todos_for(xianzong, today=TODAY)]  # a viewer does not bargain
    open_contract(
        company, chair, starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2029, 12, 31), renews=contract
    )
    assert "contracts.renew" not in [t.kind for t in todos_for(chair, today=TODAY)]


def _chair_of(unit):
    from conftest import make_person
    from orgs.roles import Role

    return make_person("gonghui-zhuxi", "刘主席", unit, Role.CHAIR)


def test_coverage_counts_each_union_once_by_its_widest_contract_and_rolls_up(units, company, zhuxi):
    comprehensive = open_contract(company, zhuxi, workers_covered=28)
    wages = open_contract(company, zhuxi, kind=Kind.WAGES, workers_covered=25)
    for contract in (comprehensive, wages):
        services.contract_sign(
            contract=contract, by=zhuxi, signed_on=datetime.date(2023, 12, 20), congress_approval="职代会"
        )
    figures = services.coverage(units["county"], TODAY)
    # 105 workers: the school's 40 and its groups' 20 and 15, and the office's 30.
    assert (figures.unions, figures.unions_covered, figures.workers, figures.workers_covered) == (2, 1, 105, 28)
    assert figures.rate == Decimal("26.7")
    assert coverage_rate(units["county"], 2026) == Decimal("26.7")
    by_child = services.coverage_by_child(units["county"], [units["school"], units["office"]], TODAY)
    assert by_child == {units["school"].path: (75, 0), units["office"].path: (30, 28)}
    assert services.coverage(units["county"], datetime.date(2027, 1, 1)).workers_covered == 0


def test_a_contract_still_being_bargained_covers_nobody(units, company, zhuxi):
    open_contract(company, zhuxi)
    assert services.coverage(units["county"], TODAY).workers_covered == 0


@pytest.mark.parametrize(("persona", "status"), [("zhuxi", 404), ("xianzong", 200), ("huiyuan", 404)])
def test_who_opens_a_company_unions_contract(persona, status, request, client_for, company, zhuxi):
    contract = open_contract(company, zhuxi)
    response = client_for(request.getfixturevalue(persona)).get(reverse("contracts:detail", args=[contract.pk]))
    assert response.status_code == status


def test_the_federation_page_keeps_a_bounded_number_of_queries(client_for, xianzong, company, zhuxi):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(xianzong)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("contracts:index")).status_code == 200
        return len(captured)

    open_contract(company, zhuxi, title="合同")
    few = queries()
    for i in range(25):
        open_contract(company, zhuxi, title=f"合同{i}")
    assert queries() == few <= 40


def test_the_chair_records_the_bargaining_through_the_pages(client_for, company):
    chair = _chair_of(company)
    client = client_for(chair)
    client.post(f"{reverse('orgs:switch')}", {"unit": company.pk})
    response = client.post(
        reverse("contracts:new"),
        {
            "kind": "wages",
            "title": "2027年工资专项集体合同",
            "employer": "某公司",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
            "workers_covered": "30",
            "requested_on": "2026-11-20",
        },
    )
    contract = Contract.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("contracts:detail", args=[contract.pk]), {"action": "sign", "sign-signed_on": "2026-11-30"}
    )
    assert "须经职工代表大会审议通过" in response.content.decode()
    client.post(
        reverse("contracts:detail", args=[contract.pk]),
        {"action": "sign", "sign-signed_on": "2026-11-30", "sign-congress_approval": "第二届职代会第三次会议"},
    )
    assert Contract.objects.get().stage == Stage.SIGNED


def test_contract_pages_read_in_english(client_for, units, company):
    from django.utils import translation

    from core.testing import in_english, untranslated
    from orgs.models import OrgUnit

    for unit in OrgUnit.objects.all():
        unit.name, unit.short_name = f"Unit {unit.code}", ""
        unit.save()
    chair = _chair_of(company)
    chair.full_name = "Liu"
    chair.save()
    with translation.override("en"):  # the request step's note is written in the officer's language
        contract = open_contract(company, chair, title="Contract 2024", employer="Company")
    client = in_english(client_for(chair))
    client.post(reverse("orgs:switch"), {"unit": company.pk})
    for url in (
        reverse("contracts:index"),
        reverse("contracts:new"),
        reverse("contracts:detail", args=[contract.pk]),
        reverse("contracts:edit", args=[contract.pk]),
    ):
        html = client.get(url).content.decode()
        assert untranslated(html) == [], (url, untranslated(html))
    # The form's boxes say what to type: a title, and a term that may start next year ("Since" read as past).
    html = client.get(reverse("contracts:new")).content.decode()
    assert "Contract title" in html and "Starts on" in html and "Ends on" in html and "Since" not in html


def test_the_api_lists_contracts_and_a_units_coverage(client_for, units, company, zhuxi, xianzong, outsider):
    contract = open_contract(company, zhuxi)
    services.contract_sign(
        contract=contract, by=zhuxi, signed_on=datetime.date(2023, 12, 20), congress_approval="职代会"
    )
    client = client_for(xianzong)
    assert client.get("/api/v1/contracts/contracts/").json()["items"][0]["stage"] == "signed"
    coverage = client.get(f"/api/v1/contracts/coverage/{units['county'].pk}/").json()
    assert coverage["workers"] == 105
    assert client_for(outsider).get(f"/api/v1/contracts/coverage/{units['county'].pk}/").status_code == 404


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_signing_at_the_same_moment_sign_once(company, zhuxi):
    from django.db import connection

    from core.testing import second_while_first_open

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: there is no race to test")
    contract = open_contract(company, zhuxi)

    def sign():
        page = Contract.objects.get(pk=contract.pk)  # each request reads the contract before signing
        return services.contract_sign(
            contract=page, by=zhuxi, signed_on=datetime.date(2023, 12, 20), congress_approval="职代会"
        )

    with pytest.raises(services.ContractError, match="这份合同已经签订"):
        second_while_first_open(sign, sign)
    assert contract.steps.filter(kind=StepKind.SIGNING).count() == 1


def _terms(**changes):
    terms = {
        "kind": "comprehensive",
        "title": "2027—2029年集体合同",
        "employer": "某公司",
        "starts_on": "2027-01-01",
        "ends_on": "2029-12-31",
        "workers_covered": "28",
    }
    return {**terms, **changes}


def test_the_chair_corrects_the_terms_while_bargaining_and_not_once_signed(client_for, company, zhuxi):
    contract = open_contract(company, zhuxi)
    chair = _chair_of(company)
    client = client_for(chair)
    url = reverse("contracts:edit", args=[contract.pk])
    assert url in client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()

    kept = client.post(url, _terms(ends_on="2026-06-30"))
    assert kept.status_code == 200 and "终止日期应晚于起始日期" in kept.content.decode()
    assert 'value="2027—2029年集体合同"' in kept.content.decode()
    assert client.post(url, _terms()).status_code == 302
    contract.refresh_from_db()
    assert (contract.title, contract.ends_on, contract.workers_covered) == (
        "2027—2029年集体合同",
        datetime.date(2029, 12, 31),
        28,
    )

    services.contract_sign(
        contract=contract, by=chair, signed_on=datetime.date(2026, 11, 30), congress_approval="职代会"
    )
    with pytest.raises(services.ContractError, match="合同已经签订"):
        services.contract_update(
            contract=contract,
            **{
                **_terms(workers_covered=99),
                "starts_on": contract.starts_on,
                "ends_on": contract.ends_on,
                "workers_covered": 99,
            },
        )
    assert client.post(url, _terms(workers_covered="99")).status_code == 302
    assert Contract.objects.get().workers_covered == 28
    assert url not in client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()


@pytest.mark.parametrize("persona", ["xianzong", "huiyuan", "zhuxi"])
def test_only_the_contracts_own_officers_edit_its_terms(persona, request, client_for, company, zhuxi):
    contract = open_contract(company, zhuxi)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("contracts:edit", args=[contract.pk])).status_code == 404
    assert client.post(reverse("contracts:edit", args=[contract.pk]), _terms(title="改")).status_code == 404
    assert Contract.objects.get().title == "集体合同"


# The workers a contract can cover are its unit's whole subtree: the school's own 40 and its groups'
# 20 and 15, the same 75 the membership rate divides by (walk-third M3: the school showed its 40 alone).


def test_a_schools_coverage_counts_the_staff_of_its_union_groups(units, zhuxi):
    school = units["school"]
    assert school.subtree_headcount() == 75
    signed(school, zhuxi, workers_covered=75)
    figures = services.coverage(school, TODAY)
    assert (figures.workers, figures.workers_covered, figures.rate) == (75, 75, Decimal("100.0"))
    assert coverage_rate(school, 2026) == Decimal("100.0")


def test_the_county_counts_the_whole_subtree_as_the_membership_rate_does(units, zhuxi):
    from orgs.models import OrgUnit

    OrgUnit.objects.filter(pk=units["county"].pk).update(headcount=18)  # the federation's own staff
    county = OrgUnit.objects.get(pk=units["county"].pk)
    signed(units["school"], zhuxi, workers_covered=60)
    figures = services.coverage(county, TODAY)
    assert figures.workers == county.subtree_headcount() == 123
    assert figures.unions == 2 and figures.rate == Decimal("48.8")


def test_a_deactivated_group_leaves_the_workers_as_it_leaves_the_headcount(units):
    from orgs.models import OrgUnit

    OrgUnit.objects.filter(pk=units["g2"].pk).update(is_active=False)
    school = OrgUnit.objects.get(pk=units["school"].pk)
    assert services.coverage(school, TODAY).workers == school.subtree_headcount() == 60
    by_child = services.coverage_by_child(units["county"], [units["school"], units["office"]], TODAY)
    assert by_child[units["school"].path] == (60, 0)


def test_the_pages_show_the_subtree_headcount(client_for, units, zhuxi, xianzong):
    signed(units["school"], zhuxi, workers_covered=60)
    school_page = client_for(zhuxi).get(reverse("contracts:index")).content.decode()
    assert "60 / 75 名职工" in school_page
    assert 'data-testid="by-unit"' not in school_page  # the groups are covered by the school's contract
    county_page = client_for(xianzong).get(reverse("contracts:index"))
    assert "60 / 105 名职工" in county_page.content.decode()
    rows = {child.code: (workers, covered) for child, workers, covered in county_page.context["children"]}
    assert rows == {"demo-school": (75, 60), "demo-office": (30, 0)}


def test_a_contract_covers_no_more_workers_than_its_unit_and_the_groups_below(units, zhuxi):
    school = units["school"]
    with pytest.raises(services.ContractError, match="不能超过本单位（含下级单位）的职工人数75人") as refused:
        open_contract(school, zhuxi, workers_covered=500)
    assert refused.value.field == "workers_covered"
    assert not Contract.objects.exists()
    contract = open_contract(school, zhuxi, workers_covered=75)
    terms = {name: getattr(contract, name) for name in services.TERMS}
    with pytest.raises(services.ContractError, match="75人"):
        services.contract_update(contract=contract, **{**terms, "workers_covered": 76})
    assert Contract.objects.get().workers_covered == 75


def test_a_unit_without_a_headcount_is_asked_to_record_it_first(units, zhuxi):
    from orgs.models import OrgUnit

    OrgUnit.objects.filter(pk=units["office"].pk).update(headcount=0)
    with pytest.raises(services.ContractError, match="还没有登记职工人数"):
        open_contract(OrgUnit.objects.get(pk=units["office"].pk), zhuxi, workers_covered=1)


def test_the_form_says_the_headcount_and_refuses_more_on_the_field(client_for, units, zhuxi):
    client = client_for(zhuxi)
    form = {
        "kind": "comprehensive",
        "title": "集体合同",
        "employer": "城关镇中心学校",
        "starts_on": "2027-01-01",
        "ends_on": "2029-12-31",
        "workers_covered": "500",
        "requested_on": "2026-11-20",
    }
    assert "本单位（含下级单位）共有职工75人。" in client.get(reverse("contracts:new")).content.decode()
    refused = client.post(reverse("contracts:new"), form)
    assert refused.status_code == 200 and not Contract.objects.exists()
    assert refused.context["form"].errors["workers_covered"] == [
        "覆盖职工人数不能超过本单位（含下级单位）的职工人数75人。如果职工人数有变化，请先在单位信息中更新。"
    ]
    contract = open_contract(units["school"], zhuxi, workers_covered=70)
    edited = client.post(
        reverse("contracts:edit", args=[contract.pk]), {k: v for k, v in form.items() if k != "requested_on"}
    )
    assert edited.status_code == 200 and "workers_covered" in edited.context["form"].errors
    assert client.post(reverse("contracts:new"), {**form, "workers_covered": "75"}).status_code == 302


def test_the_form_names_every_wrong_field_at_once_not_one_per_submit(client_for, units, zhuxi):
    """The chair who typed the end before the start, a request date next month and more workers than the
    school has sees all three beside their boxes on the first try, and nothing is written."""
    form = {
        "kind": "comprehensive",
        "title": "集体合同",
        "employer": "城关镇中心学校",
        "starts_on": "2027-01-01",
        "ends_on": "2026-12-31",
        "workers_covered": "500",
        "requested_on": "2099-01-01",
    }
    refused = client_for(zhuxi).post(reverse("contracts:new"), form)
    assert refused.status_code == 200 and not Contract.objects.exists()
    errors = refused.context["form"].errors
    assert set(errors) == {"ends_on", "requested_on", "workers_covered"}
    assert errors["ends_on"] == ["终止日期应晚于起始日期。"]


def test_terms_refused_together_are_each_on_their_field_for_every_caller(company, zhuxi):
    """The service raises them together; a caller that shows one (the API) still reads the first."""
    with pytest.raises(services.ContractError) as refused:
        open_contract(company, zhuxi, ends_on=datetime.date(2023, 1, 1), workers_covered=9999, today=TODAY)
    assert [each.field for each in refused.value.each()] == ["ends_on", "workers_covered"]
    assert refused.value.field == "ends_on" and refused.value.message == "终止日期应晚于起始日期。"


def test_signing_is_refused_when_the_headcount_fell_below_the_workers_covered(company, zhuxi):
    from orgs.models import OrgUnit

    contract = open_contract(company, zhuxi, workers_covered=30)
    OrgUnit.objects.filter(pk=company.pk).update(headcount=26)  # four left while the sides bargained
    with pytest.raises(services.ContractError, match="（30人）超过本单位（含下级单位）现在的职工人数26人"):
        services.contract_sign(contract=contract, by=zhuxi, signed_on=TODAY, congress_approval="第二届职代会第一次会议")
    contract.refresh_from_db()
    assert contract.stage == Stage.BARGAINING and not contract.steps.filter(kind=StepKind.SIGNING).exists()
    services.contract_update(
        contract=contract, **{**{n: getattr(contract, n) for n in services.TERMS}, "workers_covered": 26}
    )
    services.contract_sign(contract=contract, by=zhuxi, signed_on=TODAY, congress_approval="第二届职代会第一次会议")
    assert Contract.objects.get().stage == Stage.SIGNED


def test_a_term_longer_than_three_years_is_refused_on_its_end_date(company, zhuxi):
    """《集体合同规定》第三十八条: 1 to 3 years. A typed 9999 would count its workers as covered for ever."""
    with pytest.raises(services.ContractError, match="2027年1月1日") as refused:
        open_contract(company, zhuxi, ends_on=datetime.date(9999, 12, 31))
    assert refused.value.field == "ends_on"
    three_years = open_contract(company, zhuxi, ends_on=datetime.date(2027, 1, 1))
    with pytest.raises(services.ContractError) as refused:
        services.contract_update(
            contract=three_years,
            kind=Kind.COMPREHENSIVE,
            title="集体合同",
            employer="某公司",
            starts_on=datetime.date(2024, 1, 1),
            ends_on=datetime.date(2030, 12, 31),
            workers_covered=30,
        )
    assert refused.value.field == "ends_on"
    assert Contract.objects.get().ends_on == datetime.date(2027, 1, 1)


def test_the_bargaining_record_is_dated_in_order_and_not_after_today(company, zhuxi):
    with pytest.raises(services.ContractError) as refused:
        open_contract(company, zhuxi, requested_on=datetime.date(2099, 1, 1), today=TODAY)
    assert refused.value.field == "requested_on"
    contract = open_contract(company, zhuxi, requested_on=datetime.date(2023, 11, 1), today=TODAY)
    for on in (datetime.date(2099, 5, 5), datetime.date(2023, 10, 31)):  # after today, before the request
        with pytest.raises(services.ContractError) as refused:
            services.step_add(contract=contract, by=zhuxi, kind=StepKind.ROUND, on=on, today=TODAY)
        assert refused.value.field == "on"
    services.step_add(contract=contract, by=zhuxi, kind=StepKind.CONGRESS, on=datetime.date(2023, 12, 15), today=TODAY)
    for signed_on in (datetime.date(2000, 1, 1), datetime.date(2026, 12, 2)):  # before the congress, after today
        with pytest.raises(services.ContractError) as refused:
            services.contract_sign(
                contract=contract, by=zhuxi, signed_on=signed_on, congress_approval="职代会", today=TODAY
            )
        assert refused.value.field == "signed_on"
    services.contract_sign(
        contract=contract, by=zhuxi, signed_on=datetime.date(2023, 12, 15), congress_approval="职代会", today=TODAY
    )
    with pytest.raises(services.ContractError) as refused:
        services.contract_file(
            contract=contract, by=zhuxi, filed_on=datetime.date(2098, 1, 1), filed_with="县人社局", today=TODAY
        )
    assert refused.value.field == "filed_on"
    assert [s.kind for s in Contract.objects.get().steps.all()] == [
        StepKind.REQUEST,
        StepKind.CONGRESS,
        StepKind.SIGNING,
    ]


def test_a_signing_dated_before_the_last_round_is_said_on_the_signing_date(client_for, company):
    chair = _chair_of(company)
    contract = open_contract(company, chair)
    services.step_add(contract=contract, by=chair, kind=StepKind.ROUND, on=datetime.date(2023, 12, 13))
    page = reverse("contracts:detail", args=[contract.pk])
    answer = client_for(chair).post(
        page, {"action": "sign", "sign-signed_on": "2023-12-01", "sign-congress_approval": "第二届职代会第一次会议"}
    )
    assert "签订日期不能早于协商记录中最后一个环节的日期（2023年12月13日）。" in answer.content.decode()
    assert Contract.objects.get().stage == Stage.BARGAINING


def test_a_refused_signing_asks_for_the_scan_again_by_name(client_for, company):
    """The browser drops the chosen scan when the form comes back: the chair is told beside its box."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    chair = _chair_of(company)
    contract = open_contract(company, chair)
    services.step_add(contract=contract, by=chair, kind=StepKind.ROUND, on=datetime.date(2023, 12, 13))
    scan = SimpleUploadedFile("合同签字页.pdf", b"%PDF-1.4\n%scan\n", content_type="application/pdf")
    answer = client_for(chair).post(
        reverse("contracts:detail", args=[contract.pk]),
        {"action": "sign", "sign-signed_on": "2023-12-01", "sign-congress_approval": "职代会", "sign-document": scan},
    )
    assert "请重新选择合同文本“合同签字页.pdf”" in answer.content.decode()
    assert Contract.objects.get().stage == Stage.BARGAINING


def test_a_contract_that_lapsed_unrenewed_stays_an_urgent_to_do_until_a_new_one_follows(company, zhuxi):
    contract = signed(company, zhuxi)  # 2024-01-01 to 2026-12-31
    chair = _chair_of(company)
    lapsed = [t for t in todos_for(chair, today=datetime.date(2027, 1, 15)) if t.kind == "contracts.renew"]
    assert [(t.title, t.urgent) for t in lapsed] == [("集体合同已到期，尽快续签：集体合同", True)]
    # A new contract of the same kind, typed without 续签, follows it: nothing left to renew.
    open_contract(company, chair, starts_on=datetime.date(2027, 2, 1), ends_on=datetime.date(2029, 12, 31))
    assert "contracts.renew" not in [t.kind for t in todos_for(chair, today=datetime.date(2027, 1, 15))]
    assert not Contract.objects.filter(renews=contract).exists()


def test_a_signed_contract_is_a_filing_to_do_due_ten_days_after_signing_until_filed(company, zhuxi):
    contract = signed(company, zhuxi, ends_on=datetime.date(2026, 12, 31))  # signed 2023-12-20
    chair = _chair_of(company)
    filing = [t for t in todos_for(chair, today=datetime.date(2023, 12, 21)) if t.kind == "contracts.file"]
    assert [(t.due, t.urgent) for t in filing] == [(datetime.date(2023, 12, 30), False)]
    late = [t for t in todos_for(chair, today=datetime.date(2024, 1, 5)) if t.kind == "contracts.file"]
    assert late[0].urgent
    services.contract_file(contract=contract, by=chair, filed_on=datetime.date(2024, 1, 5), filed_with="县人社局")
    assert "contracts.file" not in [t.kind for t in todos_for(chair, today=datetime.date(2024, 1, 5))]


def test_the_home_card_counts_every_contract_still_to_renew_and_not_the_renewed(rf, company, zhuxi):
    from contracts.figures import contracts_card

    chair = _chair_of(company)
    today = timezone.localdate()
    contracts = [
        signed(
            company,
            chair,
            kind=kind,
            starts_on=today - datetime.timedelta(days=300),
            ends_on=today + datetime.timedelta(days=days),
        )
        for kind, days in ((Kind.COMPREHENSIVE, 10), (Kind.WAGES, 20), (Kind.WOMEN, 30))
    ]
    contracts.append(
        signed(
            company,
            chair,
            title="另一份",
            starts_on=today - datetime.timedelta(days=300),
            ends_on=today + datetime.timedelta(days=40),
        )
    )
    request = rf.get("/")
    request.user = chair
    assert contracts_card(request, company)[0].value == "4"
    open_contract(
        company,
        chair,
        kind=contracts[0].kind,
        starts_on=today + datetime.timedelta(days=11),
        ends_on=today + datetime.timedelta(days=700),
        renews=contracts[0],
        requested_on=today,
    )
    card = contracts_card(request, company)[0]
    assert card.value == "3"
    assert reverse("contracts:detail", args=[contracts[0].pk]) not in [url for _text, url in card.todos]


def test_the_signed_text_is_uploaded_after_the_signing_once_and_only_a_real_scan(client_for, company):
    from django.core.files.uploadedfile import SimpleUploadedFile

    chair = _chair_of(company)
    contract = signed(company, chair)
    client = client_for(chair)
    page = reverse("contracts:detail", args=[contract.pk])
    assert 'data-testid="document-form"' in client.get(page).content.decode()
    fake = SimpleUploadedFile("合同.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    refused = client.post(page, {"action": "document", "document-document": fake})
    assert refused.status_code == 200 and not Contract.objects.get().document
    scan = SimpleUploadedFile("合同.pdf", b"%PDF-1.4\n%scan\n", content_type="application/pdf")
    assert client.post(page, {"action": "document", "document-document": scan}).status_code == 302
    assert Contract.objects.get().document
    assert 'data-testid="document-form"' not in client.get(page).content.decode()
    assert client.get(reverse("contracts:document", args=[contract.pk])).status_code == 200
    with pytest.raises(services.ContractError, match="已经上传"):
        services.contract_attach(contract=contract, document=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n"))


def test_a_renewal_proposes_the_term_that_follows_and_the_pages_write_dates_in_chinese(client_for, company):
    chair = _chair_of(company)
    contract = signed(company, chair, starts_on=datetime.date(2024, 1, 22), ends_on=datetime.date(2027, 1, 21))
    client = client_for(chair)
    client.post(reverse("orgs:switch"), {"unit": company.pk})
    page = client.get(reverse("contracts:new") + f"?renews={contract.pk}").content.decode()
    assert 'name="starts_on" value="2027-01-22"' in page and 'name="ends_on" value="2030-01-21"' in page
    detail = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert '2024年1月22日</span> — <span class="text-nowrap">2027年1月21日' in detail  # a date is not broken


def test_the_county_sees_which_signed_contracts_are_overdue_for_filing(client_for, company, xianzong):
    chair = _chair_of(company)
    today = timezone.localdate()
    late = signed(  # signed 2023-12-20, in force today
        company,
        chair,
        title="签订未备案",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=300),
    )
    page = client_for(xianzong).get(reverse("contracts:index")).content.decode()
    assert page.count('data-testid="filing-overdue"') == 1
    services.contract_file(contract=late, by=chair, filed_on=datetime.date(2024, 1, 5), filed_with="县人社局")
    assert 'data-testid="filing-overdue"' not in client_for(xianzong).get(reverse("contracts:index")).content.decode()


def test_the_home_card_names_an_expiring_contract_in_english_punctuation(client_for, units, company):
    """“Contract 2024 (Dec. 31, 2026)”, not the Chinese bracket “Contract 2024（Dec. 31, 2026）”."""
    from django.utils import timezone, translation

    from core.language import written_date
    from core.testing import in_english

    chair = _chair_of(company)
    ends = timezone.localdate() + datetime.timedelta(days=30)
    with translation.override("en"):
        contract = open_contract(
            company, chair, title="Contract 2024", starts_on=ends - datetime.timedelta(days=700), ends_on=ends
        )
    services.contract_sign(
        contract=contract, by=chair, signed_on=ends - datetime.timedelta(days=701), congress_approval="x"
    )
    client = in_english(client_for(chair))
    client.post(reverse("orgs:switch"), {"unit": company.pk})
    html = client.get(reverse("workbench:home")).content.decode()
    with translation.override("en"):
        assert f"Contract 2024 ({written_date(ends)})" in html


def test_the_contracts_page_says_when_filing_is_due_and_that_it_is_late(client_for, company, xianzong):
    """The list says 逾期未备案; the contract it links to says it too, with the last day it was due."""
    chair = _chair_of(company)
    today = timezone.localdate()
    late = signed(company, chair, starts_on=today - datetime.timedelta(days=30), ends_on=today)  # signed 2023-12-20
    page = client_for(xianzong).get(reverse("contracts:detail", args=[late.pk])).content.decode()
    assert "报送备案期限" in page and "2023年12月30日 · " in page and "逾期未备案" in page
    services.contract_file(contract=late, by=chair, filed_on=datetime.date(2024, 1, 5), filed_with="县人社局")
    page = client_for(xianzong).get(reverse("contracts:detail", args=[late.pk])).content.decode()
    assert "报送备案期限" not in page and "逾期未备案" not in page


def test_signing_and_filing_ask_before_they_fix_the_record(client_for, company):
    """Neither can be undone: the terms are fixed once signed, the filing once recorded."""
    chair = _chair_of(company)
    client = client_for(chair)
    contract = open_contract(company, chair)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'data-confirm="登记签订后，合同条款以签订的文本为准，不能再修改。确定登记签订吗？"' in page
    services.contract_sign(
        contract=contract, by=chair, signed_on=datetime.date(2023, 12, 20), congress_approval="职代会"
    )
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'data-confirm="备案登记后不能修改。确定登记备案吗？"' in page


def test_the_next_step_offered_is_a_round_not_a_second_request(client_for, company):
    """Opening the contract recorded the request to bargain; the form offers the round that follows."""
    chair = _chair_of(company)
    contract = open_contract(company, chair)
    page = client_for(chair).get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert '<option value="round" selected>' in page and '<option value="request" selected>' not in page
