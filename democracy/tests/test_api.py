"""The JSON API: the same rules as the pages (window, co-signers, one vote, sealed results)."""

import pytest
from django.utils import timezone

from democracy.models import Proposal, Session
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
