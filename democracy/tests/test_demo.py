"""The demo leaves demo-school with a session held this year, proposals in every state, and a
closed selection with at least 20 ballots cast and its 公示; it can be run twice."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from democracy.models import Answer, Ballot, BallotStatus, Notice, Proposal, ProposalStatus, Representative, Session
from democracy.models.congress import SessionStatus
from democracy.services.ballots import ballot_results


@pytest.mark.django_db
def test_demo_builds_democratic_management_and_is_idempotent():
    from democracy import demo
    from members import demo as members_demo
    from orgs import demo as orgs_demo
    from plans import demo as plans_demo

    for module in (orgs_demo, members_demo, plans_demo, demo, demo):
        module.populate()

    today = timezone.localdate()
    held = Session.objects.get(unit__code="demo-school", status=SessionStatus.CLOSED)
    assert held.held_on.year == today.year and held.short_name == "三届五次"
    assert held.schedule_item is not None and held.schedule_item.status == "done"
    assert set(Proposal.objects.values_list("status", flat=True)) >= set(ProposalStatus.values)
    assert Proposal.objects.overdue(today).exists()
    # The answer form holds text only, so no answer may point at an attachment.
    assert not Answer.objects.filter(text__contains="附件").exists()
    ballot = Ballot.objects.get(unit__code="demo-school")
    assert ballot.status == BallotStatus.CERTIFIED and ballot.cast_count >= 20
    assert len(ballot_results(ballot).elected) == 3
    assert Notice.objects.filter(ballot=ballot).exists()
    daibiao = get_user_model().objects.get(username="daibiao")
    assert Representative.objects.filter(member__user=daibiao, unit__code="demo-school").exists()
    client = Client()
    client.force_login(get_user_model().objects.get(username="chuzhang"))
    assert "待我答复" in client.get("/democracy/").content.decode()
