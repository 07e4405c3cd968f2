"""Summaries submitted before the filing machine get their filing from the data migration."""

import datetime
import importlib

from django.apps import apps
from django.utils import timezone

from activities.filing import filing_of
from activities.models import Activity, Status, Summary
from federation.models import FilingStatus

fill = importlib.import_module("federation.migrations.0002_fill_filings_of_activity_summaries").fill


def test_a_summary_returned_before_the_machine_is_on_the_groups_to_do_list(units, xiaozu, zhuxi):
    activity = Activity.objects.create(
        unit=units["g1"], title="读书会", starts_at=timezone.now(), status=Status.HELD, created_by=zhuxi
    )
    when = timezone.now() - datetime.timedelta(days=2)
    summary = Summary.objects.create(
        activity=activity,
        text="总结",
        status="returned",
        submitted_at=when,
        submitted_by=xiaozu,
        reviewed_by=zhuxi,
        reviewed_at=when,
        review_comment="补充",
    )
    fill(apps, None)
    fill(apps, None)  # twice: nothing doubled
    filing = filing_of(summary)
    assert filing.status == FilingStatus.RETURNED and filing.parent == units["school"]
    assert filing.versions.count() == 1 and filing.comment == "补充"
