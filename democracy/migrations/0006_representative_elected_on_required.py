from django.db import migrations, models


class Migration(migrations.Migration):
    # Its own migration (its own transaction): PostgreSQL may refuse to alter a table with the
    # updates of the migration before still pending in the same transaction.
    dependencies = [("democracy", "0005_representative_term_of_office")]

    operations = [
        migrations.AlterField(
            model_name="representative",
            name="elected_on",
            field=models.DateField(verbose_name="当选日期"),
        ),
    ]
