"""The demo fills demo-school's archive with believable households and a 送温暖 campaign in progress."""

import pytest
from django.utils import timezone

from care import demo
from care.models import Campaign, Household

pytestmark = pytest.mark.django_db


def test_the_demo_archive_and_running_campaign(settings):
    from members import demo as members_demo
    from orgs import demo as orgs_demo

    orgs_demo.populate()
    members_demo.populate()
    demo.populate()
    demo.populate()  # idempotent

    files = Household.objects.filter(unit__code__startswith="demo-school")
    assert files.count() >= 8
    assert set(files.values_list("level", flat=True)) == {"deep", "relative", "accident"}
    assert files.filter(member__isnull=False).count() == files.count()  # every file is a member of the roster
    assert files.filter(status="lifted").exists()
    campaign = Campaign.objects.get(unit__code="demo-school")
    assert campaign.is_running and campaign.starts_on <= timezone.localdate() <= campaign.ends_on
    assert 0 < campaign.entries.filter(done_on__isnull=False).count() < campaign.entries.count()
