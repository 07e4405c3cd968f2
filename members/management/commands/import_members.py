import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from members.importing import ImportFileError, roster_import
from orgs.models import OrgUnit


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
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--skip-errors", action="store_true", help="write the good rows even if some failed")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the result as JSON")

    def handle(self, *args, file, unit, dry_run, skip_errors, as_json, **options):
        target = OrgUnit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(_("没有编码为“%(code)s”的单位。") % {"code": unit})
        try:
            result = roster_import(file, unit=target, dry_run=dry_run, skip_errors=skip_errors)
        except (ImportFileError, OSError) as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self._report(result, dry_run)
        if result.errors and not skip_errors:
            # The import was stopped (or, in a dry run, would be): say so through the exit status.
            raise SystemExit(1)

    def _report(self, result, dry_run):
        for error in result.errors:
            column = f" [{error.column}]" if error.column else ""
            self.stderr.write(f"row {error.row}{column}: {error.message}")
        written = "would be " if dry_run else ("" if result.written else "NOT ")
        self.stdout.write(
            f"{result.created} new, {result.updated} updated, {result.unchanged} unchanged, "
            f"{result.failed} failed rows; {written}written"
        )
