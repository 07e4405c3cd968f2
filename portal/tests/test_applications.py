"""Officers decide applications: approval makes exactly one member; the county routes."""

import datetime

import pytest
from django.utils import timezone

from core.todo import todos_for
from members.models import Member, Status
from orgs.models import OrgUnit
from portal import services
from portal.models import Application, ApplicationStatus
from portal.tests.conftest import add_unions, application_data, make_member, new_id

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)
NOON = timezone.make_aware(datetime.datetime(2026, 12, 7, 12, 0))


def submit(unit, **overrides):
    data = application_data(**overrides)
    data.pop("agree")
    return services.application_submit(unit=unit, data=data).application


def test_approval_creates_exactly_one_member_with_join_date_and_source(client_for, zhuxi, units):
    application = submit(units["school"])
    response = client_for(zhuxi).post(
        f"/applications/{application.pk}/approve/", {"joined_on": "2026-12-01", "category": "worker"}
    )
    assert response.status_code == 302
    member = Member.objects.get()
    assert member.unit == units["school"]
    assert member.joined_on == datetime.date(2026, 12, 1)
    assert member.status == Status.ACTIVE
    assert member.is_migrant_worker
    assert member.id_number == application.id_number and member.phone == application.phone
    assert "2026年12月1日 线上申请入会" in member.note and member.card_number
    assert member.history.first().history_change_reason == "status:joined"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.member == member
    # Approving again changes nothing.
    client_for(zhuxi).post(
        f"/applications/{application.pk}/approve/", {"joined_on": "2026-12-01", "category": "worker"}
    )
    assert Member.objects.count() == 1


def test_an_approval_dated_after_today_is_refused_and_makes_no_member(client_for, zhuxi, units):
    from django.utils import timezone

    application = submit(units["school"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(zhuxi).post(
        f"/applications/{application.pk}/approve/",
        {"joined_on": tomorrow.isoformat(), "category": "worker"},
        follow=True,
    )
    assert "入会时间不能晚于今天。" in response.content.decode()
    assert not Member.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_applicant_is_told_of_the_approval(zhuxi, units, django_capture_on_commit_callbacks, sms_outbox):
    application = submit(units["school"])
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(application=application, by=zhuxi)
    assert "已批准" in sms_outbox[-1][1]


def test_an_officer_on_an_english_page_sends_the_applicant_her_message_in_chinese(
    client_for, zhuxi, units, django_capture_on_commit_callbacks, sms_outbox
):
    """The applicant has no login and no language kept: the officer's English is not hers."""
    from core.testing import in_english

    client = in_english(client_for(zhuxi))
    application = submit(units["school"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/applications/{application.pk}/more/", {"note": "请补充工作证照片"})
    assert "您的入会申请需要补充：请补充工作证照片" in sms_outbox[-1][1]
    services.application_reply(application=application, reply="已补充", now=NOON)
    application.refresh_from_db()
    assert application.reply == "2026年12月7日 12:00 已补充"  # read by the officer beside the page's dates
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/applications/{application.pk}/approve/",
            {"joined_on": f"{timezone.localdate():%Y-%m-%d}", "category": "worker"},
        )
    assert "您的入会申请已批准" in sms_outbox[-1][1]


def test_cannot_approve_someone_who_joined_elsewhere_meanwhile(zhuxi, units):
    number = new_id()
    application = submit(units["school"], id_number=number)
    make_member(units["office"], "马春燕", id_number=number)
    with pytest.raises(services.PortalError, match="已在会员名册中"):
        services.application_approve(application=application, by=zhuxi)
    assert Member.objects.count() == 1


def test_someone_who_left_rejoins_on_their_old_record(zhuxi, units):
    number = new_id()
    old = make_member(units["office"], "马春燕", id_number=number, status=Status.LEFT)
    application = submit(units["school"], id_number=number)
    member = services.application_approve(application=application, by=zhuxi)
    assert member.pk == old.pk and Member.objects.count() == 1
    assert member.unit == units["school"] and member.status == Status.ACTIVE


def test_a_reason_too_long_is_named_and_nothing_is_decided(client_for, zhuxi, units):
    application = submit(units["school"])
    response = client_for(zhuxi).post(f"/applications/{application.pk}/found/", {"note": "待建会" * 101}, follow=True)
    assert "意见：" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_decline_needs_a_reason_that_the_applicant_receives(
    client_for, zhuxi, units, django_capture_on_commit_callbacks, sms_outbox
):
    application = submit(units["school"])
    client = client_for(zhuxi)
    client.post(f"/applications/{application.pk}/decline/", {"note": ""})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/applications/{application.pk}/decline/", {"note": "不是本校职工"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert "不是本校职工" in sms_outbox[-1][1]


@pytest.mark.parametrize("persona", ["huiyuan", "outsider", "xianzong", "bangfu"])
def test_only_officers_who_change_the_roster_decide(request, client_for, units, persona):
    application = submit(units["school"])
    client = client_for(request.getfixturevalue(persona))
    client.post(
        f"/applications/{application.pk}/approve/",
        {"joined_on": f"{timezone.localdate():%Y-%m-%d}", "category": "worker"},
    )
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("persona", "sees"), [("zhuxi", True), ("xiaozu", False), ("outsider", False), ("huiyuan", False)]
)
def test_who_sees_an_application(request, client_for, units, persona, sees):
    application = submit(units["school"])
    response = client_for(request.getfixturevalue(persona)).get(f"/applications/{application.pk}/")
    assert response.status_code == (200 if sees else 404)


def test_full_id_number_shown_on_request_leaves_a_trace(client_for, zhuxi, weiyuan, units):
    from core.models import AccessLog

    application = submit(units["school"])
    client = client_for(zhuxi)
    page = client.get(f"/applications/{application.pk}/")
    assert application.id_number not in page.text and application.id_number_masked in page.text
    assert not AccessLog.objects.for_object(application).exists()
    revealed = client.post(f"/applications/{application.pk}/reveal/")
    assert application.id_number in revealed.text and application.phone in revealed.text
    assert AccessLog.objects.for_object(application).count() == 1
    # A committee member decides applications but does not see ID numbers in full.
    assert client_for(weiyuan).post(f"/applications/{application.pk}/reveal/").status_code == 404


def test_application_list_shows_the_units_applications(client_for, zhuxi, units, django_assert_max_num_queries):
    for _ in range(25):
        submit(units["school"], id_number=new_id())
    submit(units["office"], id_number=new_id(), name="别人")
    client = client_for(zhuxi)
    with django_assert_max_num_queries(12):
        response = client.get("/applications/")
    assert response.text.count("马春燕") == 25 and "别人" not in response.text


def test_to_do_waits_for_the_chair(zhuxi, xiaozu, units):
    submit(units["school"])
    todos = todos_for(zhuxi, today=TODAY)
    assert [t.kind for t in todos if t.kind == "portal.application"] == ["portal.application"]
    assert not [t for t in todos_for(xiaozu, today=TODAY) if t.kind == "portal.application"]


def test_county_routes_an_application_to_the_right_union(client_for, xianzhu, zhuxi, units):
    application = submit(units["county"], employer="县教育局")
    client = client_for(xianzhu)
    assert client.get(f"/applications/{application.pk}/").status_code == 200
    client.post(f"/applications/{application.pk}/route/", {"to_unit": units["office"].pk})
    application.refresh_from_db()
    assert application.unit == units["office"] and application.routed_from == units["county"]
    assert application.status == ApplicationStatus.PENDING
    # It is now demo-office's to decide, not demo-school's.
    assert client_for(zhuxi).get(f"/applications/{application.pk}/").status_code == 404


def test_county_cannot_route_outside_its_tree(xianzhu, units):
    application = submit(units["county"])
    with pytest.raises(services.PortalError):
        services.application_route(application=application, to_unit=units["other"], by=xianzhu)


def test_county_records_an_application_for_founding_a_union(client_for, xianzhu, units):
    application = submit(units["county"], employer="某外卖配送站")
    client_for(xianzhu).post(f"/applications/{application.pk}/found/", {"note": ""})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FOUNDING
    # Once the union exists, the county routes it there.
    services.application_route(application=application, to_unit=units["office"], by=xianzhu)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING and application.unit == units["office"]


def test_an_application_waiting_for_the_applicants_answer_offers_the_county_no_routing(client_for, xianzhu, units):
    application = submit(units["county"], employer="县教育局")
    client = client_for(xianzhu)
    route = f"/applications/{application.pk}/route/"
    assert route in client.get(f"/applications/{application.pk}/").text
    services.application_ask_more(application=application, by=xianzhu, note="请写明用人单位全称")
    page = client.get(f"/applications/{application.pk}/").text
    assert route not in page and "不予批准" in page
    with pytest.raises(services.PortalError):
        services.application_route(application=application, to_unit=units["office"], by=xianzhu)


def test_a_federation_does_not_approve_members_itself(xianzhu, units):
    application = submit(units["county"])
    with pytest.raises(services.PortalError, match="转交"):
        services.application_approve(application=application, by=xianzhu)
    assert Application.objects.get().status == ApplicationStatus.PENDING


def test_declined_applications_are_deleted_a_year_after_the_decision(zhuxi, units):
    from django.core.management import call_command

    old = submit(units["school"])
    services.application_decline(application=old, by=zhuxi, note="不是本校职工")
    Application.objects.filter(pk=old.pk).update(decided_at=datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC))
    recent = submit(units["school"], id_number=new_id())
    services.application_decline(application=recent, by=zhuxi, note="不是本校职工")
    waiting = submit(units["school"], id_number=new_id())
    call_command("purge_portal")
    assert set(Application.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}


def test_home_card_counts_waiting_applications(client_for, zhuxi, units):
    submit(units["g1"])
    response = client_for(zhuxi).get("/")
    assert "1 份待审批" in response.text
    assert "/join/demo-school/poster/" in response.text


def test_optional_uses_ticked_on_the_form_are_recorded_on_approval(client, zhuxi, units):
    from portal.models import ConsentRecord

    client.post("/join/demo-school/", application_data(news="on"))
    member = services.application_approve(application=Application.objects.get(), by=zhuxi)
    assert ConsentRecord.objects.current_for(member) == {"news": True}


def test_founding_list_counts_workers_by_employer(client_for, xianzhu, units):
    for _ in range(2):
        application = submit(units["county"], id_number=new_id(), employer="某外卖配送站")
        services.application_found(application=application, by=xianzhu)
    page = client_for(xianzhu).get("/applications/?tab=founding")
    assert "某外卖配送站" in page.text and "2 人" in page.text


# --- The county routes to any of its unions: found by a search, never listed all at once ----


def search_unions(client, application, q):
    return client.get(f"/applications/{application.pk}/route/units/", {"q": q})


def test_county_finds_the_union_to_route_to_by_name_or_code(client_for, xianzhu, units):
    application = submit(units["county"])
    client = client_for(xianzhu)
    by_name = search_unions(client, application, "教育局")
    assert f'data-unit-pick="{units["office"].pk}"' in by_name.text
    assert "清河县总工会" in by_name.text  # its parent, to tell apart unions of the same name
    by_code = search_unions(client, application, "DEMO-SCHOOL")
    assert f'data-unit-pick="{units["school"].pk}"' in by_code.text
    assert "东关完小" not in by_code.text  # a group takes no applications
    assert "没有找到匹配的单位" in search_unions(client, application, "邻县").text


@pytest.mark.parametrize("persona", ["xianzong", "zhuxi", "outsider"])
def test_only_who_may_route_the_application_searches_the_unions(request, client_for, units, persona):
    application = submit(units["county"])
    client = client_for(request.getfixturevalue(persona))
    assert search_unions(client, application, "工会").status_code == 404


def test_the_union_search_lists_ten_among_hundreds(client_for, xianzhu, units, django_assert_max_num_queries):
    add_unions(units["county"], 400)
    application = submit(units["county"])
    client = client_for(xianzhu)
    for q in ["物流", ""]:
        with django_assert_max_num_queries(6):  # login, roles, the application, the unions, their parents
            response = search_unions(client, application, q)
        assert response.text.count("data-unit-pick=") == 10


def test_detail_page_offers_a_search_not_every_union(client_for, xianzhu, units, django_assert_max_num_queries):
    add_unions(units["county"], 400)
    application = submit(units["county"])
    client = client_for(xianzhu)
    with django_assert_max_num_queries(6):
        response = client.get(f"/applications/{application.pk}/")
    assert "<option" not in response.text and "物流公司" not in response.text
    assert f'hx-get="/applications/{application.pk}/route/units/"' in response.text
    assert "orgs/unit-picker" in response.text  # the picker's script
    # The last of the 400, far beyond what a list would have offered, is picked and gets it.
    picked = OrgUnit.objects.get(code="wl-399")
    response = client.post(f"/applications/{application.pk}/route/", {"to_unit": picked.pk})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.unit == picked


def test_routing_without_a_pick_says_to_pick_from_the_search(client_for, xianzhu, units):
    application = submit(units["county"])
    client = client_for(xianzhu)
    for value in ["", "城关镇中心学校工会", units["other"].pk]:  # nothing, a typed name, a unit outside
        response = client.post(f"/applications/{application.pk}/route/", {"to_unit": value})
        assert response.status_code == 200
        assert "请从搜索结果中选择工会。" in response.text
        assert "邻县总工会" not in response.text
    application.refresh_from_db()
    assert application.unit == units["county"]
