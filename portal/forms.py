from django import forms
from django.contrib.auth.forms import SetPasswordForm, SetPasswordMixin
from django.utils.translation import gettext_lazy as _

from core import cleaning, idnumber
from core.forms import BootstrapFormMixin
from members.forms import joined_by_today
from members.models import Category, valid_phone
from orgs.picker import UnitPicker, picked_errors
from portal import consent
from portal.models import Campaign

PHONE_MESSAGE = _("手机号应为11位数字，以1开头，例如 13812345678。")


def clean_phone_value(value):
    phone = cleaning.clean_digits(value)
    # As a phone shows its own number or a contact card writes it: +86 139 5990 9795, 0086-13959909795.
    for prefix in ("+86", "0086"):
        if phone.startswith(prefix):
            phone = cleaning.clean_digits(phone[len(prefix) :])
    if not valid_phone(phone):
        raise forms.ValidationError(PHONE_MESSAGE)
    return phone


def clean_id_value(value):
    try:
        return idnumber.parse(value).value
    except idnumber.InvalidIdNumber as error:
        raise forms.ValidationError(str(error)) from None


def _phone_widget():
    return forms.TextInput(attrs={"inputmode": "tel", "maxlength": 20, "autocomplete": "tel"})


def _id_widget():
    return forms.TextInput(attrs={"autocomplete": "off", "maxlength": 24, "autocapitalize": "characters"})


class ApplicationForm(BootstrapFormMixin, forms.Form):
    """The public join form: checked as the roster checks, keeping what was typed when it fails."""

    name = forms.CharField(label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(label=_("身份证号"), max_length=30, widget=_id_widget())
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=_phone_widget())
    employer = forms.CharField(label=_("工作单位"), max_length=100, help_text=_("写全称，如“清河县某某物流有限公司”。"))
    post = forms.CharField(
        label=_("岗位"), max_length=50, required=False, help_text=_("如快递员、外卖骑手、车间操作工。")
    )
    is_migrant_worker = forms.BooleanField(label=_("我是农民工（户籍在农村、进城务工）"), required=False)
    is_new_form_worker = forms.BooleanField(
        label=_("我是新就业形态劳动者（快递员、外卖骑手、网约车司机、货车司机等）"), required=False
    )
    news = forms.BooleanField(
        label=consent.OPTIONAL_PURPOSES[0].label, required=False, help_text=_("可选，可随时撤回。")
    )
    agree = forms.BooleanField(
        label=consent.SHORT,
        required=True,
        error_messages={"required": _("请阅读《个人信息使用说明》并勾选同意，否则无法办理入会。")},
    )

    def clean_name(self):
        try:
            name = cleaning.parse_name(self.cleaned_data["name"])
        except cleaning.CellError as error:
            raise forms.ValidationError(str(error)) from None
        if not name:
            raise forms.ValidationError(_("请填写姓名。"))
        return name

    def clean_id_number(self):
        return clean_id_value(self.cleaned_data["id_number"])

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data["phone"])

    def clean_employer(self):
        return cleaning.clean_text(self.cleaned_data["employer"])


class StatusLookupForm(BootstrapFormMixin, forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=_phone_widget())
    code = forms.CharField(
        label=_("查询码"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data["phone"])

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).upper()


class ReplyForm(BootstrapFormMixin, forms.Form):
    reply = forms.CharField(label=_("补充说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(BootstrapFormMixin, forms.Form):
    joined_on = forms.DateField(label=_("入会时间"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    category = forms.ChoiceField(label=_("人员类别"), choices=Category.choices, initial=Category.WORKER)

    def clean_joined_on(self):
        return joined_by_today(self.cleaned_data["joined_on"])


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("意见"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class RouteForm(BootstrapFormMixin, forms.Form):
    to_unit = forms.ModelChoiceField(
        label=_("转交给"), queryset=None, widget=UnitPicker, error_messages=picked_errors(_("请从搜索结果中选择工会。"))
    )

    def __init__(self, *args, units, search_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units
        self.fields["to_unit"].widget.search_url = search_url


class PhoneForm(BootstrapFormMixin, forms.Form):
    phone = forms.CharField(label=_("新手机号"), max_length=20, widget=_phone_widget())

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data["phone"])


class TransferRequestForm(BootstrapFormMixin, forms.Form):
    """The new union, picked by searching the county's (a county holds hundreds of unions and groups:
    too many for a list on a phone)."""

    to_unit = forms.ModelChoiceField(
        label=_("转入工会"),
        queryset=None,
        widget=UnitPicker,
        error_messages=picked_errors(_("请输入新单位工会的名称，从搜索结果中选择。")),
    )
    reason = forms.CharField(label=_("转会原因"), max_length=200, help_text=_("如“调入某某学校工作”。"))

    def __init__(self, *args, units, search_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units
        self.fields["to_unit"].widget.search_url = search_url


class SignInForm(BootstrapFormMixin, forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=20, widget=_phone_widget())
    id_number = forms.CharField(
        label=_("身份证号（首次登录时填写）"),
        max_length=30,
        required=False,
        widget=_id_widget(),
        help_text=_("首次登录时用于核对您是名册上的会员本人，不会显示给他人。"),
    )

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data["phone"])

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        return clean_id_value(value) if value.strip() else ""


class LinkForm(BootstrapFormMixin, forms.Form):
    """A login without a member record: linked when both numbers match the roster."""

    id_number = forms.CharField(label=_("身份证号"), max_length=30, widget=_id_widget())
    phone = forms.CharField(
        label=_("手机号"), max_length=20, widget=_phone_widget(), help_text=_("名册上登记的手机号。")
    )

    def clean_id_number(self):
        return clean_id_value(self.cleaned_data["id_number"])

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data["phone"])


class CodeForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class InvitationRedeemForm(BootstrapFormMixin, SetPasswordMixin, forms.Form):
    """The invitation code and the ID number; where the site sends no SMS (``with_password``), also the
    password the member will sign in with from then on: without one, and with no code to come by SMS,
    the account just opened would be lost with the session that opened it."""

    code = forms.CharField(
        label=_("邀请码"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    id_number = forms.CharField(label=_("身份证号"), max_length=30, widget=_id_widget())
    password1, password2 = SetPasswordMixin.create_password_fields(label1=_("设置登录密码"), label2=_("再输入一次密码"))

    def __init__(self, *args, with_password=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_password:
            del self.fields["password1"], self.fields["password2"]

    def clean_id_number(self):
        return clean_id_value(self.cleaned_data["id_number"])

    def clean(self):
        cleaned = super().clean()
        if "password1" in self.fields:
            self.validate_passwords()
            # No login yet to compare the password with: the rules that need none (length, common, digits).
            self.validate_password_for_user(None)
        return cleaned

    @property
    def password(self) -> str:
        return self.cleaned_data.get("password1", "") if "password1" in self.fields else ""


class CampaignForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "starts_on", "ends_on", "group", "note"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class TargetForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=None, widget=UnitPicker, error_messages=picked_errors(_("请从搜索结果中选择单位。"))
    )
    target = forms.IntegerField(label=_("目标人数"), min_value=1, max_value=1_000_000)

    def __init__(self, *args, units, search_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].widget.search_url = search_url


class PasswordForm(BootstrapFormMixin, SetPasswordForm):
    pass
