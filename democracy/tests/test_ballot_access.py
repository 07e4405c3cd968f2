"""Who reads a ballot: everyone on its roll of voters, whatever their role (the roll is drawn from the
roster, not from roles), besides those whose role lets them read their union's ballots; no one else."""

import json

import pytest
from django.urls import reverse

from conftest import make_person
from democracy.models import Ballot
from democracy.services import ballots as svc
from democracy.tests.conftest import add_member
from orgs.roles import Role


@pytest.fixture
def members_ballot(units, xiaozu, bangfu, huiyuan):
    """A members' ballot of demo-school, opened as its page opens it: the group leader, the care officer
    and a member are on the roll through the roster."""
    add_member(units["g1"], "李秀英", user=xiaozu)
    add_member(units["g1"], "周小红", user=huiyuan)
    add_member(units["school"], "赵丽", user=bangfu)
    ballot = svc.ballot_create(unit=units["school"], title="师德标兵", candidates=["甲", "乙"])
    return svc.ballot_open(ballot=ballot)


def chosen_body(ballot, name):
    candidate = ballot.candidates.get(name=name)
    return json.dumps({"choices": {str(candidate.pk): "chosen"}})


@pytest.mark.parametrize("persona", ["xiaozu", "bangfu"])
def test_an_officer_on_the_roll_opens_the_ballot_and_votes_on_the_page(persona, request, client_for, members_ballot):
    client = client_for(request.getfixturevalue(persona))
    me = client.get("/me/").content.decode()
    assert reverse("democracy:ballot", args=[members_ballot.pk]) in me
    page = client.get(reverse("democracy:ballot", args=[members_ballot.pk]))
    assert page.status_code == 200 and 'data-testid="vote"' in page.content.decode()
    assert "已投 0 / 3" in page.content.decode()
    candidate = members_ballot.candidates.get(name="甲")
    voted = client.post(reverse("democracy:ballot_vote", args=[members_ballot.pk]), {f"c{candidate.pk}": "on"})
    assert voted.status_code == 302
    page = client.get(reverse("democracy:ballot", args=[members_ballot.pk])).content.decode()
    assert 'data-testid="voted"' in page and "已投 1 / 3" in page
    # Voted: /me/ no longer sends them to vote.
    assert reverse("democracy:ballot", args=[members_ballot.pk]) not in client.get("/me/").content.decode()


def test_the_group_leader_lists_and_votes_over_the_api(client_for, xiaozu, members_ballot):
    client = client_for(xiaozu)
    listed = client.get("/api/v1/democracy/ballots").json()
    assert listed["count"] == 1 and listed["items"][0]["eligible_count"] == 3
    url = f"/api/v1/democracy/ballots/{members_ballot.pk}/vote"
    assert client.post(url, chosen_body(members_ballot, "甲"), content_type="application/json").status_code == 204
    assert client.get("/api/v1/democracy/ballots").json()["items"][0]["cast_count"] == 1
    svc.ballot_close(ballot=members_ballot)
    results = client.get(f"/api/v1/democracy/ballots/{members_ballot.pk}/results").json()
    assert {r["name"]: r["votes"] for r in results} == {"甲": 1, "乙": 0}


def test_a_group_leader_not_on_the_roll_still_cannot_open_it(client_for, units, members_ballot):
    # Of demo-school's other group, with a login but no record on the roster: not on the roll.
    other = make_person("xiaozu2", "郑明", units["g2"], Role.GROUP_LEADER)
    client = client_for(other)
    assert client.get(reverse("democracy:ballot", args=[members_ballot.pk])).status_code == 404
    assert client.get("/api/v1/democracy/ballots").json()["count"] == 0
    url = f"/api/v1/democracy/ballots/{members_ballot.pk}/vote"
    assert client.post(url, chosen_body(members_ballot, "甲"), content_type="application/json").status_code == 404


def test_being_on_one_ballots_roll_opens_no_other(client_for, units, xiaozu, members_ballot):
    draft = svc.ballot_create(unit=units["school"], title="优秀班主任", candidates=["丙", "丁"])
    office = svc.ballot_open(ballot=svc.ballot_create(unit=units["office"], title="机关评选", candidates=["戊"]))
    assert list(Ballot.objects.readable_by(xiaozu)) == [members_ballot]
    client = client_for(xiaozu)
    for ballot in (draft, office):
        assert client.get(reverse("democracy:ballot", args=[ballot.pk])).status_code == 404
