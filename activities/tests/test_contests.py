"""Competitions at work: rounds over the period, judges' scores, rankings and winners."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from activities import contests
from activities.models import Competition, Contestant, ContestantKind, Period, ScoringItem
from activities.services import ActivityError
from conftest import make_person
from core.testing import second_while_first_open


@pytest.fixture
def contest(units):
    competition = Competition.objects.create(
        unit=units["school"],
        title="青年教师教学技能比武",
        kind="skills",
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2027, 5, 31),
        period=Period.MONTHLY,
        winners_count=1,
        award_title="教学能手",
    )
    contests.rounds_create(competition=competition)
    ScoringItem.objects.create(competition=competition, name="教学设计", weight=40)
    ScoringItem.objects.create(competition=competition, name="课堂教学", weight=60)
    for code, name in (("g1", "东关完小"), ("g2", "西街完小")):
        Contestant.objects.create(competition=competition, unit=units[code], name=name)
    return competition


@pytest.fixture
def judges(contest):
    people = [make_person(f"judge{i}", f"评委{i}") for i in range(5)]
    contest.judges.add(*people)
    return people


def test_monthly_and_quarterly_rounds_cover_the_period(units):
    base = {
        "unit": units["school"],
        "title": "安康杯",
        "starts_on": datetime.date(2027, 2, 15),
        "ends_on": datetime.date(2027, 9, 30),
    }
    monthly = Competition.objects.create(period=Period.MONTHLY, **base)
    quarterly = Competition.objects.create(period=Period.QUARTERLY, **{**base, "title": "班组评比"})
    assert [label for label, *_ in contests.round_spans(monthly)][:2] == ["2027年2月", "2027年3月"]
    assert len(contests.round_spans(monthly)) == 8
    spans = contests.round_spans(quarterly)
    assert [s[0] for s in spans] == ["2027年第1季度", "2027年第2季度", "2027年第3季度"]
    assert spans[0][1] == datetime.date(2027, 2, 15) and spans[-1][2] == datetime.date(2027, 9, 30)


def _score(contest, judge, round_number, values):
    round_ = contest.rounds.get(number=round_number)
    items = {i.name: i.pk for i in contest.items.all()}
    people = {c.name: c.pk for c in contest.contestants.all()}
    contests.scores_save(
        round=round_,
        judge=judge,
        values={(people[p], items[i]): Decimal(v) for (p, i), v in values.items()},
    )


def test_five_judges_drop_the_extremes_and_items_are_weighted(contest, judges):
    design = [90, 85, 88, 70, 99]  # -> 87.67
    teaching = [80, 80, 80, 80, 80]
    for judge, d, t in zip(judges, design, teaching, strict=True):
        _score(contest, judge, 1, {("东关完小", "教学设计"): d, ("东关完小", "课堂教学"): t})
    rounds, overall, per_round = contests.rankings(contest)
    top = per_round[rounds[0].pk][0]
    assert top.contestant.name == "东关完小"
    assert top.total == Decimal("83.07")  # 87.67 * 0.4 + 80 * 0.6
    # Only round 1 scored so far: the overall is that round's, the other contestant has 0.
    assert [(s.contestant.name, s.total, s.place) for s in overall] == [
        ("东关完小", Decimal("83.07"), 1),
        ("西街完小", Decimal("0.00"), 2),
    ]


def test_a_skipped_round_counts_zero_in_the_overall(contest, judges):
    judge = judges[0]
    _score(
        contest,
        judge,
        1,
        {
            ("东关完小", "教学设计"): 80,
            ("东关完小", "课堂教学"): 80,
            ("西街完小", "教学设计"): 70,
            ("西街完小", "课堂教学"): 70,
        },
    )
    _score(contest, judge, 2, {("西街完小", "教学设计"): 70, ("西街完小", "课堂教学"): 70})
    _rounds, overall, _ = contests.rankings(contest)
    assert [(s.contestant.name, s.total) for s in overall] == [
        ("西街完小", Decimal("70.00")),
        ("东关完小", Decimal("40.00")),
    ]


def test_winners_are_the_best_by_overall_score(contest, judges):
    _score(contest, judges[0], 1, {("东关完小", "教学设计"): 60, ("西街完小", "教学设计"): 90})
    assert contests.winners_select(competition=contest) == 1
    assert list(contest.contestants.filter(is_winner=True).values_list("name", flat=True)) == ["西街完小"]


def test_the_standings_download_as_the_page_ranks_them(client_for, contest, judges, zhuxi):
    _score(contest, judges[0], 1, {("东关完小", "教学设计"): 60, ("西街完小", "教学设计"): "90.5"})
    contests.winners_select(competition=contest)
    response = client_for(zhuxi).get(reverse("activities:competition_export", args=[contest.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "名次")
    assert rows[header][1:4] == ("参赛者", "单位", "2027年3月")
    assert rows[header][-2:] == ("总成绩", "荣誉称号")
    # The first round's scores, the rest of the rounds empty, the overall over the rounds held.
    west, east = rows[header + 1], rows[header + 2]
    assert west[:5] == (1, "西街完小", "西街完小工会小组", 36.2, None)
    assert west[-2:] == (36.2, "教学能手") and east[-1] is None and east[0] == 2


def test_only_judges_score(contest, zhuxi):
    with pytest.raises(ActivityError, match="不是本竞赛的评委"):
        contests.scores_save(round=contest.rounds.first(), judge=zhuxi, values={})


def test_the_score_sheet_names_the_bad_cell(client_for, contest, judges):
    round_ = contest.rounds.first()
    east = contest.contestants.get(name="东关完小")
    item = contest.items.get(name="课堂教学")
    response = client_for(judges[0]).post(
        reverse("activities:score_sheet", args=[round_.pk]), {f"s-{east.pk}-{item.pk}": "120"}
    )
    assert "东关完小的“课堂教学”得分“120”无效" in response.content.decode()
    assert not round_.scores.exists()


def test_a_score_typed_with_full_width_keys_is_saved_as_the_number_it_is(client_for, contest, judges):
    """A judge's phone left in the input method's full-width mode types ８５．５: it was refused as invalid."""
    round_ = contest.rounds.first()
    east = contest.contestants.get(name="东关完小")
    item = contest.items.get(name="课堂教学")
    client_for(judges[0]).post(
        reverse("activities:score_sheet", args=[round_.pk]), {f"s-{east.pk}-{item.pk}": "８５．５"}
    )
    assert [score.value for score in round_.scores.all()] == [Decimal("85.5")]


def test_a_judge_from_elsewhere_sees_the_competition_they_judge(client_for, contest, judges):
    response = client_for(judges[0]).get(reverse("activities:competition", args=[contest.pk]))
    assert response.status_code == 200 and "我是评委" in response.content.decode()


def test_an_outsider_sees_no_competition(client_for, contest, outsider):
    assert client_for(outsider).get(reverse("activities:competition", args=[contest.pk])).status_code == 404


def test_the_ranking_page_keeps_bounded_queries(
    client_for, zhuxi, contest, judges, units, django_assert_max_num_queries
):
    for i in range(20):
        Contestant.objects.create(competition=contest, unit=units["g1"], name=f"班组{i}")
    for judge in judges:
        _score(contest, judge, 1, {("东关完小", "教学设计"): 80})
    client = client_for(zhuxi)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("activities:competition", args=[contest.pk]))
    assert response.content.decode().count("班组") >= 20


def test_chair_sets_up_a_competition_with_quarterly_rounds(client_for, zhuxi, units):
    response = client_for(zhuxi).post(
        reverse("activities:competition_create"),
        {
            "title": "班组安全评比",
            "kind": "team_evaluation",
            "unit": units["school"].pk,
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
            "period": "quarterly",
            "contestant_kind": "team",
            "winners_count": 10,
        },
    )
    competition = Competition.objects.get(title="班组安全评比")
    assert response.status_code == 302
    assert competition.rounds.count() == 4


@pytest.mark.parametrize("typed", ["NaN", "sNaN", "-Infinity", "1e999", "99.999"])
def test_a_score_that_is_not_a_score_is_named_and_nothing_is_saved(client_for, contest, judges, typed):
    round_ = contest.rounds.first()
    east = contest.contestants.get(name="东关完小")
    item = contest.items.get(name="课堂教学")
    response = client_for(judges[0]).post(
        reverse("activities:score_sheet", args=[round_.pk]), {f"s-{east.pk}-{item.pk}": typed}
    )
    html = response.content.decode()
    assert response.status_code == 200 and f"东关完小的“课堂教学”得分“{typed}”无效" in html
    assert f'value="{typed}"' in html  # what the judge typed stays in its cell
    assert not round_.scores.exists()


@pytest.mark.parametrize("typed", ["x", "²", str(2**70)])
def test_a_person_entered_by_a_number_nobody_could_pick_is_a_bad_request(client_for, contest, zhuxi, typed):
    contest.contestant_kind = ContestantKind.PERSON
    contest.save()
    response = client_for(zhuxi).post(reverse("activities:contestant_add", args=[contest.pk]), {"member": typed})
    assert response.status_code == 400 and contest.contestants.count() == 2


def test_a_team_added_twice_is_told_so_and_listed_once(client_for, contest, zhuxi, units):
    url = reverse("activities:contestant_add", args=[contest.pk])
    client = client_for(zhuxi)
    name = units["g1"].display_name
    client.post(url, {"unit": units["g1"].pk})
    client.post(url, {"unit": units["g1"].pk})  # a second tap of 添加
    page = client.get(reverse("activities:competition", args=[contest.pk])).content.decode()
    assert f"“{name}”已在参赛名单中。" in page
    assert contest.contestants.filter(name=name).count() == 1


def test_two_officers_adding_the_same_team_at_once_get_a_message_not_an_error(contest, units, monkeypatch):
    # The second request's check ran before the first one's row landed: the database refuses the
    # duplicate, and the officer is told it is on the list.
    contest.contestants.filter(name="东关完小").delete()
    contests.contestant_add(competition=contest, name="东关完小", unit=units["g1"])
    monkeypatch.setattr(type(contest.contestants), "filter", lambda self, **kw: Contestant.objects.none())
    with pytest.raises(ActivityError, match="已在参赛名单中"):
        contests.contestant_add(competition=contest, name="东关完小", unit=units["g1"])
    assert Contestant.objects.filter(competition=contest, name="东关完小").count() == 1


def test_a_scoring_item_goes_only_while_nobody_has_scored_it(client_for, contest, judges, zhuxi):
    teaching, design = contest.items.get(name="课堂教学"), contest.items.get(name="教学设计")
    _score(contest, judges[0], 1, {("东关完小", "教学设计"): "90"})
    with pytest.raises(ActivityError, match="已有评分"):
        contests.item_remove(item=design)
    response = client_for(zhuxi).post(reverse("activities:item_remove", args=[design.pk]), follow=True)
    assert "该评分项目已有评分，不能删除。" in response.content.decode()
    contests.item_remove(item=teaching)
    assert list(contest.items.values_list("name", flat=True)) == ["教学设计"]


def test_a_scoring_item_refused_keeps_what_the_chair_typed(client_for, contest, zhuxi):
    response = client_for(zhuxi).post(
        reverse("activities:item_add", args=[contest.pk]), {"name": "说课答辩", "weight": "-5"}
    )
    assert response.status_code == 200
    form = response.context["item_form"]
    assert form["name"].value() == "说课答辩" and form["weight"].value() == "-5"
    assert form.errors["weight"]
    page = response.content.decode()
    assert 'value="说课答辩"' in page and form.errors["weight"][0] in page
    assert list(contest.items.values_list("name", flat=True)) == ["教学设计", "课堂教学"]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_score_saved_while_its_item_is_removed_is_kept_and_the_item_too(contest, judges):
    design = contest.items.get(name="教学设计")
    round_, person = contest.rounds.get(number=1), contest.contestants.get(name="东关完小")
    # The judge's save holds the competition; the officer's removal waits, then finds the score.
    with pytest.raises(ActivityError, match="已有评分"):
        second_while_first_open(
            lambda: contests.scores_save(round=round_, judge=judges[0], values={(person.pk, design.pk): Decimal(90)}),
            lambda: contests.item_remove(item=design),
        )
    assert design.scores.get().value == 90


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_judge_taken_off_while_their_sheet_is_saved_saves_nothing(contest, judges):
    design = contest.items.get(name="教学设计")
    round_, person = contest.rounds.get(number=1), contest.contestants.get(name="东关完小")
    # The officer's removal holds the competition; the judge's save waits, then finds itself off the panel.
    with pytest.raises(ActivityError, match="不是本竞赛的评委"):
        second_while_first_open(
            lambda: contests.judge_remove(competition=contest, judge=judges[0]),
            lambda: contests.scores_save(round=round_, judge=judges[0], values={(person.pk, design.pk): Decimal(90)}),
        )
    assert not design.scores.exists()


def test_a_contestant_added_by_mistake_leaves_the_list_while_nobody_has_scored_them(client_for, contest, judges, zhuxi):
    _score(contest, judges[0], 1, {("东关完小", "教学设计"): "90"})
    scored, unscored = contest.contestants.get(name="东关完小"), contest.contestants.get(name="西街完小")
    page = client_for(zhuxi).get(reverse("activities:competition", args=[contest.pk])).content.decode()
    assert reverse("activities:contestant_remove", args=[unscored.pk]) in page
    assert reverse("activities:contestant_remove", args=[scored.pk]) not in page

    refused = client_for(zhuxi).post(reverse("activities:contestant_remove", args=[scored.pk]), follow=True)
    client_for(zhuxi).post(reverse("activities:contestant_remove", args=[unscored.pk]))

    assert "“东关完小”已有评分，不能移出参赛名单。" in refused.content.decode()
    assert list(contest.contestants.values_list("name", flat=True)) == ["东关完小"]


def test_a_judge_who_has_scored_nothing_is_taken_off_the_panel(client_for, contest, judges, zhuxi):
    _score(contest, judges[0], 1, {("东关完小", "教学设计"): "90"})
    page = client_for(zhuxi).get(reverse("activities:competition", args=[contest.pk])).content.decode()
    assert reverse("activities:judge_remove", args=[contest.pk, judges[1].pk]) in page
    assert reverse("activities:judge_remove", args=[contest.pk, judges[0].pk]) not in page

    with pytest.raises(ActivityError, match="已经评过分"):
        contests.judge_remove(competition=contest, judge=judges[0])
    client_for(zhuxi).post(reverse("activities:judge_remove", args=[contest.pk, judges[1].pk]))

    assert set(contest.judges.all()) == {judges[0], *judges[2:]}


def test_a_judge_takes_neither_a_contestant_nor_another_judge_off(client_for, contest, judges):
    client = client_for(judges[1])
    west = contest.contestants.get(name="西街完小")
    assert client.post(reverse("activities:contestant_remove", args=[west.pk])).status_code == 404
    assert client.post(reverse("activities:judge_remove", args=[contest.pk, judges[2].pk])).status_code == 404
    assert contest.contestants.count() == 2 and contest.judges.count() == 5


def _contest_data(contest, **changes):
    data = {
        "title": contest.title,
        "kind": contest.kind,
        "schedule_item": "",
        "starts_on": contest.starts_on.isoformat(),
        "ends_on": contest.ends_on.isoformat(),
        "period": contest.period,
        "contestant_kind": contest.contestant_kind,
        "winners_count": contest.winners_count,
        "award_title": contest.award_title,
        "description": "",
    }
    return {**data, **changes}


def test_the_chair_corrects_a_competition_and_its_rounds_follow_until_scoring_starts(
    client_for, contest, judges, zhuxi
):
    url = reverse("activities:competition_edit", args=[contest.pk])
    client = client_for(zhuxi)
    assert url in client.get(reverse("activities:competition", args=[contest.pk])).content.decode()

    kept = client.post(url, _contest_data(contest, title="青年教师教学技能大赛", ends_on="2027-02-01"))
    assert kept.status_code == 200 and 'value="青年教师教学技能大赛"' in kept.content.decode()
    response = client.post(url, _contest_data(contest, title="青年教师教学技能大赛", ends_on="2027-06-30"))
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.title == "青年教师教学技能大赛" and contest.rounds.count() == 4

    refused = client.post(url, _contest_data(contest, contestant_kind=ContestantKind.PERSON))
    assert "已有参赛者，参赛对象不能再改" in refused.content.decode()

    _score(contest, judges[0], 1, {("东关完小", "教学设计"): 80})
    refused = client.post(url, _contest_data(contest, period=Period.QUARTERLY))
    assert "已有评分，竞赛的起止日期和评分周期不能再改" in refused.content.decode()
    assert contest.rounds.count() == 4 and Competition.objects.get().period == Period.MONTHLY
    assert client.post(url, _contest_data(contest, winners_count=3)).status_code == 302
    assert Competition.objects.get().winners_count == 3


@pytest.mark.parametrize("persona", ["judge", "huiyuan", "outsider"])
def test_who_may_not_correct_a_competition(persona, request, client_for, contest, judges):
    user = judges[0] if persona == "judge" else request.getfixturevalue(persona)
    url = reverse("activities:competition_edit", args=[contest.pk])
    assert client_for(user).get(url).status_code == 404
    assert client_for(user).post(url, _contest_data(contest, title="改")).status_code == 404
    assert Competition.objects.get().title == "青年教师教学技能比武"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_items_added_at_once_take_places_one_after_the_other(contest):

    before = contest.items.count()

    def add(name):
        return lambda: contests.item_add(competition=contest, item=ScoringItem(name=name, weight=Decimal(10)))

    second_while_first_open(add("板书"), add("课件"))
    assert sorted(contest.items.values_list("order", flat=True))[-2:] == [before, before + 1]


def test_a_judge_never_scores_herself(contest, zhuxi, huiyuan, units):
    """huiyuan on the panel and on the list of a speech contest gave herself 100 in every item: one or the other."""
    from members.models import Member

    member = Member.objects.create(unit=units["g1"], name="周小红", user=huiyuan)
    contests.judge_add(competition=contest, username="huiyuan", by=zhuxi)
    with pytest.raises(ActivityError, match="是本竞赛的评委，不能同时参赛"):
        contests.contestant_add(competition=contest, name="周小红", unit=units["g1"], member=member)
    contest.judges.remove(huiyuan)
    mine = contests.contestant_add(competition=contest, name="周小红", unit=units["g1"], member=member)
    with pytest.raises(ActivityError, match="在本竞赛的参赛名单中，不能担任评委"):
        contests.judge_add(competition=contest, username="huiyuan", by=zhuxi)
    # Put on both by data made before the rule: her sheet refuses her own row.
    contest.judges.add(huiyuan)
    item = contest.items.first()
    with pytest.raises(ActivityError, match="评委不能给自己评分"):
        contests.scores_save(round=contest.rounds.first(), judge=huiyuan, values={(mine.pk, item.pk): Decimal(100)})
    assert not mine.scores.exists()


def test_a_judge_put_on_the_panel_is_told_where_to_score(contest, zhuxi, units):
    from core.models import Notification
    from orgs.roles import Role

    judge = make_person("pingwei", "孙评委", units["g1"], Role.MEMBER)
    contests.judge_add(competition=contest, username="pingwei", by=zhuxi)
    told = Notification.objects.get(user=judge, kind="activities.judge")
    assert "青年教师教学技能比武" in told.text and told.url == reverse("activities:competition", args=[contest.pk])


def test_before_any_score_nobody_is_placed_and_no_winners_are_offered(client_for, contest, judges, zhuxi):
    """Two contestants listed, nobody scored: not both "1st with 0", and nothing to award or download yet."""
    _rounds, overall, _ = contests.rankings(contest)
    assert [(s.place, s.total) for s in overall] == [(None, None), (None, None)]
    page = client_for(zhuxi).get(reverse("activities:competition", args=[contest.pk])).content.decode()
    table = page.split('data-testid="overall"')[1].split("</table>")[0]
    assert "<td>1</td>" not in table and "<td>—</td>" in table
    assert 'data-testid="select-winners"' not in page and 'data-testid="standings-export"' not in page
    assert contests.winners_select(competition=contest) == 0
    _score(contest, judges[0], 1, {("东关完小", "教学设计"): 60})
    page = client_for(zhuxi).get(reverse("activities:competition", args=[contest.pk])).content.decode()
    assert 'data-testid="select-winners"' in page and 'data-testid="standings-export"' in page
    assert [(s.contestant.name, s.place) for s in contests.rankings(contest)[1]] == [("东关完小", 1), ("西街完小", 2)]


def test_the_set_up_boxes_say_what_goes_in_them(client_for, contest, zhuxi):
    """On a phone the item, weight and judge boxes stood empty side by side: each has its visible label."""
    page = client_for(zhuxi).get(reverse("activities:competition", args=[contest.pk])).content.decode()
    for label in ('for="id_name">评分项目<', 'for="id_weight">权重（%）<', 'for="id_username">评委登录名<'):
        assert label in page


def test_choosing_the_winners_again_asks_first_since_it_replaces_the_list(client_for, contest, judges, zhuxi):
    _score(contest, judges[0], 1, {("东关完小", "教学设计"): 60, ("西街完小", "教学设计"): 90})
    client = client_for(zhuxi)

    def button():
        page = client.get(reverse("activities:competition", args=[contest.pk])).content.decode()
        return page.split('data-testid="select-winners"')[1].split(">")[0]

    assert "data-confirm" not in button()
    contests.winners_select(competition=contest)
    assert 'data-confirm="重新评选会按现在的总成绩替换已评出的获奖名单' in button()
