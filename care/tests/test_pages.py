"""Every care page renders for the care officer with a bounded number of queries, in Chinese and English."""

import datetime
from decimal import Decimal

import pytest

from care import services
from care.models import InsuranceProduct, Pairing
from care.tests.conftest import TODAY, give
from core.testing import in_english, untranslated

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(units, bangfu, zhuxi, add_household, add_member):
    """Enough of everything that a query per row would show."""
    files = [add_household(f"Hh{i}", level=["deep", "relative", "accident"][i % 3], situation="Ill") for i in range(15)]
    for h in files[:10]:
        give(by=bangfu, household=h, amount="1200")  # pending: above the default threshold
    for i in range(15):
        add_member(f"Member{i}", birth=datetime.date(1980, 3, 1 + i))
    c = services.campaign_create(
        unit=units["school"],
        by=bangfu,
        today=TODAY,
        kind="spring",
        title="Spring visits",
        year=2027,
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=20),
        levels=["deep", "relative", "accident"],
    )
    services.campaign_split(campaign=c, officers=[bangfu, zhuxi])
    product = InsuranceProduct.objects.create(
        unit=units["school"], name="Women's insurance", premium=Decimal(30), women_only=True
    )
    for i in range(12):
        pairing = Pairing.objects.create(unit=units["g1"], helper=f"H{i}", helped=f"P{i}", started_on=TODAY)
        services.pairing_contact_add(pairing=pairing, by=bangfu, on=TODAY, how="phone", note="ok")
        services.case_submit(
            unit=units["g1"],
            name=f"W{i}",
            phone="13800000000",
            category="wages",
            account="x",
            now=__import__("django.utils.timezone", fromlist=["now"]).now(),
        )
    return {"household": files[0], "campaign": c, "product": product, "pairing": pairing}


PAGES = [
    "/care/",
    "/care/households/",
    "/care/households/?list=due",
    "/care/households/?list=never",
    "/care/households/new/",
    "/care/households/import/",
    "/care/assistance/",
    "/care/assistance/new/",
    "/care/settings/",
    "/care/campaigns/",
    "/care/campaigns/new/",
    "/care/visits/",
    "/care/visits/new/",
    "/care/tags/",
    "/care/pairings/",
    "/care/pairings/new/",
    "/care/insurance/",
    "/care/insurance/new/",
    "/care/women/",
    "/care/cases/",
    "/care/cases/new/",
    "/care/rollup/",
    "/",
]


def _detail_pages(many):
    return [
        f"/care/households/{many['household'].pk}/",
        f"/care/campaigns/{many['campaign'].pk}/",
        f"/care/campaigns/{many['campaign'].pk}/signoff/",
        f"/care/insurance/{many['product'].pk}/",
        f"/care/pairings/{many['pairing'].pk}/",
        f"/care/entries/{many['campaign'].entries.first().pk}/",
    ]


def test_every_page_renders_with_a_bounded_number_of_queries(many, bangfu, client_for, django_assert_max_num_queries):
    client = client_for(bangfu)
    for url in PAGES + _detail_pages(many):
        with django_assert_max_num_queries(40):
            response = client.get(url)
        assert response.status_code == 200, url


def test_pages_in_english_leave_no_chinese(many, bangfu, client_for):
    from django.contrib.auth import get_user_model

    from orgs.models import OrgUnit

    # ASCII names for the records, so that any Chinese left is an untranslated string.
    for unit in OrgUnit.objects.all():
        OrgUnit.objects.filter(pk=unit.pk).update(name=unit.code, short_name=unit.code)
    get_user_model().objects.update(full_name="Officer")
    client = in_english(client_for(bangfu))
    for url in PAGES + _detail_pages(many):
        if url == "/":
            continue
        html = client.get(url).content.decode()
        # Only our part of the page: other apps' menu entries are theirs to translate.
        main = html[html.index("<main") : html.index("</main>")] if "<main" in html else html
        assert untranslated(main) == [], url


def test_the_care_officers_home_page_is_her_work(many, bangfu, client_for):
    html = client_for(bangfu).get("/").content.decode()
    assert "困难职工档案" in html and "Spring visits" in html and "走访提醒" in html
    assert "我负责的慰问名单" in html
