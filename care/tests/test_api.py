"""The care API: campaign lists for officers, recording a visit, the roll-up without names."""

import datetime
import json

import pytest
from django.utils import timezone

from care import services
from care.models import Assistance
from care.tests.conftest import TODAY
from finance.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(units, bangfu, add_household):
    """Running on the day the API reads (a visit is recorded within the campaign, and after the file was opened)."""
    today = timezone.localdate()
    add_household("张桂芳", today=today)
    return services.campaign_create(
        unit=units["school"],
        by=bangfu,
        today=TODAY,
        kind="spring",
        title="春节送温暖",
        year=today.year,
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=10),
        levels=["deep"],
    )


def test_an_officer_lists_and_records_from_the_api(campaign, bangfu, client_for):
    client = client_for(bangfu)
    assert [c["title"] for c in client.get("/api/v1/care/campaigns").json()["items"]] == ["春节送温暖"]
    entries = client.get(f"/api/v1/care/campaigns/{campaign.pk}/entries").json()["items"]
    assert [(e["name"], e["reason"]) for e in entries] == [("张桂芳", "深度困难")]
    url = f"/api/v1/care/entries/{entries[0]['id']}/record"
    later = {"amount": "500", "given_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}
    refused = client.post(url, json.dumps(later), content_type="application/json")
    assert refused.status_code == 422 and "不能晚于今天" in refused.json()["detail"][0]["msg"]
    body = {"amount": "500", "given_on": timezone.localdate().isoformat()}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response.json()["done_on"] == body["given_on"]
    again = client.post(
        f"/api/v1/care/entries/{entries[0]['id']}/record", json.dumps(body), content_type="application/json"
    )
    assert again.status_code == 409 and "已登记过" in again.json()["message"]


def test_a_kind_other_than_money_or_goods_is_refused_and_nothing_is_written(campaign, bangfu, client_for):
    client = client_for(bangfu)
    entry = campaign.entries.get()
    url = f"/api/v1/care/entries/{entry.pk}/record"
    body = {"amount": "500", "given_on": timezone.localdate().isoformat(), "kind": "bogus"}
    refused = client.post(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 422
    [problem] = refused.json()["detail"]
    assert problem["loc"][-1] == "kind" and "发放方式只能是慰问金或慰问品" in problem["msg"]
    assert not Assistance.objects.exists() and not Payment.objects.exists()
    entry.refresh_from_db()
    assert entry.done_on is None and entry.payment is None
    goods = {**body, "kind": "goods", "goods": "米、面、油"}
    assert client.post(url, json.dumps(goods), content_type="application/json").status_code == 200
    assert Assistance.objects.get().kind == "goods"


@pytest.mark.parametrize("persona", ["xiaozu", "xianzong", "huiyuan"])
def test_other_roles_see_no_campaign(persona, campaign, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/api/v1/care/campaigns").json()["items"] == []
    assert client.get(f"/api/v1/care/campaigns/{campaign.pk}/entries").status_code == 404


def test_the_federation_rollup_has_counts_not_names(campaign, xianzong, xiaozu, units, client_for):
    from rollups.refresh import refresh

    refresh()  # a federation's figures are the roll-ups' (care.rollup), refreshed by the worker
    year = timezone.localdate().year
    data = client_for(xianzong).get(f"/api/v1/care/rollup/{units['county'].pk}?year={year}").json()
    assert data["households"] == 1 and "张桂芳" not in json.dumps(data, ensure_ascii=False)
    assert client_for(xiaozu).get(f"/api/v1/care/rollup/{units['g1'].pk}").status_code == 404


def test_the_county_reads_a_unions_rollup_as_its_statistics_page_shows_it_but_not_a_groups(xianzong, units, client_for):
    """The county's 帮扶统计 lists each union below it: the API answers for the same unions, and no deeper."""
    client = client_for(xianzong)
    assert client.get(f"/api/v1/care/rollup/{units['school'].pk}").status_code == 200
    assert client.get(f"/api/v1/care/rollup/{units['g1'].pk}").status_code == 404


def test_the_reply_to_a_recording_names_the_person_and_is_logged_a_refusal_is_not(campaign, bangfu, client_for):
    from core.models import AccessLog

    entry = campaign.entries.get()
    url = f"/api/v1/care/entries/{entry.pk}/record"
    body = json.dumps({"amount": "500", "given_on": timezone.localdate().isoformat()})
    client = client_for(bangfu)
    reply = client.post(url, body, content_type="application/json").json()
    assert (reply["name"], reply["reason"]) == ("张桂芳", "深度困难")
    logged = AccessLog.objects.get(user=bangfu)
    assert logged.object_id == str(entry.pk) and logged.fields == "列入原因"
    assert client.post(url, body, content_type="application/json").status_code == 409  # already recorded
    assert AccessLog.objects.count() == 1


def test_a_federation_s_rollup_reads_the_roll_ups_in_a_few_queries(
    campaign, bangfu, xianzong, units, client_for, add_household, django_assert_max_num_queries
):
    """The county's figures are care.rollup's as of the refresh, whatever its subtree holds, and they are the
    school's as counted live: by level, lifted, the people helped and the rights cases too, none left null."""
    from decimal import Decimal

    from care.models import Household
    from care.tests.conftest import give
    from rollups.refresh import refresh

    today, now = timezone.localdate(), timezone.now()
    give(by=bangfu, household=Household.objects.get(), amount="500", on=today)
    lifted = add_household("脱", unit="g2", level="relative", today=today)
    services.household_lift(household=lifted, by=bangfu, on=today, reason="收入稳定", today=today)
    case = services.case_submit(
        unit=units["g1"], name="贾", phone="13803190000", category="wages", account="x", now=now
    )
    services.case_close(case=case, by=bangfu, on=today, outcome="已结清", recovered=Decimal("1200.50"))
    refresh()
    client = client_for(xianzong)
    with django_assert_max_num_queries(8):
        data = client.get(f"/api/v1/care/rollup/{units['county'].pk}").json()
    assert (data["households"], data["given"], data["songnuan"], data["amount"]) == (1, 1, 1, "500.00")
    assert data["by_level"] == {"深度困难": 1, "相对困难": 0, "意外致困": 0} and data["lifted"] == 1
    assert (data["people_helped"], data["cases"], data["cases_closed"], data["recovered"]) == (1, 1, 1, "1200.50")
    assert data["as_of"]
    school = client.get(f"/api/v1/care/rollup/{units['school'].pk}").json()
    assert school["as_of"] is None and {**school, "unit_id": 0, "as_of": 0} == {**data, "unit_id": 0, "as_of": 0}
