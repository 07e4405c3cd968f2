"""Summaries made final before they had a 落款 date keep the date their Word export was signed with."""

import datetime
import importlib

from django.apps import apps
from django.utils import timezone

from plans.models import SummaryStatus, YearSummary

fill = importlib.import_module("plans.migrations.0014_fill_year_summary_dated").fill


def test_a_summary_final_before_the_date_existed_keeps_the_day_of_its_last_change(units):
    changed = timezone.make_aware(datetime.datetime(2027, 12, 28, 23, 30))  # 28 December, Beijing time
    final = YearSummary.objects.create(unit=units["school"], year=2027, title="总结", status=SummaryStatus.FINAL)
    draft = YearSummary.objects.create(unit=units["school"], year=2028, title="总结")
    dated = YearSummary.objects.create(
        unit=units["g1"], year=2027, title="总结", status=SummaryStatus.FINAL, dated=datetime.date(2027, 12, 30)
    )
    YearSummary.objects.filter(pk__in=[final.pk, draft.pk, dated.pk]).update(updated_at=changed)
    fill(apps, None)
    assert YearSummary.objects.get(pk=final.pk).dated == datetime.date(2027, 12, 28)
    assert YearSummary.objects.get(pk=draft.pk).dated is None
    assert YearSummary.objects.get(pk=dated.pk).dated == datetime.date(2027, 12, 30)
