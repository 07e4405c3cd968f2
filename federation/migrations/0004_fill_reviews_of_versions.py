"""Versions filed before reviews were kept on them get the decision known of them: the latest one of a
reviewed filing the filing's own review; each earlier one "returned", since only a send-back lets a unit
file again (who sent it back, when and why was overwritten by the next review and is not known)."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Subquery

REVIEWED = ["returned", "accepted"]


def fill(apps, schema_editor):
    Filing = apps.get_model("federation", "Filing")
    FilingVersion = apps.get_model("federation", "FilingVersion")
    later = FilingVersion.objects.filter(filing_id=OuterRef("filing_id"), number__gt=OuterRef("number"))
    reviewed = Filing.objects.filter(pk=OuterRef("filing_id"), status__in=REVIEWED)
    undecided = FilingVersion.objects.filter(decision="")
    undecided.filter(~Exists(later), Exists(reviewed)).update(
        decision=Subquery(reviewed.values("status")[:1]),
        reviewed_at=Subquery(reviewed.values("reviewed_at")[:1]),
        reviewed_by_id=Subquery(reviewed.values("reviewed_by_id")[:1]),
        comment=Subquery(reviewed.values("comment")[:1]),
    )
    undecided.filter(Exists(later)).update(decision="returned")


class Migration(migrations.Migration):
    dependencies = [("federation", "0003_review_on_each_version")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
