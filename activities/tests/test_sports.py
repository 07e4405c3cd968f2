"""Sports competitions: entries within quotas, the draw, results, places and the unit ranking."""

import dataclasses
import random
from decimal import Decimal

import pytest
from django.urls import reverse

from activities import sports, standings
from activities.models import Entry, EventFormat, EventKind, Match, SportsEvent, Status
from activities.services import ActivityError
from core.testing import second_while_first_open


@pytest.fixture
def meeting(make_activity):
    return make_activity(title="春季趣味运动会")


def _event(meeting, **fields):
    values = {
        "activity": meeting,
        "name": "乒乓球男子单打",
        "kind": EventKind.INDIVIDUAL,
        "format": EventFormat.KNOCKOUT,
    }
    values.update(fields)
    return SportsEvent.objects.create(**values)


def test_the_quota_per_unit_is_enforced_with_a_clear_message(meeting, member_factory):
    event = _event(meeting, quota_per_unit=2)
    for name in ("甲", "乙"):
        sports.entry_add(event=event, unit=None, member=member_factory(name, "g1"))
    with pytest.raises(ActivityError, match="已达每单位限报数"):
        sports.entry_add(event=event, unit=None, member=member_factory("丙", "g1"))
    assert sports.entry_add(event=event, unit=None, member=member_factory("丁", "g2")).unit.code == "demo-school-g2"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_entering_at_once_queue_up_within_the_quota(meeting, member_factory):
    event = _event(meeting, quota_per_unit=1)
    first, second = member_factory("甲", "g1"), member_factory("乙", "g1")
    with pytest.raises(ActivityError, match="已达每单位限报数"):
        second_while_first_open(
            lambda: sports.entry_add(event=event, unit=None, member=first),
            lambda: sports.entry_add(event=event, unit=None, member=second),
        )
    assert list(event.entries.values_list("member", flat=True)) == [first.pk]


def test_a_knockout_of_five_gives_byes_to_the_top_seeds_and_plays_to_a_champion(meeting, member_factory):
    event = _event(meeting)
    players = [member_factory(f"选手{i}", "g1" if i % 2 else "g2") for i in range(1, 6)]
    for seed, player in enumerate(players, start=1):
        sports.entry_add(event=event, unit=None, member=player, seed=seed if seed <= 2 else None)
    sports.draw_make(event=event, rng=random.Random(4))
    first = list(event.matches.filter(round=1))
    assert len(first) == 4 and sum(m.is_bye for m in first) == 3
    seeds_with_bye = {m.home.seed for m in first if m.is_bye}
    assert {1, 2} <= seeds_with_bye
    while True:
        playable = [
            m for m in event.matches.order_by("round", "position") if m.home_id and m.away_id and not m.is_played
        ]
        if not playable:
            break
        sports.match_record(match=playable[0], home_score=3, away_score=1)
    places = dict(event.entries.values_list("member__name", "place"))
    assert sorted(places.values()) == [1, 2, 3, 3, 5]
    assert Entry.objects.get(event=event, place=1).points == Decimal("9.00")


def test_a_knockout_match_cannot_end_level(meeting, member_factory):
    event = _event(meeting)
    for name in ("甲", "乙"):
        sports.entry_add(event=event, unit=None, member=member_factory(name))
    sports.draw_make(event=event)
    with pytest.raises(ActivityError, match="必须分出胜负"):
        sports.match_record(match=event.matches.get(), home_score=2, away_score=2)


def test_a_round_robin_table_states_places_once_all_matches_are_played(meeting, units):
    event = _event(meeting, name="拔河", kind=EventKind.TEAM, format=EventFormat.ROUND_ROBIN)
    for code in ("g1", "g2", "school"):
        sports.entry_add(event=event, unit=units[code], name=f"{code}队")
    sports.draw_make(event=event)
    matches = list(event.matches.all())
    assert len(matches) == 3
    for match in matches[:-1]:
        sports.match_record(match=match, home_score=2, away_score=0)
    assert not event.entries.filter(place__isnull=False).exists()
    sports.match_record(match=matches[-1], home_score=2, away_score=1)
    assert sorted(event.entries.values_list("place", flat=True)) in ([1, 2, 3], [1, 1, 1])


def test_a_league_table_row_carries_the_entry_it_is_about(client_for, zhuxi, meeting, units):
    event = _event(meeting, name="拔河", kind=EventKind.TEAM, format=EventFormat.ROUND_ROBIN)
    entries = {e.pk: e for e in (sports.entry_add(event=event, unit=units[c], name=f"{c}队") for c in ("g1", "g2"))}
    sports.draw_make(event=event)
    match = event.matches.get()
    sports.match_record(match=match, home_score=2, away_score=0)
    rows = sports.league_rows(event)
    assert [row.entry for row in rows] == [entries[match.home_id], entries[match.away_id]]
    # The entry is part of the row (a field of standings.Row), so a copy of the row keeps it too.
    assert "entry" in {f.name for f in dataclasses.fields(standings.Row)}
    assert [dataclasses.replace(row).entry for row in rows] == [row.entry for row in rows]
    page = client_for(zhuxi).get(reverse("activities:event", args=[event.pk])).content.decode()
    table = page.split('data-testid="league-table"')[1].split("</table>")[0]
    assert "g1队" in table and "g2队" in table


def test_ranked_results_give_places_and_unit_points(meeting, member_factory):
    event = _event(meeting, name="跳绳一分钟", format=EventFormat.RANKED, result_unit="个")
    a, b, c = (
        sports.entry_add(event=event, unit=None, member=member_factory(name, unit))
        for name, unit in (("甲", "g1"), ("乙", "g2"), ("丙", "g2"))
    )
    sports.results_record(event=event, results={a.pk: Decimal(150), b.pk: Decimal(180), c.pk: Decimal(150)})
    ranking = sports.unit_ranking(event.activity)
    assert [(row["name"], row["total"]) for row in ranking] == [
        ("西街完小工会小组", Decimal("15.50")),
        ("东关完小工会小组", Decimal("6.50")),
    ]


def test_points_of_a_three_way_tie_add_up_to_hundredths_in_the_unit_ranking(meeting, member_factory):
    """(9 + 7 + 6) / 3 = 7.33 each: summed with a unit's other points, the total is written in hundredths
    (SQLite summed them to 25.8300000000000 on the page)."""
    first = _event(meeting, name="跳绳一分钟", format=EventFormat.RANKED, result_unit="个")
    tied = [sports.entry_add(event=first, unit=None, member=member_factory(f"甲{n}", "g1")) for n in range(3)]
    sports.results_record(event=first, results={e.pk: Decimal(150) for e in tied})
    second = _event(meeting, name="踢毽子", format=EventFormat.RANKED, result_unit="个")
    two = [
        sports.entry_add(event=second, unit=None, member=member_factory(f"乙{n}", f"g{u}")) for n, u in enumerate("12")
    ]
    sports.results_record(event=second, results={two[0].pk: Decimal(20), two[1].pk: Decimal(10)})
    [top, other] = sports.unit_ranking(meeting)
    assert (top["name"], str(top["total"]), str(other["total"])) == ("东关完小工会小组", "30.99", "7.00")


def test_a_redraw_is_refused_once_results_exist(meeting, member_factory):
    event = _event(meeting)
    for name in ("甲", "乙"):
        sports.entry_add(event=event, unit=None, member=member_factory(name))
    sports.draw_make(event=event)
    sports.match_record(match=event.matches.get(), home_score=3, away_score=0)
    with pytest.raises(ActivityError, match="不能重新抽签"):
        sports.draw_make(event=event)


def test_officer_enters_a_score_on_the_event_page(client_for, zhuxi, meeting, member_factory):
    event = _event(meeting)
    for name in ("甲", "乙", "丙"):
        sports.entry_add(event=event, unit=None, member=member_factory(name))
    client = client_for(zhuxi)
    client.post(reverse("activities:draw", args=[event.pk]))
    match = Match.objects.get(event=event, round=1, is_bye=False)
    response = client.post(
        reverse("activities:match_result", args=[match.pk]), {"home_score": 3, "away_score": 2}, follow=True
    )
    assert "比分已保存" in response.content.decode()
    final = Match.objects.get(event=event, round=2)
    assert match.home_id in (final.home_id, final.away_id)


@pytest.mark.parametrize(
    "home, away, said", [("-1", "3", "比分请填写 0 到 999 之间的整数。"), ("2", "2", "淘汰赛必须分出胜负")]
)
def test_a_refused_score_stays_in_its_boxes(client_for, zhuxi, meeting, member_factory, home, away, said):
    event = _event(meeting)
    for name in ("甲", "乙"):
        sports.entry_add(event=event, unit=None, member=member_factory(name))
    sports.draw_make(event=event)
    match = event.matches.get()
    response = client_for(zhuxi).post(
        reverse("activities:match_result", args=[match.pk]), {"home_score": home, "away_score": away}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert said in page
    row = page.split(f'id="match-{match.pk}"')[1].split("</tr>")[0]
    assert f'name="home_score" value="{home}"' in row and f'name="away_score" value="{away}"' in row
    assert row.count('aria-invalid="true"') == 2
    match.refresh_from_db()
    assert match.home_score is None and match.away_score is None


@pytest.mark.parametrize(
    "typed, said",
    [
        ("十二分", "王五的成绩“十二分”不是数字"),
        ("NaN", "王五的成绩“NaN”不是数字"),
        ("Infinity", "王五的成绩“Infinity”不是数字"),
        ("-3", "王五的成绩不能为负数"),
        ("1e999", "王五的成绩“1e999”："),
        ("12.345", "王五的成绩“12.345”："),
    ],
)
def test_a_bad_result_names_the_athlete_and_nothing_is_saved(client_for, zhuxi, meeting, member_factory, typed, said):
    event = _event(meeting, name="越野跑", format=EventFormat.RANKED, lower_is_better=True)
    entry = sports.entry_add(event=event, unit=None, member=member_factory("王五"))
    other = sports.entry_add(event=event, unit=None, member=member_factory("赵六"))
    response = client_for(zhuxi).post(
        reverse("activities:results", args=[event.pk]),
        {f"result-{entry.pk}": typed, f"result-{other.pk}": "12.5"},
        follow=True,
    )
    page = response.content.decode()
    assert said in page
    assert not event.entries.filter(result__isnull=False).exists()
    # Every result typed comes back as typed, the bad one marked: one bad cell costs no other.
    assert f'name="result-{other.pk}" value="12.5"' in page
    bad = page.split(f'name="result-{entry.pk}"')[0].rsplit("<input", 1)[1]
    assert "is-invalid" in bad and 'aria-invalid="true"' in bad


def test_printable_draw_and_event_page_keep_bounded_queries(
    client_for, zhuxi, meeting, member_factory, django_assert_max_num_queries
):
    for n in range(3):
        event = _event(meeting, name=f"项目{n}")
        for i in range(12):
            sports.entry_add(event=event, unit=None, member=member_factory(f"选手{n}-{i}", "g1" if i % 2 else "g2"))
        sports.draw_make(event=event)
    client = client_for(zhuxi)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("activities:sports_print", args=[meeting.pk]))
    assert response.status_code == 200 and "@page" not in response.content.decode()
    with django_assert_max_num_queries(14):
        assert client.get(reverse("activities:event", args=[event.pk])).status_code == 200


def test_a_member_cannot_enter_results(client_for, huiyuan, me, meeting, member_factory):
    event = _event(meeting)
    for name in ("甲", "乙"):
        sports.entry_add(event=event, unit=None, member=member_factory(name))
    sports.draw_make(event=event)
    match = event.matches.get()
    response = client_for(huiyuan).post(
        reverse("activities:match_result", args=[match.pk]), {"home_score": 1, "away_score": 0}
    )
    assert response.status_code == 404


def test_the_chair_enters_an_athlete_with_a_seed_and_a_seed_or_athlete_nobody_could_pick_is_refused(
    client_for, zhuxi, meeting, member_factory
):
    event = _event(meeting)
    player = member_factory("张三")
    url = reverse("activities:entry_add", args=[event.pk])
    client = client_for(zhuxi)
    for member, seed, said in [
        (player.pk, "99999999", "种子序号："),
        (player.pk, "NaN", "种子序号："),
        ("²", "", "运动员："),
        ("99999999999999999999999", "", "运动员："),
    ]:
        page = client.post(url, {"member": member, "seed": seed}, follow=True).content.decode()
        assert said in page
    assert not event.entries.exists()
    client.post(url, {"member": player.pk, "seed": "1"})
    assert event.entries.get().seed == 1


def _event_data(event, **changes):
    data = {
        "name": event.name,
        "kind": event.kind,
        "format": event.format,
        "result_unit": event.result_unit,
        "quota_per_unit": "",
        "win_points": "2",
        "draw_points": "1",
        "loss_points": "1",
        "counts_for_units": "on",
    }
    return {**data, **changes}


def test_the_chair_corrects_an_event_until_its_results_are_in(client_for, zhuxi, meeting, member_factory):
    event = _event(meeting, name="乒乓球男单", format=EventFormat.RANKED)
    sports.entry_add(event=event, unit=None, member=member_factory("甲"))
    url = reverse("activities:event_edit", args=[event.pk])
    client = client_for(zhuxi)

    kept = client.post(url, _event_data(event, name="乒乓球男子单打", format=EventFormat.KNOCKOUT))
    assert kept.status_code == 200 and "个人或团体、赛制不能再改" in kept.content.decode()
    assert 'value="乒乓球男子单打"' in kept.content.decode()

    assert client.post(url, _event_data(event, name="乒乓球男子单打", quota_per_unit="3")).status_code == 302
    event.refresh_from_db()
    assert (event.name, event.quota_per_unit, event.format) == ("乒乓球男子单打", 3, EventFormat.RANKED)

    sports.results_record(event=event, results={event.entries.get().pk: Decimal(1)})
    with pytest.raises(ActivityError, match="已有比赛成绩"):
        sports.event_update(event=event, fields=["name"])


def test_an_event_nobody_entered_is_deleted_after_asking(client_for, zhuxi, meeting, member_factory):
    empty, entered = _event(meeting, name="拔河"), _event(meeting, name="跳绳")
    sports.entry_add(event=entered, unit=None, member=member_factory("甲"))
    page = client_for(zhuxi).get(reverse("activities:event", args=[empty.pk])).content.decode()
    assert "确定删除项目“拔河”吗？" in page

    assert client_for(zhuxi).post(reverse("activities:event_delete", args=[empty.pk])).status_code == 302
    refused = client_for(zhuxi).post(reverse("activities:event_delete", args=[entered.pk]), follow=True)

    assert "已有报名的项目不能删除" in refused.content.decode()
    assert list(SportsEvent.objects.values_list("name", flat=True)) == ["跳绳"]


def test_a_member_neither_edits_nor_deletes_an_event(client_for, huiyuan, meeting):
    event = _event(meeting, name="拔河")
    client = client_for(huiyuan)
    assert (
        client.post(reverse("activities:event_edit", args=[event.pk]), _event_data(event, name="x")).status_code == 404
    )
    assert client.post(reverse("activities:event_delete", args=[event.pk])).status_code == 404
    assert SportsEvent.objects.get().name == "拔河"


def test_a_cancelled_meeting_keeps_its_events_entries_and_results_as_they_were(
    client_for, zhuxi, meeting, member_factory
):
    knockout = _event(meeting)
    ranked = _event(meeting, name="跳绳", format=EventFormat.RANKED)
    for name in ("甲", "乙"):
        sports.entry_add(event=knockout, unit=None, member=member_factory(name))
    sports.draw_make(event=knockout, rng=random.Random(1))
    athlete = sports.entry_add(event=ranked, unit=None, member=member_factory("丙"))
    meeting.status = Status.CANCELLED
    meeting.save(update_fields=["status"])
    match = knockout.matches.get()
    refused = [
        lambda: sports.entry_add(event=ranked, unit=None, member=member_factory("丁")),
        lambda: sports.entry_remove(entry=athlete),
        lambda: sports.draw_make(event=knockout),
        lambda: sports.match_record(match=match, home_score=3, away_score=1),
        lambda: sports.results_record(event=ranked, results={athlete.pk: Decimal(88)}),
        lambda: sports.event_update(event=ranked, fields=["name"]),
        lambda: sports.event_delete(event=ranked),
        lambda: sports.event_create(activity=meeting, event=SportsEvent(name="拔河", kind=EventKind.TEAM)),
    ]
    for attempt in refused:
        with pytest.raises(ActivityError, match="活动已取消"):
            attempt()

    client = client_for(zhuxi)
    page = client.get(reverse("activities:event", args=[ranked.pk])).content.decode()
    assert 'data-testid="cancelled-note"' in page and "保存成绩" not in page and "修改项目" not in page
    overview = client.get(reverse("activities:sports", args=[meeting.pk])).content.decode()
    assert "新增项目" not in overview
    created = client.post(reverse("activities:event_create", args=[meeting.pk]), _event_data(ranked, name="拔河"))
    assert created.status_code == 302
    assert (
        client.post(reverse("activities:results", args=[ranked.pk]), {f"result-{athlete.pk}": "9"}).status_code == 302
    )
    match.refresh_from_db()
    athlete.refresh_from_db()
    assert match.home_score is None and athlete.result is None
    assert list(meeting.sports_events.order_by("pk").values_list("name", flat=True)) == ["乒乓球男子单打", "跳绳"]
    assert list(ranked.entries.all()) == [athlete]


def test_a_team_entry_refused_comes_back_with_its_name_and_seed_and_why(client_for, zhuxi, meeting, units):
    event = _event(meeting, name="拔河", kind=EventKind.TEAM, format=EventFormat.ROUND_ROBIN, quota_per_unit=1)
    sports.entry_add(event=event, unit=units["g1"], name="一组甲队")
    response = client_for(zhuxi).post(
        reverse("activities:entry_add", args=[event.pk]), {"unit": units["g1"].pk, "name": "一组乙队", "seed": "2"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "已达每单位限报数" in page
    assert 'value="一组乙队"' in page and 'name="seed" value="2"' in page.replace('type="number" ', "")
    assert event.entries.count() == 1
    # A seed out of range is said on its box, the team name kept.
    response = client_for(zhuxi).post(
        reverse("activities:entry_add", args=[event.pk]), {"unit": units["g2"].pk, "name": "二组队", "seed": "99"}
    )
    page = response.content.decode()
    assert 'value="二组队"' in page and "is-invalid" in page and event.entries.count() == 1


def test_a_count_is_shown_and_offered_back_as_the_referee_wrote_it(client_for, zhuxi, meeting, member_factory):
    """168 skips, not 168.00 个; a score of 9.5 stays 9.5."""
    event = _event(meeting, name="一分钟跳绳", format=EventFormat.RANKED, result_unit="个")
    skipper = sports.entry_add(event=event, unit=None, member=member_factory("陈雪梅"))
    diver = sports.entry_add(event=event, unit=None, member=member_factory("李玉兰"))
    sports.results_record(event=event, results={skipper.pk: Decimal("168"), diver.pk: Decimal("9.5")})
    page = client_for(zhuxi).get(reverse("activities:event", args=[event.pk])).content.decode()
    places = page.split('data-testid="final-places"')[1].split("</table>")[0]
    assert "168 个" in places and "9.5 个" in places and ".00 个" not in places
    assert f'name="result-{skipper.pk}" value="168"' in page


def test_entrants_of_a_match_already_played_offer_no_remove_button(client_for, zhuxi, meeting, member_factory):
    """Removing them is refused once a score is in: the page does not offer what it would refuse."""
    event = _event(meeting)
    first, second = (sports.entry_add(event=event, unit=None, member=member_factory(n)) for n in ("甲", "乙"))
    sports.draw_make(event=event)
    client = client_for(zhuxi)
    remove = reverse("activities:entry_remove", args=[first.pk])
    assert remove in client.get(reverse("activities:event", args=[event.pk])).content.decode()
    sports.match_record(match=event.matches.get(), home_score=3, away_score=1)
    page = client.get(reverse("activities:event", args=[event.pk])).content.decode()
    assert remove not in page and 'form="remove-' not in page


def test_the_edit_page_says_it_corrects_the_event_and_cancel_leads_back_to_it(client_for, zhuxi, meeting):
    event = _event(meeting)
    page = client_for(zhuxi).get(reverse("activities:event_edit", args=[event.pk])).content.decode()
    assert "<h1>修改比赛项目</h1>" in page and "新增比赛项目" not in page
    assert f'href="{reverse("activities:event", args=[event.pk])}">取消' in page
    page = client_for(zhuxi).get(reverse("activities:event_create", args=[meeting.pk])).content.decode()
    assert "<h1>新增比赛项目</h1>" in page


@pytest.mark.parametrize("unit", ["秒", "s", "seconds", "Seconds "])
def test_a_race_in_seconds_takes_a_clock_whatever_language_the_unit_is_written_in(meeting, unit):
    """The English form's help suggests "seconds": a race with that unit is timed like one with 秒."""
    assert _event(meeting, format=EventFormat.RANKED, lower_is_better=True, result_unit=unit).is_timed


def test_in_english_the_entry_card_says_what_it_does(client_for, zhuxi, meeting):
    """报名参赛 read "Enter" in English, which is a key, not what the card is for."""
    event = _event(meeting)
    client = client_for(zhuxi)
    client.cookies["gonghui_language"] = "en"
    page = client.get(reverse("activities:event", args=[event.pk])).content.decode()
    assert ">Add entrants<" in page


def test_a_semi_final_whose_winner_played_the_final_offers_no_score_form(client_for, zhuxi, meeting, member_factory):
    """Correcting it is refused (下一轮比赛已有成绩): the page shows its score, and the final's form."""
    event = _event(meeting)
    for name in ("甲", "乙", "丙", "丁"):
        sports.entry_add(event=event, unit=None, member=member_factory(name))
    sports.draw_make(event=event, rng=random.Random(1))
    semis = list(event.matches.filter(round=1))
    for semi in semis:
        sports.match_record(match=semi, home_score=3, away_score=1)
    client = client_for(zhuxi)
    page = client.get(reverse("activities:event", args=[event.pk])).content.decode()
    assert all(reverse("activities:match_result", args=[semi.pk]) in page for semi in semis)
    final = event.matches.get(round=2)
    sports.match_record(match=final, home_score=3, away_score=2)
    page = client.get(reverse("activities:event", args=[event.pk])).content.decode()
    assert not any(reverse("activities:match_result", args=[semi.pk]) in page for semi in semis)
    assert reverse("activities:match_result", args=[final.pk]) in page
    assert page.count("3 : 1") == 2


def test_a_ranked_event_with_results_offers_no_edit_that_would_be_refused(client_for, zhuxi, meeting, member_factory):
    event = _event(meeting, name="一分钟跳绳", format=EventFormat.RANKED, result_unit="个")
    entry = sports.entry_add(event=event, unit=None, member=member_factory("陈雪梅"))
    client = client_for(zhuxi)
    edit = reverse("activities:event_edit", args=[event.pk])
    assert edit in client.get(reverse("activities:event", args=[event.pk])).content.decode()
    sports.results_record(event=event, results={entry.pk: Decimal(168)})
    assert edit not in client.get(reverse("activities:event", args=[event.pk])).content.decode()
