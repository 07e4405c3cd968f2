from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orgs.models import OrgUnit
from plans import documents
from plans.models import Plan, YearSummary

KINDS = ("plan", "summary", "archive")


class Command(BaseCommand):
    help = (
        "Write a unit's plan or year-end summary as .docx in the official layout, or its year-end "
        "archive as .zip (the same files the plan pages offer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="code of the unit")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--what", choices=KINDS, default="plan", help="plan (default), summary or archive")
        parser.add_argument("--out", required=True, help="FILE.docx (plan, summary) or FILE.zip (archive)")
        parser.add_argument(
            "--with-roster", action="store_true", help="archive: add the roster (ID numbers and phones masked)"
        )

    def handle(self, *args, unit, year, what, out, with_roster, **options):
        target = OrgUnit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"no unit with code {unit!r}")
        out = Path(out)
        expected = ".zip" if what == "archive" else ".docx"
        if out.suffix.lower() != expected:
            raise CommandError(f"--out must end in {expected} for --what {what}")
        plan = Plan.objects.filter(unit=target, year=year).select_related("unit").first()
        summary = YearSummary.objects.filter(unit=target, year=year).select_related("unit").first()
        if what == "plan":
            if plan is None:
                raise CommandError(f"{target.code} has no plan for {year}")
            data = documents.plan_docx(plan)
        elif what == "summary":
            if summary is None:
                raise CommandError(f"{target.code} has no year-end summary for {year}")
            data = documents.summary_docx(summary)
        else:
            if plan is None and summary is None:
                raise CommandError(f"{target.code} has neither a plan nor a summary for {year}")
            extra = documents.roster_files(target, year) if with_roster else []
            data = documents.archive_zip(unit=target, year=year, plan=plan, summary=summary, extra_files=extra)
        out.write_bytes(data)
        self.stdout.write(f"{out} ({len(data):,} bytes)")
