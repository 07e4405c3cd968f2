from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import figures
from core.forms import BootstrapFormMixin, offer_units
from orgs.models import OrgUnit
from plans import plan_templates
from plans.models import (
    MEASURES,
    MONTH_CHOICES,
    MONTH_NAMES,
    ItemStatus,
    Plan,
    PlanSection,
    ScheduleItem,
    SummaryStatus,
    Target,
    YearSummary,
    measure_label,
)
from plans.services import early_done_message, postponement_refusal

# How deep below the plan's unit items may be assigned: groups and teams of a union, the
# unions of a federation; deeper units plan their own work.
ASSIGNABLE_DEPTH = 2


class PlanCreateForm(BootstrapFormMixin, forms.Form):
    START_TEMPLATE, START_COPY, START_BLANK = "template", "copy", "blank"

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    start = forms.ChoiceField(
        label=_("从哪里开始"),
        choices=[
            (START_TEMPLATE, _("用模板")),
            (START_COPY, _("沿用往年计划")),
            (START_BLANK, _("空白计划")),
        ],
        widget=forms.RadioSelect,
        initial=START_TEMPLATE,
    )
    template = forms.ChoiceField(label=_("模板"), choices=plan_templates.choices, required=False)
    copy_from = forms.ModelChoiceField(label=_("沿用哪一年的计划"), queryset=Plan.objects.none(), required=False)
    title = forms.CharField(label=_("标题"), max_length=200, required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["copy_from"].queryset = Plan.objects.filter(unit=unit).order_by("-year")
        self.fields["copy_from"].label_from_instance = lambda plan: (
            _("%(year)s年：%(title)s")
            % {
                "year": plan.year,
                "title": plan.title,
            }
        )
        self.fields["start"].widget.attrs["class"] = "form-check-input"

    def clean_year(self):
        year = self.cleaned_data["year"]
        if Plan.objects.filter(unit=self.unit, year=year).exists():
            raise forms.ValidationError(
                _("%(unit)s已有%(year)s年的工作计划。") % {"unit": self.unit.name, "year": year}
            )
        return year

    def clean(self):
        data = super().clean()
        start = data.get("start")
        if start == self.START_TEMPLATE and not data.get("template"):
            self.add_error("template", _("请选择一个模板。"))
        if start == self.START_COPY:
            source = data.get("copy_from")
            if source is None:
                self.add_error("copy_from", _("请选择要沿用的计划。"))
            elif source.year == data.get("year"):
                self.add_error("copy_from", _("请选择与新计划不同年度的计划。"))
        if start == self.START_BLANK and not data.get("title", "").strip():
            self.add_error("title", _("请填写计划标题。"))
        return data


class PlanForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "dated", "guiding"]
        widgets = {"guiding": forms.Textarea(attrs={"rows": 6}), "dated": forms.DateInput(attrs={"type": "date"})}
        # The same words as the import's review form, where the date is first read from the document.
        help_texts = {"dated": _("原文件落款（或标题下）的日期，导出的 Word 文件落款用它；留空则用发布日期。")}


class SectionForm(BootstrapFormMixin, forms.ModelForm):
    LEVEL_LABELS = [
        (1, _("一级标题：一、")),
        (2, _("二级标题：（一）")),
        (3, _("三级标题：1.")),
        (4, _("四级标题：（1）")),
    ]

    class Meta:
        model = PlanSection
        fields = ["level", "heading", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"level": _("编号按章节的位置自动生成。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = self.LEVEL_LABELS


class TargetForm(BootstrapFormMixin, forms.ModelForm):
    metric = forms.ChoiceField(label=_("实际值来源"), required=False)

    class Meta:
        model = Target
        fields = ["name", "op", "value", "measure", "metric", "actual_manual", "note"]
        help_texts = {"actual_manual": _("实际值来源为“干部填写”时使用。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", _("干部填写"))] + [
            (m.key, _("%(label)s（%(measure)s，自动统计）") % {"label": m.label, "measure": measure_label(m.measure)})
            for m in figures.metrics().values()
        ]
        self.fields["measure"].widget.attrs["list"] = "measures"
        self.measures = MEASURES

    def clean(self):
        data = super().clean()
        metric = figures.metrics().get(data.get("metric") or "")
        if metric is not None:
            data["actual_manual"] = None
            if data.get("measure") and data["measure"] != metric.measure:
                self.add_error(
                    "measure",
                    _("“%(label)s”以“%(measure)s”计，请把计量单位改为“%(measure)s”。")
                    % {"label": metric.label, "measure": metric.measure},
                )
        return data


class ItemForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ScheduleItem
        fields = ["month", "date", "text", "recurring", "category", "unit", "owner", "status", "postponed_to", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        offer_units(
            self,
            "unit",
            OrgUnit.objects.filter(is_active=True)
            .in_subtree(plan.unit)
            .filter(depth__lte=plan.unit.depth + ASSIGNABLE_DEPTH),
        )
        self.fields["unit"].initial = plan.unit.pk
        self.fields["unit"].label_from_instance = lambda unit: "\u3000" * (unit.depth - plan.unit.depth) + unit.name

    def clean_date(self):
        date = self.cleaned_data.get("date")
        if date and date.year != self.instance.plan.year:
            raise forms.ValidationError(_("日期应在计划年度（%(year)s年）之内。") % {"year": self.instance.plan.year})
        return date

    def clean(self):
        data = super().clean()
        date, month = data.get("date"), data.get("month")
        if date and month is not None and month != 0 and date.month != month:
            self.add_error("date", _("日期在%(date)s月，与所选月份不一致。") % {"date": date.month})
        if data.get("status") == ItemStatus.POSTPONED:
            # A missing month the model's clean reports (once); a new or changed postponement
            # follows the same rules as on the item's page, an unchanged one is left as it was.
            target = data.get("postponed_to")
            changed = (self.instance.status, self.instance.postponed_to) != (ItemStatus.POSTPONED, target)
            if target and month is not None and (changed or month != self.instance.month):
                refusal = postponement_refusal(self.instance.plan, month, target, timezone.localdate())
                if refusal:
                    self.add_error("postponed_to", refusal)
                    # add_error drops the month from cleaned_data: kept, so the model's clean, run on
                    # the instance built from it, does not also call it missing.
                    data["postponed_to"] = target
        else:
            data["postponed_to"] = None
        year = self.instance.plan.year
        newly_done = data.get("status") == ItemStatus.DONE and self.initial.get("status") != ItemStatus.DONE
        if newly_done and year > timezone.localdate().year and not (data.get("note") or "").strip():
            self.add_error("note", early_done_message(year))
        return data


class ItemStatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=ItemStatus.choices)
    postponed_to = forms.TypedChoiceField(
        label=_("延期至"), choices=[("", "—"), *MONTH_NAMES], coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(
        label=_("情况说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    whole = forms.BooleanField(
        label=_("整项完成（全年）"),
        required=False,
        help_text=_("每月一次的事项，标记“已完成”时只记录本月这一次；勾选这里表示全年的工作已经完成，整项结束。"),
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a recurring item of the running year is done month by month (the service's rule).
        if not (item.recurring and item.plan.year == timezone.localdate().year):
            del self.fields["whole"]


class SummaryForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = YearSummary
        fields = ["title", "body", "dated", "status"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24}), "dated": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "body": _(
                "以“一、”“（一）”“1.”开头的行作为各级标题；导出 Word 时按公文格式排版，"
                "并在文末自动加上单位名称和日期（落款），正文中不必再写。"
            ),
            "dated": _("导出 Word 文末落款的日期；留空时，定稿当天自动填入，定稿前用最后修改日期。"),
            "status": _("定稿后不能再从记录重新生成，仍可手工修改。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = SummaryStatus.choices


class CarryForm(BootstrapFormMixin, forms.Form):
    """Which of last year's unfinished items go into the new plan, each in which month (its own by default)."""

    items = forms.TypedMultipleChoiceField(
        label=_("要结转的事项"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项要结转的事项。")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        # Items carried already stay choices, shown without a box: a page read before they were carried
        # (another tab, a colleague) is answered by the service's refusal naming them, not "invalid choice".
        items = [c.item for c in candidates]
        self.own_months = {item.pk: item.month for item in items}
        self.fields["items"].choices = [(item.pk, item.text) for item in items]
        for item in items:
            self.fields[f"month_{item.pk}"] = forms.TypedChoiceField(
                label=_("放在哪个月：%(text)s") % {"text": item.text},
                choices=MONTH_CHOICES,
                coerce=int,
                initial=item.month,
                required=False,  # an item not ticked needs none; a ticked one without keeps its own
                empty_value=None,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def rows(self):
        """Each candidate with whether it is ticked and its month's field (None once carried)."""
        ticked = {str(value) for value in (self["items"].value() or [])}
        return [
            (c, str(c.item.pk) in ticked, None if c.carried else self[f"month_{c.item.pk}"]) for c in self.candidates
        ]

    def months(self) -> dict[int, int]:
        """Every offered item's month as chosen (its own when none was sent), ticked or not."""
        chosen = {pk: self.cleaned_data.get(f"month_{pk}") for pk in self.own_months}
        return {pk: own if chosen[pk] is None else chosen[pk] for pk, own in self.own_months.items()}

    def picks(self) -> dict[int, int]:
        """The ticked items' ids, each with the month it goes in."""
        months = self.months()
        return {pk: months[pk] for pk in self.cleaned_data["items"]}
