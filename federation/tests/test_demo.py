"""The demo leaves demo-county with filings in every state, a report call with two submissions and
targets handed down, and can be run twice."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from federation import filing as machine
from federation.models import CallKind, FilingCall, FilingStatus, HandedDownTarget, UnitState
from federation.tests.conftest import TODAY


@pytest.mark.django_db
def test_demo_builds_the_countys_year_and_is_idempotent():
    from activities import demo as activities_demo
    from federation import demo
    from members import demo as members_demo
    from orgs import demo as orgs_demo
    from plans import demo as plans_demo

    for module in (orgs_demo, members_demo, plans_demo, activities_demo, demo, demo):
        module.populate()

    plan_call = FilingCall.objects.get(kind=CallKind.PLAN)
    states = [s.state for s in machine.call_states(plan_call, today=TODAY)]
    assert len(states) == 19
    assert states.count(UnitState.ACCEPTED) + states.count(UnitState.FILED) == 4
    assert UnitState.RETURNED in states
    assert {UnitState.LATE, UnitState.NOT_STARTED} & set(states)
    report = FilingCall.objects.get(kind=CallKind.REPORT)
    assert report.filings.filter(status=FilingStatus.FILED).count() == 2
    # 女职工人数 as a union would report it: never fewer than the women members on its roster.
    from members.models import Member

    women_key = report.fields.get(label="女职工人数").key
    for filing in report.filings.filter(status=FilingStatus.FILED).select_related("unit"):
        women_members = Member.objects.in_subtree(filing.unit).in_union().women().count()
        assert women_members > 0 and int(filing.data[women_key]) > women_members
    assert HandedDownTarget.objects.count() == 2

    client = Client()
    client.force_login(get_user_model().objects.get(username="xianzong"))
    html = client.get(reverse("workbench:home_units")).content.decode()
    for name in ("清河县城关镇中心学校工会", "清河县第一中学工会", "清河县第二中学工会"):
        assert name in html.split('data-testid="units-below"')[1]
