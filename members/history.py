"""Plain words for a member's history rows, from the change reasons the code stores.

Reasons are codes ("status:resigned", "transfer_in:<unit>", "fields:name,phone", "import")
so that each reader sees them in their own language.
"""

from django.utils.translation import gettext as _

from members.models import Member, StatusReason

# Fields whose old and new values may be shown; encrypted ones only say that they changed.
SHOWN = ["name", "gender", "birth_date", "unit", "category", "job_title", "status", "joined_on", "card_number"]
HIDDEN = ["id_number", "phone"]


def _label(name):
    return str(Member._meta.get_field(name).verbose_name)


def _display(record, name):
    if name == "unit":
        return record.unit.name if record.unit_id else ""
    field = Member._meta.get_field(name)
    value = getattr(record, name)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return "" if value is None else str(value)


def describe(record, previous):
    """(what happened, [(field, old, new), ...]) for one history row."""
    reason = record.history_change_reason or ""
    if record.history_type == "+":
        title = _("导入建档") if reason == "import" else _("建档")
    elif reason.startswith("status:"):
        code = reason.removeprefix("status:")
        label = StatusReason(code).label if code in StatusReason.values else code
        title = _("会籍变更：%(reason)s") % {"reason": label}
    elif reason.startswith("transfer_start:"):
        title = _("发起转会，转往%(unit)s") % {"unit": reason.split(":", 1)[1]}
    elif reason.startswith("transfer_in:"):
        title = _("转会完成，由%(unit)s转入") % {"unit": reason.split(":", 1)[1]}
    elif reason.startswith("transfer_rejected:"):
        title = _("转会被%(unit)s退回") % {"unit": reason.split(":", 1)[1]}
    elif reason.startswith("transfer_cancelled:"):
        title = _("撤回转往%(unit)s的转会") % {"unit": reason.split(":", 1)[1]}
    elif reason == "import":
        title = _("导入更新")
    else:
        title = _("修改信息")
    changes = []
    if previous is not None:
        for name in SHOWN:
            old, new = _display(previous, name), _display(record, name)
            if old != new:
                changes.append((_label(name), old, new))
        for name in HIDDEN:
            if getattr(previous, name) != getattr(record, name):
                changes.append((_label(name), "", _("已修改")))
    return title, changes


def member_changes(records):
    """Newest first, each row described against the one before it."""
    described = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        described.append((record, *describe(record, previous)))
    return described
