"""Plain words for the history rows of units, from the change reasons services store.

Reasons are stored as codes ("fields:name,code", "move:<parent>", "deactivate") rather
than sentences, so that each reader sees them in their own language. A change of the fields
people read (name, short name, code, kind, headcount) also says what they were and became.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from orgs.models import OrgUnit

# Fields whose values a history row shows before and after; is_active has its own words (停用).
VALUED_FIELDS = ("name", "short_name", "code", "kind", "headcount")


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


def describe_unit_change(record):
    if record.history_type == "+":
        return pgettext("history", "新建")
    if record.history_type == "-":
        return pgettext("history", "删除")
    reason = record.history_change_reason or ""
    if reason.startswith("fields:"):
        names = [n for n in reason.removeprefix("fields:").split(",") if n]
        if not names:
            return pgettext("history", "保存（无改动）")
        labels = [str(OrgUnit._meta.get_field(n).verbose_name) for n in names if _has_field(n)]
        # The enumeration comma is itself translated: "、" in Chinese, ", " in English.
        return _("修改了：%(fields)s") % {"fields": pgettext("enumeration", "、").join(labels)}
    if reason.startswith("move:"):
        return _("移至：%(parent)s") % {"parent": reason.removeprefix("move:")}
    if reason == "deactivate":
        return pgettext("history", "停用")
    if reason == "reactivate":
        return pgettext("history", "重新启用")
    return pgettext("history", "修改")


def _has_field(name):
    try:
        OrgUnit._meta.get_field(name)
    except Exception:
        return False
    return True


def with_previous(records):
    """Unit history rows, each with the history id of the same unit's row before it (``previous_id``)."""
    before = (
        OrgUnit.history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return records.annotate(previous_id=Subquery(before))


def unit_changes(records):
    """(record, what was done, [FieldChange]) for a page of ``with_previous`` rows: one query for the
    rows before them, whatever the page's size."""
    records = list(records)
    wanted = [record.previous_id for record in records if record.previous_id]
    previous = OrgUnit.history.in_bulk(wanted, field_name="history_id") if wanted else {}
    return [
        (record, describe_unit_change(record), field_changes(record, previous.get(record.previous_id)))
        for record in records
    ]


def field_changes(record, previous):
    """What each valued field named by the change's reason was and became."""
    reason = record.history_change_reason or ""
    if previous is None or record.history_type != "~" or not reason.startswith("fields:"):
        return []
    names = [name for name in reason.removeprefix("fields:").split(",") if name in VALUED_FIELDS]
    return [
        FieldChange(str(OrgUnit._meta.get_field(name).verbose_name), _shown(previous, name), _shown(record, name))
        for name in names
        if _shown(previous, name) != _shown(record, name)
    ]


def _shown(record, name):
    if name == "kind":
        return str(record.get_kind_display())
    value = getattr(record, name)
    return "" if value is None else str(value)
