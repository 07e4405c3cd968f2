"""Figures activities give other apps, and the statistics page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Status
from activities.services import check_in, registration_add
from core import figures
from rollups.refresh import refresh


@pytest.fixture
def year_of_activities(make_activity, member_factory, units, zhuxi):
    """Three held activities this year (school, g1, g2), two attendances by one of four members."""
    past = timezone.now() - datetime.timedelta(days=1)
    members = [member_factory(f"会员{i}", "g1" if i < 2 else "g2") for i in range(4)]
    school = make_activity(title="三八节庆祝", kind="celebration", starts_at=past, budget=Decimal("1000"))
    g1 = make_activity(unit=units["g1"], title="拔河比赛", starts_at=past, budget=Decimal("500"))
    g2 = make_activity(unit=units["g2"], title="读书会", kind="study", starts_at=past)
    for activity in (school, g1):
        check_in(registration=registration_add(activity=activity, member=members[0], by=zhuxi), by=zhuxi)
    from activities.models import Activity

    Activity.objects.filter(pk=school.pk).update(status=Status.HELD, participant_times=30, spend=Decimal("1200.50"))
    Activity.objects.filter(pk=g1.pk).update(status=Status.HELD, participant_times=12, spend=Decimal("300"))
    Activity.objects.filter(pk=g2.pk).update(status=Status.HELD, participant_times=8)
    make_activity(title="还没举办的")
    return {"school": school, "g1": g1, "g2": g2, "members": members}


def test_metrics_count_held_activities_and_attendance(year_of_activities, units):
    year = timezone.localdate().year
    assert figures.metric_value("activities.held", unit=units["school"], year=year) == 3
    assert figures.metric_value("activities.held", unit=units["g1"], year=year) == 1
    assert figures.metric_value("activities.participant_times", unit=units["school"], year=year) == 50
    assert figures.metric_value("activities.participation_rate", unit=units["school"], year=year) == Decimal("25.0")


def test_evidence_names_the_activity_that_fulfilled_an_item(make_activity, plan_item):
    make_activity(schedule_item=plan_item, status=Status.HELD, participant_times=40, title="趣味运动会")
    found = figures.evidence_for([plan_item.pk])
    assert "趣味运动会" in found[plan_item.pk][0].label and "40 人次" in found[plan_item.pk][0].label


def test_calendar_shows_visible_activities_in_range(year_of_activities, huiyuan, units):
    today = timezone.localdate()
    entries = figures.calendar_entries(huiyuan, units["g1"], today - datetime.timedelta(days=3), today)
    titles = {e.title for e in entries}
    assert {"三八节庆祝", "拔河比赛"} <= titles and "读书会" not in titles


def test_a_month_with_more_activities_than_drawn_shows_its_first_ones(make_activity, zhuxi, units, monkeypatch):
    from activities import figures as activity_figures

    monkeypatch.setattr(activity_figures, "CALENDAR_ACTIVITIES", 2)
    start = timezone.now() + datetime.timedelta(days=20)
    for n in (3, 1, 4, 2):
        make_activity(title=f"第{n}场", starts_at=start + datetime.timedelta(days=n), status=Status.OPEN)
    day = timezone.localdate(start)
    entries = activity_figures.activity_dates(zhuxi, units["school"], day, day + datetime.timedelta(days=10))
    assert [e.title for e in entries] == ["第1场", "第2场"]


def test_the_year_summary_section_reports_what_was_held(year_of_activities, units):
    section = next(
        s for s in figures.summary_sections(units["school"], timezone.localdate().year) if s.heading == "文体活动"
    )
    text = "".join(section.paragraphs)
    assert "举办各类活动3次，参与50人次" in text and "节日庆祝1次" in text  # no spaces in official text
    # The groups' activities are in the sum: the summary says so, beside the school's own books' figure.
    assert "实际支出1,500.50元（含下级单位举办的活动）" in text
    group = next(s for s in figures.summary_sections(units["g1"], timezone.localdate().year) if s.heading == "文体活动")
    assert "实际支出300.00元。" in "".join(group.paragraphs)


def test_the_statistics_page_rolls_up_per_group(client_for, zhuxi, year_of_activities, django_assert_max_num_queries):
    refresh()
    client = client_for(zhuxi)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("activities:statistics"))
    html = response.content.decode()
    assert 'data-testid="held">3<' in html and 'data-testid="times">50<' in html
    assert 'data-testid="rate">25.0%<' in html
    assert "¥1,500.50" in html
    assert 'id="activity-chart"' in html


def test_the_home_card_lists_open_registrations_and_missing_summaries(client_for, zhuxi, year_of_activities):
    html = client_for(zhuxi).get(reverse("workbench:home")).content.decode()
    assert "还没举办的" in html
    assert "东关完小工会小组有 1 份活动总结未报送" in html
    from core.testing import in_english

    english = in_english(client_for(zhuxi)).get(reverse("workbench:home")).content.decode()
    assert ": 1 activity summary not submitted" in english


def test_the_home_card_says_open_registrations_and_the_weeks_activities_in_words(client_for, zhuxi, make_activity):
    # Open for registration now, held in three weeks: one to register for, none this week.
    make_activity(title="秋季登山", starts_at=timezone.now() + datetime.timedelta(days=21))
    html = client_for(zhuxi).get(reverse("workbench:home")).content.decode()
    assert "正在报名的活动" in html and "1 场" in html
    assert "未来 7 天内没有活动举办" in html and "未来 7 天有 0 场" not in html
    assert "秋季登山（" in html and "举办，" in html


def test_the_home_card_counts_the_weeks_activities_only_up_to_its_cap(client_for, zhuxi, make_activity, monkeypatch):
    from activities import figures as activity_figures

    monkeypatch.setattr(activity_figures, "HELD_SOON_COUNTED", 2)
    for n in range(2):
        make_activity(title=f"周{n}", starts_at=timezone.now() + datetime.timedelta(days=n + 1))
    client = client_for(zhuxi)
    assert "未来 7 天内举办 2 场活动" in client.get(reverse("workbench:home")).content.decode()
    make_activity(title="周末", starts_at=timezone.now() + datetime.timedelta(days=5))
    assert "未来 7 天内举办 2 场以上活动" in client.get(reverse("workbench:home")).content.decode()


def test_a_member_sees_how_much_was_held_but_not_the_money(client_for, huiyuan, year_of_activities):
    response = client_for(huiyuan).get(reverse("activities:statistics"))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="held">' in html
    assert "¥" not in html and "预算" not in html


def test_the_home_card_says_more_than_three_open_rather_than_the_three_it_lists(client_for, zhuxi, make_activity):
    for n in range(5):
        make_activity(title=f"读书会第{n + 1}期", starts_at=timezone.now() + datetime.timedelta(days=21 + n))
    html = client_for(zhuxi).get(reverse("workbench:home")).content.decode()
    assert "3 场以上" in html
    assert "读书会第3期（" in html and "读书会第4期（" not in html


def test_the_first_open_activities_come_in_start_order_with_only_their_own_counts(
    make_activity, member_factory, zhuxi, django_assert_num_queries
):
    from activities.models import Activity

    later = make_activity(title="晚的", starts_at=timezone.now() + datetime.timedelta(days=30), capacity=10)
    sooner = make_activity(title="早的", starts_at=timezone.now() + datetime.timedelta(days=20), capacity=10)
    make_activity(title="最晚的", starts_at=timezone.now() + datetime.timedelta(days=40))
    for n in range(3):
        registration_add(activity=later, member=member_factory(f"报名{n}", "g1"), by=zhuxi)
    with django_assert_num_queries(2):  # the rows taken, then the counts of those rows only
        shown = Activity.objects.open_for_registration().order_by("starts_at").first_with_counts(2)
    assert [a.title for a in shown] == ["早的", "晚的"]
    assert [a.places_left(a.registered_count) for a in shown] == [10, 7]
    assert sooner.pk == shown[0].pk


def _my_card(huiyuan, rf):
    from activities.figures import my_registrations_card

    request = rf.get("/")
    request.user = huiyuan
    return my_registrations_card(request, None)


def test_a_members_home_lists_her_coming_registrations_each_a_tap_from_its_code(
    client_for, huiyuan, me, make_activity, member_factory, zhuxi, rf
):
    assert _my_card(huiyuan, rf) == []  # nothing registered: no card (the open activities have their own)
    run = make_activity(title="冬季长跑", starts_at=timezone.now() + datetime.timedelta(days=12), capacity=1)
    talk = make_activity(title="读书会", starts_at=timezone.now() + datetime.timedelta(days=3))
    gone = make_activity(title="取消的", starts_at=timezone.now() + datetime.timedelta(days=5))
    past = make_activity(title="上个月的", starts_at=timezone.now() - datetime.timedelta(days=30))
    registration_add(activity=run, member=member_factory("先报的"), by=zhuxi)  # takes the one place
    for activity in (run, talk, gone, past):
        registration_add(activity=activity, member=me, by=zhuxi)
    gone.status = Status.CANCELLED
    gone.save(update_fields=["status"])

    [card] = _my_card(huiyuan, rf)
    assert card.value == "2 场"
    assert [text for text, _url in card.todos] == [
        f"读书会（{talk.starts_at.astimezone(timezone.get_current_timezone()):%-m月%-d日}，已报名）",
        f"冬季长跑（{run.starts_at.astimezone(timezone.get_current_timezone()):%-m月%-d日}，候补）",
    ]
    assert [url for _text, url in card.todos] == [
        reverse("activities:my_qr", args=[talk.pk]),  # her check-in code
        reverse("activities:detail", args=[run.pk]),  # still waiting: the activity, with her place in line
    ]
    html = client_for(huiyuan).get(reverse("workbench:home")).content.decode()
    assert "我的报名" in html and "参加活动时出示签到码" in html


def test_the_members_card_reads_one_query_and_says_more_than_it_lists(
    huiyuan, me, make_activity, zhuxi, rf, django_assert_num_queries
):
    for n in range(5):
        activity = make_activity(title=f"第{n}期", starts_at=timezone.now() + datetime.timedelta(days=n + 1))
        registration_add(activity=activity, member=me, by=zhuxi)
    with django_assert_num_queries(1):
        [card] = _my_card(huiyuan, rf)
    assert card.value == "3 场以上" and len(card.todos) == 3
