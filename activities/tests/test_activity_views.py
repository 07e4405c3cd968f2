"""The activity pages: a member registers from the activity page, officers manage and record it."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import Activity, Registration, RegistrationStatus, Status
from activities.services import registration_add
from core import encryption, idnumber
from core.testing import in_english, untranslated
from plans.models import ItemStatus


def test_a_member_sees_the_schools_activity_and_places_left(client_for, huiyuan, me, make_activity):
    activity = make_activity(capacity=30)
    response = client_for(huiyuan).get(reverse("activities:detail", args=[activity.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="places-left">30<' in html
    assert "我要报名" in html


def test_a_member_registers_in_one_tap(client_for, huiyuan, me, make_activity):
    activity = make_activity(capacity=30)
    response = client_for(huiyuan).post(reverse("activities:register", args=[activity.pk]), follow=True)
    assert "报名成功" in response.content.decode()
    assert Registration.objects.get(activity=activity, member=me).status == RegistrationStatus.REGISTERED
    assert 'data-testid="places-left">29<' in response.content.decode()


def test_a_member_registering_twice_is_told_and_counted_once(client_for, huiyuan, me, make_activity):
    activity = make_activity()
    client = client_for(huiyuan)
    client.post(reverse("activities:register", args=[activity.pk]))
    response = client.post(reverse("activities:register", args=[activity.pk]), follow=True)
    assert "已经报名，无需重复报名" in response.content.decode()
    assert activity.registrations.count() == 1


def test_a_full_activity_offers_the_waiting_list(client_for, huiyuan, me, make_activity, member_factory, zhuxi):
    activity = make_activity(capacity=1)
    registration_add(activity=activity, member=member_factory("甲"), by=zhuxi)
    client = client_for(huiyuan)
    assert "名额已满，加入候补" in client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    response = client.post(reverse("activities:register", args=[activity.pk]), follow=True)
    assert "候补名单第 1 位" in response.content.decode()


def test_from_the_page_a_tap_answers_with_the_new_registration_card_only(
    client_for, huiyuan, me, make_activity, django_assert_max_num_queries
):
    activity = make_activity(capacity=1)
    client = client_for(huiyuan)
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert f'hx-post="{reverse("activities:register", args=[activity.pk])}"' in page
    assert 'hx-target="#registration-card"' in page
    # The registration's 7 (and its savepoint), its statement reading the card's counts too: no whole page
    # after it, and no count again.
    with django_assert_max_num_queries(9):
        response = client.post(reverse("activities:register", args=[activity.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div class="card mb-3" id="registration-card"')
    assert "您已报名" in html and 'data-testid="places-left">0<' in html
    assert "<html" not in html
    # A second tap says so in the card, with the registration that stands.
    html = client.post(reverse("activities:register", args=[activity.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "已经报名，无需重复报名" in html and "您已报名" in html


def test_a_tap_on_register_decrypts_neither_the_members_id_number_nor_phone(
    client_for, huiyuan, me, make_activity, monkeypatch
):
    me.id_number, me.phone = idnumber.make(me.birth_date, "F"), "13800001234"
    me.save()
    activity = make_activity(capacity=5)
    decrypted = []
    real = encryption.decrypt
    monkeypatch.setattr(encryption, "decrypt", lambda token: decrypted.append(token) or real(token))
    response = client_for(huiyuan).post(reverse("activities:register", args=[activity.pk]), HTTP_HX_REQUEST="true")
    assert "您已报名" in response.content.decode()
    assert decrypted == []


def test_from_the_page_a_tap_on_a_full_activity_answers_with_the_place_in_the_queue(
    client_for, huiyuan, me, make_activity, member_factory, zhuxi
):
    activity = make_activity(capacity=1)
    registration_add(activity=activity, member=member_factory("甲"), by=zhuxi)
    response = client_for(huiyuan).post(reverse("activities:register", args=[activity.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "您在候补名单第 1 位" in html and "候补 1 人" in html and "已报名 1 人" in html
    assert activity.registrations.get(member=me).status == RegistrationStatus.WAITING
    # The card, rendered without the layout's context, still carries a token its cancel form can post with.
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', html)[1]
    client = Client(enforce_csrf_checks=True)
    client.force_login(huiyuan)
    client.cookies.update(response.cookies)
    cancelled = client.post(reverse("activities:cancel_mine", args=[activity.pk]), {"csrfmiddlewaretoken": token})
    assert cancelled.status_code == 302
    assert not activity.registrations.filter(member=me).exclude(status=RegistrationStatus.CANCELLED).exists()


def test_a_member_cancels_and_the_next_in_line_is_told_on_their_home_page(
    client, huiyuan, me, make_activity, member_factory, zhuxi
):
    from conftest import make_person

    activity = make_activity(capacity=1)
    registration_add(activity=activity, member=me, by=huiyuan)
    other_user = make_person("laoli", "李老师")
    waiting = registration_add(activity=activity, member=member_factory("李老师", user=other_user), by=zhuxi)
    client.force_login(huiyuan)
    client.post(reverse("activities:cancel_mine", args=[activity.pk]))
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    client.force_login(other_user)
    # laoli has no role; the notification still waits for her, and no page she opens clears it.
    assert other_user.notifications.filter(read_at__isnull=True, kind="activities.promoted").count() == 1
    client.get(reverse("activities:detail", args=[activity.pk]))
    assert other_user.notifications.filter(read_at__isnull=True).count() == 1


def test_the_chair_cancels_on_the_english_pages_and_the_member_is_told_in_chinese(
    client_for, huiyuan, me, make_activity, zhuxi
):
    activity = make_activity(title="教职工羽毛球赛")
    registration_add(activity=activity, member=me, by=huiyuan)
    chair = in_english(client_for(zhuxi))
    chair.post(reverse("activities:set_status", args=[activity.pk]), {"action": "cancel"})
    assert Activity.objects.get(pk=activity.pk).status == Status.CANCELLED
    assert huiyuan.notifications.get(kind="activities.cancelled").text == "活动“教职工羽毛球赛”已取消。"


def test_the_home_card_shows_the_promotion_notice(client_for, huiyuan, me, make_activity, member_factory, zhuxi):
    activity = make_activity(capacity=1)
    holder = registration_add(activity=activity, member=member_factory("甲"), by=zhuxi)
    registration_add(activity=activity, member=me, by=huiyuan)
    from activities.services import registration_cancel

    registration_cancel(registration=holder, by=zhuxi)
    client = client_for(huiyuan)
    home = client.get(reverse("workbench:home")).content.decode()
    assert "候补成功" in home and f'href="/activities/{activity.pk}/"' in home
    # Opening the activity (a GET) writes nothing; she clears her notifications with a button.
    client.get(reverse("activities:detail", args=[activity.pk]))
    assert "候补成功" in client.get(reverse("workbench:home")).content.decode()
    client.post(reverse("federation:notifications"), {"mark_read": "1"})
    assert "候补成功" not in client.get(reverse("workbench:home")).content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("zhuxi", 200), ("weiyuan", 200), ("xiaozu", 404), ("huiyuan", 404), ("xianzong", 404), ("outsider", 404)],
)
def test_only_officers_of_the_holding_unit_see_the_registration_list(
    request, client_for, make_activity, persona, status
):
    activity = make_activity()
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("activities:registrations", args=[activity.pk])).status_code == status


def test_a_groups_activity_is_hidden_from_a_sibling_group(client_for, units, make_activity, zhuxi):
    from conftest import make_person
    from orgs.roles import Role

    g2_leader = make_person("g2leader", "组长二", units["g2"], Role.GROUP_LEADER)
    activity = make_activity(unit=units["g1"])
    assert client_for(g2_leader).get(reverse("activities:detail", args=[activity.pk])).status_code == 404


def test_drafts_are_shown_only_to_officers(client_for, huiyuan, me, zhuxi, make_activity):
    draft = make_activity(status=Status.DRAFT, title="还没发布的活动")
    assert client_for(huiyuan).get(reverse("activities:detail", args=[draft.pk])).status_code == 404
    assert "还没发布的活动" not in client_for(huiyuan).get(reverse("activities:list")).content.decode()
    assert client_for(zhuxi).get(reverse("activities:detail", args=[draft.pk])).status_code == 200


def test_chair_creates_and_publishes_an_activity_for_a_plan_item(client_for, zhuxi, units, plan_item):
    # Tonight: in the year of the plan (three days ahead is next year's from 29 December).
    starts = timezone.localtime().replace(hour=23, minute=0).strftime("%Y-%m-%dT%H:%M")
    response = client_for(zhuxi).post(
        reverse("activities:create"),
        {
            "title": "春季趣味运动会",
            "kind": "sports",
            "unit": units["school"].pk,
            "schedule_item": plan_item.pk,
            "starts_at": starts,
            "audience": "all",
            "capacity": "60",
            "budget": "3000.00",
            "publish": "1",
        },
    )
    activity = Activity.objects.get(title="春季趣味运动会")
    assert response.status_code == 302
    assert activity.status == Status.OPEN and activity.schedule_item == plan_item and activity.created_by == zhuxi


def test_the_activity_form_says_what_is_missing(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("activities:create"),
        {"title": "青年教师座谈", "kind": "study", "unit": units["school"].pk, "audience": "young", "starts_at": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "请填写年龄上限" in html
    assert 'value="青年教师座谈"' in html


def test_raising_the_capacity_moves_the_waiting_list_up(client_for, zhuxi, make_activity, member_factory):
    activity = make_activity(capacity=1)
    for name in ("甲", "乙", "丙"):
        registration_add(activity=activity, member=member_factory(name), by=zhuxi)
    client_for(zhuxi).post(
        reverse("activities:edit", args=[activity.pk]),
        {
            "title": activity.title,
            "kind": activity.kind,
            "unit": activity.unit_id,
            "starts_at": timezone.localtime(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "audience": "all",
            "capacity": "2",
        },
    )
    assert activity.registrations.filter(status=RegistrationStatus.REGISTERED).count() == 2
    assert activity.registrations.filter(status=RegistrationStatus.WAITING).count() == 1


def test_recording_held_marks_the_plan_item_done(client_for, zhuxi, make_activity, plan_item, me, huiyuan):
    activity = make_activity(schedule_item=plan_item, starts_at=timezone.now() - datetime.timedelta(hours=2))
    registration = registration_add(activity=activity, member=me, by=huiyuan)
    from activities.services import check_in

    check_in(registration=registration, by=zhuxi)
    response = client_for(zhuxi).post(
        reverse("activities:held", args=[activity.pk]), {"participant_times": "45", "spend": "2680.50"}, follow=True
    )
    activity.refresh_from_db()
    plan_item.refresh_from_db()
    assert activity.status == Status.HELD and activity.participant_times == 45
    assert plan_item.status == ItemStatus.DONE and plan_item.done_by == zhuxi
    assert "计划事项已标记为完成" in response.content.decode()
    assert "¥2,680.50" in response.content.decode()


def test_participant_times_cannot_be_fewer_than_those_checked_in(client_for, zhuxi, make_activity, me, huiyuan):
    activity = make_activity(starts_at=timezone.now() - datetime.timedelta(hours=1))
    from activities.services import check_in

    check_in(registration=registration_add(activity=activity, member=me, by=huiyuan), by=zhuxi)
    response = client_for(zhuxi).post(reverse("activities:held", args=[activity.pk]), {"participant_times": "0"})
    assert "不能少于已签到人数（1）" in response.content.decode()


def test_an_activity_in_the_future_cannot_be_recorded_as_held(client_for, zhuxi, make_activity):
    """The page says so before anything is filled in; a POST is refused all the same."""
    activity = make_activity()
    client = client_for(zhuxi)
    page = client.get(reverse("activities:held", args=[activity.pk])).content.decode()
    assert "到那天才能记录为已举办" in page and 'data-testid="record-held"' not in page
    client.post(reverse("activities:held", args=[activity.pk]), {"participant_times": "10"})
    activity.refresh_from_db()
    assert activity.status == Status.OPEN


def test_the_check_in_page_says_when_it_is_not_the_activitys_day(client_for, zhuxi, make_activity):
    """Scanning a week early is not refused (a rehearsal, a record made the next morning), but said."""
    client = client_for(zhuxi)
    ahead = make_activity()
    page = client.get(reverse("activities:checkin", args=[ahead.pk])).content.decode()
    assert "今天还不是活动日" in page
    today = make_activity(starts_at=timezone.now())
    assert (
        'data-testid="not-the-day"' not in client.get(reverse("activities:checkin", args=[today.pk])).content.decode()
    )
    past = make_activity(starts_at=timezone.now() - datetime.timedelta(days=2))
    assert "现在签到会补记为已参加" in client.get(reverse("activities:checkin", args=[past.pk])).content.decode()


def test_the_list_keeps_a_bounded_number_of_queries(
    client_for, zhuxi, make_activity, member_factory, django_assert_max_num_queries
):
    members = [member_factory(f"会员{i}") for i in range(5)]
    for i in range(25):
        activity = make_activity(title=f"活动{i}", capacity=3)
        for member in members[: i % 5]:
            registration_add(activity=activity, member=member, by=zhuxi)
    client = client_for(zhuxi)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("activities:list"))
    assert response.content.decode().count("/activities/") > 25


def test_pages_read_in_english(client_for, zhuxi, units, make_activity, member_factory):
    activity = make_activity(title="Sports day", place="Playground", organiser="Sports officer")
    registration_add(activity=activity, member=member_factory("Li Lei"), by=zhuxi)
    zhuxi.full_name = "Wang Jianguo"
    zhuxi.save()
    client = in_english(client_for(zhuxi))
    for key, name in (
        ("school", "Central school"),
        ("county", "County federation"),
        ("g1", "East group"),
        ("g2", "West group"),
    ):
        unit = units[key]
        unit.name = unit.short_name = name
        unit.save()
    for url in (
        reverse("activities:list"),
        reverse("activities:detail", args=[activity.pk]),
        reverse("activities:registrations", args=[activity.pk]),
        reverse("activities:checkin", args=[activity.pk]),
        reverse("activities:create"),
        reverse("activities:statistics"),
        reverse("activities:received"),
        reverse("activities:competitions"),
        reverse("activities:sports", args=[activity.pk]),
        reverse("activities:poster", args=[activity.pk]),
    ):
        html = client.get(url).content.decode()
        assert untranslated(html) == [], (url, untranslated(html))


def test_sports_contest_and_summary_pages_read_in_english(client_for, zhuxi, units, make_activity, member_factory):
    import datetime as dt

    from activities import contests, sports
    from activities.models import Competition, Contestant, EventFormat, ScoringItem, SportsEvent
    from activities.services import summary_save, summary_submit

    zhuxi.full_name = "Wang Jianguo"
    zhuxi.save()
    for key, name in (("school", "Central school"), ("county", "County"), ("g1", "East group"), ("g2", "West group")):
        units[key].name = units[key].short_name = name
        units[key].save()
    activity = make_activity(title="Sports day", status=Status.HELD, starts_at=timezone.now() - dt.timedelta(days=1))
    knockout = SportsEvent.objects.create(activity=activity, name="Table tennis", format=EventFormat.KNOCKOUT)
    for name in ("Li", "Wang", "Zhao"):
        sports.entry_add(event=knockout, unit=None, member=member_factory(name))
    sports.draw_make(event=knockout)
    league = SportsEvent.objects.create(
        activity=activity, name="Tug of war", kind="team", format=EventFormat.ROUND_ROBIN
    )
    for key in ("g1", "g2"):
        sports.entry_add(event=league, unit=units[key], name=f"Team {key}")
    sports.draw_make(event=league)
    sports.match_record(match=league.matches.get(), home_score=2, away_score=1)
    contest = Competition.objects.create(
        unit=units["school"],
        title="Skills",
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 6, 30),
        period="quarterly",
    )
    contests.rounds_create(competition=contest)
    ScoringItem.objects.create(competition=contest, name="Theory", weight=100)
    Contestant.objects.create(competition=contest, unit=units["g1"], name="East team")
    contest.judges.add(zhuxi)
    summary_submit(summary=summary_save(activity=activity, text="It went well.", by=zhuxi), by=zhuxi)
    client = in_english(client_for(zhuxi))
    for url in (
        reverse("activities:event", args=[knockout.pk]),
        reverse("activities:event", args=[league.pk]),
        reverse("activities:sports_print", args=[activity.pk]),
        reverse("activities:event_create", args=[activity.pk]),
        reverse("activities:event_edit", args=[knockout.pk]),
        reverse("activities:competition", args=[contest.pk]),
        reverse("activities:competition_create"),
        reverse("activities:competition_edit", args=[contest.pk]),
        reverse("activities:score_sheet", args=[contest.rounds.first().pk]),
        reverse("activities:summary", args=[activity.pk]),
        reverse("activities:statistics"),
    ):
        html = client.get(url).content.decode()
        assert untranslated(html) == [], (url, untranslated(html))
    type(activity).objects.filter(pk=activity.pk).update(status=Status.CANCELLED)
    html = client.get(reverse("activities:sports", args=[activity.pk])).content.decode()
    assert 'data-testid="cancelled-note"' in html and untranslated(html) == []


def test_the_activity_page_keeps_bounded_queries(
    client_for, huiyuan, me, make_activity, member_factory, zhuxi, django_assert_max_num_queries
):
    activity = make_activity(capacity=10)
    for i in range(20):
        registration_add(activity=activity, member=member_factory(f"会员{i}"), by=zhuxi)
    registration_add(activity=activity, member=me, by=huiyuan)
    client = client_for(huiyuan)
    with django_assert_max_num_queries(14):
        html = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "候补名单第 11 位" in html


def test_officer_opens_closes_and_reopens_registration_in_order(client_for, zhuxi, make_activity):
    activity = make_activity(status=Status.DRAFT)
    client = client_for(zhuxi)
    url = reverse("activities:set_status", args=[activity.pk])
    for action, expected in [("publish", Status.OPEN), ("close", Status.CLOSED), ("reopen", Status.OPEN)]:
        client.post(url, {"action": action})
        activity.refresh_from_db()
        assert activity.status == expected, action
    response = client.post(url, {"action": "publish"}, follow=True)  # already open: not a step from here
    assert "当前状态下不能这样操作" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == Status.OPEN


def test_the_registration_period_of_an_activity_long_over_reads_as_it_was(client_for, zhuxi, make_activity):
    year = timezone.localdate().year
    closes = timezone.make_aware(datetime.datetime(year, 1, 7, 15, 0))
    activity = make_activity(
        title="Spring Festival gala",
        starts_at=closes + datetime.timedelta(days=2),
        registration_closes_at=closes,
        status=Status.HELD,
    )
    client = client_for(zhuxi)
    url = reverse("activities:detail", args=[activity.pk])
    window = re.compile(r'data-testid="registration-window">([^<]*)<')
    # Written as the activity's own time is (not 2026-01-07 beside 2026年1月9日).
    assert window.search(client.get(url).content.decode()).group(1) == f"{year}年1月7日 15:00 截止"
    html = in_english(client).get(url).content.decode()
    assert "Registration period" in html and "Registered at" not in html
    assert window.search(html).group(1) == f"until Jan. 7, {year} 15:00"

    activity.registration_opens_at = closes - datetime.timedelta(days=6)
    activity.save()
    assert window.search(client.get(url).content.decode()).group(1) == f"Jan. 1, {year} 15:00 — Jan. 7, {year} 15:00"
    activity.registration_closes_at = None
    activity.save()
    assert window.search(client.get(url).content.decode()).group(1) == f"from Jan. 1, {year} 15:00"


def test_recording_held_warns_of_registered_members_never_checked_in(client_for, zhuxi, make_activity, me, huiyuan):
    """Who took part is counted by check-ins: a chair recording it held with nobody checked in is told to
    check in those who came first, not left wondering why the statistics say nobody took part."""
    from activities.services import check_in

    activity = make_activity(starts_at=timezone.now() - datetime.timedelta(hours=1))
    registration = registration_add(activity=activity, member=me, by=huiyuan)
    page = client_for(zhuxi).get(reverse("activities:held", args=[activity.pk])).content.decode()
    assert 'data-testid="unchecked"' in page and "另有 1 位报名的会员没有签到" in page
    assert reverse("activities:registrations", args=[activity.pk]) in page
    check_in(registration=registration, by=zhuxi)
    assert (
        'data-testid="unchecked"'
        not in client_for(zhuxi).get(reverse("activities:held", args=[activity.pk])).content.decode()
    )


def test_after_it_is_held_a_members_card_no_longer_asks_for_the_check_in_code(
    client_for, zhuxi, make_activity, me, huiyuan
):
    activity = make_activity(starts_at=timezone.now() - datetime.timedelta(hours=1))
    registration_add(activity=activity, member=me, by=huiyuan)
    client_for(zhuxi).post(reverse("activities:held", args=[activity.pk]), {"participant_times": "30"})
    page = client_for(huiyuan).get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "活动已举办，没有您的签到记录。" in page
    assert "活动当天请出示签到二维码" not in page and reverse("activities:my_qr", args=[activity.pk]) not in page


def test_the_check_in_code_link_in_my_registrations_is_named_for_a_screen_reader(
    client_for, huiyuan, me, make_activity
):
    activity = make_activity(title="冬季教职工环城长跑")
    registration_add(activity=activity, member=me, by=huiyuan)
    client = client_for(huiyuan)
    qr = reverse("activities:my_qr", args=[activity.pk])
    link = re.compile(rf'<a [^>]*href="{qr}"[^>]*>(.*?)</a>', re.S)

    name = link.search(client.get(reverse("activities:mine")).content.decode()).group(1)
    assert '<i class="bi bi-qr-code" aria-hidden="true"></i>' in name  # the icon itself says nothing
    assert '<span class="visually-hidden">“冬季教职工环城长跑”的签到码</span>' in name

    name = link.search(in_english(client).get(reverse("activities:mine")).content.decode()).group(1)
    assert "Check-in code for “冬季教职工环城长跑”" in name


def test_the_badge_follows_the_registration_window_as_the_card_does(client_for, zhuxi, make_activity):
    """An open activity past its registration deadline read 报名中 in its badge beside 报名已截止 in its card."""
    closed = make_activity(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    client = client_for(zhuxi)
    detail = client.get(reverse("activities:detail", args=[closed.pk])).content.decode()
    assert 'data-testid="status">报名截止</span>' in detail
    later = make_activity(registration_opens_at=timezone.now() + datetime.timedelta(days=1))
    assert (
        'data-testid="status">即将报名</span>'
        in client.get(reverse("activities:detail", args=[later.pk])).content.decode()
    )
    listed = client.get(reverse("activities:list")).content.decode()
    assert "报名截止</span>" in listed and "即将报名</span>" in listed


def test_a_held_activity_reads_calm_and_a_closed_window_reads_as_a_warning(client_for, zhuxi, make_activity):
    """已举办 wore the theme's red, the colour the page keeps for what needs attention (overdue, errors)."""
    held = make_activity(title="春季拔河赛", status=Status.HELD, starts_at=timezone.now() - datetime.timedelta(days=3))
    closed = make_activity(title="冬季长跑", registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    draft = make_activity(title="新年联欢会", status=Status.DRAFT)
    client = client_for(zhuxi)

    badge = re.compile(r'<span class="badge ([^"]+)" data-testid="status">')
    tones = {
        activity.title: badge.search(client.get(reverse("activities:detail", args=[activity.pk])).content.decode())[1]
        for activity in (held, closed, draft)
    }
    assert tones == {"春季拔河赛": "text-bg-dark", "冬季长跑": "text-bg-warning", "新年联欢会": "text-bg-light border"}
    listed = client.get(reverse("activities:list")).content.decode()
    assert '<span class="badge text-bg-dark">已举办</span>' in listed
    assert "text-bg-primary" not in listed


def test_the_english_list_heads_its_count_registered_and_the_button_still_says_register(
    client_for, zhuxi, make_activity
):
    """One Chinese word, 报名, is both the list's count of those registered and the button that registers."""
    activity = make_activity(title="Sports day")
    client = in_english(client_for(zhuxi))
    listing = client.get(reverse("activities:list")).content.decode()
    assert '<th class="text-end">Registered</th>' in listing
    with translation.override("en"):
        assert translation.gettext("报名") == "Register"
    assert activity.title in listing


def test_the_competitions_page_is_headed_in_the_words_of_the_button_that_opens_it(client_for, zhuxi):
    client = in_english(client_for(zhuxi))
    assert "</i> Labour competitions</a>" in client.get(reverse("activities:list")).content.decode()
    page = client.get(reverse("activities:competitions")).content.decode()
    assert "<h1>Labour competitions and skills contests</h1>" in page
