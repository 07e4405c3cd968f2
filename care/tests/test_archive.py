"""The hardship archive: one file per household, found by ID number or name, kept current by reviews."""

import datetime
import re

import pytest
from django.utils import timezone

from care import services
from care.figures import care_todos
from care.models import EventKind, FileStatus, Household
from care.models.archive import add_months
from care.tests.conftest import TODAY
from core.models import Notification

LATER = datetime.date(2027, 9, 1)  # the day the lift and return below are recorded

pytestmark = pytest.mark.django_db


def test_a_file_for_a_member_links_the_roster_by_the_blind_index(add_member, add_household):
    member = add_member("张桂芳")
    household = add_household("张桂芳", id_number=member.id_number.lower())
    assert household.member == member
    assert Household.objects.find(member.id_number).get() == household
    assert Household.objects.find("桂芳").get() == household


def test_the_list_finds_a_file_by_its_full_number_and_logs_it_never_by_its_last_four(
    add_member, add_household, client_for, bangfu
):
    """The mask hides all but the first four digits: a search by the last four would give them back
    (0000 to 9999, one search each), and one by the full number says which candidate is right, so it is
    logged as the ID check it is."""
    from core.models import AccessLog

    household = add_household("张桂芳", id_number=add_member("张桂芳").id_number)
    assert not Household.objects.find(household.id_number[-4:]).exists()
    client = client_for(bangfu)
    assert "张桂芳" not in client.get("/care/households/", {"q": household.id_number[-4:]}).text
    AccessLog.objects.all().delete()
    assert "张桂芳" in client.get("/care/households/", {"q": household.id_number.lower()}).text
    log = AccessLog.objects.get()
    assert (log.user, log.object_id) == (bangfu, str(household.pk)) and "身份证号（按完整号码查找）" in log.fields


def test_the_lists_full_number_searches_share_the_rosters_hourly_budget(add_member, add_household, client_for, bangfu):
    """Each full-number search confirms a candidate for a number the mask hides: past the hour's budget of ID
    checks (members.privacy, the roster's and the member form's too) the list says so and finds nothing."""
    from django.core.cache import cache

    from core.models import AccessLog
    from members import privacy

    cache.clear()
    household = add_household("张桂芳", id_number=add_member("张桂芳").id_number)
    client = client_for(bangfu)
    for _ in range(privacy.ID_CHECKS_PER_HOUR):
        client.get("/care/households/", {"q": "110101199001010000"})
    AccessLog.objects.all().delete()
    html = client.get("/care/households/", {"q": household.id_number}, follow=True).text
    assert "按身份证号查找过于频繁" in html and "张桂芳" not in html.split("按身份证号查找过于频繁")[1]
    assert not AccessLog.objects.filter(fields__contains="按完整号码查找").exists()
    cache.clear()


def test_a_file_does_not_link_a_member_of_another_union_typed_by_id_number(add_member, add_household, units):
    """The school's care officer types the ID number of the education office's member: the file is opened
    unlinked, so the number does not turn into that member's name on the page (nor a file into theirs)."""
    elsewhere = add_member("李辉", units["office"])
    household = add_household("李辉", unit="school", id_number=elsewhere.id_number)
    assert household.member is None
    assert not elsewhere.hardship_files.exists()


def test_a_file_kept_by_another_union_is_refused_and_the_answer_logged_there(add_household, bangfu, zhuxi, units):
    """One file per household: the school's officer typing the ID number of a family the office union keeps a file
    on is refused, and the office's access log says who asked (the refusal told her this family has a file)."""
    from core.models import AccessLog

    office = services.household_create(
        unit=units["office"], by=zhuxi, name="李辉", id_number="130534198001010021", level="deep",
        categories=["illness"], situation="患病", today=TODAY,
    )  # fmt: skip
    with pytest.raises(services.CareError, match="该户已有困难档案"):
        add_household("李辉", unit="school", id_number="130534198001010021")
    logged = AccessLog.objects.get(user=bangfu)
    assert (logged.unit, logged.object_id, logged.fields) == (units["office"], str(office.pk), "身份证号（建档查重）")
    own = add_household("王芳", unit="g1")
    with pytest.raises(services.CareError, match="该户已有困难档案"):  # a file of her own union: nothing to log
        add_household("王芳", unit="school", id_number=own.id_number)
    assert AccessLog.objects.count() == 1


def test_the_situation_and_id_number_are_encrypted_at_rest(household):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT situation, id_number FROM care_household WHERE id = %s", [household.pk])
        situation, number = cursor.fetchone()
    assert "患病" not in situation
    assert household.id_number not in number


def test_an_invalid_id_number_is_refused_with_a_clear_message_and_nothing_is_written(units, bangfu):
    with pytest.raises(services.CareError, match="身份证号：.*") as error:
        services.household_create(
            unit=units["g1"],
            by=bangfu,
            name="王五",
            id_number="130534198001010000",
            level="deep",
            categories=["illness"],
            situation="x",
            today=TODAY,
        )
    assert error.value.field == "id_number"
    assert not Household.objects.exists()


def test_one_file_per_household(household, units, bangfu):
    with pytest.raises(services.CareError, match="已有困难档案"):
        services.household_create(
            unit=units["g2"],
            by=bangfu,
            name="张桂芳",
            id_number=household.id_number,
            level="relative",
            categories=["low_income"],
            situation="x",
            today=TODAY,
        )
    assert Household.objects.count() == 1


def test_a_new_file_is_due_for_review_a_year_later_by_default(household):
    assert household.next_review_on == datetime.date(2028, 3, 1)
    assert household.events.get().kind == EventKind.ENTERED


def test_a_unit_can_shorten_the_review_cycle(units, add_household):
    from care.models import CareSettings

    CareSettings.objects.create(unit=units["school"], review_months=6)
    assert add_household(unit="g1").next_review_on == datetime.date(2027, 9, 1)


def test_review_sets_the_next_date_and_can_change_the_level(household, bangfu):
    services.household_review(
        household=household,
        by=bangfu,
        on=datetime.date(2028, 2, 20),
        reason="入户核实",
        level="relative",
        today=datetime.date(2028, 2, 20),
    )
    household.refresh_from_db()
    assert household.level == "relative"
    assert household.next_review_on == datetime.date(2029, 2, 20)


def test_lifted_and_returned_each_with_date_and_reason(household, bangfu):
    services.household_lift(
        household=household, by=bangfu, on=datetime.date(2027, 6, 1), reason="收入稳定", today=LATER
    )
    household.refresh_from_db()
    assert household.status == FileStatus.LIFTED and household.next_review_on is None
    assert not Household.objects.due_for_review(datetime.date(2030, 1, 1)).exists()
    with pytest.raises(services.CareError, match="原因"):
        services.household_return(
            household=household, by=bangfu, on=datetime.date(2027, 9, 1), reason=" ", level="accident", today=LATER
        )
    services.household_return(
        household=household, by=bangfu, on=datetime.date(2027, 9, 1), reason="再次患病", level="accident", today=LATER
    )
    household.refresh_from_db()
    assert household.level == "accident" and household.next_review_on == datetime.date(2028, 9, 1)
    kinds = list(household.events.order_by("on", "id").values_list("kind", flat=True))
    assert kinds == [EventKind.ENTERED, EventKind.LIFTED, EventKind.RETURNED]


def test_worklists_due_stale_and_never_helped(add_household, bangfu):
    from care.tests.conftest import give

    old = add_household("甲", today=datetime.date(2026, 1, 10))
    Household.objects.filter(pk=old.pk).update(updated_at=timezone.make_aware(datetime.datetime(2026, 1, 10)))
    helped = add_household("乙")
    give(by=bangfu, household=helped)
    today = datetime.date(2027, 3, 1)
    assert list(Household.objects.due_for_review(today)) == [old]
    assert list(Household.objects.stale(today)) == [old]
    assert list(Household.objects.never_helped()) == [old]


def test_review_reminders_tell_each_care_officer_once(add_household, bangfu, zhuxi, xiaozu):
    add_household("甲", today=datetime.date(2026, 3, 20))
    add_household("乙", today=datetime.date(2026, 3, 25))
    add_household("丙", today=datetime.date(2027, 1, 1))  # not due for months
    sent = services.review_reminders_send(today=datetime.date(2027, 3, 1))
    assert sent == 2  # bangfu and the chair, both care roles on the school
    note = Notification.objects.get(user=bangfu)
    assert "2 份" in note.text and note.url.endswith("?list=due")
    assert not Notification.objects.filter(user=xiaozu).exists()


def test_the_review_todo_is_urgent_when_a_review_is_late(add_household, bangfu, xiaozu):
    add_household("甲", today=datetime.date(2026, 2, 1))
    todos = care_todos(bangfu, today=datetime.date(2027, 3, 1))
    review = next(t for t in todos if t.kind == "care.review_due")
    assert review.urgent and review.due == datetime.date(2027, 2, 1)
    assert care_todos(xiaozu, today=datetime.date(2027, 3, 1)) == []


def test_delete_is_a_soft_delete_kept_for_the_archive_period(household, bangfu):
    now = timezone.make_aware(datetime.datetime(2027, 5, 1, 9))
    services.household_delete(household=household, by=bangfu, reason="调离本单位", now=now)
    household.refresh_from_db()
    assert household.deleted_at == now and household.keep_until == datetime.date(2037, 5, 1)
    assert not Household.objects.current().exists()
    assert Household.objects.filter(pk=household.pk).exists()


def test_a_file_for_an_invalid_id_number_from_the_page_names_the_field(units, bangfu, client_for):
    response = client_for(bangfu).post(
        "/care/households/new/",
        {
            "unit": units["g1"].pk,
            "name": "王五",
            "id_number": "130534198001010000",
            "categories": ["illness"],
            "level": "deep",
            "situation": "患病",
            "monthly_income": "2000",
        },
    )
    assert response.status_code == 200 and "校验位不正确" in response.context["form"].errors["id_number"][0]
    assert "身份证号：身份证号" not in response.text  # the summary names the box once
    assert 'value="王五"' in response.text  # the form keeps what was typed
    assert not Household.objects.exists()


def test_a_file_opened_or_an_event_dated_after_today_is_refused(household, units, bangfu):
    with pytest.raises(services.CareError, match="建档日期：不能晚于今天") as error:
        services.household_create(
            unit=units["g1"],
            by=bangfu,
            name="王五",
            id_number="130534198001010021",
            level="deep",
            categories=["illness"],
            situation="患病",
            today=TODAY,
            entered_on=TODAY + datetime.timedelta(days=1),
        )
    assert error.value.field == "entered_on"
    for step in (services.household_review, services.household_lift):
        with pytest.raises(services.CareError, match="日期：不能晚于今天") as error:
            step(household=household, by=bangfu, on=datetime.date(9999, 12, 31), reason="核实", today=TODAY)
        assert error.value.field == "on"
    household.refresh_from_db()
    assert household.events.count() == 1 and household.next_review_on == datetime.date(2028, 3, 1)


def test_a_review_dated_far_ahead_from_the_page_is_an_error_on_its_field(household, bangfu, client_for):
    response = client_for(bangfu).post(
        f"/care/households/{household.pk}/review/", {"on": "9999-12-31", "reason": "入户核实", "level": "deep"}
    )
    assert response.status_code == 200 and "不能晚于今天" in response.content.decode()
    assert household.events.count() == 1


def test_a_family_member_and_the_files_update_are_written_together_or_not_at_all(
    household, bangfu, client_for, monkeypatch
):
    from django.db import DatabaseError

    from care.models import FamilyMember
    from care.models.archive import HouseholdQuerySet

    def fails(self, **fields):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(HouseholdQuerySet, "update", fails)
    with pytest.raises(DatabaseError):
        client_for(bangfu).post(
            f"/care/households/{household.pk}/family/", {"name": "李明", "relation": "子女", "monthly_income": "0"}
        )
    assert not FamilyMember.objects.exists()


def test_a_negative_income_is_refused_beside_the_field(client_for, bangfu, units):
    from care.models import Household

    response = client_for(bangfu).post(
        "/care/households/new/",
        {"unit": units["school"].pk, "name": "张桂芳", "monthly_income": "-500", "level": "deep"},
    )
    assert response.status_code == 200 and response.context["form"].errors["monthly_income"]
    assert not Household.objects.exists()


def test_a_file_never_helped_shows_no_empty_total_beside_its_records(household, bangfu, client_for):
    html = client_for(bangfu).get(f"/care/households/{household.pk}/").content.decode()
    assert "还没有帮扶记录" in html and "共 0 次" not in html


def household_form(units):
    """What the new-file page is sent for 王芳 of the school, but for the field a test varies."""
    return {
        "unit": units["school"].pk,
        "name": "王芳",
        "id_number": "130534198001010021",
        "categories": ["illness"],
        "level": "deep",
        "situation": "本人患病",
        "monthly_income": "0",
    }


def test_a_file_opened_before_1990_or_reviewed_less_often_than_every_five_years_is_refused(bangfu, units, client_for):
    client = client_for(bangfu)
    form = household_form(units)
    cases = [({"entered_on": "1900-01-01"}, "entered_on"), ({"review_months": "999"}, "review_months")]
    cases.append(({"review_months": "0"}, "review_months"))
    for typed, field in cases:
        response = client.post("/care/households/new/", {**form, **typed})
        assert response.status_code == 200 and list(response.context["form"].errors) == [field]
        assert response.context["form"]["name"].value() == "王芳"  # what was typed stays
    assert "不能早于1990年1月1日" in str(
        client.post("/care/households/new/", {**form, "entered_on": "1900-01-01"}).content, "utf-8"
    )
    assert not Household.objects.exists()


def test_a_second_file_for_a_household_is_refused_once_beside_the_id_number_in_both_languages(
    bangfu, units, client_for
):
    """bangfu opened a second file for a household: the page read 身份证号：身份证号：该户已有困难档案 (the
    service's message names its field, and so does the page)."""
    client = client_for(bangfu)
    form = household_form(units)
    assert client.post("/care/households/new/", form).status_code == 302

    page = client.post("/care/households/new/", {**form, "name": "王芳二"})
    assert page.context["form"].errors["id_number"] == ["该户已有困难档案，请直接查找并复核。"]
    assert "身份证号：身份证号" not in page.text and page.context["form"]["name"].value() == "王芳二"
    client.cookies["gonghui_language"] = "en"
    page = client.post("/care/households/new/", form)
    assert page.context["form"].errors["id_number"] == [
        "This household already has a hardship file; find it and review it."
    ]
    assert Household.objects.count() == 1


def test_nothing_is_dated_before_the_file_was_opened(household, bangfu):
    """A review dated 1800-01-01 set the next one in 1801: due for ever. Payments and visits are refused too."""
    opened = "日期不能早于该户的建档日期（2027年3月1日）。"
    before = TODAY - datetime.timedelta(days=1)
    for step in (services.household_review, services.household_lift):
        with pytest.raises(services.CareError, match=opened) as error:
            step(household=household, by=bangfu, on=datetime.date(1800, 1, 1), reason="核实", today=TODAY)
        assert error.value.field == "on"
    with pytest.raises(services.CareError, match=opened) as error:
        services.assistance_give(
            unit=household.unit,
            by=bangfu,
            recipient="",
            amount=500,
            purpose="songnuan",
            given_on=before,
            household=household,
            today=TODAY,
        )
    assert error.value.field == "given_on"
    with pytest.raises(services.CareError, match=opened) as error:
        services.visit_record(
            unit=household.unit,
            by=bangfu,
            person=household.name,
            kind="sickness",
            visited_on=before,
            visitors="赵丽",
            household=household,
            today=TODAY,
        )
    assert error.value.field == "visited_on"
    household.refresh_from_db()
    assert household.events.count() == 1 and household.next_review_on == datetime.date(2028, 3, 1)
    assert not household.assistance.exists()
    services.household_review(household=household, by=bangfu, on=TODAY, reason="入户核实", today=TODAY)


def test_the_pages_refuse_a_date_before_the_file_was_opened_beside_the_field(add_household, bangfu, client_for):
    from care.models import Assistance, Visit

    today = timezone.localdate()
    household = add_household(today=today)
    opened = f"日期不能早于该户的建档日期（{today.year}年{today.month}月{today.day}日）。"
    client = client_for(bangfu)

    review = client.post(
        f"/care/households/{household.pk}/review/", {"on": "1800-01-01", "reason": "入户核实", "level": "deep"}
    )
    assert review.status_code == 200 and review.context["form"].errors == {"on": [opened]}
    assert "入户核实" in review.content.decode()
    household.refresh_from_db()
    assert household.events.count() == 1 and household.next_review_on == add_months(today, 12)

    payment = {"unit": household.unit_id, "purpose": "songnuan", "kind": "money", "amount": "500"}
    given = client.post(f"/care/assistance/new/?household={household.pk}", {**payment, "given_on": "1900-01-01"})
    assert given.status_code == 200 and given.context["form"].errors == {"given_on": [opened]}
    assert not Assistance.objects.exists()

    visit = {"unit": household.unit_id, "person": "王芳", "kind": "sickness", "visitors": "赵丽"}
    visited = client.post("/care/visits/new/", {**visit, "visited_on": "1900-01-01"})
    assert visited.status_code == 200 and visited.context["form"].errors == {
        "visited_on": ["日期不能早于1990年1月1日。"]
    }
    assert not Visit.objects.exists()


def test_a_contact_phone_is_a_mobile_or_a_landline_as_the_roster_takes_it(bangfu, units, client_for):
    form = household_form(units)
    client = client_for(bangfu)
    refused = client.post("/care/households/new/", {**form, "phone": "abc"})
    assert refused.status_code == 200 and list(refused.context["form"].errors) == ["phone"]
    assert "不是有效的电话号码" in refused.context["form"].errors["phone"][0]
    assert refused.context["form"]["name"].value() == "王芳"
    assert not Household.objects.exists()
    assert client.post("/care/households/new/", {**form, "phone": "0318 1234567"}).status_code == 302
    assert Household.objects.get().phone == "0318-1234567"
    with pytest.raises(services.CareError, match="联系电话") as error:
        services.household_create(
            unit=units["g1"],
            by=bangfu,
            name="李四",
            id_number="130534198001010048",
            level="deep",
            categories=["illness"],
            situation="患病",
            today=TODAY,
            phone="abc",
        )
    assert error.value.field == "phone"


def test_the_review_cycle_has_one_limit_stated_once(bangfu, units, client_for):
    form = household_form(units)
    client = client_for(bangfu)
    box = re.search(r'<input[^>]*name="review_months"[^>]*>', client.get("/care/households/new/").content.decode())
    assert 'min="1"' in box[0] and 'max="60"' in box[0]
    for months in ("-3", "0", "61"):
        response = client.post("/care/households/new/", {**form, "review_months": months})
        assert response.context["form"].errors == {"review_months": ["请填写1至60之间的月数。"]}, months
    assert not Household.objects.exists()
    settings = client.post("/care/settings/", {"settings": "1", "s-review_months": "0"})
    assert settings.context["settings_form"].errors["review_months"] == ["请填写1至60之间的月数。"]
    assert client.post("/care/households/new/", {**form, "review_months": "60"}).status_code == 302
