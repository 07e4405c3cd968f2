from django.core.management.base import BaseCommand, CommandError

from members.importing import ImportFileError, roster_import
from orgs.management.commands.import_sheet import report, unit_by_code


class Command(BaseCommand):
    help = (
        "Import a roster (.xlsx, .xls, .csv) into a unit's subtree, matching members by ID number. "
        "All or nothing unless --skip-errors; exits non-zero when errors stopped the import."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--unit", required=True, help="code of the unit to import into (rows may name units below it)"
        )
        parser.add_argument("--sheet", default=None, help="the sheet to read (default: the first with a header)")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--skip-errors", action="store_true", help="write the good rows even if some failed")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the result as JSON")

    def handle(self, *args, file, unit, sheet, dry_run, skip_errors, as_json, **options):
        target = unit_by_code(unit)
        try:
            result = roster_import(file, unit=target, sheet=sheet, dry_run=dry_run, skip_errors=skip_errors)
        except (ImportFileError, OSError) as error:
            raise CommandError(str(error)) from None
        report(self, result, dry_run=dry_run, as_json=as_json, skip_errors=skip_errors)
