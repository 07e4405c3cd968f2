"""A competition's panel: whom an officer may put on it, and what a judge sees through it."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from activities import contests
from activities.models import Competition, Contestant, Score, ScoringItem
from activities.services import ActivityError
from conftest import make_person
from orgs.roles import Role

REFUSED = "不能添加“{}”为评委：评委须是本单位（含下级单位）的会员或工会干部，或同一总工会所属单位的工会干部。"


@pytest.fixture
def contest(units):
    competition = Competition.objects.create(
        unit=units["school"],
        title="青年教师教学技能比武",
        kind="skills",
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2027, 3, 31),
    )
    contests.rounds_create(competition=competition)
    return competition


def _add(client, contest, username):
    """Type ``username`` into the panel's box; what the page then says: a message above the page when the
    judge was added, else the error under the box, which still holds what was typed."""
    response = client.post(reverse("activities:judge_add", args=[contest.pk]), {"username": username})
    if response.status_code == 302:
        return [str(message) for message in get_messages(response.wsgi_request)]
    assert response.status_code == 200
    box = response.context["judge_form"]["username"]
    assert box.value() == username
    assert f'value="{username}"' in response.content.decode()
    return list(box.errors)


# --- whom the chair may pick


def test_the_chair_puts_a_committee_member_of_the_school_on_the_panel(client_for, contest, zhuxi, weiyuan):
    assert _add(client_for(zhuxi), contest, "weiyuan") == ["已添加评委孙明。"]
    assert list(contest.judges.all()) == [weiyuan]


def test_the_chair_puts_a_member_of_a_group_below_on_the_panel(client_for, contest, zhuxi, huiyuan):
    _add(client_for(zhuxi), contest, "huiyuan")
    assert list(contest.judges.all()) == [huiyuan]


def test_the_chair_puts_officers_of_the_county_on_the_panel(client_for, contest, zhuxi, xianzong, units):
    # The colleague from the union next door and the county federation's officer: the usual judges.
    neighbour = make_person("bangong", "钱芳", units["office"], Role.COMMITTEE)
    client = client_for(zhuxi)
    assert _add(client, contest, "bangong") == ["已添加评委钱芳。"]
    _add(client, contest, "xianzong")
    assert set(contest.judges.all()) == {neighbour, xianzong}


def test_the_chair_cannot_pick_a_member_of_another_union(client_for, contest, zhuxi, units):
    make_person("m4711", "吴敏", units["office"], Role.MEMBER)
    assert _add(client_for(zhuxi), contest, "m4711") == [REFUSED.format("m4711")]
    assert not contest.judges.exists()


def test_a_county_officer_picks_anyone_in_the_county(client_for, contest, units):
    # Their own scope covers the county, members of every union in it included.
    county_chair = make_person("xianzhuxi", "郑华", units["county"], Role.CHAIR)
    member = make_person("m4711", "吴敏", units["office"], Role.MEMBER)
    _add(client_for(county_chair), contest, "m4711")
    assert list(contest.judges.all()) == [member]


@pytest.mark.parametrize("who", ["no such login", "another county's chair", "a login with no role", "a closed login"])
def test_a_login_the_chair_may_not_pick_gets_the_same_answer_as_one_that_does_not_exist(
    who, client_for, contest, zhuxi, outsider
):
    closed = make_person("tuixiu", "冯强", contest.unit, Role.COMMITTEE)
    closed.is_active = False
    closed.save()
    make_person("waipin", "外聘专家")
    typed = {
        "no such login": "nobody-here",
        "another county's chair": "linxian",
        "a login with no role": "waipin",
        "a closed login": "tuixiu",
    }[who]
    # One message whatever the reason, naming only what was typed: the box is no way to learn which
    # logins exist in the installation.
    assert _add(client_for(zhuxi), contest, typed) == [REFUSED.format(typed)]
    assert not contest.judges.exists()


def test_a_judge_added_twice_is_told_so_and_listed_once(client_for, contest, zhuxi, weiyuan):
    client = client_for(zhuxi)
    _add(client, contest, "weiyuan")
    assert _add(client, contest, " weiyuan ")[-1] == "孙明已是本竞赛的评委。"
    assert contest.judges.count() == 1


def test_only_the_host_s_officers_add_judges(client_for, contest, weiyuan, huiyuan, outsider):
    contest.judges.add(huiyuan)
    url = reverse("activities:judge_add", args=[contest.pk])
    for user in (huiyuan, outsider):  # a judge, a chair elsewhere
        assert client_for(user).post(url, {"username": "weiyuan"}).status_code == 404
    assert list(contest.judges.all()) == [huiyuan]


# --- the service


def test_adding_a_judge_is_refused_by_the_service_too(contest, zhuxi, outsider):
    with pytest.raises(ActivityError) as refused:
        contests.judge_add(competition=contest, username="linxian", by=zhuxi)
    assert str(refused.value) == REFUSED.format("linxian")
    assert not contest.judges.exists()


def test_adding_a_judge_queues_behind_the_competition_s_lock(contest, zhuxi, weiyuan, monkeypatch):
    # The lock judge_remove, item_remove and a judge's score save take: the panel changes one at a time.
    locked = []
    real = contests._lock_competition
    monkeypatch.setattr(contests, "_lock_competition", lambda pk: locked.append(pk) or real(pk))
    assert contests.judge_add(competition=contest, username="weiyuan", by=zhuxi) == weiyuan
    assert locked == [contest.pk]


def _sheet(contest, units):
    """A round, and one cell of its score sheet, {(contestant id, item id): 80}."""
    item = ScoringItem.objects.create(competition=contest, name="教学设计", weight=100)
    contestant = Contestant.objects.create(competition=contest, unit=units["g1"], name="东关完小")
    return contest.rounds.get(), {(contestant.pk, item.pk): Decimal(80)}


def _meanwhile(monkeypatch, change):
    """Let ``change`` commit while a judge's save waits for the competition's lock, as an officer's
    action holding that lock does (SQLite has no second writer to wait on; see test_contests for the
    same on PostgreSQL)."""
    real = contests._lock_competition

    def lock(pk):
        monkeypatch.setattr(contests, "_lock_competition", real)  # the officer's action takes it for real
        change()
        return real(pk)

    monkeypatch.setattr(contests, "_lock_competition", lock)


def test_a_judge_taken_off_the_panel_while_saving_saves_nothing(contest, units, zhuxi, weiyuan, monkeypatch):
    round_, values = _sheet(contest, units)
    contest.judges.add(weiyuan)
    _meanwhile(monkeypatch, lambda: contests.judge_remove(competition=contest, judge=weiyuan))
    with pytest.raises(ActivityError, match="您不是本竞赛的评委。"):
        contests.scores_save(round=round_, judge=weiyuan, values=values)
    assert not Score.objects.exists()


def test_a_sheet_of_a_round_made_again_while_saving_is_refused_not_saved(contest, units, weiyuan, monkeypatch):
    round_, values = _sheet(contest, units)
    contest.judges.add(weiyuan)
    _meanwhile(monkeypatch, lambda: contests.rounds_create(competition=contest))  # the dates were corrected
    with pytest.raises(ActivityError, match="评分表已变化，请刷新后重新填写。"):
        contests.scores_save(round=round_, judge=weiyuan, values=values)
    assert not Score.objects.exists()


# --- what a judge sees


def test_a_judge_reads_the_competition_but_is_not_handed_it_for_anything_else(contest, units):
    judge = make_person("pingwei", "评委甲", units["office"], Role.COMMITTEE)
    contest.judges.add(judge)
    assert list(Competition.objects.visible_to(judge, "activities.view")) == [contest]
    for permission in ("activities.manage", "activities.checkin", "activities.register"):
        assert not Competition.objects.visible_to(judge, permission).exists()


def test_a_judge_taken_off_the_panel_no_longer_sees_the_competition(client_for, contest, zhuxi, units):
    judge = make_person("pingwei", "评委甲", units["office"], Role.COMMITTEE)
    contest.judges.add(judge)
    url = reverse("activities:competition", args=[contest.pk])
    assert client_for(judge).get(url).status_code == 200
    contests.judge_remove(competition=contest, judge=judge)
    assert client_for(judge).get(url).status_code == 404
