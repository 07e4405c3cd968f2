"""Recruitment drives: targets per unit, progress from approvals, a metric for handed-down targets."""

import datetime

import pytest
from django.utils import timezone

from core.figures import metric_value
from orgs.models import OrgUnit
from portal import services
from portal.models import Campaign, CampaignTarget, TargetGroup
from portal.tests.conftest import add_unions, application_data, new_id

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


# --- Targets for any unit below the federation: found by a search, never listed all at once -


def drive(by, unit):
    return Campaign.objects.create(
        unit=unit, title="x", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31), created_by=by
    )


def search_units(client, campaign, q):
    return client.get(f"/campaigns/{campaign.pk}/target-units/", {"q": q})


def pick(unit):
    return f'data-unit-pick="{unit.pk}"'


def test_federation_finds_units_to_set_targets_for_by_name_or_code(client_for, xianzhu, units):
    campaign = drive(xianzhu, units["county"])
    client = client_for(xianzhu)
    assert pick(units["office"]) in search_units(client, campaign, "教育局").text
    by_code = search_units(client, campaign, "DEMO-")
    assert pick(units["school"]) in by_code.text and pick(units["office"]) in by_code.text
    assert pick(units["county"]) not in by_code.text  # the drive's own federation
    assert pick(units["g1"]) not in by_code.text  # groups get no targets
    assert "没有找到匹配的单位" in search_units(client, campaign, "邻县").text


def test_only_who_sets_the_targets_searches_the_units(client_for, xianzhu, zhuxi, outsider, units):
    campaign = drive(xianzhu, units["county"])
    CampaignTarget.objects.create(campaign=campaign, unit=units["school"], target=1)  # the school follows it
    assert search_units(client_for(zhuxi), campaign, "").status_code == 403
    response = client_for(zhuxi).post(f"/campaigns/{campaign.pk}/targets/", {"unit": units["school"].pk, "target": 9})
    assert response.status_code == 403
    assert CampaignTarget.objects.get().target == 1
    assert search_units(client_for(outsider), campaign, "").status_code == 404


def test_the_unit_search_lists_ten_among_hundreds(client_for, xianzhu, units, django_assert_max_num_queries):
    add_unions(units["county"], 400)
    campaign = drive(xianzhu, units["county"])
    client = client_for(xianzhu)
    for q in ["物流", ""]:
        with django_assert_max_num_queries(6):  # login, roles, the drive, the units, their parents
            response = search_units(client, campaign, q)
        assert response.text.count("data-unit-pick=") == 10


def test_detail_page_offers_a_search_not_every_unit(client_for, xianzhu, units, django_assert_max_num_queries):
    add_unions(units["county"], 400)
    campaign = drive(xianzhu, units["county"])
    client = client_for(xianzhu)
    with django_assert_max_num_queries(6):
        response = client.get(f"/campaigns/{campaign.pk}/")
    assert "<option" not in response.text and "物流公司" not in response.text
    assert f'hx-get="/campaigns/{campaign.pk}/target-units/"' in response.text
    picked = OrgUnit.objects.get(code="wl-399")
    response = client.post(f"/campaigns/{campaign.pk}/targets/", {"unit": picked.pk, "target": 6})
    assert response.status_code == 302
    assert CampaignTarget.objects.get(campaign=campaign).unit == picked


def test_a_wrong_target_keeps_the_picked_unit_in_the_box(client_for, xianzhu, units):
    campaign = drive(xianzhu, units["county"])
    office = units["office"]
    response = client_for(xianzhu).post(f"/campaigns/{campaign.pk}/targets/", {"unit": office.pk, "target": 0})
    assert response.status_code == 200
    assert f'type="hidden" name="unit" value="{office.pk}"' in response.text
    assert 'value="县教育局机关工会"' in response.text
    assert 'value="0"' in response.text and 'id="id_target_error"' in response.text
    assert not CampaignTarget.objects.exists()


def test_a_target_without_a_pick_says_to_pick_from_the_search(client_for, xianzhu, units):
    campaign = drive(xianzhu, units["county"])
    response = client_for(xianzhu).post(f"/campaigns/{campaign.pk}/targets/", {"unit": "县教育局", "target": 5})
    assert "请从搜索结果中选择单位。" in response.text
    assert not CampaignTarget.objects.exists()


# --- Who follows a drive: one rule on the QuerySet, for every page that reads one -----------


def test_a_drive_is_followed_by_its_federation_and_by_the_units_it_set_a_target(xianzhu, zhuxi, xianzong, units):
    targeted, untargeted = drive(xianzhu, units["county"]), drive(xianzhu, units["county"])
    CampaignTarget.objects.create(campaign=targeted, unit=units["school"], target=3)
    following = Campaign.objects.visible_to
    assert set(following(xianzong, "reports.view")) == {targeted, untargeted}
    assert list(following(zhuxi, "reports.view")) == [targeted]  # the school: only the drive that counts on it


def test_a_target_lets_a_union_follow_a_drive_not_run_it(xianzhu, zhuxi, outsider, units):
    campaign = drive(xianzhu, units["county"])
    CampaignTarget.objects.create(campaign=campaign, unit=units["school"], target=3)
    assert not Campaign.objects.visible_to(zhuxi, "federation.review").exists()
    assert not Campaign.objects.visible_to(outsider, "reports.view").exists()


def test_the_list_shows_a_targeted_union_its_drive_once(client_for, xianzhu, zhuxi, units):
    campaign = drive(xianzhu, units["county"])
    campaign.title = "农民工入会集中行动"
    campaign.save()
    for unit in ("school", "office"):
        CampaignTarget.objects.create(campaign=campaign, unit=units[unit], target=3)
    assert client_for(zhuxi).get("/campaigns/").text.count("农民工入会集中行动") == 1


# --- Setting a drive and its targets: services, refusals shown on the field they are about --


def test_a_drive_is_set_by_a_federation_for_its_own_units(xianzhu, units):
    dates = {"starts_on": datetime.date(2026, 1, 1), "ends_on": datetime.date(2026, 12, 31)}
    campaign = services.campaign_create(unit=units["county"], by=xianzhu, title="x", group=TargetGroup.ALL, **dates)
    assert campaign.unit == units["county"] and campaign.created_by == xianzhu
    with pytest.raises(services.PortalError, match="只有总工会可以发起入会集中行动。") as refused:
        services.campaign_create(unit=units["school"], by=xianzhu, title="x", group=TargetGroup.ALL, **dates)
    assert refused.value.field is None


def test_a_drive_ending_before_it_starts_is_refused_on_its_end_date(client_for, xianzhu, units):
    with pytest.raises(services.PortalError) as refused:
        services.campaign_create(
            unit=units["county"],
            by=xianzhu,
            title="x",
            group=TargetGroup.ALL,
            starts_on=datetime.date(2026, 12, 31),
            ends_on=datetime.date(2026, 1, 1),
        )
    assert refused.value.field == "ends_on"
    response = client_for(xianzhu).post(
        "/campaigns/new/", {"title": "x", "starts_on": "2026-12-31", "ends_on": "2026-01-01", "group": "all"}
    )
    assert 'id="id_ends_on_error"' in response.text and 'value="2026-12-31"' in response.text
    assert not Campaign.objects.exists()


def test_a_target_is_set_then_changed_for_a_union_below(xianzhu, units):
    campaign = drive(xianzhu, units["county"])
    services.campaign_target_set(campaign=campaign, unit=units["school"], target=4)
    services.campaign_target_set(campaign=campaign, unit=units["school"], target=6)
    assert list(campaign.targets.values_list("unit__code", "target")) == [("demo-school", 6)]


@pytest.mark.parametrize("unit", ["county", "g1", "other", "office"])  # its own, a group, another county, closed
def test_a_target_only_goes_to_an_active_union_below_the_drive(xianzhu, units, unit):
    campaign = drive(xianzhu, units["county"])
    OrgUnit.objects.filter(code="demo-office").update(is_active=False)
    with pytest.raises(services.PortalError, match="只能给本次行动发起单位以下、已启用的工会设定目标。") as refused:
        services.campaign_target_set(campaign=campaign, unit=units[unit], target=4)
    assert refused.value.field == "unit"
    assert not CampaignTarget.objects.exists()


def test_a_target_of_nobody_is_refused_on_the_target(xianzhu, units):
    campaign = drive(xianzhu, units["county"])
    with pytest.raises(services.PortalError, match="目标人数至少为 1。") as refused:
        services.campaign_target_set(campaign=campaign, unit=units["school"], target=0)
    assert refused.value.field == "target"
    assert not CampaignTarget.objects.exists()


def test_a_target_the_service_refuses_is_shown_on_its_field_with_the_input_kept(
    client_for, xianzhu, units, monkeypatch
):
    campaign = drive(xianzhu, units["county"])
    office = units["office"]

    def deactivated_meanwhile(**kwargs):
        raise services.PortalError("只能给本次行动发起单位以下、已启用的工会设定目标。", field="unit")

    monkeypatch.setattr(services, "campaign_target_set", deactivated_meanwhile)
    response = client_for(xianzhu).post(f"/campaigns/{campaign.pk}/targets/", {"unit": office.pk, "target": 5})
    assert response.status_code == 200
    assert 'id="id_unit_error"' in response.text and "已启用的工会设定目标" in response.text
    assert f'type="hidden" name="unit" value="{office.pk}"' in response.text and 'value="5"' in response.text
    assert not CampaignTarget.objects.exists()
