"""Whether each answered proposal or suggestion was answered on time, as the figures counted it until now (the
first answer's day against the deadline stored). One reopened before this migration has only its second
deadline left: it keeps the count it had, so that no stored figure moves."""

from django.db import migrations
from django.db.models import F


def fill(apps, schema_editor):
    Proposal = apps.get_model("democracy", "Proposal")
    answered = Proposal.objects.filter(first_answered_on__isnull=False)
    answered.filter(first_answered_on__lte=F("due_on")).update(answered_on_time=True)
    answered.filter(answered_on_time__isnull=True).update(answered_on_time=False)


class Migration(migrations.Migration):
    dependencies = [("democracy", "0013_proposal_answered_on_time")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
