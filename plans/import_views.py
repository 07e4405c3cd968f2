"""Import an existing plan: upload or paste it, check what was read beside the original,
fix it, and save it as a draft plan of the current unit."""

import re
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import BootstrapFormMixin
from core.officialdoc import heading_number
from orgs.access import current_unit_or_404, has_permission
from plans import read_jobs
from plans.importing import plan_import
from plans.models import MEASURES, MONTH_CHOICES, YEAR_VALIDATORS, PlanReadJob, Target, TargetOp
from plans.parsing import Month, ParsedPlan, Section, TargetCandidate, numbering, parse_plan
from plans.reading import PlanParseError, read_text
from plans.services import PlanError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_YEAR_IN_TITLE = re.compile(r"(20\d\d)\s*年")
_MONTH_LINE = re.compile(r"^(?:(?P<next>次年)?(?P<month>\d{1,2})\s*月份?|(?P<all>全年))\s*(?:[:：]\s*(?P<rest>.*))?$")


# --- Forms ----------------------------------------------------------------------------------


class SourceForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("计划文件"),
        required=False,
        help_text=gettext_lazy(
            "Word 文件（.docx 或 .doc）、Excel 表格（.xlsx）、有文字的 PDF 或文本文件（.txt），不超过 5 MB。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.doc,.xlsx,.pdf,.txt"}),
    )
    text = forms.CharField(
        label=gettext_lazy("或者粘贴计划全文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, *args, refusal="", **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    @classmethod
    def refused(cls, message):
        """The form again, showing on the file field why a file read in the background was refused."""
        return cls(data={}, refusal=message)

    def clean(self):
        data = super().clean()
        if self.refusal:
            self.add_error("file", self.refusal)
            return data
        if self.has_error("file"):  # an empty file is told so, not also asked for
            return data
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if upload and text:
            raise ValidationError(_("请只选择一种方式：上传文件或粘贴全文。"))
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error("file", _("文件超过 5 MB，请删去图片后再上传。"))
                return data
            if not upload.name.lower().endswith((".docx", ".doc", ".xlsx", ".pdf", ".txt")):
                self.add_error("file", _("只支持 .docx、.doc、.xlsx、.pdf 和 .txt 文件。"))
                return data
            content = upload.read()
            if read_jobs.reads_in_background(content, upload.name):
                data["background"] = True  # a .doc or PDF: the worker reads it (plans.read_jobs)
                return data
            try:
                text = read_text(content, upload.name)
            except PlanParseError as error:
                self.add_error("file", str(error))
                return data
        elif not text:
            raise ValidationError(_("请上传计划文件，或把计划全文粘贴到文本框中。"))
        data["source_text"] = text
        return data


class ReviewForm(BootstrapFormMixin, forms.Form):
    """What was read, as the officer corrects it. Sections and the schedule are edited as
    text in the same layout the parser reads, so anything typed the usual way works."""

    source_text = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    year = forms.IntegerField(label=gettext_lazy("年度"), validators=YEAR_VALIDATORS)
    dated = forms.DateField(
        label=gettext_lazy("落款日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("原文件落款（或标题下）的日期，导出的 Word 文件落款用它；留空则用发布日期。"),
    )
    guiding = forms.CharField(label=gettext_lazy("指导思想"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sections = forms.CharField(
        label=gettext_lazy("章节"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("带编号的行是标题（一、 （一） 1. （1）），其下各行是正文。"),
    )
    schedule = forms.CharField(
        label=gettext_lazy("月度安排"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy(
            "先写一行月份（如“3月”，贯穿全年的写“全年”），下面每行一项事项；"
            "事项末尾的“（负责人：……）”保存为该事项的负责人。"
        ),
    )

    def clean_sections(self):
        sections = []
        for number, line in _lines(self.cleaned_data["sections"]):
            found = numbering(line)
            if found and found[0] <= 4:
                sections.append(Section(found[1], "", found[0]))
            elif not sections:
                raise ValidationError(
                    _("章节第%(line)s行：正文前面需要一个带编号的标题，如“一、工作目标”。") % {"line": number}
                )
            else:
                sections[-1].body = f"{sections[-1].body}\n{line}".strip()
        for section in sections:
            if len(section.heading) > 200:
                raise ValidationError(_("章节标题“%(heading)s…”超过200字。") % {"heading": section.heading[:20]})
        return sections

    def clean_schedule(self):
        months: dict[tuple, Month] = {}
        current = None
        for number, line in _lines(self.cleaned_data["schedule"]):
            label = _MONTH_LINE.match(line)
            if label:
                month = 0 if label.group("all") else int(label.group("month"))
                if not 0 <= month <= 12:
                    raise ValidationError(_("月度安排第%(line)s行：月份应在1到12之间。") % {"line": number})
                next_year = bool(label.group("next")) and month > 0
                current = months.setdefault((next_year, month), Month(month, next_year=next_year))
                if label.group("rest"):
                    current.items.append(label.group("rest"))
                continue
            if current is None:
                raise ValidationError(
                    _("月度安排第%(line)s行：请先写一行月份（如“3月”），再在下面逐行写事项。") % {"line": number}
                )
            if len(line) > 500:
                raise ValidationError(_("月度安排第%(line)s行：事项超过500字。") % {"line": number})
            current.items.append(line)
        return [m for m in months.values() if m.items]


def _lines(text):
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if line:
            yield number, line


class TargetForm(BootstrapFormMixin, forms.Form):
    keep = forms.BooleanField(label=gettext_lazy("保留"), required=False, initial=True)
    text = forms.CharField(label=gettext_lazy("目标"), max_length=200, required=False)
    value = forms.DecimalField(label=gettext_lazy("目标值"), max_digits=14, decimal_places=2, required=False)
    measure = forms.CharField(label=gettext_lazy("计量单位"), max_length=10, required=False)
    op = forms.ChoiceField(label=gettext_lazy("比较"), choices=TargetOp.choices, initial=TargetOp.AT_LEAST)

    def clean(self):
        data = super().clean()
        if not data.get("keep") or not (data.get("text") or "").strip():
            data["keep"] = False
            return data
        if data.get("value") is None:
            self.add_error("value", _("请填写目标值（数字）。"))
        if not (data.get("measure") or "").strip():
            self.add_error("measure", _("请填写计量单位，如“%”“次”“人次”。"))
        elif data.get("value") is not None:
            # The limits of a target typed on the plan's page: never below zero, a percentage not above 100.
            try:
                Target(measure=data["measure"], value=data["value"]).clean()
            except ValidationError as error:
                for message in error.message_dict.get("value", []):
                    self.add_error("value", message)
        return data


TargetFormSet = forms.formset_factory(TargetForm, extra=1, max_num=100, absolute_max=200)

PLACE_CHOICES = [("", gettext_lazy("不排入月度安排")), *((str(value), label) for value, label in MONTH_CHOICES)]


class PlacementForm(BootstrapFormMixin, forms.Form):
    """One item whose month the officer decides: a month inferred from a festival, to confirm
    or move, or an item of a plan without a schedule, to place."""

    text = forms.CharField(max_length=500, widget=forms.HiddenInput)
    festival = forms.CharField(max_length=20, required=False, widget=forms.HiddenInput)
    month = forms.TypedChoiceField(
        label=gettext_lazy("月份"), choices=PLACE_CHOICES, coerce=int, empty_value=None, required=False
    )


PlacementFormSet = forms.formset_factory(PlacementForm, extra=0, max_num=300, absolute_max=300)


# --- Turning the parse into form data and back ------------------------------------------------


def _outline_text(sections):
    counters = [0, 0, 0, 0]
    lines = []
    for section in sections:
        level = min(max(section.level, 1), 4)
        counters[level - 1] += 1
        counters[level:] = [0] * (4 - level)
        lines.append(heading_number(level, counters[level - 1]) + section.heading)
        lines.extend(line for line in section.body.splitlines() if line.strip())
    return "\n".join(lines)


def _schedule_text(months):
    lines = []
    for month in months:
        if month.next_year:
            lines.append(f"次年{month.month}月")  # the syntax clean_schedule reads, in any language
        else:
            lines.append(_("全年") if month.month == 0 else f"{month.month}月")
        lines.extend(month.items)
    return "\n".join(lines)


def _guess_year(parsed):
    found = _YEAR_IN_TITLE.search(parsed.title)
    return int(found.group(1)) if found else timezone.localdate().year + 1


def _review_forms(parsed, source_text):
    form = ReviewForm(
        initial={
            "source_text": source_text,
            "title": parsed.title,
            "year": _guess_year(parsed),
            "dated": parsed.dated,
            "guiding": parsed.guiding,
            "sections": _outline_text(parsed.sections),
            "schedule": _schedule_text(parsed.months),
        }
    )
    targets = TargetFormSet(
        initial=[
            {"keep": True, "text": t.text, "value": t.value, "measure": t.measure, "op": t.op} for t in parsed.targets
        ],
        prefix="targets",
    )
    return form, targets, PlacementFormSet(initial=_placements(parsed), prefix="place")


def _placements(parsed):
    """Festival months to confirm; with no schedule at all, the task items to place by month."""
    if parsed.suggested:
        return [{"text": s.text, "festival": s.festival_name, "month": s.month} for s in parsed.suggested]
    if not parsed.months:
        return [{"text": text, "festival": "", "month": None} for text in parsed.work_items()]
    return []


def _parsed_from(form, targets, placements):
    data = form.cleaned_data
    kept = [t.cleaned_data for t in targets if t.cleaned_data.get("keep")]
    months = {(m.next_year, m.month): m for m in data["schedule"]}
    for placed in placements.cleaned_data:
        if placed and placed.get("month") is not None:
            months.setdefault((False, placed["month"]), Month(placed["month"])).items.append(placed["text"])
    return ParsedPlan(
        title=data["title"],
        guiding=data["guiding"],
        dated=data["dated"],
        sections=data["sections"],
        months=list(months.values()),
        targets=[TargetCandidate(t["text"].strip(), Decimal(t["value"]), t["measure"].strip(), t["op"]) for t in kept],
    )


# --- The view ---------------------------------------------------------------------------------


@login_required
def import_plan(request):
    """One page in two steps: read the document (``step=read``), then save the corrected
    result (``step=save``); every error shows again with what the officer typed."""
    unit = current_unit_or_404(request, "plans.change")
    context = {"unit": unit, "measures": MEASURES, "breadcrumbs": _crumbs()}
    step = request.POST.get("step") if request.method == "POST" else None

    if step == "save":
        form = ReviewForm(request.POST)
        targets = TargetFormSet(request.POST, prefix="targets")
        placements = PlacementFormSet(request.POST, prefix="place")
        if form.is_valid() and targets.is_valid() and placements.is_valid():
            parsed = _parsed_from(form, targets, placements)
            if not (parsed.sections or parsed.months or parsed.targets):
                form.add_error(None, _("没有可保存的内容：请至少保留一个章节、一项月度安排或一个目标。"))
            else:
                try:
                    plan = plan_import(unit=unit, year=form.cleaned_data["year"], parsed=parsed, user=request.user)
                except PlanError as error:
                    form.add_error("year", str(error))
                else:
                    messages.success(
                        request,
                        _("已导入为草稿：%(sections)s个章节、%(items)s项月度安排、%(targets)s个目标。请核对后发布。")
                        % {
                            "sections": len(parsed.sections),
                            "items": parsed.item_count,
                            "targets": len(parsed.targets),
                        },
                    )
                    return redirect("plans:detail", plan.pk)
        return render(request, "plans/import_review.html", {**context, **_review_context(form, targets, placements)})

    if step == "read":
        source = SourceForm(request.POST, request.FILES)
        if source.is_valid() and source.cleaned_data.get("background"):
            job = read_jobs.start(unit=unit, user=request.user, upload=source.cleaned_data["file"])
            return redirect("plans:import_read", job.pk)
        if source.is_valid():
            return _review_or_refusal(request, context, source.cleaned_data["source_text"], source)
        return render(request, "plans/import.html", {**context, "form": source})

    return render(request, "plans/import.html", {**context, "form": SourceForm()})


def _review_or_refusal(request, context, text, source=None):
    """The review of what was read from ``text``; the source form again when nothing was (on the
    file field when the worker read the file)."""
    parsed = parse_plan(text)
    if not (parsed.title or parsed.sections or parsed.has_schedule):
        message = _("没有读到计划内容：请确认文件是年度工作计划，且文字不是图片。")
        if source is None:
            source = SourceForm.refused(message)
        else:
            source.add_error(None, message)
        return render(request, "plans/import.html", {**context, "form": source})
    form, targets, placements = _review_forms(parsed, text)
    return render(
        request, "plans/import_review.html", {**context, **_review_context(form, targets, placements, parsed)}
    )


@login_required
def import_read(request, pk):
    """A .doc or PDF being read by the worker: the page polls until the review (or the refusal) is ready.

    Only the officer who uploaded it sees it, and only while they may still change the unit's plans."""
    job = get_object_or_404(PlanReadJob.objects.of(request.user).select_related("unit"), pk=pk)
    if not has_permission(request.user, "plans.change", job.unit):
        raise Http404
    now = timezone.now()
    job = read_jobs.expire(job, now=now)
    context = {"unit": job.unit, "measures": MEASURES, "breadcrumbs": _crumbs(), "job": job}
    if request.htmx:
        if not job.is_waiting:
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})  # the page shows the result
        return render(
            request, "plans/_import_reading.html", {**context, "worker_missing": read_jobs.worker_missing(job, now=now)}
        )
    if job.is_waiting:
        return render(
            request, "plans/import_reading.html", {**context, "worker_missing": read_jobs.worker_missing(job, now=now)}
        )
    if job.state == PlanReadJob.State.FAILED:
        return render(request, "plans/import.html", {**context, "form": SourceForm.refused(job.message)})
    return _review_or_refusal(request, context, job.text)


def _review_context(form, targets, placements, parsed=None):
    source_text = form["source_text"].value() or ""
    schedule = form["schedule"].value() or ""
    return {
        "form": form,
        "targets": targets,
        "placements": placements,
        "inferred": any(p["festival"].value() for p in placements),
        "schedule_empty": not schedule.strip() and not any(p["festival"].value() for p in placements),
        "parsed": parsed,
        "source_text": source_text,
    }


def _crumbs():
    return [
        {"label": _("工作计划"), "url": reverse("plans:index")},
        {"label": _("导入计划"), "url": reverse("plans:import")},
    ]
