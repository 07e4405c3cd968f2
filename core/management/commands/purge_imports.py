from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.sheets.jobs import SheetImportJob, purge_jobs


class Command(BaseCommand):
    help = (
        "Delete uploaded sheets and the failed rows kept of import jobs (and other upload jobs with "
        "purge_uploads) older than "
        "PRIVATE_FILES_RETENTION_DAYS (run it daily, e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="retention in days (default: the setting)")

    def handle(self, *args, days, **options):
        now = timezone.now()
        for model in apps.get_models():
            if issubclass(model, SheetImportJob):
                count = purge_jobs(model, now=now, days=days)
            elif hasattr(model, "purge_uploads"):  # another kind of upload job, e.g. plans.PlanReadJob
                count = model.purge_uploads(now=now, days=days)
            else:
                continue
            self.stdout.write(f"{model._meta.label}: {count} jobs purged")
