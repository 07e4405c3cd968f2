from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from care.models import (
    AssistanceCap,
    Campaign,
    CareSettings,
    CareTag,
    Category,
    FamilyMember,
    Household,
    InsuranceClaim,
    InsuranceProduct,
    Level,
    Pairing,
    PairingContact,
    ProtectionItem,
    RightsCase,
    Visit,
)
from care.models.archive import early_date_problem
from care.models.assistance import AssistanceKind, Purpose
from care.models.campaigns import CampaignKind
from care.models.rights import CaseCategory, CaseStep
from core import cleaning
from core.files import check_scan
from core.forms import BootstrapFormMixin, offer_units
from core.validators import REVIEW_MONTHS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_UPLOAD = 10 * 1024 * 1024


def not_after_today(day):
    """Money handed over and visits made are recorded after the fact: a later date is a slip of the year, which would
    count the record in a year still to come (its caps, its figures)."""
    if day > timezone.localdate():
        raise forms.ValidationError(_("不能晚于今天。"), code="future")


def not_too_early(day, household=None):
    """Nothing is recorded for a household before its file was opened, nor for anyone before the files began
    (care.models.archive.early_date_problem, which the services apply too)."""
    if problem := early_date_problem(day, household):
        raise forms.ValidationError(problem, code="too_early")


def goods_named(form):
    """Goods handed over are named (米面油、慰问品一份): a record of “慰问品” alone says nothing of what was given."""
    data = form.cleaned_data
    if data.get("kind") == AssistanceKind.GOODS and not (data.get("goods") or "").strip():
        form.add_error("goods", _("形式为慰问品时，请写明送的是什么。"))


def review_months_limits(field):
    """The review cycle's one limit (core.validators.REVIEW_MONTHS) on a form: the input's min and max, and one
    message for either end, instead of the form field's own 0 (a positive number) and then the model's 1."""
    low, high = (validator.limit_value for validator in REVIEW_MONTHS)
    message = gettext("请填写%(low)s至%(high)s之间的月数。") % {"low": low, "high": high}
    field.min_value, field.max_value = low, high
    field.validators = [MinValueValidator(low, message), MaxValueValidator(high, message)]
    field.widget.attrs.update({"min": low, "max": high})


def check_upload(upload):
    return check_scan(upload, max_bytes=MAX_UPLOAD)


class UnitChoiceMixin:
    """A ``unit`` field limited to the units the user may manage care for."""

    def set_units(self, units):
        if "unit" in self.fields:
            offer_units(self, "unit", units)
            self.fields["unit"].empty_label = None


class HouseholdForm(BootstrapFormMixin, UnitChoiceMixin, forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("困难类别"), choices=Category.choices, widget=forms.CheckboxSelectMultiple, help_text=_("可多选。")
    )
    id_number = forms.CharField(label=_("身份证号"), max_length=30)

    class Meta:
        model = Household
        fields = [
            "unit",
            "name",
            "id_number",
            "phone",
            "address",
            "categories",
            "level",
            "situation",
            "monthly_income",
            "entered_on",
            "review_months",
        ]
        widgets = {
            "entered_on": DATE,
            "situation": forms.Textarea(attrs={"rows": 4}),
            "phone": forms.TextInput,
            "address": forms.TextInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "entered_on" in self.fields:
            self.fields["entered_on"].required = False
        for name in ("phone", "address"):
            self.fields[name].required = False
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        review_months_limits(self.fields["review_months"])
        # The checkboxes are their own list; Bootstrap's form-control would stretch them.
        self.fields["categories"].widget.attrs["class"] = ""

    def clean_phone(self):
        # As the roster and the household import read it: a mobile, or a landline with its area code.
        try:
            return cleaning.clean_phone(self.cleaned_data["phone"])
        except cleaning.CellError as error:
            raise forms.ValidationError(str(error)) from None


class HouseholdEditForm(HouseholdForm):
    # Not a field of the file: the reason recorded in its history when the level or the unit changes
    # (services.household_update), as a review records its own.
    reason = forms.CharField(
        label=_("调整原因"),
        max_length=200,
        required=False,
        help_text=_("修改困难程度或所在单位时必填，记入档案动态。"),
    )

    class Meta(HouseholdForm.Meta):
        fields = [
            "unit",
            "name",
            "phone",
            "address",
            "categories",
            "level",
            "situation",
            "monthly_income",
            "review_months",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The ID number is the file's identity: a wrong one means a new file, not an edit.
        del self.fields["id_number"]


class EventForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE)
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    level = forms.ChoiceField(label=_("困难程度"), choices=[("", "—"), *Level.choices], required=False)

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household

    def clean_on(self):
        not_too_early(self.cleaned_data["on"], self.household)
        return self.cleaned_data["on"]


class DeleteForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("删除原因"), max_length=200)


class ClaimPaidForm(BootstrapFormMixin, forms.Form):
    paid_on = forms.DateField(label=_("到账日期"), widget=DATE, validators=[not_after_today])
    amount = forms.DecimalField(
        label=_("理赔金额（元）"), max_digits=10, decimal_places=2, min_value=0, help_text=_("保险机构实际赔付的金额。")
    )


class PairingEndForm(BootstrapFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("结束日期"), widget=DATE)


class RejectForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("不予批准的原因"), max_length=200, help_text=_("如金额有误、受助人不符、超出规定。")
    )


class FamilyForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = ["name", "relation", "birth_year", "occupation", "health", "monthly_income", "university_year"]
        widgets = {"health": forms.TextInput}  # encrypted at rest (a text column), typed as one line


class AttachmentForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("材料名称"), max_length=100, help_text=_("如：诊断证明、残疾证、低保证。"))
    file = forms.FileField(label=_("文件"))

    def clean_file(self):
        return check_upload(self.cleaned_data["file"])


class AssistanceForm(BootstrapFormMixin, UnitChoiceMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("发放单位"), queryset=None)
    recipient = forms.CharField(
        label=_("受助人"), max_length=50, required=False, help_text=_("从困难档案发放时可不填。")
    )
    purpose = forms.ChoiceField(label=_("用途"), choices=Purpose.choices)
    kind = forms.ChoiceField(label=_("形式"), choices=AssistanceKind.choices)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=10, decimal_places=2, min_value=0)
    goods = forms.CharField(label=_("慰问品"), max_length=100, required=False)
    subject = forms.CharField(label=_("事由"), max_length=50, required=False, help_text=_("同一病种、同一子女等。"))
    given_on = forms.DateField(label=_("发放日期"), widget=DATE, validators=[not_after_today])
    budget_line = forms.CharField(label=_("经费科目"), max_length=100, required=False)
    receipt = forms.FileField(label=_("签收单"), required=False, help_text=_("受助人签字的签收单照片或扫描件。"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household

    def clean_given_on(self):
        not_too_early(self.cleaned_data["given_on"], self.household)
        return self.cleaned_data["given_on"]

    def clean_receipt(self):
        return check_upload(self.cleaned_data.get("receipt"))

    def clean(self):
        data = super().clean()
        goods_named(self)
        return data


class ReceiptForm(BootstrapFormMixin, forms.Form):
    receipt = forms.FileField(label=_("签收单"))

    def clean_receipt(self):
        return check_upload(self.cleaned_data["receipt"])


class CapForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = AssistanceCap
        fields = ["purpose", "per", "max_times", "max_amount"]


class SettingsForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CareSettings
        fields = [
            "approval_threshold",
            "review_months",
            "pairing_silence_days",
            "archive_years",
            "women_retirement",
            "retirement_notice_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        review_months_limits(self.fields["review_months"])


class CampaignForm(BootstrapFormMixin, forms.ModelForm):
    levels = forms.MultipleChoiceField(
        label=_("困难档案"),
        choices=Level.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("列入这些困难程度的在档家庭。"),
    )

    class Meta:
        model = Campaign
        fields = [
            "kind",
            "title",
            "year",
            "starts_on",
            "ends_on",
            "standard_amount",
            "budget_line",
            "levels",
            "include_retirees",
            "include_sick_leave",
            "include_model_workers",
            "include_university",
            "schedule_item",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].widget.attrs["class"] = ""
        self.fields["schedule_item"].queryset = items
        self.fields["kind"].choices = CampaignKind.choices

    def clean(self):
        data = super().clean()
        rules = [
            data.get("levels"),
            *(
                data.get(f)
                for f in ("include_retirees", "include_sick_leave", "include_model_workers", "include_university")
            ),
        ]
        if not any(rules):
            raise forms.ValidationError(_("请至少选择一条名单规则（困难档案、退休职工等）。"))
        return data


class SplitForm(BootstrapFormMixin, forms.Form):
    officers = forms.ModelMultipleChoiceField(label=_("走访人"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers
        self.fields["officers"].widget.attrs["class"] = ""


class RecordForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("形式"), choices=AssistanceKind.choices)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=10, decimal_places=2, min_value=0)
    goods = forms.CharField(label=_("慰问品"), max_length=100, required=False)
    given_on = forms.DateField(label=_("日期"), widget=DATE, validators=[not_after_today])
    receipt = forms.FileField(
        label=_("签收单照片"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    note = forms.CharField(label=_("情况记录"), max_length=200, required=False)

    def __init__(self, *args, entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry

    def clean_given_on(self):
        day = self.cleaned_data["given_on"]
        if problem := self.entry.campaign.date_problem(day):
            raise forms.ValidationError(problem, code="outside_campaign")
        not_too_early(day, self.entry.household)
        return day

    def clean_receipt(self):
        return check_upload(self.cleaned_data.get("receipt"))

    def clean(self):
        data = super().clean()
        goods_named(self)
        return data


class VisitForm(BootstrapFormMixin, UnitChoiceMixin, forms.ModelForm):
    amount = forms.DecimalField(label=_("慰问金（元）"), max_digits=10, decimal_places=2, min_value=0, required=False)

    class Meta:
        model = Visit
        fields = ["unit", "person", "kind", "visited_on", "visitors", "given", "amount", "note"]
        widgets = {"visited_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def clean_visited_on(self):
        not_after_today(self.cleaned_data["visited_on"])
        not_too_early(self.cleaned_data["visited_on"])
        return self.cleaned_data["visited_on"]


class VisitEditForm(BootstrapFormMixin, forms.ModelForm):
    """A visit's record corrected. Whom and which unit stay (record a new visit for someone else); a visit that
    handed over money keeps its date and reason, which are the payment's, corrected by reversing that."""

    class Meta:
        model = Visit
        fields = ["kind", "visited_on", "visitors", "given", "note"]
        widgets = {"visited_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.payment_id:
            for name in ("kind", "visited_on"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("与慰问金发放记录一致，不能单独修改。")

    def clean_visited_on(self):
        if "visited_on" in self.changed_data:  # an old record is not refused for a date it already holds
            not_after_today(self.cleaned_data["visited_on"])
            not_too_early(self.cleaned_data["visited_on"], self.instance.household)
        return self.cleaned_data["visited_on"]


class TagForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CareTag
        fields = ["kind", "since", "until", "note"]
        widgets = {"since": DATE, "until": DATE, "note": forms.TextInput}
        # Its own context: elsewhere 截止日期 is a deadline, here the day a sick leave or a mark ends.
        labels = {"until": pgettext_lazy("care mark ends", "截止日期")}


class PairingForm(BootstrapFormMixin, UnitChoiceMixin, forms.ModelForm):
    class Meta:
        model = Pairing
        fields = ["unit", "helper", "helped", "started_on", "goal"]
        widgets = {"started_on": DATE}


class ContactForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = PairingContact
        fields = ["on", "how", "note"]
        widgets = {"on": DATE}


class ProductForm(BootstrapFormMixin, UnitChoiceMixin, forms.ModelForm):
    class Meta:
        model = InsuranceProduct
        fields = ["unit", "name", "insurer", "premium", "women_only", "min_age", "max_age", "include_retirees"]


class ProductEditForm(BootstrapFormMixin, forms.ModelForm):
    """A product's terms as the insurer sets them each year; enrollments already made keep the premium they paid."""

    class Meta:
        model = InsuranceProduct
        fields = ["name", "insurer", "premium", "women_only", "min_age", "max_age", "include_retirees"]
        help_texts = {"premium": _("改动只用于以后的参保；已参保的记录保留当时的保费。")}


class ClaimForm(BootstrapFormMixin, forms.ModelForm):
    """A claim under ``enrollment``: the dates and amount checked as services.claim_file checks them, beside
    the fields."""

    class Meta:
        model = InsuranceClaim
        fields = ["filed_on", "reason", "amount", "paid_on"]
        widgets = {"filed_on": DATE, "paid_on": DATE, "reason": forms.TextInput}

    def __init__(self, *args, enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment

    def clean_filed_on(self):
        day = self.cleaned_data["filed_on"]
        if problem := self.enrollment.filing_problem(day, today=timezone.localdate()):
            raise forms.ValidationError(problem, code="filed_on")
        return day

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("应大于0。"), code="not_positive")
        return amount

    def clean(self):
        data = super().clean()
        filed_on, paid_on = data.get("filed_on"), data.get("paid_on")
        if filed_on and paid_on:
            claim = InsuranceClaim(filed_on=filed_on)
            if problem := claim.payout_problem(paid_on, today=timezone.localdate()):
                self.add_error("paid_on", problem)
        return data


class CheckDateForm(forms.Form):
    """The day the ticked women had their health check: a day of the page's year, up to today (today
    when not sent)."""

    on = forms.DateField(label=_("体检日期"), required=False)

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_on(self):
        day = self.cleaned_data["on"] or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError(_("体检日期不能晚于今天。"))
        if day.year != self.year:
            raise forms.ValidationError(_("体检日期应在%(year)s年内。") % {"year": self.year})
        return day


class ProtectionForm(BootstrapFormMixin, UnitChoiceMixin, forms.ModelForm):
    class Meta:
        model = ProtectionItem
        fields = ["unit", "year", "title", "done_on", "note"]
        widgets = {"done_on": DATE}


class CaseForm(BootstrapFormMixin, UnitChoiceMixin, forms.ModelForm):
    phone = forms.CharField(label=_("联系电话"), max_length=20)

    class Meta:
        model = RightsCase
        fields = ["unit", "name", "phone", "employer", "category", "account", "amount_claimed"]
        widgets = {"account": forms.Textarea(attrs={"rows": 4})}


class PublicCaseForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("您的姓名"), max_length=50)
    phone = forms.RegexField(
        label=_("联系电话"), regex=r"^1\d{10}$", error_messages={"invalid": _("手机号应为11位数字，以1开头。")}
    )
    employer = forms.CharField(label=_("用人单位"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("问题类别"), choices=CaseCategory.choices)
    account = forms.CharField(label=_("情况说明"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))
    consent = forms.BooleanField(
        label=_("我同意工会为办理本次求助收集、使用上述信息，仅限帮扶维权人员查看。"),
        error_messages={"required": _("请先阅读并同意个人信息处理说明。")},
    )
    # A field people never see nor hear: bots fill it, and their submissions are dropped. Drawn apart from
    # the others, without a label, in a wrapper hidden from screen readers (care/public_help.html).
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "website"]


class AssignForm(BootstrapFormMixin, forms.Form):
    to = forms.ModelChoiceField(label=_("承办人"), queryset=None)
    deadline = forms.DateField(label=_("办理期限"), widget=DATE)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = officers


class StepForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("环节"), choices=[c for c in CaseStep.Kind.choices if c[0] not in ("intake", "assign", "close")]
    )
    on = forms.DateField(label=_("日期"), widget=DATE)
    note = forms.CharField(label=_("记录"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("办结日期"), widget=DATE)
    outcome = forms.CharField(label=_("办理结果"), max_length=300)
    recovered = forms.DecimalField(label=_("挽回金额（元）"), max_digits=12, decimal_places=2, min_value=0, initial=0)


class SheetForm(BootstrapFormMixin, forms.Form):
    """A list handed out as a sheet; ``label``: what the list is called (the household list by default)."""

    file = forms.FileField(label=_("困难职工名册"), help_text=_(".xlsx、.xls 或 .csv，第一行可以是标题。"))

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["file"].label = label

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过2MB；更大的名册请联系管理员用命令导入。"))
        return upload
