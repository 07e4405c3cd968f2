"""Import a sheet into a unit with any importer registered in core.sheets (the roster, insurance lists ...).

It lives in orgs, the lowest app that knows units: core cannot, and every app above may use its helpers."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.sheets import ImportFileError, importer_for, registered, run_import
from orgs.models import OrgUnit


def report(command, result, *, dry_run, as_json, skip_errors):
    """What an import command prints: JSON, or a line per error and a summary; exit 1 when errors stopped it."""
    if as_json:
        command.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        for error in result.errors:
            sheet = f"{error.sheet} " if error.sheet else ""
            column = f" [{error.column}]" if error.column else ""
            command.stderr.write(f"{sheet}row {error.row}{column}: {error.message}")
        written = "would be " if dry_run else ("" if result.written else "NOT ")
        command.stdout.write(
            f"{result.created} new, {result.updated} updated, {result.unchanged} unchanged, "
            f"{result.failed} failed rows; {written}written"
        )
    if result.errors and not skip_errors:
        # The import was stopped (or, in a dry run, would be): say so through the exit status.
        raise SystemExit(1)


def unit_by_code(code):
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(_("没有编码为“%(code)s”的单位。") % {"code": code})
    return unit


class Command(BaseCommand):
    help = (
        "Import a sheet (.xlsx, .xls, .csv) with one of the registered importers (core.sheets), "
        "all or nothing unless --skip-errors; exits non-zero when errors stopped the import."
    )

    def add_arguments(self, parser):
        parser.add_argument("importer", help="the importer's key, e.g. care.insurance_enrollment")
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="code of the unit to import into")
        parser.add_argument("--sheet", default=None, help="the sheet to read (default: the first with a header)")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--skip-errors", action="store_true", help="write the good rows even if some failed")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the result as JSON")

    def handle(self, *args, importer, file, unit, sheet, dry_run, skip_errors, as_json, **options):
        try:
            chosen = importer_for(importer)
        except KeyError:
            keys = ", ".join(sorted(i.key for i in registered()))
            raise CommandError(f"unknown importer {importer!r}; registered: {keys}") from None
        try:
            result = run_import(
                chosen, file, unit=unit_by_code(unit), sheet=sheet, dry_run=dry_run, skip_errors=skip_errors
            )
        except (ImportFileError, OSError) as error:
            raise CommandError(str(error)) from None
        report(self, result, dry_run=dry_run, as_json=as_json, skip_errors=skip_errors)
