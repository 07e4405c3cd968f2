"""Ballots: surplus of candidates, one vote per voter, sealed results, winners by share of the
eligible, scrutineers, paper ballots entered twice, and bad ballots refused changing nothing."""

import re

import pytest
from django.urls import reverse

from conftest import make_person
from democracy.models import Ballot, BallotStatus, Choice, Tally, Voter
from democracy.models.ballots import BallotMethod, Mode
from democracy.services import DemocracyError
from democracy.services import ballots as svc
from democracy.tests.conftest import add_member
from orgs.roles import Role


@pytest.fixture
def voters(units):
    from conftest import make_person
    from orgs.roles import Role

    people = []
    for number in range(5):
        user = make_person(f"voter{number}", f"投票人{number}", units["g1"], Role.MEMBER)
        add_member(units["g1"], f"投票人{number}", user=user)
        people.append(user)
    return people


@pytest.fixture
def selection(units, voters, weiyuan, zhuxi):
    ballot = svc.ballot_create(
        unit=units["school"],
        title="师德标兵",
        candidates=["甲", "乙", "丙"],
        scrutineers=[weiyuan, zhuxi],
        seats=2,
        min_surplus=1,
    )
    return svc.ballot_open(ballot=ballot)


def chosen(ballot, *names):
    ids = {c.name: c.pk for c in ballot.candidates.all()}
    return svc.BallotPaper(choices={ids[n]: Choice.CHOSEN for n in names})


def test_competitive_election_needs_the_minimum_surplus(units):
    ballot = svc.ballot_create(unit=units["school"], title="委员", candidates=["甲", "乙"], seats=2, min_surplus=1)
    with pytest.raises(DemocracyError, match="候选人不足"):
        svc.ballot_open(ballot=ballot)
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.DRAFT


def test_every_member_with_a_login_is_on_the_roll(selection):
    assert selection.eligible_count == 5 == Voter.objects.filter(ballot=selection).count()


def test_a_second_vote_is_refused(selection, voters):
    svc.ballot_vote(ballot=selection, user=voters[0], paper=chosen(selection, "甲"))
    with pytest.raises(DemocracyError, match="已经投过票"):
        svc.ballot_vote(ballot=selection, user=voters[0], paper=chosen(selection, "乙"))
    assert sum(Tally.objects.filter(ballot=selection).values_list("count", flat=True)) == 1


def test_more_choices_than_seats_is_refused_and_nothing_is_counted(selection, voters):
    with pytest.raises(DemocracyError, match="多于应选人数"):
        svc.ballot_vote(ballot=selection, user=voters[0], paper=chosen(selection, "甲", "乙", "丙"))
    assert not Voter.objects.get(ballot=selection, user=voters[0]).has_voted
    assert sum(Tally.objects.filter(ballot=selection).values_list("count", flat=True)) == 0


def test_someone_not_on_the_roll_cannot_vote(selection, outsider):
    with pytest.raises(DemocracyError, match="不在本次投票的投票人名单中"):
        svc.ballot_vote(ballot=selection, user=outsider, paper=chosen(selection, "甲"))


def test_results_are_sealed_until_close_even_for_a_superuser(selection, voters, client, django_user_model):
    svc.ballot_vote(ballot=selection, user=voters[0], paper=chosen(selection, "甲"))
    with pytest.raises(DemocracyError, match="结果保密"):
        svc.ballot_results(selection)
    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    page = client.get(f"/democracy/ballots/{selection.pk}/").content.decode()
    assert "结果保密" in page and 'data-testid="results"' not in page


def test_a_vote_after_close_is_refused(selection, voters):
    svc.ballot_close(ballot=selection)
    with pytest.raises(DemocracyError, match="已经截止"):
        svc.ballot_vote(ballot=selection, user=voters[0], paper=chosen(selection, "甲"))


def test_winners_need_more_than_half_of_the_eligible_voters(selection, voters):
    for voter, names in zip(voters, [("甲", "乙"), ("甲", "乙"), ("甲",), ("丙",), ("乙",)], strict=True):
        svc.ballot_vote(ballot=selection, user=voter, paper=chosen(selection, *names))
    svc.ballot_close(ballot=selection)
    results = svc.ballot_results(selection)
    assert {r.name: r.votes for r in results.rows} == {"甲": 3, "乙": 3, "丙": 1}
    assert [r.name for r in results.elected] == ["甲", "乙"]  # 3 of 5 eligible is more than half
    assert results.cast == 5


def test_two_votes_of_five_eligible_do_not_elect(selection, voters):
    svc.ballot_vote(ballot=selection, user=voters[0], paper=chosen(selection, "甲"))
    svc.ballot_vote(ballot=selection, user=voters[1], paper=chosen(selection, "甲"))
    svc.ballot_close(ballot=selection)
    assert svc.ballot_results(selection).elected == []


def test_approval_ballot_with_a_write_in(units, voters):
    ballot = svc.ballot_create(
        unit=units["school"], title="工会主席", candidates=["甲"], method=BallotMethod.APPROVAL, allow_write_in=True
    )
    svc.ballot_open(ballot=ballot)
    candidate = ballot.candidates.get()
    for voter in voters[:3]:
        svc.ballot_vote(ballot=ballot, user=voter, paper=svc.BallotPaper(choices={candidate.pk: Choice.FOR}))
    svc.ballot_vote(
        ballot=ballot, user=voters[3], paper=svc.BallotPaper(choices={candidate.pk: Choice.AGAINST}, write_ins=["丁"])
    )
    with pytest.raises(DemocracyError, match="多于应选人数"):
        svc.ballot_vote(
            ballot=ballot, user=voters[4], paper=svc.BallotPaper(choices={candidate.pk: Choice.FOR}, write_ins=["丁"])
        )
    svc.ballot_close(ballot=ballot)
    rows = {r.name: r for r in svc.ballot_results(ballot).rows}
    assert rows["甲"].counts == {Choice.FOR: 3, Choice.AGAINST: 1, Choice.ABSTAIN: 0} and rows["甲"].elected
    assert rows["丁"].is_write_in and rows["丁"].votes == 1


def test_scrutineers_sign_the_tally_off(selection, weiyuan, zhuxi, huiyuan):
    with pytest.raises(DemocracyError, match="截止后"):
        svc.ballot_sign(ballot=selection, user=weiyuan)
    svc.ballot_close(ballot=selection)
    with pytest.raises(DemocracyError, match="监票人"):
        svc.ballot_sign(ballot=selection, user=huiyuan)
    assert svc.ballot_sign(ballot=selection, user=weiyuan).status == BallotStatus.CLOSED
    assert svc.ballot_sign(ballot=selection, user=zhuxi).status == BallotStatus.CERTIFIED


def test_paper_ballots_are_entered_twice_and_compared(units, voters, weiyuan, zhuxi):
    ballot = svc.ballot_create(unit=units["school"], title="优秀会员", candidates=["甲", "乙"], mode=Mode.PAPER)
    svc.ballot_open(ballot=ballot)
    a, b = (str(c.pk) for c in ballot.candidates.all())
    svc.paper_enter(ballot=ballot, officer=weiyuan, returned=5, invalid=0, counts={a: {"chosen": 4}, b: {"chosen": 1}})
    with pytest.raises(DemocracyError, match="另一位"):
        svc.paper_enter(ballot=ballot, officer=weiyuan, returned=5, invalid=0, counts={a: {"chosen": 4}})
    svc.paper_enter(ballot=ballot, officer=zhuxi, returned=5, invalid=0, counts={a: {"chosen": 3}, b: {"chosen": 1}})
    comparison = svc.paper_compare(ballot=ballot)
    assert not comparison.agree and "甲" in comparison.differences[0]
    assert not Ballot.objects.get(pk=ballot.pk).cast_count
    ballot.paper_counts.filter(officer=zhuxi).delete()
    svc.paper_enter(ballot=ballot, officer=zhuxi, returned=5, invalid=0, counts={a: {"chosen": 4}, b: {"chosen": 1}})
    assert svc.paper_compare(ballot=ballot).agree
    svc.ballot_close(ballot=ballot)
    assert [r.name for r in svc.ballot_results(ballot).elected] == ["甲"]


def test_a_write_in_is_a_name_cleaned_as_names_are_and_nothing_else(units, voters):
    ballot = svc.ballot_create(
        unit=units["school"], title="工会主席", candidates=["甲"], method=BallotMethod.APPROVAL, allow_write_in=True
    )
    svc.ballot_open(ballot=ballot)
    for typed, said in (("中" * 51, "超过50个字"), ("1e999", "不像姓名")):
        with pytest.raises(DemocracyError, match=f"另选的人：.*{said}"):
            svc.ballot_vote(ballot=ballot, user=voters[0], paper=svc.BallotPaper(write_ins=[typed]))
    assert not Voter.objects.filter(ballot=ballot, has_voted=True).exists()
    svc.ballot_vote(ballot=ballot, user=voters[0], paper=svc.BallotPaper(write_ins=["王　芳"]))
    svc.ballot_vote(ballot=ballot, user=voters[1], paper=svc.BallotPaper(write_ins=["王芳"]))
    assert Tally.objects.get(ballot=ballot, choice=Choice.WRITE_IN).write_in == "王芳"


def test_scrutineers_are_chosen_among_the_unions_officers_and_its_representatives(
    client_for, zhuxi, weiyuan, huiyuan, daibiao, fellows, xianzong, units
):
    client = client_for(zhuxi)
    page = client.get(reverse("democracy:ballot_create")).content.decode()
    offered = set(re.findall(r'<option value="(\d+)"', page.split('name="scrutineers"')[1].split("</select>")[0]))
    # The chair and the committee member hold roles on the school; 吴晓梅 and the others are its congress's
    # representatives. 周小红 is a member of a group below (no role on the school, no representative).
    assert offered == {str(user.pk) for user in (zhuxi, weiyuan, daibiao, *fellows)}
    assert huiyuan.pk not in {int(pk) for pk in offered}


def test_a_federations_ballot_form_does_not_list_everyone_below_it(
    client_for, django_assert_max_num_queries, xianzong, zhuxi, units
):
    # At a province every member with a login is a role holder below the federation: the form offers the
    # federation's own officers, whatever the number below, in a bounded number of queries.
    officer = make_person("xianzhuxi", "李国华", units["county"], Role.CHAIR)
    for number in range(30):
        make_person(f"member{number}", f"会员{number}", units["g1"], Role.MEMBER)
    client = client_for(officer)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("democracy:ballot_create")).content.decode()
    offered = set(re.findall(r'<option value="(\d+)"', page.split('name="scrutineers"')[1].split("</select>")[0]))
    assert offered == {str(officer.pk), str(xianzong.pk)}


def test_a_ballot_set_up_wrong_is_deleted_before_voting_starts(client_for, units, zhuxi, weiyuan):
    ballot = svc.ballot_create(
        unit=units["school"], title="委员", candidates=["甲", "乙"], scrutineers=[weiyuan], seats=2
    )
    client = client_for(zhuxi)
    page = client.get(reverse("democracy:ballot", args=[ballot.pk])).content.decode()
    assert 'value="delete"' in page and "data-confirm" in page

    response = client.post(reverse("democracy:ballot_action", args=[ballot.pk]), {"action": "delete"}, follow=True)

    assert "已删除投票“委员”" in response.content.decode()
    assert not Ballot.objects.filter(pk=ballot.pk).exists()


def test_a_ballot_once_open_is_not_deleted(client_for, selection, zhuxi):
    assert (
        'value="delete"' not in client_for(zhuxi).get(reverse("democracy:ballot", args=[selection.pk])).content.decode()
    )
    response = client_for(zhuxi).post(
        reverse("democracy:ballot_action", args=[selection.pk]), {"action": "delete"}, follow=True
    )
    assert "投票已经开始，不能删除" in response.content.decode()
    assert Ballot.objects.get(pk=selection.pk).voters.count() == 5


@pytest.mark.parametrize("persona", ["huiyuan", "outsider", "xianzong"])
def test_others_do_not_delete_a_ballot(persona, request, client_for, units):
    ballot = svc.ballot_create(unit=units["school"], title="委员", candidates=["甲", "乙"], seats=1)
    client = client_for(request.getfixturevalue(persona))
    assert client.post(reverse("democracy:ballot_action", args=[ballot.pk]), {"action": "delete"}).status_code == 404
    assert Ballot.objects.filter(pk=ballot.pk).exists()


@pytest.fixture
def draft(units, weiyuan, zhuxi):
    """A ballot being set up, one candidate misspelt and one missing."""
    return svc.ballot_create(
        unit=units["school"], title="师德标兵评选", candidates=["张伟", "李秀"], scrutineers=[weiyuan], seats=1
    )


def test_the_chair_corrects_a_ballot_before_voting_starts(client_for, draft, zhuxi, weiyuan, voters):
    client = client_for(zhuxi)
    url = reverse("democracy:ballot_edit", args=[draft.pk])
    assert url in client.get(reverse("democracy:ballot", args=[draft.pk])).content.decode()
    form = client.get(url).content.decode()
    assert "张伟\n李秀" in form  # the candidates as they are, one a line

    data = {
        "title": "2027年师德标兵评选",
        "kind": draft.kind,
        "method": draft.method,
        "mode": draft.mode,
        "electorate": draft.electorate,
        "seats": "2",
        "min_surplus": "1",
        "candidates": "张伟\n李秀英\n王芳",
        "scrutineers": [weiyuan.pk, zhuxi.pk],
    }
    response = client.post(url, data, follow=True)
    assert "已保存。" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.seats, draft.min_surplus) == ("2027年师德标兵评选", 2, 1)
    assert sorted(draft.candidates.values_list("name", flat=True)) == sorted(["张伟", "李秀英", "王芳"])
    assert set(draft.scrutineers.all()) == {weiyuan, zhuxi}
    opened = svc.ballot_open(ballot=draft)  # the corrected ballot is the one the voters get
    assert opened.status == BallotStatus.OPEN and opened.eligible_count == len(voters)


def test_a_correction_with_a_candidate_twice_comes_back_with_what_was_typed(client_for, draft, zhuxi, weiyuan):
    response = client_for(zhuxi).post(
        reverse("democracy:ballot_edit", args=[draft.pk]),
        {
            "title": "师德标兵评选（修订）",
            "kind": draft.kind,
            "method": draft.method,
            "mode": draft.mode,
            "electorate": draft.electorate,
            "seats": "1",
            "min_surplus": "0",
            "candidates": "张伟\n张伟",
            "scrutineers": [weiyuan.pk],
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["candidates"]
    assert "师德标兵评选（修订）" in response.content.decode()
    assert Ballot.objects.get(pk=draft.pk).title == "师德标兵评选"


def test_a_ballot_open_for_voting_is_not_changed(client_for, selection, zhuxi):
    with pytest.raises(DemocracyError, match="投票已经开始"):
        svc.ballot_revise(ballot=selection, title="改名", candidates=["甲"])
    client = client_for(zhuxi)
    assert 'data-testid="edit"' not in client.get(reverse("democracy:ballot", args=[selection.pk])).content.decode()
    response = client.get(reverse("democracy:ballot_edit", args=[selection.pk]), follow=True)
    assert "投票已经开始，不能再修改。" in response.content.decode()
    assert sorted(selection.candidates.values_list("name", flat=True)) == ["丙", "乙", "甲"]


@pytest.mark.parametrize("persona", ["huiyuan", "outsider"])
def test_only_the_unions_officers_correct_a_ballot(persona, request, client_for, draft):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("democracy:ballot_edit", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "改了"}).status_code == 404
    assert Ballot.objects.get(pk=draft.pk).title == "师德标兵评选"


def test_a_paper_with_a_choice_the_ballot_does_not_offer_is_refused_by_name_and_nothing_is_counted(selection, voters):
    ids = {c.name: c.pk for c in selection.candidates.all()}
    for choice in ("bogus", Choice.FOR, Choice.WRITE_IN):
        paper = svc.BallotPaper(choices={ids["甲"]: choice, ids["乙"]: Choice.CHOSEN})
        with pytest.raises(DemocracyError, match=f"甲：“{choice}”"):
            svc.ballot_vote(ballot=selection, user=voters[0], paper=paper)
    with pytest.raises(DemocracyError, match="编号 999999"):
        svc.ballot_vote(ballot=selection, user=voters[0], paper=svc.BallotPaper(choices={999999: Choice.CHOSEN}))
    assert not Voter.objects.get(ballot=selection, user=voters[0]).has_voted
    assert Ballot.objects.get(pk=selection.pk).cast_count == 0
    assert sum(Tally.objects.filter(ballot=selection).values_list("count", flat=True)) == 0
