from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from activities.exporting import registration_columns, registration_rows
from activities.models import Activity
from core.tables import write_csv, write_xlsx


class Command(BaseCommand):
    help = "Write an activity's registration list to an .xlsx or .csv file (the page's export)."

    def add_arguments(self, parser):
        parser.add_argument("activity", type=int, help="the activity's id")
        parser.add_argument("path", help="where to write; .csv for CSV, anything else for .xlsx")

    def handle(self, *args, activity, path, **options):
        found = Activity.objects.filter(pk=activity).first()
        if found is None:
            raise CommandError(f"No activity with id {activity}.")
        target = Path(path)
        columns, rows = registration_columns(), registration_rows(found)
        if target.suffix.lower() == ".csv":
            target.write_bytes(write_csv(columns, rows))
        else:
            target.write_bytes(write_xlsx(columns, rows, title=found.title))
        self.stdout.write(f"{found.title}: {found.registrations.exclude(status='cancelled').count()} rows -> {target}")
