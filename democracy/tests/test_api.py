"""The JSON API: the same rules as the pages (window, co-signers, one vote, sealed results)."""

import pytest
from django.utils import timezone

from democracy.models import Proposal, Session, Tally, Voter
from democracy.services import ballots as ballot_svc
from democracy.tests.conftest import add_member


@pytest.fixture
def open_session(congress, units):
    today = timezone.localdate()
    return Session.objects.create(
        congress=congress,
        unit=units["school"],
        number=6,
        held_on=today,
        proposals_open_on=today,
        proposals_close_on=today,
    )


def test_a_representative_submits_and_fellows_cosign_over_the_api(client_for, open_session, daibiao, fellows):
    response = client_for(daibiao).post(
        "/api/v1/democracy/proposals",
        {"session_id": open_session.pk, "title": "食堂", "reasons": "r", "measures": "m"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "cosigning"
    proposal_id = response.json()["id"]
    again = client_for(daibiao).post(f"/api/v1/democracy/proposals/{proposal_id}/cosign")
    assert again.status_code == 409 and "不能为自己的提案附议" in again.json()["message"]
    for fellow in fellows[:2]:
        client_for(fellow).post(f"/api/v1/democracy/proposals/{proposal_id}/cosign")
    assert Proposal.objects.get().status == "submitted"


def test_the_api_lists_only_what_a_person_may_see(client_for, open_session, daibiao, outsider):
    client_for(daibiao).post(
        "/api/v1/democracy/proposals",
        {"session_id": open_session.pk, "title": "食堂", "reasons": "r", "measures": "m"},
        content_type="application/json",
    )
    assert client_for(outsider).get("/api/v1/democracy/proposals").json()["count"] == 0


def test_one_vote_over_the_api_and_results_sealed_until_close(client_for, units, huiyuan, zhuxi):
    add_member(units["g1"], "周小红", user=huiyuan)
    ballot = ballot_svc.ballot_open(
        ballot=ballot_svc.ballot_create(unit=units["school"], title="评选", candidates=["甲", "乙"])
    )
    candidate = ballot.candidates.first()
    client = client_for(huiyuan)
    url = f"/api/v1/democracy/ballots/{ballot.pk}/vote"
    assert (
        client.post(url, {"choices": {str(candidate.pk): "chosen"}}, content_type="application/json").status_code == 204
    )
    second = client.post(url, {"choices": {str(candidate.pk): "chosen"}}, content_type="application/json")
    assert second.status_code == 409 and "只能投一次" in second.json()["message"]
    assert client.get(f"/api/v1/democracy/ballots/{ballot.pk}/results").status_code == 409
    ballot_svc.ballot_close(ballot=ballot)
    results = client.get(f"/api/v1/democracy/ballots/{ballot.pk}/results").json()
    assert {r["name"]: r["votes"] for r in results} == {"甲": 1, "乙": 0}


@pytest.fixture
def member_voting(units, huiyuan):
    add_member(units["g1"], "周小红", user=huiyuan)
    return ballot_svc.ballot_open(
        ballot=ballot_svc.ballot_create(unit=units["school"], title="评选", candidates=["甲", "乙"])
    )


def _nothing_counted(ballot, user):
    ballot.refresh_from_db()
    assert ballot.cast_count == 0
    assert not Voter.objects.get(ballot=ballot, user=user).has_voted
    assert sum(Tally.objects.filter(ballot=ballot).values_list("count", flat=True)) == 0


def test_a_choice_that_is_none_of_the_choices_is_a_422_naming_it_and_nothing_is_counted(
    client_for, huiyuan, member_voting
):
    first, second = member_voting.candidates.all()
    client = client_for(huiyuan)
    url = f"/api/v1/democracy/ballots/{member_voting.pk}/vote"
    body = {"choices": {str(first.pk): "bogus", str(second.pk): "chosen"}}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 422
    [problem] = refused.json()["detail"]
    assert problem["loc"] == ["body", "payload", "choices", str(first.pk)] and problem["type"] == "enum"
    _nothing_counted(member_voting, huiyuan)
    # Not a blank ballot: the voter still votes.
    retry = client.post(url, {"choices": {str(second.pk): "chosen"}}, content_type="application/json")
    assert retry.status_code == 204


def test_a_choice_of_another_method_and_an_unknown_candidate_are_refused_by_name(client_for, huiyuan, member_voting):
    first = member_voting.candidates.get(name="甲")
    client = client_for(huiyuan)
    url = f"/api/v1/democracy/ballots/{member_voting.pk}/vote"
    wrong = client.post(url, {"choices": {str(first.pk): "for"}}, content_type="application/json")
    assert wrong.status_code == 409 and "甲" in wrong.json()["message"] and "for" in wrong.json()["message"]
    unknown = client.post(url, {"choices": {"999999": "chosen"}}, content_type="application/json")
    assert unknown.status_code == 409 and "999999" in unknown.json()["message"]
    _nothing_counted(member_voting, huiyuan)


BLANKS = ["", "   ", "\u3000\n\t", "\x01\x02\x7f"]


@pytest.mark.parametrize("blank", BLANKS)
def test_a_proposal_without_title_reasons_or_measures_is_refused_naming_each(blank, client_for, open_session, daibiao):
    body = {"session_id": open_session.pk, "title": blank, "reasons": blank, "measures": blank}
    refused = client_for(daibiao).post("/api/v1/democracy/proposals", body, content_type="application/json")
    assert refused.status_code == 409 and "案由、理由、建议措施" in refused.json()["message"]
    assert not Proposal.objects.exists()


def test_a_proposal_missing_only_its_measures_names_only_them(client_for, open_session, daibiao):
    body = {"session_id": open_session.pk, "title": "食堂", "reasons": "r", "measures": " \x03 "}
    refused = client_for(daibiao).post("/api/v1/democracy/proposals", body, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["message"] == "请填写建议措施。"
    assert not Proposal.objects.exists()


def test_a_proposals_title_is_one_line_as_typed(client_for, daibiao, open_session):
    response = client_for(daibiao).post(
        "/api/v1/democracy/proposals",
        {
            "session_id": open_session.pk,
            "title": "增设\r\n教工\u202e午休室",
            "reasons": "第一段\n第二段",
            "measures": "改建",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "增设 教工午休室"
