"""The 落款 date of each summary already final: the day it was last changed, the date its Word export
was signed with until now, so that no exported document changes its date and the next edit does not
move it."""

from django.db import migrations
from django.utils import timezone


def fill(apps, schema_editor):
    YearSummary = apps.get_model("plans", "YearSummary")
    final = YearSummary.objects.filter(status="final", dated__isnull=True).only("pk", "updated_at")
    batch = []
    for summary in final.iterator(chunk_size=1000):
        summary.dated = timezone.localdate(summary.updated_at)
        batch.append(summary)
        if len(batch) == 1000:
            YearSummary.objects.bulk_update(batch, ["dated"])
            batch = []
    YearSummary.objects.bulk_update(batch, ["dated"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0013_year_summary_dated")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
