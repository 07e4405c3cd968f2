"""A member's login follows the roster: the member role sits on the unit the member is in, while they are in
the union. 周小红 (huiyuan) is the member of the personas; her record is made here and linked to her login."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from activities.models import Status as ActivityStatus
from members import services
from members.importing import roster_import
from members.models import Status, StatusReason, Transfer
from members.tests.sheets import xlsx
from orgs.models import RoleAssignment
from orgs.roles import Role


@pytest.fixture
def her(make_member, huiyuan):
    return make_member("周小红", "g1", gender="F", user=huiyuan)


def _member_units(user):
    return sorted(RoleAssignment.objects.filter(user=user, role=Role.MEMBER).values_list("unit__code", flat=True))


def _activity(unit, title):
    return Activity.objects.create(
        unit=unit, title=title, starts_at=timezone.now() + datetime.timedelta(days=7), status=ActivityStatus.OPEN
    )


def test_after_a_transfer_she_sees_and_joins_the_new_unions_activities_not_the_old_ones(
    client_for, zhuxi, huiyuan, her, units
):
    old = _activity(units["g1"], "东关完小读书会")
    new = _activity(units["office"], "机关羽毛球赛")
    transfer = services.member_transfer_start(member=her, to_unit=units["office"], reason="调动", by=zhuxi)
    assert _member_units(huiyuan) == ["demo-school-g1"]  # still hers while the transfer is pending
    services.member_transfer_accept(transfer=Transfer.objects.get(pk=transfer.pk), by=zhuxi)
    assert _member_units(huiyuan) == ["demo-office"]

    client = client_for(huiyuan)
    listed = client.get(reverse("activities:list")).content.decode()
    assert "机关羽毛球赛" in listed and "东关完小读书会" not in listed
    assert client.post(reverse("activities:register", args=[new.pk])).status_code == 302
    assert new.registrations.filter(member=her).exists()
    assert client.get(reverse("activities:detail", args=[old.pk])).status_code == 404


def test_a_move_by_the_chair_moves_her_role_and_keeps_her_other_roles(client_for, zhuxi, huiyuan, her, units):
    RoleAssignment.objects.create(user=huiyuan, unit=units["g1"], role=Role.GROUP_LEADER)
    her.unit = units["g2"]
    services.member_save(member=her, reason="fields:unit")
    assert _member_units(huiyuan) == ["demo-school-g2"]
    assert RoleAssignment.objects.filter(user=huiyuan, unit=units["g1"], role=Role.GROUP_LEADER).exists()


def test_the_edit_page_moves_her_role_with_her(client_for, zhuxi, huiyuan, her, units):
    data = {
        "name": her.name,
        "gender": her.gender,
        "birth_date": her.birth_date.isoformat(),
        "id_number": her.id_number,
        "phone": her.phone,
        "unit": units["g2"].pk,
        "category": her.category,
        "joined_on": "",
        "card_number": "",
        "note": "",
    }
    response = client_for(zhuxi).post(reverse("members:edit", args=[her.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert _member_units(huiyuan) == ["demo-school-g2"]


def test_once_she_leaves_the_union_pages_close_and_her_own_data_stays_open(client_for, huiyuan, her, units):
    _activity(units["school"], "教职工趣味运动会")
    services.member_status_change(member=her, status=Status.LEFT, reason=StatusReason.RESIGNED)
    assert _member_units(huiyuan) == []
    client = client_for(huiyuan)
    assert "教职工趣味运动会" not in client.get(reverse("activities:list")).content.decode()
    assert client.get(reverse("portal:me")).status_code == 200

    services.member_status_change(member=her, status=Status.ACTIVE, reason=StatusReason.REJOINED)
    assert _member_units(huiyuan) == ["demo-school-g1"]
    assert "教职工趣味运动会" in client.get(reverse("activities:list")).content.decode()


def test_an_import_that_moves_her_moves_her_role(tmp_path, huiyuan, her, units):
    path = xlsx(
        tmp_path / "roster.xlsx",
        [(1, "周小红", "女", her.id_number, her.phone, "西街完小工会小组", "2010-09-01", "")],
    )
    result = roster_import(path, unit=units["school"])
    assert result.written and result.updated == 1, result.errors
    assert _member_units(huiyuan) == ["demo-school-g2"]


def test_a_member_without_a_login_needs_no_role(zhuxi, make_member, units):
    member = make_member("张伟", "g1")
    services.member_status_change(member=member, status=Status.LEFT, reason=StatusReason.RESIGNED)
    assert not RoleAssignment.objects.filter(role=Role.MEMBER).exists()


def test_an_officer_linked_to_her_own_record_gets_no_member_role_from_a_move(zhuxi, make_member, units):
    chair = make_member("王建国", "g1", user=zhuxi)
    chair.unit = units["g2"]
    services.member_save(member=chair, reason="fields:unit")
    assert list(RoleAssignment.objects.filter(user=zhuxi).values_list("role", "unit__code")) == [
        (Role.CHAIR, "demo-school")
    ]


def test_her_home_page_after_leaving_is_her_own_record(client_for, huiyuan, her):
    services.member_status_change(member=her, status=Status.LEFT, reason=StatusReason.RESIGNED)
    response = client_for(huiyuan).get(reverse("workbench:home"))
    assert response.status_code == 302 and response.url == reverse("portal:me")
