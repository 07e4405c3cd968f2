"""The demo data builds on an empty database, links to the plan, and can be run twice."""

import pytest
from django.utils import timezone

from activities.models import Activity, Competition, EventFormat, SportsEvent, Status, SummaryStatus


@pytest.mark.django_db
def test_demo_builds_a_year_of_activities_and_is_idempotent():
    from activities import demo
    from members import demo as members_demo
    from orgs import demo as orgs_demo
    from plans import demo as plans_demo

    for module in (orgs_demo, members_demo, plans_demo, demo, demo):
        module.populate()

    held = Activity.objects.filter(status=Status.HELD)
    assert held.count() >= 5
    assert all(a.participant_times for a in held)
    linked = held.filter(schedule_item__isnull=False).select_related("schedule_item")
    assert linked.exists()
    for activity in linked:
        item = activity.schedule_item
        if item.recurring:  # "每月……": the activity's month is done, not the whole item
            assert item.occurrences.filter(month=timezone.localtime(activity.starts_at).month).exists()
        else:
            assert item.status == "done"
    open_now = Activity.objects.open_for_registration(timezone.now()).with_counts().get()
    assert open_now.registered_count < open_now.capacity
    knockout = SportsEvent.objects.get(format=EventFormat.KNOCKOUT)
    assert knockout.entries.filter(place=1).count() == 1
    statuses = set(Activity.objects.filter(summary__isnull=False).values_list("summary__status", flat=True))
    assert {SummaryStatus.SUBMITTED, SummaryStatus.RETURNED} <= statuses
    contest = Competition.objects.get(unit__code="demo-jixie")
    assert contest.contestants.filter(is_winner=True).count() == 1
