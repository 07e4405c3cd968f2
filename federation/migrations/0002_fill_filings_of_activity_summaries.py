"""Activity summaries submitted before they moved onto the filing machine get their Filing (and the
version they submitted), so that returned ones are on the group's to-do list and reviews go on."""

from django.db import migrations

STATUS = {"submitted": "filed", "returned": "returned", "accepted": "accepted"}


def fill(apps, schema_editor):
    Summary = apps.get_model("activities", "Summary")
    Filing = apps.get_model("federation", "Filing")
    FilingVersion = apps.get_model("federation", "FilingVersion")
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    ContentType = apps.get_model("contenttypes", "ContentType")
    pending = Summary.objects.filter(status__in=list(STATUS)).select_related("activity__unit")
    if not pending.exists():
        return
    content_type, _created = ContentType.objects.get_or_create(app_label="activities", model="summary")
    done = set(Filing.objects.filter(subject_type=content_type).values_list("subject_id", flat=True))
    for summary in pending.iterator():
        unit = summary.activity.unit
        parent = OrgUnit.objects.filter(path=unit.path[:-4]).first() if unit.depth > 1 else None
        if summary.pk in done or parent is None:
            continue
        filing = Filing.objects.create(
            unit=unit,
            parent=parent,
            kind="activities.summary",
            year=summary.activity.starts_at.year,
            title=f"{summary.activity.title}的活动总结"[:200],
            subject_type=content_type,
            subject_id=summary.pk,
            data={"text": summary.text, "photos": []},
            status=STATUS[summary.status],
            filed_at=summary.submitted_at,
            filed_by_id=summary.submitted_by_id,
            reviewed_at=summary.reviewed_at,
            reviewed_by_id=summary.reviewed_by_id,
            comment=summary.review_comment,
        )
        if summary.submitted_at:
            FilingVersion.objects.create(
                filing=filing,
                number=1,
                title=filing.title,
                data=filing.data,
                filed_at=summary.submitted_at,
                filed_by_id=summary.submitted_by_id,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0001_initial"),
        ("activities", "0002_orderings_without_joins"),
        ("orgs", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
