import argparse
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import tables
from core.audit import log_sensitive_read
from members import exporting
from members.models import Member
from orgs.access import has_permission
from orgs.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Export the roster of a unit's subtree to .xlsx or .csv (by the file's extension), ID numbers and "
        "phones masked unless --unmasked --by USERNAME (someone who may read them there; the read is logged)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="code of the unit whose subtree is exported")
        parser.add_argument("--out", required=True, help="FILE.xlsx or FILE.csv (written readable by its owner only)")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="include_all",
            help="include those no longer in the union (left, deceased)",
        )
        parser.add_argument("--unmasked", action="store_true", help="full ID numbers and phones (needs --by)")
        parser.add_argument("--by", help="login of the officer the clear export is for, logged as the reader")
        parser.add_argument("--masked", action="store_true", help=argparse.SUPPRESS)  # the default now

    def handle(self, *args, unit, out, include_all, unmasked, by, **options):
        target = OrgUnit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"no unit with code {unit!r}")
        out = Path(out)
        if out.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("--out must end in .xlsx or .csv")
        reader = _reader(by, target) if unmasked else None
        members = Member.objects.in_subtree(target)
        if not include_all:
            members = members.in_union()
        as_csv = out.suffix.lower() == ".csv"
        rows = exporting.rows(members.order_by("name_pinyin", "id"), unmasked=unmasked, for_csv=as_csv)
        if as_csv:
            data = tables.write_csv(exporting.columns(unmasked=unmasked), rows)
        else:
            data = tables.write_xlsx(
                exporting.columns(unmasked=unmasked),
                rows,
                title=_("%(unit)s会员名册") % {"unit": target.name},
                sheet=_("会员名册"),
            )
        _write_private(out, data)
        if reader is not None:
            # As the roster page's clear export is logged (members.views.export), with no address.
            log_sensitive_read(None, target, [_("身份证号"), _("手机号"), _("导出名册")], unit=target, user=reader)
        self.stdout.write(f"wrote {out}")


def _reader(username, unit):
    """The officer a clear export is for: named, active, and allowed to read ID numbers in ``unit``."""
    if not username:
        raise CommandError("--unmasked needs --by USERNAME: the officer the clear roster is for, logged as its reader")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user {username!r}")
    if not has_permission(user, "members.view_sensitive", unit):
        raise CommandError(f"{username} may not read ID numbers in {unit.code}")
    return user


def _write_private(path, data):
    """``data`` into ``path``, readable and writable by its owner only: a roster is personal data."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), 0o600)  # an existing file keeps its mode otherwise
        file.write(data)
