"""Recruitment drives: targets per unit, progress from approvals, a metric for handed-down targets."""

import datetime

import pytest
from django.utils import timezone

from core.figures import metric_value
from portal import services
from portal.models import Campaign, CampaignTarget, TargetGroup
from portal.tests.conftest import application_data, new_id

pytestmark = pytest.mark.django_db


def approve(unit, by, **overrides):
    data = application_data(id_number=new_id(), **overrides)
    data.pop("agree")
    application = services.application_submit(unit=unit, data=data).application
    services.application_approve(application=application, by=by)


def test_progress_by_unit_counts_approvals_of_the_target_group(client_for, xianzhu, zhuxi, units):
    year = timezone.localdate().year
    client = client_for(xianzhu)
    client.post(
        "/campaigns/new/",
        {"title": "农民工入会集中行动", "starts_on": f"{year}-01-01", "ends_on": f"{year}-12-31", "group": "migrant"},
    )
    campaign = Campaign.objects.get()
    assert campaign.unit == units["county"] and campaign.group == TargetGroup.MIGRANT
    client.post(f"/campaigns/{campaign.pk}/targets/", {"unit": units["school"].pk, "target": 4})
    client.post(f"/campaigns/{campaign.pk}/targets/", {"unit": units["office"].pk, "target": 2})
    approve(units["school"], zhuxi)
    approve(units["g1"], zhuxi)
    approve(units["school"], zhuxi, is_migrant_worker=False)  # not the drive's group
    rows = {r.unit.code: r for r in services.campaign_progress(campaign)}
    assert rows["demo-school"].joined == 2 and rows["demo-school"].percent == 50
    assert rows["demo-office"].joined == 0
    page = client.get(f"/campaigns/{campaign.pk}/")
    assert "50%" in page.text
    # The union sees the drive that set it a target.
    assert client_for(zhuxi).get(f"/campaigns/{campaign.pk}/").status_code == 200


def test_only_a_federation_sets_drives(client_for, zhuxi, units):
    client_for(zhuxi).post(
        "/campaigns/new/", {"title": "x", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "group": "all"}
    )
    assert not Campaign.objects.exists()


def test_a_drive_ends_after_it_starts(client_for, xianzhu, units):
    response = client_for(xianzhu).post(
        "/campaigns/new/", {"title": "x", "starts_on": "2026-12-31", "ends_on": "2026-01-01", "group": "all"}
    )
    assert "结束日期不能早于开始日期" in response.text


def test_outsider_does_not_see_the_drive(client_for, xianzhu, outsider, units):
    campaign = Campaign.objects.create(
        unit=units["county"],
        title="x",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        created_by=xianzhu,
    )
    CampaignTarget.objects.create(campaign=campaign, unit=units["school"], target=1)
    assert client_for(outsider).get(f"/campaigns/{campaign.pk}/").status_code == 404


def test_metrics_feed_targets(zhuxi, units):
    approve(units["school"], zhuxi)
    approve(units["g1"], zhuxi, is_migrant_worker=False, is_new_form_worker=True)
    year = timezone.localdate().year
    assert metric_value("portal.joined_online", unit=units["county"], year=year) == 2
    assert metric_value("portal.migrant_joined_online", unit=units["school"], year=year) == 1
    assert metric_value("portal.new_form_joined_online", unit=units["school"], year=year) == 1
    assert metric_value("portal.joined_online", unit=units["office"], year=year) == 0


def test_progress_page_queries_are_bounded(client_for, xianzhu, zhuxi, units, django_assert_max_num_queries):
    from orgs.models import OrgUnit, UnitKind

    campaign = Campaign.objects.create(
        unit=units["county"],
        title="x",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        created_by=xianzhu,
    )
    for n in range(12):
        union = OrgUnit.objects.add_child(
            OrgUnit.objects.get(pk=units["county"].pk), {"code": f"u{n}", "name": f"工会{n}", "kind": UnitKind.UNION}
        )
        CampaignTarget.objects.create(campaign=campaign, unit=union, target=5)
    client = client_for(xianzhu)
    with django_assert_max_num_queries(14):
        response = client.get(f"/campaigns/{campaign.pk}/")
    assert response.text.count("工会1") >= 3
