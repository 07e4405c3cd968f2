import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core import calendar, figures
from core.testing import in_english, untranslated
from orgs.models import OrgUnit, RoleAssignment, UnitKind
from orgs.roles import Role
from plans.calendar_views import feed_token
from plans.models import ItemStatus, Plan, PlanStatus, ScheduleItem


@pytest.fixture(autouse=True)
def fresh_calendar(db):
    calendar.forget()
    yield
    calendar.forget()


@pytest.fixture
def plan(units):
    plan = Plan.objects.create(
        unit=units["school"], year=2027, title="城关镇中心学校工会2027年工作计划", status=PlanStatus.PUBLISHED
    )
    add = ScheduleItem.objects.create
    add(plan=plan, unit=units["school"], month=3, date=datetime.date(2027, 3, 8), text="三八妇女节庆祝活动")
    add(plan=plan, unit=units["g1"], month=3, text="东关完小读书分享会")
    add(plan=plan, unit=units["g2"], month=3, text="西街完小拔河比赛")
    add(plan=plan, unit=units["school"], month=2, text="推迟的委员会会议", status=ItemStatus.POSTPONED, postponed_to=3)
    add(plan=plan, unit=units["school"], month=9, date=datetime.date(2027, 9, 10), text="庆祝教师节")
    add(plan=plan, unit=units["school"], month=0, text="每周开箱意见箱")
    other = Plan.objects.create(unit=units["office"], year=2027, title="机关工会计划", status=PlanStatus.PUBLISHED)
    add(plan=other, unit=units["office"], month=3, date=datetime.date(2027, 3, 12), text="机关植树活动")
    return plan


def main_part(html):
    """The page's own content, without the navigation other apps contribute to."""
    return html[html.index("<main") : html.index("</main>")]


def month_page(client, year=2027, month=3):
    return client.get(reverse("plans:calendar_month", args=[year, month]))


def test_month_shows_dated_items_on_their_day_and_the_months_other_items(client_for, zhuxi, plan):
    html = month_page(client_for(zhuxi)).content.decode()
    assert "三八妇女节庆祝活动" in html
    assert "东关完小读书分享会" in html and "西街完小拔河比赛" in html
    assert "推迟的委员会会议" in html  # postponed into March
    assert "机关植树活动" not in html  # a sibling union's plan
    assert "庆祝教师节" not in html


def test_month_marks_festivals_and_provisional_holidays(client_for, zhuxi, plan):
    html = month_page(client_for(zhuxi), 2027, 2).content.decode()
    assert "春节" in html and "暂定" in html
    assert 'data-testid="provisional-note"' in html
    assert "元宵节" in html


def test_month_of_a_published_year_shows_swapped_workdays_without_provisional_note(client_for, zhuxi, plan):
    html = month_page(client_for(zhuxi), 2026, 2).content.decode()
    assert "春节调休" in html
    assert 'data-testid="provisional-note"' not in html


def test_group_leader_sees_only_the_items_of_the_group(client_for, xiaozu, plan):
    client = client_for(xiaozu)
    html = month_page(client).content.decode()
    assert "东关完小读书分享会" in html
    assert "西街完小拔河比赛" not in html
    assert "三八妇女节庆祝活动" not in html


def test_calendar_entries_of_other_apps_show_on_their_day(client_for, zhuxi, plan, monkeypatch):
    def source(user, unit, start, end):
        return [figures.CalendarEntry(datetime.date(2027, 3, 20), "春季趣味运动会", "/activities/1/", "activities")]

    monkeypatch.setattr(figures, "_calendar_sources", [source])
    assert "春季趣味运动会" in month_page(client_for(zhuxi)).content.decode()


def test_member_without_plan_access_gets_404(client_for, huiyuan, plan):
    assert client_for(huiyuan).get(reverse("plans:calendar")).status_code == 404


def test_years_outside_the_calendar_are_404(client_for, zhuxi):
    assert client_for(zhuxi).get(reverse("plans:calendar_month", args=[2098, 12])).status_code == 200
    assert client_for(zhuxi).get(reverse("plans:calendar_month", args=[2000, 1])).status_code == 200
    assert client_for(zhuxi).get(reverse("plans:calendar_year", args=[2099])).status_code == 404
    assert client_for(zhuxi).get(reverse("plans:calendar_month", args=[2100, 1])).status_code == 404
    assert client_for(zhuxi).get(reverse("plans:calendar_month", args=[2027, 13])).status_code == 404


def test_month_queries_stay_bounded(client_for, zhuxi, plan, units, django_assert_max_num_queries):
    for day in range(1, 29):
        ScheduleItem.objects.create(
            plan=plan, unit=units["g1"], month=3, date=datetime.date(2027, 3, day), text=f"事项{day}"
        )
        ScheduleItem.objects.create(plan=plan, unit=units["g2"], month=3, text=f"无日期事项{day}")
    client = client_for(zhuxi)
    month_page(client)  # the holiday year is computed once per process
    # Six for the page itself, and one per app that adds dated records (activities, congress sessions,
    # notices and ballots, care campaigns, assessment rounds): however many items the month holds.
    with django_assert_max_num_queries(14):
        assert month_page(client).status_code == 200


def test_year_view_counts_items_per_month_and_lists_holidays(client_for, zhuxi, plan, django_assert_max_num_queries):
    client = client_for(zhuxi)
    client.get(reverse("plans:calendar_year", args=[2027]))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("plans:calendar_year", args=[2027]))
    html = response.content.decode()
    assert 'data-testid="month-count-3">4 项' in html
    assert 'data-testid="month-count-9">1 项' in html
    assert "2月5日–2月8日" in html  # 春节, provisional
    assert "9月15日" in html  # 中秋节


def test_calendar_pages_in_english_are_translated(client_for, units):
    from conftest import make_person

    root = OrgUnit.objects.add_root({"code": "en-union", "name": "Riverside Union", "kind": UnitKind.UNION})
    user = make_person("chair-en", "Wang", root, Role.CHAIR)
    client = in_english(client_for(user))
    for url in (
        reverse("plans:calendar_month", args=[2026, 2]),
        reverse("plans:calendar_year", args=[2026]),
        reverse("plans:calendar_subscribe"),
    ):
        assert untranslated(main_part(client.get(url).content.decode())) == [], url


def _draft_with_items(units, year):
    """Next year's plan still being written: its items are not yet anyone's work."""
    draft = Plan.objects.create(unit=units["g1"], year=year, title="东关完小草稿计划")
    add = ScheduleItem.objects.create
    add(plan=draft, unit=units["g1"], month=3, date=datetime.date(year, 3, 20), text="草稿里的读书会")
    add(plan=draft, unit=units["g1"], month=3, text="草稿里的拔河赛")
    return draft


def test_items_of_a_draft_plan_stay_off_the_month_and_year(client_for, zhuxi, xianzong, plan, units):
    _draft_with_items(units, 2027)
    for person in (zhuxi, xianzong):
        html = month_page(client_for(person)).content.decode()
        assert "三八妇女节庆祝活动" in html
        assert "草稿里的读书会" not in html and "草稿里的拔河赛" not in html
    year = client_for(zhuxi).get(reverse("plans:calendar_year", args=[2027]))
    march = next(m for m in year.context["months"] if m["month"] == 3)
    assert march["count"] == 4  # the published plan's three March items and the one postponed into March


# --- Feed ---------------------------------------------------------------------------------------


def test_feed_is_parsed_back_with_events_for_dated_and_month_items(client, zhuxi, units):
    year = timezone.localdate().year  # the feed covers last year to next year
    plan = Plan.objects.create(unit=units["school"], year=year, title="本年计划", status=PlanStatus.PUBLISHED)
    add = ScheduleItem.objects.create
    add(plan=plan, unit=units["school"], month=3, date=datetime.date(year, 3, 8), text="三八妇女节庆祝活动")
    add(plan=plan, unit=units["g1"], month=5, text="东关完小读书分享会")
    add(plan=plan, unit=units["school"], month=0, text="每周开箱意见箱")
    add(plan=plan, unit=units["school"], month=6, text="取消的活动", status=ItemStatus.CANCELLED)
    other = Plan.objects.create(unit=units["office"], year=year, title="机关工会计划", status=PlanStatus.PUBLISHED)
    add(plan=other, unit=units["office"], month=3, date=datetime.date(year, 3, 12), text="机关植树活动")

    response = client.get(reverse("plans:calendar_feed", args=[feed_token(zhuxi, units["school"])]))
    assert response["Content-Type"].startswith("text/calendar")
    feed = Calendar.from_ical(response.content)
    assert str(feed["x-wr-calname"]) == "城关中心校工作日历"
    events = {str(e["summary"]): e for e in feed.walk("VEVENT")}
    assert set(events) == {"三八妇女节庆祝活动", "【本月】东关完小读书分享会"}
    assert events["三八妇女节庆祝活动"].decoded("dtstart") == datetime.date(year, 3, 8)
    first_workday = calendar.add_workdays(datetime.date(year, 4, 30), 1)
    assert events["【本月】东关完小读书分享会"].decoded("dtstart") == first_workday
    assert calendar.is_workday(first_workday) and first_workday.month == 5


def test_feed_follows_the_subscribers_access(client, zhuxi, units):
    url = reverse("plans:calendar_feed", args=[feed_token(zhuxi, units["school"])])
    assert client.get(url).status_code == 200
    RoleAssignment.objects.filter(user=zhuxi).delete()
    assert client.get(url).status_code == 404


def test_feed_of_a_deactivated_account_is_404(client, zhuxi, units):
    url = reverse("plans:calendar_feed", args=[feed_token(zhuxi, units["school"])])
    zhuxi.is_active = False
    zhuxi.save()
    assert client.get(url).status_code == 404


def test_changing_the_password_retires_the_old_address(client, zhuxi, units):
    old = reverse("plans:calendar_feed", args=[feed_token(zhuxi, units["school"])])
    zhuxi.set_password("a-new-password-2027")
    zhuxi.save()
    assert client.get(old).status_code == 404
    new = reverse("plans:calendar_feed", args=[feed_token(zhuxi, units["school"])])
    assert new != old and client.get(new).status_code == 200


def test_feed_with_a_forged_token_is_404(client, zhuxi, units):
    token = feed_token(zhuxi, units["school"])
    forged = token.replace(token.split(":")[0], feed_token(zhuxi, units["county"]).split(":")[0])
    assert client.get(reverse("plans:calendar_feed", args=[forged])).status_code == 404
    assert client.get(reverse("plans:calendar_feed", args=["nonsense"])).status_code == 404


def test_subscribe_page_shows_the_private_address(client_for, zhuxi, units):
    html = client_for(zhuxi).get(reverse("plans:calendar_subscribe")).content.decode()
    assert feed_token(zhuxi, units["school"]) in html
    assert "webcal://" in html


def test_month_list_pages_through_every_other_item_a_plans_items_together(client_for, zhuxi, plan, units, settings):
    """The month's list, page by page (by keyset): every item due that is not drawn on a day, the
    postponed ones among their plan's items in the plan's order, none twice."""
    settings.PAGE_SIZE = 4
    other = Plan.objects.create(unit=units["g1"], year=2027, title="东关完小分会计划", status=PlanStatus.PUBLISHED)
    for n in range(5):
        ScheduleItem.objects.create(plan=other, unit=units["g1"], month=3, text=f"分会事项{n}", order=2 * n)
    ScheduleItem.objects.create(
        plan=other, unit=units["g1"], month=1, text="分会推迟事项", order=3, status=ItemStatus.POSTPONED, postponed_to=3
    )
    ScheduleItem.objects.create(plan=other, unit=units["g1"], month=4, text="四月事项", order=9)
    client = client_for(zhuxi)
    shown, url = [], reverse("plans:calendar_month", args=[2027, 3])
    while url:
        response = client.get(url)
        page = response.context["page"]
        shown += [item.text for item in page]
        url = f"{reverse('plans:calendar_month', args=[2027, 3])}?after={page.next_cursor}" if page.has_next else ""
    school_plan = ["东关完小读书分享会", "西街完小拔河比赛", "推迟的委员会会议"]
    branch_plan = ["分会事项0", "分会事项1", "分会推迟事项", "分会事项2", "分会事项3", "分会事项4"]
    assert shown == school_plan + branch_plan  # 三八妇女节 is drawn on its day; 四月事项 is April's


def test_month_with_more_dated_items_than_drawn_points_to_the_items_list(client_for, zhuxi, plan, units, monkeypatch):
    from plans import calendar_views

    monkeypatch.setattr(calendar_views, "DATED_SHOWN", 1)
    html = month_page(client_for(zhuxi)).content.decode()
    assert 'data-testid="dated-truncated"' in html
    assert f"{reverse('plans:assigned')}?year=2027&amp;month=3" in html


def test_a_busy_day_shows_its_first_three_things_and_how_many_more(client_for, zhuxi, plan, units):
    for n in range(4):
        ScheduleItem.objects.create(
            plan=plan, unit=units["g1"], month=3, date=datetime.date(2027, 3, 8), text=f"妇女节分会活动{n}"
        )
    html = month_page(client_for(zhuxi)).content.decode()
    agenda = html[html.index('data-testid="agenda"') :]
    agenda = agenda[: agenda.index("</ul>")]
    assert agenda.count("妇女节分会活动") + agenda.count("三八妇女节庆祝活动") == 3
    assert "还有 2 项" in agenda


def test_feed_leaves_out_the_items_of_a_draft_plan(client, zhuxi, units):
    year = timezone.localdate().year
    published = Plan.objects.create(unit=units["school"], year=year, title="本年计划", status=PlanStatus.PUBLISHED)
    ScheduleItem.objects.create(
        plan=published, unit=units["school"], month=3, date=datetime.date(year, 3, 8), text="三八妇女节庆祝活动"
    )
    _draft_with_items(units, year + 1)
    response = client.get(reverse("plans:calendar_feed", args=[feed_token(zhuxi, units["school"])]))
    summaries = {str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert "三八妇女节庆祝活动" in summaries
    assert not {"草稿里的读书会", "【本月】草稿里的拔河赛"} & summaries
