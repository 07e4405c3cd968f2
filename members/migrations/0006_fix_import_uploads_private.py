"""Move roster uploads that versions before private storage kept under MEDIA_ROOT into PRIVATE_MEDIA_ROOT."""

from django.db import migrations


def move_uploads(apps, schema_editor):
    from core.files import move_from_public_media

    ImportJob = apps.get_model("members", "ImportJob")
    for name in ImportJob.objects.exclude(file="").values_list("file", flat=True).iterator():
        move_from_public_media(name)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_import_jobs_end_and_private_uploads")]

    operations = [migrations.RunPython(move_uploads, migrations.RunPython.noop)]
