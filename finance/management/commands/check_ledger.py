"""Recompute every budget line's executed total from its payments (and income) and report the differences."""

import sys

from django.core.management.base import BaseCommand, CommandError

from finance.models import BudgetLine
from finance.services import ledger_check, ledger_fix
from orgs.models import OrgUnit


class Command(BaseCommand):
    help = "Recompute every budget line from its payments; print the differences and exit 1 when there is one."

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="code of a unit: check it and its subtree only")
        parser.add_argument("--fix", action="store_true", help="set each drifted line to what its payments add up to")

    def handle(self, *args, unit=None, fix=False, **options):
        scope = None
        if unit:
            scope = OrgUnit.objects.filter(code=unit).first()
            if scope is None:
                raise CommandError(f"no unit with the code {unit!r}")
        differences = ledger_check(unit=scope)
        for d in differences:
            line = d.line
            self.stdout.write(
                f"{line.budget.unit.code} {line.budget.year} {line}: "
                f"recorded {d.recorded}, payments add up to {d.computed}, difference {d.recorded - d.computed}"
            )
        checked = BudgetLine.objects.filter(budget__unit__path__startswith=scope.path).count() if scope else None
        if not differences:
            count = checked if checked is not None else BudgetLine.objects.count()
            self.stdout.write(f"ledger balanced: {count} lines agree with their payments")
            return
        if fix:
            ledger_fix(differences)
            self.stdout.write(f"fixed {len(differences)} lines")
            return
        self.stderr.write(f"{len(differences)} lines differ from their payments")
        sys.exit(1)
