from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.files import check_scan
from core.forms import BootstrapFormMixin, offer_units
from finance.models import BudgetLine, Direction, IncomeKind, Purpose, Settings, Standard

MAX_VOUCHER_BYTES = 15 * 1024 * 1024


class MoneyField(forms.DecimalField):
    """Yuan to the fen; accepts the thousands separators and ¥ that people paste from a sheet."""

    # A text box, not type=number: a number box refuses "1,280.50" pasted from a sheet.
    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0.01"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").strip()
        return super().to_python(value)


class PaymentForm(BootstrapFormMixin, forms.Form):
    line = forms.ModelChoiceField(label=_("预算科目"), queryset=BudgetLine.objects.none())
    amount = MoneyField(label=_("金额（元）"))
    paid_on = forms.DateField(label=_("支付日期"), widget=forms.DateInput(attrs={"type": "date"}))
    payee = forms.CharField(label=_("收款人"), max_length=100)
    description = forms.CharField(label=_("事由"), max_length=200)
    purpose = forms.ChoiceField(label=_("用途"), choices=Purpose.choices)
    people = forms.IntegerField(label=_("人数"), min_value=1, required=False, help_text=_("按人计的开支标准据此核对。"))
    activity = forms.ModelChoiceField(label=_("对应活动"), queryset=None, required=False)
    schedule_item = forms.ModelChoiceField(label=_("对应计划事项"), queryset=None, required=False)
    voucher = forms.FileField(
        label=_("凭证（发票或收据的照片、扫描件）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment"}),
    )
    confirm_overspend = forms.BooleanField(label=_("我已知晓超支，仍要登记"), required=False)

    def __init__(self, *args, lines, activities, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines
        self.fields["activity"].queryset = activities
        self.fields["schedule_item"].queryset = items
        self.fields["paid_on"].initial = timezone.localdate()

    def clean_voucher(self):
        return check_scan(self.cleaned_data.get("voucher"), max_bytes=MAX_VOUCHER_BYTES)


class ReverseForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("冲销原因"), max_length=150)


class ApproveBudgetForm(BootstrapFormMixin, forms.Form):
    meeting = forms.CharField(label=_("批准会议"), max_length=200, help_text=_("如“第三届工会委员会第五次会议”。"))
    on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))


class BudgetLinesForm(BootstrapFormMixin, forms.Form):
    """One amount field a line; the same form edits a draft and adjusts an approved budget."""

    def __init__(self, *args, lines, adjusting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line-{line.pk}"] = MoneyField(
                label=str(line), min_value=Decimal("0"), initial=line.budgeted if adjusting else line.amount
            )
        if adjusting:
            self.fields["meeting"] = forms.CharField(label=_("批准调整的会议"), max_length=200)
            self.fields["on"] = forms.DateField(label=_("调整日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def amounts(self):
        return {line.pk: self.cleaned_data[f"line-{line.pk}"] for line in self.lines}

    def rows(self):
        """(line, bound field) pairs, for a table of lines."""
        return [(line, self[f"line-{line.pk}"]) for line in self.lines]


class LineAddForm(BootstrapFormMixin, forms.Form):
    direction = forms.ChoiceField(label=_("收支"), choices=Direction.choices)
    category = forms.CharField(label=_("类别"), max_length=40)
    name = forms.CharField(label=_("科目"), max_length=60)


class IncomeForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("收入类别"), choices=IncomeKind.choices)
    amount = MoneyField(label=_("金额（元）"))
    received_on = forms.DateField(
        label=pgettext_lazy("income", "到账日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    payer = forms.CharField(label=_("交款单位或人"), max_length=100, required=False)
    dues_year = forms.IntegerField(label=_("会费所属年度"), min_value=2000, max_value=2100, required=False)
    dues_month = forms.IntegerField(label=_("会费所属月份"), min_value=1, max_value=12, required=False)
    dues_unit = forms.ModelChoiceField(
        label=_("交会费的小组"),
        queryset=None,
        required=False,
        help_text=_("小组统一交纳时选择，视为该组会员本月均已交纳。"),
    )
    headcount = forms.IntegerField(label=_("人数"), min_value=1, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        offer_units(self, "dues_unit", units)
        self.fields["received_on"].initial = timezone.localdate()

    def clean_received_on(self):
        # Money is recorded once it has arrived, at the latest in the next year's first weeks: a date to
        # come, or one before last year, is a slip of the year that would count the money in a year whose
        # figures are closed or still to come (and a reversal, dated today, would move it into this one).
        day, today = self.cleaned_data["received_on"], timezone.localdate()
        if day > today:
            raise forms.ValidationError(_("到账日期不能晚于今天。"), code="future")
        if day.year < today.year - 1:
            raise forms.ValidationError(
                _("到账日期早于%(year)s年，请核对年份。") % {"year": today.year - 1}, code="too_old"
            )
        return day


class SettingsForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Settings
        fields = ["approval_threshold", "overspend_tolerance", "dues_upward_share", "allocation_upward_share"]


class StandardForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Standard
        fields = ["name", "purpose", "kind", "amount"]


class AuditForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("审查名称"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    sample_size = forms.IntegerField(label=_("抽查笔数"), min_value=1, max_value=200, initial=10)
    campaign = forms.ModelChoiceField(
        label=_("只审查一次慰问活动"), queryset=None, required=False, help_text=_("留空则审查全年的支出。")
    )

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns

    def clean_year(self):
        # As finance.services.audit_open: a year still to come has nothing to audit (a slip of the year).
        year, this_year = self.cleaned_data["year"], timezone.localdate().year
        if year > this_year:
            raise forms.ValidationError(_("审查年度不能晚于今年（%(year)s年）。") % {"year": this_year}, code="future")
        return year


class FindingForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=pgettext_lazy("audit finding", "审查意见"), widget=forms.Textarea(attrs={"rows": 3}))
    payment = forms.ModelChoiceField(label=_("相关支出"), queryset=None, required=False)

    def __init__(self, *args, payments, reader, **kwargs):
        """``reader`` reads each payment as Payment.label_for allows: numbered, its amount in yuan, and a
        care payment's payee only for someone who may read it."""
        super().__init__(*args, **kwargs)
        self.fields["payment"].queryset = payments
        self.fields["payment"].label_from_instance = lambda payment: payment.label_for(reader)


class ResponseForm(BootstrapFormMixin, forms.Form):
    response = forms.CharField(label=_("整改说明"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseAuditForm(BootstrapFormMixin, forms.Form):
    conclusion = forms.CharField(label=_("审查结论"), widget=forms.Textarea(attrs={"rows": 4}))
