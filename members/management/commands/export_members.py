from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import tables
from members import exporting
from members.models import Member
from orgs.models import OrgUnit


class Command(BaseCommand):
    help = "Export the roster of a unit's subtree to .xlsx or .csv (by the file's extension)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="code of the unit whose subtree is exported")
        parser.add_argument("--out", required=True, help="FILE.xlsx or FILE.csv")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="include_all",
            help="include those no longer in the union (left, deceased)",
        )
        parser.add_argument(
            "--masked", action="store_true", help="mask ID numbers and phones, as for officers who may not see them"
        )

    def handle(self, *args, unit, out, include_all, masked, **options):
        target = OrgUnit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"no unit with code {unit!r}")
        out = Path(out)
        if out.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("--out must end in .xlsx or .csv")
        members = Member.objects.in_subtree(target)
        if not include_all:
            members = members.in_union()
        rows = exporting.rows(members.order_by("name_pinyin", "id"), unmasked=not masked)
        if out.suffix.lower() == ".csv":
            data = tables.write_csv(exporting.columns(unmasked=not masked), rows)
        else:
            data = tables.write_xlsx(
                exporting.columns(unmasked=not masked),
                rows,
                title=_("%(unit)s会员名册") % {"unit": target.name},
                sheet=_("会员名册"),
            )
        out.write_bytes(data)
        self.stdout.write(f"wrote {out}")
