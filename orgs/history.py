"""Plain words for the history rows of units, from the change reasons services store.

Reasons are stored as codes ("fields:name,code", "move:<parent>", "deactivate") rather
than sentences, so that each reader sees them in their own language.
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from orgs.models import OrgUnit


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


def unit_changes(records):
    return [(record, describe_unit_change(record)) for record in records]
