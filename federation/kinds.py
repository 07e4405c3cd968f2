"""What the federation app itself files: annual plans, year-end summaries and report calls.

Each is filed against a call (FilingCall) from the unit above; what is filed is a snapshot of the
record at that moment (the plan's sections, targets and items; the summary's text; the figures).
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.language import site_language
from federation import filing as machine
from federation.models import CallKind


def _call_url(filing):
    return reverse("federation:call", args=[filing.call_id]) + f"?unit={filing.unit_id}"


def _detail_url(filing):
    return reverse("federation:filing", args=[filing.pk])


for key, label in (
    (CallKind.PLAN, gettext_lazy("年度工作计划")),
    (CallKind.SUMMARY, gettext_lazy("年度工作总结")),
    (CallKind.REPORT, gettext_lazy("报表任务")),
):
    machine.register_kind(machine.FilingKind(key=key, label=label, url=_call_url, review_url=_detail_url))


def plan_snapshot(plan) -> dict:
    """The plan as filed: title, guiding principles, sections, targets and schedule items; the targets'
    words (不少于, 人) in the site's language, as the filed record the unit above reads."""
    with site_language():
        return _plan_snapshot(plan)


def _plan_snapshot(plan) -> dict:
    return {
        "record": "plan",
        "plan_id": plan.pk,
        "title": plan.title,
        "guiding": plan.guiding,
        "sections": [[s.level, s.heading, s.body] for s in plan.sections.all()],
        "targets": [[t.name, t.get_op_display(), t.value_display, str(t.measure_label)] for t in plan.targets.all()],
        "schedule": [[i.month, i.text, i.owner] for i in plan.items.all()],  # not "items": dict.items in templates
    }


def summary_snapshot(summary) -> dict:
    return {"record": "summary", "summary_id": summary.pk, "title": summary.title, "body": summary.body}


def snapshot_title(kind, record):
    with site_language():  # stored with the filing, read by the unit above
        if kind == CallKind.PLAN:
            return record.title or _("年度工作计划")
        return record.title or _("年度工作总结")
