import pytest
from django.urls import reverse

from core.testing import in_english
from members import services
from members.models import Status, Transfer, TransferStatus
from orgs.models import RoleAssignment
from orgs.roles import Role


@pytest.fixture
def office_chair(units):
    from conftest import make_person

    return make_person("jiguan", "孙丽", units["office"], Role.CHAIR)


@pytest.fixture
def moving(make_member):
    return make_member("张伟", "g1")


def start(client, member, unit, reason="调动到县教育局工作"):
    return client.post(reverse("members:transfer_start", args=[member.pk]), {"to_unit": unit.pk, "reason": reason})


def test_sending_unit_starts_and_both_sides_see_the_progress(client_for, zhuxi, office_chair, moving, units):
    response = start(client_for(zhuxi), moving, units["office"])
    assert response.status_code == 302
    moving.refresh_from_db()
    assert moving.status == Status.TRANSFERRING_OUT and moving.unit == units["g1"]
    outgoing = client_for(zhuxi).get(reverse("members:transfers"), {"box": "out"})
    assert [t.member for t in outgoing.context["page"]] == [moving]
    incoming = client_for(office_chair).get(reverse("members:transfers"), {"box": "in"})
    assert [t.member for t in incoming.context["page"]] == [moving]


def test_receiving_unit_accepts_and_the_member_moves_with_their_history(client_for, zhuxi, office_chair, moving, units):
    start(client_for(zhuxi), moving, units["office"])
    transfer = Transfer.objects.get()
    response = client_for(office_chair).post(
        reverse("members:transfer_decide", args=[transfer.pk]), {"decision": "accept", "note": "同意"}
    )
    assert response.status_code == 302
    moving.refresh_from_db()
    assert moving.unit == units["office"] and moving.status == Status.TRANSFERRED_IN
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == (TransferStatus.ACCEPTED, office_chair)
    # The history travels with the member: the new unit's officers read all of it.
    reasons = list(moving.history.values_list("history_change_reason", flat=True))
    assert reasons[0].startswith("transfer_in:") and reasons[1].startswith("transfer_start:")
    html = client_for(office_chair).get(reverse("members:detail", args=[moving.pk])).content.decode()
    assert "东关完小工会小组" in html and "转会完成" in html
    # ... and the sending unit no longer sees the member.
    assert client_for(zhuxi).get(reverse("members:detail", args=[moving.pk])).status_code == 404


def test_rejecting_needs_a_reason_and_restores_the_member(client_for, zhuxi, office_chair, moving, units):
    start(client_for(zhuxi), moving, units["office"])
    transfer = Transfer.objects.get()
    client = client_for(office_chair)
    response = client.post(reverse("members:transfer_decide", args=[transfer.pk]), {"decision": "reject", "note": ""})
    assert response.status_code == 200 and "原因" in response.context["form"].errors["note"][0]
    client.post(reverse("members:transfer_decide", args=[transfer.pk]), {"decision": "reject", "note": "无此岗位"})
    moving.refresh_from_db()
    assert moving.status == Status.ACTIVE and moving.unit == units["g1"]
    assert Transfer.objects.get().status == TransferStatus.REJECTED


def test_the_sending_side_cannot_accept_its_own_transfer(client_for, zhuxi, moving, units):
    start(client_for(zhuxi), moving, units["office"])
    transfer = Transfer.objects.get()
    response = client_for(zhuxi).post(reverse("members:transfer_decide", args=[transfer.pk]), {"decision": "accept"})
    assert response.status_code == 404
    assert Transfer.objects.get().is_pending


def test_sending_side_withdraws_and_the_retired_member_is_retired_again(client_for, zhuxi, make_member, units):
    retired = make_member("李娜", "g1", gender="F", status=Status.RETIRED)
    start(client_for(zhuxi), retired, units["office"])
    transfer = Transfer.objects.get()
    client_for(zhuxi).post(reverse("members:transfer_cancel", args=[transfer.pk]))
    retired.refresh_from_db()
    assert retired.status == Status.RETIRED
    assert Transfer.objects.get().status == TransferStatus.CANCELLED


def test_a_transfer_the_receiving_unit_has_decided_offers_nothing_to_withdraw(
    client_for, zhuxi, office_chair, moving, units
):
    start(client_for(zhuxi), moving, units["office"])
    transfer = Transfer.objects.get()
    page = reverse("members:transfer_cancel", args=[transfer.pk])
    assert 'type="submit">撤回' in client_for(zhuxi).get(page).content.decode()
    services.member_transfer_accept(transfer=transfer, by=office_chair)
    html = client_for(zhuxi).get(page).content.decode()
    assert "这项转会已经办理过了（已接收）。" in html and "撤回转往" not in html
    assert f'action="{page}"' not in html and 'type="submit">撤回' not in html


def test_one_transfer_at_a_time_and_not_for_those_who_left(zhuxi, make_member, units):
    member = make_member("张伟", "g1")
    services.member_transfer_start(member=member, to_unit=units["office"], reason="调动", by=zhuxi)
    with pytest.raises(services.MemberError):
        services.member_transfer_start(member=member, to_unit=units["office"], reason="再次", by=zhuxi)
    left = make_member("赵强", "g1", status=Status.LEFT)
    with pytest.raises(services.MemberError, match="不能办理转会"):
        services.member_transfer_start(member=left, to_unit=units["office"], reason="调动", by=zhuxi)


def test_the_officer_picks_the_receiving_union_by_name_without_knowing_its_code(client_for, zhuxi, moving, units):
    """No officer is shown other unions' codes: the form searches the names, as a member's own request does."""
    client = client_for(zhuxi)
    page = client.get(reverse("members:transfer_start", args=[moving.pk])).content.decode()
    search = reverse("members:transfer_units", args=[moving.pk])
    assert f'hx-get="{search}"' in page
    found = client.get(search, {"q": "教育局"}).context["found"]
    assert [each.unit for each in found] == [units["office"]]
    assert units["g1"] not in [each.unit for each in client.get(search, {"q": "东关"}).context["found"]]
    assert start(client, moving, units["office"]).status_code == 302


def test_a_unit_outside_the_members_tree_or_not_a_union_is_a_field_error(client_for, zhuxi, moving, units):
    client = client_for(zhuxi)
    for unit in (units["other"], units["county"], units["g1"]):
        response = start(client, moving, unit)
        assert response.context["form"].errors["to_unit"] == ["请输入转入单位的名称，从搜索结果中选择。"]
    for typed in ("nowhere", units["office"].code):
        response = client.post(reverse("members:transfer_start", args=[moving.pk]), {"to_unit": typed, "reason": "x"})
        assert "to_unit" in response.context["form"].errors


def test_group_leader_may_not_transfer(client_for, xiaozu, moving):
    client = client_for(xiaozu)
    assert client.get(reverse("members:transfer_start", args=[moving.pk])).status_code == 404
    assert client.get(reverse("members:transfer_units", args=[moving.pk]), {"q": "工会"}).status_code == 404


def test_pending_transfers_in_are_a_to_do_on_the_home_page(client_for, zhuxi, office_chair, moving, units):
    start(client_for(zhuxi), moving, units["office"])
    RoleAssignment.objects.filter(user=office_chair).update()
    client = client_for(office_chair)
    assert "1 项转会待接收" in client.get(reverse("workbench:home")).content.decode()
    assert "1 transfer waiting to be accepted" in in_english(client).get(reverse("workbench:home")).content.decode()


def test_a_member_being_transferred_keeps_their_unit_when_the_form_is_saved(client_for, zhuxi, moving, units):
    from members.tests.test_encryption import _edit_data

    start(client_for(zhuxi), moving, units["office"])
    client = client_for(zhuxi)
    page = client.get(reverse("members:edit", args=[moving.pk])).content.decode()
    assert "转会办理中，所在单位在转入单位接收后自动变更" in page
    client.post(reverse("members:edit", args=[moving.pk]), _edit_data(moving, unit=units["g2"].pk, note="调岗"))
    moving.refresh_from_db()
    assert (moving.unit, moving.note) == (units["g1"], "调岗")
    assert Transfer.objects.get().from_unit == moving.unit
