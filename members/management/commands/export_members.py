import argparse
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import tables
from core.audit import log_sensitive_read
from members import exporting
from members.forms import FilterForm
from members.models import Member
from orgs.access import has_permission
from orgs.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Export the roster of a unit's subtree to .xlsx or .csv (by the file's extension), ID numbers and "
        "phones masked unless --unmasked --by USERNAME (someone who may read them there; the read is logged). "
        "--status, --gender, --age, --category and --flag filter it as the roster page's filters of those names do "
        "(with no --status, the members in the union)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="code of the unit whose subtree is exported")
        parser.add_argument("--out", required=True, help="FILE.xlsx or FILE.csv (written readable by its owner only)")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="include_all",
            help="include those no longer in the union (left, deceased): the same as --status all",
        )
        form = _filter_form()
        for name in FILTERS:
            parser.add_argument(f"--{name}", default="", help=f"one of {_allowed(form, name)}")
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
        members = _filtered(Member.objects.in_subtree(target), include_all, options)
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


# The roster page's filters (members.forms.FilterForm), by their query-string names.
FILTERS = ("status", "gender", "age", "category", "flag")


def _filter_form(data=None):
    """The roster page's filter form; the command's subtree is --unit's, so the form picks no unit."""
    return FilterForm(data, units=OrgUnit.objects.none(), shown=[])


def _allowed(form, name):
    return ", ".join(str(value) for value, _label in form.fields[name].choices if value)


def _filtered(members, include_all, options):
    """``members`` narrowed as the roster page narrows them for the same query; a value the page would
    ignore is refused here, naming the option and the values it takes."""
    data = {name: options[name] for name in FILTERS}
    if include_all:
        if data["status"] not in ("", FilterForm.ALL):
            raise CommandError(f"--all means --status {FilterForm.ALL}; give one or the other")
        data["status"] = FilterForm.ALL
    form = _filter_form(data)
    for name in FILTERS:
        if name in form.errors:
            raise CommandError(f"--{name} {data[name]!r}: use one of {_allowed(form, name)}")
    return form.filter(members)


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
