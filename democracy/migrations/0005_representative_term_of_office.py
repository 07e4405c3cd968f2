from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def elected_when_the_term_began(apps, schema_editor):
    """Representatives recorded before these dates were kept are taken as elected when their term began."""
    Congress = apps.get_model("democracy", "Congress")
    Representative = apps.get_model("democracy", "Representative")
    began = Congress.objects.filter(pk=OuterRef("congress_id")).values("starts_on")[:1]
    Representative.objects.filter(elected_on__isnull=True).update(elected_on=Subquery(began))


class Migration(migrations.Migration):
    dependencies = [("democracy", "0004_ballot_method_label")]

    operations = [
        migrations.AddField(
            model_name="representative",
            name="elected_on",
            field=models.DateField(null=True, verbose_name="当选日期"),
        ),
        migrations.AddField(
            model_name="representative",
            name="left_on",
            field=models.DateField(blank=True, null=True, verbose_name="卸任日期"),
        ),
        migrations.AddField(
            model_name="representative",
            name="left_reason",
            field=models.CharField(blank=True, max_length=100, verbose_name="卸任原因"),
        ),
        migrations.RunPython(elected_when_the_term_began, migrations.RunPython.noop),
    ]
