"""The statistics page in a browser: the ranking chart draws, and the page works on a phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, Status
from conftest import log_in, screenshot
from members.models import Member
from orgs.models import OrgUnit, UnitKind
from rollups.refresh import drift


@pytest.fixture
def unions(units, zhuxi):
    county = OrgUnit.objects.get(pk=units["county"].pk)
    for n in range(8):
        union = OrgUnit.objects.add_child(
            county, {"code": f"b{n}", "name": f"第{n + 1}中学工会", "kind": UnitKind.UNION}
        )
        Member.objects.bulk_create([Member(unit=union, name=f"会员{k}", gender="F") for k in range(3 * n + 2)])
        Activity.objects.create(
            unit=union,
            title="活动",
            starts_at=timezone.now() - datetime.timedelta(days=2),
            status=Status.HELD,
            participant_times=5 * n,
            created_by=zhuxi,
        )
    drift(fix=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_federation_viewer_reads_the_ranking_and_its_chart(page, xianzong, unions):
    log_in(page, "xianzong")
    page.goto("/statistics/")
    page.get_by_role("link", name="举办活动").first.click()
    expect(page.locator("#chart-ranking canvas")).to_have_count(1)
    screenshot(page, "rollups-statistics")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_statistics_page_fits_a_phone(phone, xianzong, unions):
    log_in(phone, "xianzong")
    phone.goto("/statistics/")
    expect(phone.locator("#chart-ranking canvas")).to_have_count(1)
    # The bars lie down, a unit's name a line: slanted under a phone's axis, the names overlapped.
    axis = phone.evaluate("echarts.getInstanceByDom(document.getElementById('chart-ranking')).getOption().yAxis[0]")
    assert axis["type"] == "category" and axis["data"][0] == "第8中学工会"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    screenshot(phone, "rollups-statistics-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_large_text_the_figure_cards_are_four_a_row_so_an_amount_fits(page, xianzong, unions):
    """Six cards a row at 1280 px clipped ¥11,300.00 at large text's 2rem: a card is a quarter of the row."""
    xianzong.large_text = True
    xianzong.save(update_fields=["large_text"])
    log_in(page, "xianzong")
    page.goto("/statistics/")
    expect(page.locator("html")).to_have_class("gh-large")
    share = page.evaluate(
        "(() => { const col = document.querySelector('.gh-figure-cards > div');"
        " return col.getBoundingClientRect().width / col.parentElement.getBoundingClientRect().width; })()"
    )
    assert share > 0.24
