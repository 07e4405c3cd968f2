"""Recompute every budget line's executed total from its payments (and income) and report the differences."""

import sys

from django.core.management.base import BaseCommand, CommandError

from finance.models import BudgetLine, Income
from finance.services import ledger_check, ledger_fix, ledger_place, ledger_unplaced
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
        if fix:
            placed = ledger_place(unit=scope)
            if placed:
                self.stdout.write(f"placed {placed} entries on the lines of their approved budgets")
        differences = ledger_check(unit=scope)
        unplaced, unplaced_count = ledger_unplaced(unit=scope)
        for entry in unplaced:
            day = entry.received_on if isinstance(entry, Income) else entry.paid_on
            what = "income" if isinstance(entry, Income) else "payment"
            self.stdout.write(
                f"{entry.unit.code} {day:%Y-%m-%d} {what} #{entry.pk} {entry.amount}: on no budget line, counted nowhere"
            )
        for d in differences:
            line = d.line
            self.stdout.write(
                f"{line.budget.unit.code} {line.budget.year} {line}: "
                f"recorded {d.recorded}, payments add up to {d.computed}, difference {d.recorded - d.computed}"
            )
        checked = BudgetLine.objects.filter(budget__unit__path__startswith=scope.path).count() if scope else None
        if unplaced_count:
            self.stderr.write(f"{unplaced_count} entries are on no budget line (no approved budget takes them)")
        if not differences and not unplaced:
            count = checked if checked is not None else BudgetLine.objects.count()
            self.stdout.write(f"ledger balanced: {count} lines agree with their payments")
            return
        if fix and differences:
            ledger_fix(differences)
            self.stdout.write(f"fixed {len(differences)} lines")
            if not unplaced:
                return
        if differences:
            self.stderr.write(f"{len(differences)} lines differ from their payments")
        sys.exit(1)
