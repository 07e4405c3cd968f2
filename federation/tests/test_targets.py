"""Targets handed down: in each unit's plan, not deletable there, actuals rolled up to the federation."""

from decimal import Decimal

import pytest
from django.urls import reverse

from federation import services
from federation.models import HandedDownTarget
from members.models import Member
from plans.models import Target
from rollups.refresh import refresh


@pytest.fixture
def county_plan(make_plan):
    return make_plan(unit="county", title="县总工会年度工作计划")


@pytest.fixture
def recruit(county_plan):
    """Typed actuals: each union enters how many new members it recruited."""
    return county_plan.targets.create(name="新发展会员", measure="人", value=200)


@pytest.fixture
def members_target(county_plan):
    return county_plan.targets.create(name="会员人数", measure="人", value=100, metric="members.count")


def test_a_target_reaches_plans_that_exist_and_plans_created_later(recruit, make_plan, units):
    school_plan = make_plan()
    services.target_hand_down(target=recruit, default_value=Decimal(100), shares={units["office"].pk: Decimal(50)})
    copy = school_plan.targets.get(handed_down_from=recruit)
    assert (copy.name, copy.value, copy.note) == ("新发展会员", 100, "清河县总工会下达")
    office_plan = make_plan(unit="office", title="机关工会计划")
    assert office_plan.targets.get(handed_down_from=recruit).value == 50
    group_plan = make_plan(unit="g1", title="小组计划")
    assert not group_plan.targets.exists()  # the school hands down to its groups, not the county


def test_a_unit_cannot_delete_a_handed_down_target(client_for, recruit, make_plan, zhuxi):
    school_plan = make_plan()
    services.target_hand_down(target=recruit, default_value=Decimal(100))
    copy = school_plan.targets.get()
    client = client_for(zhuxi)
    response = client.post(reverse("plans:target_delete", args=[copy.pk]), follow=True)
    assert "这是上级下达的目标，不能删除" in response.content.decode()
    assert Target.objects.filter(pk=copy.pk).exists()


def test_typed_actuals_roll_up_to_the_federations_own_target(recruit, make_plan, units):
    school_plan, office_plan = make_plan(), make_plan(unit="office", title="机关工会计划")
    services.target_hand_down(target=recruit, default_value=Decimal(100))
    for plan, actual in ((school_plan, 30), (office_plan, 45)):
        copy = plan.targets.get()
        copy.actual_manual = actual
        copy.save()
    recruit.refresh_from_db()
    assert recruit.actual() == 75


def test_live_actuals_roll_up_through_the_metric_of_each_subtree(
    client_for, members_target, make_plan, units, xianzong
):
    make_plan()
    services.target_hand_down(target=members_target, default_value=Decimal(50))
    for unit in ("school", "g1", "g1", "office"):
        Member.objects.create(unit=units[unit], name="会员", gender="M")
    refresh()
    handed = members_target.handed_down
    rows = {r.unit.code: r for r in services.target_rows(handed)}
    assert rows["demo-school"].actual == 3 and rows["demo-school"].has_plan
    assert rows["demo-office"].actual == 1 and not rows["demo-office"].has_plan
    assert members_target.actual() == 4  # the county's own figure counts everyone below
    page = client_for(xianzong).get(reverse("federation:target", args=[handed.pk])).content.decode()
    assert 'data-testid="own-actual">4<' in page


def test_the_county_overrides_one_units_share_from_the_page(client_for, recruit, make_plan, units, xianzong):
    school_plan = make_plan()
    handed = services.target_hand_down(target=recruit, default_value=Decimal(100))
    client_for(xianzong).post(reverse("federation:target", args=[handed.pk]), {f"share-{units['school'].pk}": "120"})
    assert school_plan.targets.get().value == 120


def test_a_share_that_is_not_an_amount_is_refused_by_its_unit_and_the_others_typed_are_kept(
    client_for, recruit, make_plan, units, xianzong
):
    school_plan = make_plan()
    handed = services.target_hand_down(target=recruit, default_value=Decimal(100))
    url = reverse("federation:target", args=[handed.pk])
    school, office = f"share-{units['school'].pk}", f"share-{units['office'].pk}"
    for bad in ("NaN", "1e999", "99999999999999999999", "-5"):
        response = client_for(xianzong).post(url, {school: "120", office: bad})
        assert response.status_code == 200
        html = response.content.decode()
        assert "有分解值填得不对" in html and 'value="120"' in html and "is-invalid" in html
    assert not handed.shares.exists() and school_plan.targets.get().value == 100  # nothing half-saved


def test_a_share_for_a_unit_not_directly_below_is_not_stored(client_for, recruit, make_plan, units, xianzong):
    make_plan()
    handed = services.target_hand_down(target=recruit, default_value=Decimal(100))
    client_for(xianzong).post(
        reverse("federation:target", args=[handed.pk]),
        {f"share-{units['g1'].pk}": "7", "share-999999999999999999999": "7", f"share-{units['school'].pk}": "120"},
    )
    assert list(handed.shares.values_list("unit_id", "value")) == [(units["school"].pk, 120)]


def test_the_county_hands_a_target_down_from_the_page(client_for, recruit, make_plan, xianzong, zhuxi):
    school_plan = make_plan()
    client = client_for(xianzong)
    response = client.post(reverse("federation:targets"), {"target": recruit.pk, "default_value": "80"})
    assert response.status_code == 302
    assert school_plan.targets.get().value == 80
    assert client_for(zhuxi).get(reverse("federation:target", args=[recruit.handed_down.pk])).status_code == 404


def test_the_plan_page_marks_a_handed_down_target_and_offers_no_delete(client_for, recruit, make_plan, zhuxi):
    school_plan = make_plan()
    services.target_hand_down(target=recruit, default_value=Decimal(100))
    copy = school_plan.targets.get()
    html = client_for(zhuxi).get(reverse("plans:detail", args=[school_plan.pk])).content.decode()
    assert 'data-testid="handed-down"' in html
    assert reverse("plans:target_delete", args=[copy.pk]) not in html


def test_handing_a_target_down_again_keeps_the_shares_set_unit_by_unit(client_for, recruit, make_plan, units, xianzong):
    """The small school was given 20 instead of 100; raising the default to 120 is for the units on the default."""
    school_plan, office_plan = make_plan(), make_plan(unit="office", title="机关工会计划")
    client = client_for(xianzong)
    client.post(reverse("federation:targets"), {"target": recruit.pk, "default_value": "100"})
    handed = recruit.handed_down
    school, office = f"share-{units['school'].pk}", f"share-{units['office'].pk}"
    client.post(reverse("federation:target", args=[handed.pk]), {school: "20", office: "100"})
    response = client.post(reverse("federation:targets"), {"target": recruit.pk, "default_value": "120"}, follow=True)
    html = response.content.decode()
    assert "单独设定了分解值的单位保持原值（共 1 个）" in html
    assert html.count('data-testid="own-share"') == 1
    assert school_plan.targets.get().value == 20 and office_plan.targets.get().value == 120
    assert list(handed.shares.values_list("unit_id", "value")) == [(units["school"].pk, 20)]


def test_a_share_typed_back_to_the_default_puts_the_unit_on_the_default(
    client_for, recruit, make_plan, units, xianzong
):
    """The shares page shows every unit's value: saved as shown, no unit gets a share of its own, and a
    later default reaches them all."""
    school_plan = make_plan()
    handed = services.target_hand_down(target=recruit, default_value=Decimal(100), shares={units["school"].pk: 20})
    url = reverse("federation:target", args=[handed.pk])
    client_for(xianzong).post(url, {f"share-{units['school'].pk}": "100", f"share-{units['office'].pk}": "100"})
    assert not handed.shares.exists()
    services.target_hand_down(target=recruit, default_value=Decimal(80))
    assert school_plan.targets.get().value == 80


@pytest.fixture
def membership_rate(county_plan):
    return county_plan.targets.create(name="职工入会率", measure="%", value=95)


def test_a_rate_share_above_100_is_refused_beside_its_unit_and_the_others_typed_are_kept(
    client_for, membership_rate, make_plan, units, xianzong
):
    school_plan = make_plan()
    handed = services.target_hand_down(target=membership_rate, default_value=Decimal(95))
    school, office = f"share-{units['school'].pk}", f"share-{units['office'].pk}"
    response = client_for(xianzong).post(reverse("federation:target", args=[handed.pk]), {school: "120", office: "98"})
    assert response.status_code == 200
    assert response.context["form"].errors == {school: ["这是百分比目标，分解值不能大于 100。"]}
    assert 'value="98"' in response.content.decode()
    assert not handed.shares.exists() and school_plan.targets.get().value == 95
    client_for(xianzong).post(reverse("federation:target", args=[handed.pk]), {school: "100", office: "98"})
    assert school_plan.targets.get().value == 100  # a full 100% is a share


def test_a_rate_handed_down_with_a_default_above_100_is_refused_beside_the_default(
    client_for, membership_rate, make_plan, xianzong
):
    make_plan()
    response = client_for(xianzong).post(
        reverse("federation:targets"), {"target": membership_rate.pk, "default_value": "950"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"default_value": ["这是百分比目标，分解值不能大于 100。"]}
    assert 'value="950"' in response.content.decode()
    assert not HandedDownTarget.objects.exists() and not Target.objects.filter(handed_down_from__isnull=False).exists()


@pytest.mark.parametrize(
    ("default", "school_share", "field"),
    [
        (Decimal(101), None, "default_value"),
        (Decimal(-1), None, "default_value"),
        (Decimal(95), Decimal(101), "school"),
    ],
)
def test_the_service_refuses_a_rate_share_above_100_and_any_share_below_zero(
    membership_rate, units, default, school_share, field
):
    """Whoever calls it (a page, the demo, a script): the rule is the service's, not only the forms'."""
    shares = {units["school"].pk: school_share} if school_share is not None else None
    with pytest.raises(services.FederationError, match="分解值不能") as refused:
        services.target_hand_down(target=membership_rate, default_value=default, shares=shares)
    assert refused.value.field == (f"share-{units['school'].pk}" if field == "school" else field)
    assert not HandedDownTarget.objects.exists()
