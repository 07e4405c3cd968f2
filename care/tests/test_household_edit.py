"""Correcting a hardship file on its edit page (services.household_update). The file's history is its events: a new
level, a new review cycle and a new unit are part of the file's life, recorded as a review records them, not
overwritten as a typo would be."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from care import services
from care.models import EventKind, Household, Pairing
from care.models.archive import add_months
from care.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def edit_form(household, **changes):
    """What the edit page sends back for ``household`` unchanged, but for ``changes``."""
    sent = {
        "unit": household.unit_id,
        "name": household.name,
        "phone": household.phone,
        "address": household.address,
        "categories": household.categories,
        "level": household.level,
        "situation": household.situation,
        "monthly_income": str(household.monthly_income),
        "review_months": household.review_months or "",
        "reason": "",
    }
    return {**sent, **changes}


@pytest.fixture
def reviewed(add_household, bangfu):
    """A file of the first group opened 100 days ago and reviewed 10 days ago: its next review is a year after that."""
    today = timezone.localdate()
    household = add_household(today=today, entered_on=today - datetime.timedelta(days=100))
    on = today - datetime.timedelta(days=10)
    services.household_review(household=household, by=bangfu, on=on, reason="入户核实", today=today)
    household.refresh_from_db()
    assert household.next_review_on == add_months(on, 12)
    return household


def edit(client, household, **changes):
    return client.post(reverse("care:household_edit", args=[household.pk]), edit_form(household, **changes))


def test_a_new_level_on_the_edit_page_is_an_event_of_the_file_with_its_reason(household, bangfu, client_for):
    response = edit(client_for(bangfu), household, level="relative", reason="子女已工作，家庭收入增加")

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.level == "relative"
    event = household.events.get(kind=EventKind.LEVEL)
    assert (event.level, event.reason, event.by, event.on) == (
        "relative",
        "子女已工作，家庭收入增加",
        bangfu,
        timezone.localdate(),
    )
    page = client_for(bangfu).get(reverse("care:household_detail", args=[household.pk])).content.decode()
    assert "调整困难程度" in page and "子女已工作，家庭收入增加" in page


def test_a_new_level_without_a_reason_is_refused_beside_the_reason_and_nothing_changes(household, bangfu, client_for):
    response = edit(client_for(bangfu), household, level="relative", name="张桂芬")

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["修改困难程度或所在单位时，请写明原因。"]}
    assert 'value="张桂芬"' in response.content.decode()  # what was typed stays
    household.refresh_from_db()
    assert (household.level, household.name) == ("deep", "张桂芳")
    assert list(household.events.values_list("kind", flat=True)) == [EventKind.ENTERED]


def test_a_shorter_review_cycle_sets_the_next_review_from_the_last_review(reviewed, bangfu, client_for):
    last_review = timezone.localdate() - datetime.timedelta(days=10)

    assert edit(client_for(bangfu), reviewed, review_months="6").status_code == 302

    reviewed.refresh_from_db()
    assert reviewed.review_months == 6 and reviewed.next_review_on == add_months(last_review, 6)
    assert reviewed.events.count() == 2  # a new cycle is no event: the level and unit are the same


def test_a_cleared_cycle_falls_back_to_the_units_and_the_next_review_follows(household, bangfu):
    """Opened on TODAY (2027-03-01) with the unit's yearly cycle; every three months, then the unit's again."""
    services.household_update(household=household, by=bangfu, values={"review_months": 3}, today=TODAY)
    assert Household.objects.get(pk=household.pk).next_review_on == datetime.date(2027, 6, 1)

    services.household_update(household=household, by=bangfu, values={"review_months": None}, today=TODAY)
    assert Household.objects.get(pk=household.pk).next_review_on == datetime.date(2028, 3, 1)


def test_corrections_of_a_name_or_phone_leave_the_level_history_and_next_review_alone(reviewed, bangfu, client_for):
    due = reviewed.next_review_on

    assert edit(client_for(bangfu), reviewed, name="张桂芬", phone="13803191234").status_code == 302

    reviewed.refresh_from_db()
    assert (reviewed.name, reviewed.phone, reviewed.next_review_on) == ("张桂芬", "13803191234", due)
    assert reviewed.events.count() == 2


def test_a_file_moved_to_another_unit_of_the_union_is_an_event_of_the_file(household, bangfu, units, client_for):
    """The file was opened at the first group; the school's union keeps it from now on."""
    response = edit(client_for(bangfu), household, unit=units["school"].pk, reason="由学校工会统一帮扶")

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.unit == units["school"]
    event = household.events.get(kind=EventKind.UNIT)
    assert event.reason == "由东关完小工会小组转至城关镇中心学校工会：由学校工会统一帮扶"
    assert event.by == bangfu and event.on == timezone.localdate()


def test_a_move_needs_a_reason(household, bangfu, units, client_for):
    response = edit(client_for(bangfu), household, unit=units["g2"].pk)

    assert response.status_code == 200 and list(response.context["form"].errors) == ["reason"]
    assert Household.objects.get(pk=household.pk).unit == units["g1"]


def test_a_members_file_goes_only_where_the_member_is_kept(add_member, add_household, bangfu, units, client_for):
    """The file follows its member (a transfer on the roster takes it along): the school may keep the file of a
    member of its first group, the second group may not."""
    member = add_member("李秀英", unit="g1")
    household = add_household("李秀英", unit="school", id_number=member.id_number)
    assert household.member == member

    response = edit(client_for(bangfu), household, unit=units["g2"].pk, level="relative", reason="调整")

    assert response.status_code == 200
    assert response.context["form"].errors["unit"][0].startswith("该档案随会员李秀英（东关完小工会小组）保管")
    household.refresh_from_db()
    assert (household.unit, household.level) == (units["school"], "deep")
    assert household.events.count() == 1  # nothing written, neither the move nor the level

    assert edit(client_for(bangfu), household, unit=units["g1"].pk, reason="由小组帮扶").status_code == 302
    assert Household.objects.get(pk=household.pk).unit == units["g1"]


def test_a_file_is_moved_only_to_a_unit_the_officer_keeps_care_files_on(household, bangfu, units):
    for elsewhere in (units["office"], units["county"]):
        with pytest.raises(services.CareError, match="只能转到您维护帮扶档案的单位") as error:
            services.household_update(
                household=household, by=bangfu, values={"unit": elsewhere}, reason="调整", today=TODAY
            )
        assert error.value.field == "unit"
    assert Household.objects.get(pk=household.pk).unit == units["g1"]


def test_a_move_ends_the_pairings_of_a_unit_that_no_longer_holds_the_file(household, bangfu, units):
    kept_by = {}
    for unit in ("g1", "school"):
        kept_by[unit] = Pairing.objects.create(
            unit=units[unit], helper="王老师", household=household, helped="张桂芳家", started_on=TODAY
        )

    services.household_update(household=household, by=bangfu, values={"unit": units["g2"]}, reason="调整", today=TODAY)

    assert Pairing.objects.get(pk=kept_by["g1"].pk).ended_on == TODAY  # the first group no longer sees the file
    assert Pairing.objects.get(pk=kept_by["school"].pk).ended_on is None


def test_a_deleted_file_is_not_edited(household, bangfu):
    services.household_delete(household=household, by=bangfu, reason="录入重复", now=timezone.now())
    with pytest.raises(services.CareError, match="该档案已删除"):
        services.household_update(household=household, by=bangfu, values={"name": "张桂芬"}, today=TODAY)
