import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.files import ImageRefused, check_scan, open_image
from core.forms import BootstrapFormMixin, ChooseAgainMixin, offer_units
from finance.models import MAX_AMOUNT, BudgetLine, Direction, IncomeKind, Purpose, Settings, Standard

MAX_VOUCHER_BYTES = 15 * 1024 * 1024
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")  # those Pillow decodes here (not .heic)


def check_voucher(upload):
    """A photo or PDF scan (core.files.check_scan) that, if a photo, decodes whole and has a bounded
    number of pixels: a truncated or bomb image is refused here rather than served to readers."""
    upload = check_scan(upload, max_bytes=MAX_VOUCHER_BYTES)
    if not upload or not upload.name.lower().endswith(IMAGE_SUFFIXES):
        return upload
    try:
        image = open_image(upload, name=upload.name)
        image.draft("RGB", (image.width // 8 or 1, image.height // 8 or 1))  # a JPEG decodes at 1/8: cheaper
        image.load()
    except ImageRefused as refused:
        raise forms.ValidationError(str(refused), code="too_many_pixels") from None
    except (OSError, SyntaxError, ValueError):
        raise forms.ValidationError(
            _("图片“%(name)s”无法完整打开，可能已损坏或没有传完，请重新拍照或扫描。") % {"name": upload.name},
            code="broken",
        ) from None
    finally:
        upload.seek(0)
    return upload


class VoucherForm(BootstrapFormMixin, forms.Form):
    voucher = forms.FileField(
        label=_("凭证（发票或收据的照片、扫描件）"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment"}),
    )

    def clean_voucher(self):
        return check_voucher(self.cleaned_data.get("voucher"))


EXPONENT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")


class MoneyField(forms.DecimalField):
    """Yuan to the fen; accepts the thousands separators and ¥ that people paste from a sheet."""

    # A text box, not type=number: a number box refuses "1,280.50" pasted from a sheet.
    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0.01"))
        # Django's own words end in an ASCII "." and speak of digits, not of money.
        fen = _("金额最多保留两位小数（到分）。")
        kwargs.setdefault("error_messages", {"max_decimal_places": fen, "invalid": _("请填写金额，如 1280.50。")})
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").strip()
            if EXPONENT.fullmatch(value):
                # "1e9" parses as a number: a slip of the keyboard or a pasted sheet cell, not an amount.
                # Other text with an "e" in it ("fee", "one hundred") is simply not a number.
                raise forms.ValidationError(_("请直接写出金额（如 1280.50），不要用科学计数法。"), code="exponent")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value is not None and value.is_finite() and value > MAX_AMOUNT:
            raise forms.ValidationError(
                _("金额不能超过 %(limit)s 元，请核对位数。") % {"limit": f"{MAX_AMOUNT:,.2f}"}, code="too_large"
            )


class PercentField(forms.DecimalField):
    """A share in percent, 0 to 100, said so whatever was wrong (not "at most 3 digits")."""

    def __init__(self, **kwargs):
        message = _("请填写 0 到 100 之间的数（百分比）。")
        kwargs.setdefault("error_messages", {"min_value": message, "max_value": message, "invalid": message})
        super().__init__(min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=2, **kwargs)


class PaymentForm(ChooseAgainMixin, BootstrapFormMixin, forms.Form):
    # Shown again to fix a field or confirm an overspend, the form asks for the voucher again.
    choose_again = _("请重新选择凭证“%(name)s”：页面重新显示后，浏览器不会保留已选的文件。")

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
        return check_voucher(self.cleaned_data.get("voucher"))

    def clean_paid_on(self):
        # As the income form: a payment is recorded once made; a date to come is a slip of the year.
        day = self.cleaned_data["paid_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("支付日期不能晚于今天。"), code="future")
        return day


class ReverseForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("冲销原因"), max_length=150)


def _not_to_come(day):
    """A meeting recorded as held: not on a day still to come (the services check the budget's year)."""
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(_("会议日期不能晚于今天。"), code="future")
    return day


class ApproveBudgetForm(BootstrapFormMixin, forms.Form):
    meeting = forms.CharField(label=_("批准会议"), max_length=200, help_text=_("如“第三届工会委员会第五次会议”。"))
    on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_on(self):
        return _not_to_come(self.cleaned_data["on"])


class BudgetLinesForm(BootstrapFormMixin, forms.Form):
    """One amount field a line; the same form edits a draft and adjusts an approved budget."""

    meeting = forms.CharField(label=_("批准调整的会议"), max_length=200)
    on = forms.DateField(label=_("调整日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, lines, adjusting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        if not adjusting:  # who approved the change, and when: asked only of an approved budget's adjustment
            del self.fields["meeting"], self.fields["on"]
        for line in self.lines:
            self.fields[f"line-{line.pk}"] = MoneyField(
                label=str(line), min_value=Decimal("0"), initial=line.budgeted if adjusting else line.amount
            )

    def clean_on(self):
        return _not_to_come(self.cleaned_data["on"])

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


def _model_field(model, name, field_class, **kwargs):
    field = model._meta.get_field(name)
    return field_class(label=field.verbose_name, help_text=field.help_text, **kwargs)


class SettingsForm(BootstrapFormMixin, forms.ModelForm):
    # 0 is allowed: every payment then waits for a second officer, as some unions want.
    approval_threshold = _model_field(Settings, "approval_threshold", MoneyField, min_value=Decimal("0"))
    overspend_tolerance = _model_field(Settings, "overspend_tolerance", PercentField)
    dues_upward_share = _model_field(Settings, "dues_upward_share", PercentField)
    allocation_upward_share = _model_field(Settings, "allocation_upward_share", PercentField)

    class Meta:
        model = Settings
        fields = ["approval_threshold", "overspend_tolerance", "dues_upward_share", "allocation_upward_share"]


class StandardForm(BootstrapFormMixin, forms.ModelForm):
    amount = _model_field(Standard, "amount", MoneyField)

    class Meta:
        model = Standard
        fields = ["name", "purpose", "kind", "amount"]

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    def clean(self):
        data = super().clean()
        same = Standard.objects.filter(unit=self.unit)
        if data.get("name") and same.filter(name=data["name"].strip()).exists():
            self.add_error("name", _("已有同名的开支标准。"))
        elif same.filter(purpose=data.get("purpose"), kind=data.get("kind")).exists():
            self.add_error("kind", _("这一用途已有按此方式计算的标准；请先删除原标准再增加。"))
        return data


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
