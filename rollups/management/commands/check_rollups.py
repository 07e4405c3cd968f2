"""``manage.py check_rollups [--fix] [--json]``: recompute every roll-up from the records and report
each difference from what is stored; exits 1 when anything drifted (``--fix`` rewrites it)."""

import json
import sys

from django.core.management.base import BaseCommand

from rollups.refresh import drift


class Command(BaseCommand):
    help = "Recompute the roll-ups from scratch and report (or --fix) every drift."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="write the recomputed figures")
        parser.add_argument("--json", action="store_true", help="print the drifts as JSON")
        parser.add_argument("--limit", type=int, default=50, help="drifts to print (all are counted)")

    def handle(self, *args, fix, json: bool, limit, **options):
        found = drift(fix=fix)
        if json:
            self.stdout.write(_dumps([d.__dict__ for d in found]))
        else:
            for item in found[:limit]:
                self.stdout.write(
                    f"{item.unit_code} {item.year or '-'} {item.part} {item.key}: stored {item.stored}, actual {item.actual}"
                )
            if len(found) > limit:
                self.stdout.write(f"... and {len(found) - limit} more")
            verdict = "fixed" if fix and found else "found"
            self.stdout.write(f"{len(found)} drift(s) {verdict}")
        if found and not fix:
            sys.exit(1)


def _dumps(value):
    return json.dumps(value, ensure_ascii=False)
