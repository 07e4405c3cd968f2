"""On a 390 px phone the sports pages stay as wide as the screen: a round robin's standings table (eight
columns of five teams, 443 px in English) scrolls inside its card, and the printable draw and results fit
the phone as they fit A4."""

import datetime
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import sports
from activities.models import EventFormat, EventKind, SportsEvent
from conftest import log_in, screenshot
from orgs.models import OrgUnit, UnitKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def tug_of_war(make_activity, units):
    """The demo's 拔河: five groups' teams, round robin, every match played."""
    meeting = make_activity(title="春季教职工趣味运动会", place="中心小学操场")
    groups = [units["g1"], units["g2"]]
    for code, name in (("g3", "南湖完小工会小组"), ("g4", "北关完小工会小组"), ("g5", "城关中心幼儿园工会小组")):
        groups.append(
            OrgUnit.objects.add_child(
                units["school"], {"code": f"demo-school-{code}", "name": name, "kind": UnitKind.GROUP}
            )
        )
    event = SportsEvent.objects.create(
        activity=meeting,
        name="拔河",
        kind=EventKind.TEAM,
        format=EventFormat.ROUND_ROBIN,
        win_points=2,
        loss_points=1,
    )
    for group in groups:
        sports.entry_add(event=event, unit=group, name=f"{group.display_name}队")
    rng = random.Random(2026)
    sports.draw_make(event=event, rng=rng)
    for match in event.matches.order_by("round", "position"):
        if match.home_id and match.away_id:
            won = rng.random() < 0.5
            sports.match_record(match=match, home_score=2 if won else 1, away_score=1 if won else 2)
    return event


def test_a_round_robins_standings_and_the_printable_sheet_fit_a_phone_in_english(phone, live_server, zhuxi, tug_of_war):
    phone.context.add_cookies([{"name": "gonghui_language", "value": "en", "url": live_server.url}])
    log_in(phone, "zhuxi")
    phone.goto(reverse("activities:event", args=[tug_of_war.pk]))
    table = phone.get_by_test_id("league-table")
    table.wait_for()
    assert phone.evaluate(PAGE_WIDTH) <= 390
    # The table keeps its columns and scrolls within its card.
    assert table.evaluate("t => t.closest('.table-responsive') !== null")
    assert "{#" not in phone.content()  # a template comment that spilled onto the page
    screenshot(phone, "activities-phone-round-robin")

    phone.goto(reverse("activities:sports_print", args=[tug_of_war.activity_id]))
    phone.get_by_test_id("league-table").wait_for()
    assert phone.evaluate(PAGE_WIDTH) <= 390
    screenshot(phone, "activities-phone-sports-print")

    # Printed, the sheet is A4 (190 mm wide between the margins): every table on the page, none cut.
    phone.emulate_media(media="print")
    phone.set_viewport_size({"width": 718, "height": 1016})
    widths = phone.evaluate(
        "() => [...document.querySelectorAll('.print-sheet table')].map(t => [t.scrollWidth, t.clientWidth])"
    )
    assert widths and all(scroll <= client + 1 for scroll, client in widths), widths
    assert phone.evaluate(PAGE_WIDTH) <= 718
    phone.emulate_media(media="screen")


def test_the_plan_item_dropdown_groups_items_by_year_on_a_phone(phone, zhuxi, units):
    from django.utils import timezone

    from plans.models import Plan, PlanStatus, ScheduleItem

    year = timezone.localdate().year
    for offset, text in ((0, "举办教职工冬季趣味运动会"), (1, "举办“迎新年”教职工联欢会和冬季长跑")):
        plan = Plan.objects.create(
            unit=units["school"], year=year + offset, title="工会工作计划", status=PlanStatus.PUBLISHED
        )
        ScheduleItem.objects.create(plan=plan, unit=units["school"], month=12, text=text, category="culture")
    log_in(phone, "zhuxi")
    phone.goto(reverse("activities:create"))
    groups = phone.locator("#id_schedule_item optgroup").evaluate_all("gs => gs.map(g => g.label)")
    assert groups == [f"{year}年计划", f"{year + 1}年计划"]
    assert phone.evaluate(PAGE_WIDTH) <= 390

    # Typed into next year, the item of this year's plan is refused beside the field.
    phone.fill("#id_title", "迎新年联欢会")
    phone.fill("#id_starts_at", f"{year + 1}-01-02T18:00")
    phone.select_option("#id_schedule_item", label=f"{year}·12月·举办教职工冬季趣味运动会")
    phone.get_by_role("button", name="保存草稿").click()
    error = phone.locator("#id_schedule_item_error")
    error.wait_for()
    assert f"这是{year}年工作计划的事项" in error.inner_text()
    assert phone.locator("#id_starts_at").input_value() == f"{year + 1}-01-02T18:00"
    screenshot(phone, "activities-phone-plan-item-refused")


def test_on_a_phone_in_english_an_activitys_labels_of_two_lines_keep_apart(phone, live_server, zhuxi, make_activity):
    """Who may join and Registration period take two lines at 390 px: each label keeps the gap its value
    has below it, so that Registration period and Organiser are not read as one label."""
    now = timezone.now()
    meeting = make_activity(
        title="端午包粽子活动",
        organiser="工会主席",
        registration_closes_at=now + datetime.timedelta(days=5),
    )
    phone.context.add_cookies([{"name": "gonghui_language", "value": "en", "url": live_server.url}])
    log_in(phone, "zhuxi")
    phone.goto(reverse("activities:detail", args=[meeting.pk]))
    for upper, lower in (("Who may join", "Registration period"), ("Registration period", "Organiser")):
        above = phone.locator("dt", has_text=upper).bounding_box()
        below = phone.locator("dt", has_text=lower).bounding_box()
        assert above["height"] > 30  # two lines at this width
        assert below["y"] - (above["y"] + above["height"]) >= 6, (upper, above, below)
    screenshot(phone, "activities-phone-detail-english")


def test_a_races_places_fit_a_phone_in_english_with_each_time_on_one_line(
    phone, live_server, zhuxi, make_activity, member_factory, units
):
    """The 1500 m's places: 5 min 18.95 s wrapped over three lines beside a unit column of three characters
    a line, then the unit points ran off the card; the unit now sits under the name on a phone."""
    event = SportsEvent.objects.create(
        activity=make_activity(title="春季教职工趣味运动会"),
        name="1500米跑（男子）",
        format=EventFormat.RANKED,
        lower_is_better=True,
        result_unit="秒",
    )
    results = {}
    for n, seconds in enumerate(("318.95", "322.19", "360.87", "382.00")):
        entry = sports.entry_add(event=event, unit=None, member=member_factory(f"选手{n}", "g1" if n % 2 else "g2"))
        results[entry.pk] = seconds
    sports.results_record(event=event, results=results)
    phone.context.add_cookies([{"name": "gonghui_language", "value": "en", "url": live_server.url}])
    log_in(phone, "zhuxi")
    phone.goto(reverse("activities:event", args=[event.pk]))
    table = phone.get_by_test_id("final-places")
    table.wait_for()
    # Every column in view (the table's borders may stick out by a pixel or two).
    assert table.evaluate("t => ((box) => box.scrollWidth <= box.clientWidth + 4)(t.closest('.table-responsive'))")
    # The lines each time takes: the rectangles of its text.
    lines = table.evaluate(
        """t => [...t.querySelectorAll('tbody tr')].map(r => {
            const range = document.createRange();
            range.selectNodeContents(r.cells[3]);
            return [r.cells[3].innerText, range.getClientRects().length];
        })"""
    )
    assert all(count == 1 for _text, count in lines), lines
    assert lines[0][0] == "5 min 18.95 s"
    screenshot(phone, "activities-phone-race-places")
