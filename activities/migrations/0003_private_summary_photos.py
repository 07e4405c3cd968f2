"""Summary photos move from MEDIA_ROOT (once served under /media/ to anyone) to private storage."""

import core.files
from django.db import migrations, models


def move_photos(apps, schema_editor):
    SummaryPhoto = apps.get_model("activities", "SummaryPhoto")
    for name in SummaryPhoto.objects.exclude(image="").values_list("image", flat=True).iterator():
        core.files.move_from_public_media(name)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_orderings_without_joins"),
    ]

    operations = [
        migrations.AlterField(
            model_name="summaryphoto",
            name="image",
            field=models.ImageField(
                storage=core.files.private_storage, upload_to="activities/summaries/%Y/%m/", verbose_name="照片"
            ),
        ),
        # Moving back is not offered: a photo must never return to a public folder.
        migrations.RunPython(move_photos, migrations.RunPython.noop),
    ]
