"""Encrypt the failed rows that import jobs stored in clear before core.sheets.jobs kept them encrypted."""

import json

from django.db import migrations


def encrypt_failed_rows(apps, schema_editor):
    from core import encryption

    ImportJob = apps.get_model("members", "ImportJob")
    for job in ImportJob.objects.all().iterator():
        rows = (job.result or {}).get("failed_rows")
        if isinstance(rows, list):
            data = {"rows": rows, "sheets": [""] * len(rows)}
            job.result["failed_rows"] = encryption.encrypt(json.dumps(data, ensure_ascii=False)) if rows else ""
            job.save(update_fields=["result"])


class Migration(migrations.Migration):
    dependencies = [("members", "0007_import_job_task_id")]

    operations = [migrations.RunPython(encrypt_failed_rows, migrations.RunPython.noop)]
