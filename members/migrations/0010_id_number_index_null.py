"""A member without an ID number has NULL as its blind index, not "": the unique constraint is then a plain
unique index that every lookup by ID number can use (one number, or an import's thousands), and the
second index on the column, kept because the partial unique index served no IN (...) lookup, goes.
One index fewer for every row an import writes, and for a province's ten million members."""

from django.db import migrations, models


def blank_to_null(apps, schema_editor):
    apps.get_model("members", "Member").objects.filter(id_number_index="").update(id_number_index=None)


def null_to_blank(apps, schema_editor):
    apps.get_model("members", "Member").objects.filter(id_number_index__isnull=True).update(id_number_index="")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_birthday_indexes"),
    ]

    # The blanks are found through the plain index before it goes (not by reading a province's roster);
    # the partial constraint goes first, so that undoing this adds it back to a column without NULLs.
    operations = [
        migrations.RemoveConstraint(model_name="member", name="member_unique_id_number"),
        migrations.AlterField(
            model_name="member",
            name="id_number_index",
            field=models.CharField(blank=True, editable=False, max_length=40, null=True),
        ),
        migrations.RunPython(blank_to_null, null_to_blank, elidable=True),
        migrations.RemoveIndex(model_name="member", name="member_id_index_idx"),
        migrations.AddConstraint(
            model_name="member",
            constraint=models.UniqueConstraint(fields=("id_number_index",), name="member_unique_id_number"),
        ),
    ]
