import json

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.figures import metrics
from core.forms import BootstrapFormMixin
from core.models import NotificationPreference
from federation.models import CallKind, TokenScope
from federation.services import share_problem
from plans.models import PERCENT_MEASURES, measure_label

# Measures counted in whole units: a report of 144.5 members is a typing mistake.
COUNTED_MEASURES = {"人", "人次", "次", "件", "个", "名", "户", "场", "条", "篇", "项", "期", "家", "起", "份"}

FIELD_ROWS = 8


def with_measure(label, measure):
    """ "会员人数（人）": a label with its measure, in the reader's punctuation."""
    return (
        gettext("%(label)s（%(measure)s）") % {"label": label, "measure": measure} if measure else str(label)
    )  # blank rows offered for a report call's fields


class CallForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=CallKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    due = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    instructions = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kind: CallKind, today, **kwargs):
        """Opened for ``kind``, its year the one such a call asks about on ``today`` (CallKind.default_year);
        the page's script moves the year along when the officer picks another kind and has not typed one."""
        years = {str(k): k.default_year(today) for k in CallKind}
        kwargs.setdefault("initial", {}).update(kind=kind, year=years[kind])
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["data-default-years"] = json.dumps(years)


class FieldRowForm(BootstrapFormMixin, forms.Form):
    label = forms.CharField(label=_("栏目"), max_length=100, required=False)
    metric = forms.ChoiceField(label=_("取数来源"), required=False)
    measure = forms.CharField(label=_("计量单位"), max_length=10, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # a row of inputs under one heading: each says what it is
            field.widget.attrs["aria-label"] = str(field.label)
        # On a phone the headings above the rows are hidden: the empty boxes say what goes in them.
        self.fields["label"].widget.attrs["placeholder"] = gettext("栏目名称，如“女职工人数”")
        self.fields["measure"].widget.attrs["placeholder"] = gettext("计量单位")
        self.fields["metric"].choices = [("", gettext("由下级填写"))] + [
            (m.key, with_measure(m.label, measure_label(m.measure))) for m in metrics().values()
        ]


FieldRows = forms.formset_factory(FieldRowForm, extra=FIELD_ROWS, max_num=30)


class ReportForm(BootstrapFormMixin, forms.Form):
    """One input per field of a report call; figures from the unit's own data come prefilled."""

    def __init__(self, *args, call_fields, require=True, current=None, **kwargs):
        """``current``: the unit's own figures now, when the form shows what was saved or filed before
        (after a return): a field that differs says so, rather than claiming to be freshly filled in."""
        super().__init__(*args, **kwargs)
        for field in call_fields:
            help_text = self._help(field, current)
            counted = field.measure.strip() in COUNTED_MEASURES
            self.fields[field.key] = forms.DecimalField(
                label=with_measure(field.label, field.measure),
                required=require,
                max_digits=14,
                decimal_places=0 if counted else 2,
                # People, times and yuan are never below zero; a rate may be (a membership that shrank).
                min_value=None if field.measure.strip() in PERCENT_MEASURES else 0,
                help_text=help_text,
                error_messages={"max_decimal_places": gettext("请填写整数。")} if counted else {},
            )
            if counted:
                self.fields[field.key].widget.attrs["step"] = "1"

    def _help(self, field, current):
        if not field.metric:
            return ""
        if current is None:
            return gettext("已按本单位数据自动填入，可核对修改。")
        now = current.get(field.key, "")
        if now != str(self.initial.get(field.key, "")):
            return gettext("这是上次填写的数字；按本单位现在的数据为 %(value)s，请核对。") % {"value": now or "—"}
        return gettext("上次填写的数字，与本单位现在的数据一致。")

    def values(self):
        return {key: "" if value is None else _plain(value) for key, value in self.cleaned_data.items()}


def _plain(value):
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


class ReviewForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("审阅意见"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The version the reviewer read: a decision sent from a page opened before a new filing is refused.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HandDownForm(BootstrapFormMixin, forms.Form):
    target = forms.ModelChoiceField(label=_("本级目标"), queryset=None)
    default_value = forms.DecimalField(
        label=_("各单位默认分解值"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text=_("再次下达同一目标时，已单独设定分解值的单位保持原值。"),
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets

    def clean(self):
        cleaned = super().clean()
        target, value = cleaned.get("target"), cleaned.get("default_value")
        if target is not None and value is not None:
            problem = share_problem(target, value)
            if problem:
                self.add_error("default_value", problem)
        return cleaned


class SharesForm(BootstrapFormMixin, forms.Form):
    """Each unit's share of a handed-down target, one field per unit directly below (``share-<unit id>``);
    an empty field leaves the unit on the default. Only these units' shares can be set; a share of a
    percentage target is at most 100."""

    def __init__(self, *args, rows, target, **kwargs):
        self.target = target
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[f"share-{row.unit.pk}"] = forms.DecimalField(
                label=gettext("%(unit)s的分解值") % {"unit": row.unit.name},
                max_digits=14,
                decimal_places=2,
                min_value=0,
                required=False,
                initial=_plain(row.value),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control form-control-sm"}),
            )

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            problem = share_problem(self.target, value) if value is not None else ""
            if problem:
                self.add_error(name, problem)
        return cleaned

    def shares(self):
        """{unit id: value} of the fields filled in."""
        return {int(name[6:]): value for name, value in self.cleaned_data.items() if value is not None}


class PreferenceForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email", "sms", "wecom", "wecom_userid", "daily_digest"]


class TokenForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60, help_text=_("写明用途，如“县总工会统计系统”。"))
    scope = forms.ChoiceField(label=_("权限"), choices=TokenScope.choices)


class CallTextForm(BootstrapFormMixin, forms.Form):
    """A call's title and instructions, corrected after it was issued."""

    title = forms.CharField(label=_("标题"), max_length=200)
    instructions = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("保存后会通知被要求报送的单位。"),
    )


class WithdrawForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        max_length=200,
        help_text=_("会通知被要求报送的单位。"),
        error_messages={"required": _("撤回任务时请写明原因。")},
    )


class DeadlineForm(BootstrapFormMixin, forms.Form):
    due = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
