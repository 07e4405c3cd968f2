"""Every portal page reads in English when English is chosen (records named in ASCII)."""

import pytest
from django.utils import timezone

from core.testing import in_english, untranslated
from orgs.models import OrgUnit
from portal import services
from portal.models import Campaign, CampaignTarget
from portal.tests.conftest import application_data, make_member

pytestmark = pytest.mark.django_db


def main_untranslated(response):
    """Untranslated text in the page's own content (the menu belongs to every app)."""
    html = response.content.decode()
    return untranslated(html.split("<main", 1)[1].split("</main>", 1)[0])


@pytest.fixture
def ascii_units(units):
    for unit in OrgUnit.objects.all():
        unit.name, unit.short_name = f"Unit {unit.code}", ""
        unit.save()
    return {key: OrgUnit.objects.get(pk=unit.pk) for key, unit in units.items()}


def test_public_pages_in_english(client, ascii_units):
    client = in_english(client)
    for url in ["/join/demo-school/", "/join/demo-county/", "/join/demo-school/status/", "/signin/", "/invite/"]:
        found = main_untranslated(client.get(url))
        assert found == [], (url, found)
    bad = client.post(
        "/join/demo-school/", application_data(name="Anna", employer="School", post="Cook", id_number="123")
    )
    assert main_untranslated(bad) == []


def test_officer_and_member_pages_in_english(
    client_for, zhuxi, huiyuan, xianzhu, ascii_units, django_capture_on_commit_callbacks
):
    zhuxi.full_name = huiyuan.full_name = xianzhu.full_name = "Someone"
    for user in (zhuxi, huiyuan, xianzhu):
        user.save()
    data = application_data(name="Anna Li", employer="School", post="Cook")
    data.pop("agree")
    application = services.application_submit(unit=ascii_units["school"], data=data).application
    make_member(ascii_units["g1"], "Mary Zhou", user=huiyuan)
    make_member(ascii_units["g1"], "Bob Wu")
    campaign = Campaign.objects.create(
        unit=ascii_units["county"],
        title="Drive",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        created_by=xianzhu,
    )
    CampaignTarget.objects.create(campaign=campaign, unit=ascii_units["school"], target=3)
    client = in_english(client_for(zhuxi))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/invitations/create/")
    for url in [
        "/applications/",
        f"/applications/{application.pk}/",
        "/join/demo-school/poster/",
        "/invitations/",
        "/invitations/sheet/",
        "/campaigns/",
        f"/campaigns/{campaign.pk}/",
        "/me/",
    ]:
        found = main_untranslated(client.get(url))
        assert found == [], (url, found)
    client = in_english(client_for(xianzhu))
    for url in ["/campaigns/new/", f"/campaigns/{campaign.pk}/"]:
        found = main_untranslated(client.get(url))
        assert found == [], (url, found)
    client = in_english(client_for(huiyuan))
    for url in ["/me/", "/me/phone/", "/me/transfer/"]:
        found = main_untranslated(client.get(url))
        assert found == [], (url, found)
