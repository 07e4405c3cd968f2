from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import cleaning, idnumber
from core.encryption import is_unreadable
from core.forms import BootstrapFormMixin, offer_units
from members.importing import FIELDS
from members.models import (
    AGE_BANDS,
    Category,
    Gender,
    Member,
    Status,
    StatusReason,
    birth_date_problem,
)
from orgs.picker import UnitPicker, picked_errors


def joined_by_today(value):
    """入会时间 is a day that has come: one after today is a slip (2062 for 2026) that would count the
    member as new in a year not yet begun. The roster's import says the same of its rows."""
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("入会时间不能晚于今天。"))
    return value


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class MemberForm(BootstrapFormMixin, forms.ModelForm):
    """Add or edit a member; the ID number is checked and must agree with birth date and gender."""

    class Meta:
        model = Member
        fields = [
            "name",
            "gender",
            "id_number",
            "birth_date",
            "phone",
            "unit",
            "category",
            "job_title",
            "political_status",
            "education",
            "joined_on",
            "card_number",
            "is_migrant_worker",
            "is_retiree",
            "note",
        ]
        widgets = {
            # Room for how people write them (110101 19900307 1234, 0314-8123456, +86 139 3151 0001): the
            # cleaning takes out spaces and dashes; a browser cutting the typing short would not.
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "maxlength": 24}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel", "maxlength": 20}),
            "birth_date": DateInput(),
            "joined_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "birth_date": _("填写身份证号后可不填，将按身份证号计算。"),
            "gender": _("须与身份证号一致。"),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        offer_units(self, "unit", units)
        if self.instance.status == Status.TRANSFERRING_OUT:
            # The transfer moves the member when the receiving union accepts it; moved meanwhile, the
            # transfer would go on naming, as the sending side, a unit the member has already left.
            self.fields["unit"].disabled = True
            self.fields["unit"].help_text = _("转会办理中，所在单位在转入单位接收后自动变更；如需改动，请先撤回转会。")
        self.fields["gender"].required = False
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        for name in ("id_number", "phone"):
            if is_unreadable(getattr(self.instance, name)):
                # The input is empty; left so, the stored value is kept (core.encryption.Unreadable).
                self.fields[name].help_text = _("%(notice)s。留空保存将保留原值。") % {
                    "notice": getattr(self.instance, name)
                }

    def clean_name(self):
        try:
            return cleaning.parse_name(self.cleaned_data["name"])  # as a roster sheet's name cell is read
        except cleaning.CellError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        problem = value and birth_date_problem(value, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem, code="birth_date_range")
        return value

    def clean_joined_on(self):
        return joined_by_today(self.cleaned_data["joined_on"])

    def clean_id_number(self):
        # The number's form only. Whether it is already a member's is asked by the service that saves
        # (members.services.id_number_unclaimed), of a record valid in every other field: asked here, any
        # officer could have tried numbers against the whole tree with a bad date that saved nothing.
        # Dashes as people group the digits (1305-3419-9910-1965-50): core.idnumber.normalize takes out spaces only.
        value = idnumber.normalize(self.cleaned_data["id_number"].replace("-", ""))
        if value:
            try:
                idnumber.parse(value)
            except idnumber.InvalidIdNumber as error:
                raise forms.ValidationError(str(error)) from None
        return value

    def clean_phone(self):
        # As the import reads it: +86, spaces and dashes go, a landline stays a landline.
        try:
            return cleaning.clean_phone(self.cleaned_data["phone"])
        except cleaning.CellError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        number = data.get("id_number")
        if number and not self.has_error("id_number"):
            parsed = idnumber.parse(number)
            data["gender"] = data.get("gender") or parsed.gender
            data["birth_date"] = data.get("birth_date") or parsed.birth_date
            self.instance.gender = data["gender"]
            self.instance.birth_date = data["birth_date"]
        elif not data.get("gender"):
            self.add_error("gender", _("请选择性别，或填写身份证号。"))
        self._check_joined_after_birth(data)
        return data

    def _check_joined_after_birth(self, data):
        """入会时间 after the birth date: the one typed, or the stored one when the form leaves the field
        out (members.views.member_edit); the member's page shows it to every reader."""
        joined = data.get("joined_on")
        born = data.get("birth_date") if "birth_date" in self.fields else self.instance.birth_date
        if joined and born and joined <= born:
            self.add_error("joined_on", _("入会时间早于出生日期。"))


# The roster's 其他 filter: each choice and how it narrows the members, in one place.
FLAGS = {
    "migrant": (_("农民工"), lambda members: members.filter(is_migrant_worker=True)),
    "retiree": (_("离退休"), lambda members: members.filter(is_retiree=True)),
    "women": (_("女职工"), lambda members: members.women()),
    "no_id_number": (_("缺身份证号"), lambda members: members.missing_id_number()),
    "no_phone": (_("缺手机号"), lambda members: members.missing_phone()),
}


class FilterForm(forms.Form):
    """The roster's filters; every field is optional and bad values are ignored, not errors."""

    q = forms.CharField(label=_("搜索"), required=False)
    unit = forms.TypedChoiceField(label=_("单位"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("会籍状态"), required=False)
    gender = forms.ChoiceField(label=_("性别"), required=False, choices=[("", _("全部"))] + list(Gender.choices))
    age = forms.ChoiceField(label=_("年龄段"), required=False)
    category = forms.ChoiceField(
        label=_("人员类别"), required=False, choices=[("", _("全部"))] + list(Category.choices)
    )
    flag = forms.ChoiceField(
        label=_("其他"),
        required=False,
        choices=[("", _("全部"))] + [(key, label) for key, (label, _narrow) in FLAGS.items()],
    )

    ALL = "all"  # every status; no status chosen means the members in the union

    def __init__(self, *args, units, shown, **kwargs):
        """``units``: those the filter may pick (the visible subtree); ``shown``: those listed in the select.

        A province has 100,000 units: the select offers the current unit and its children,
        and a deeper unit arrives by link (?unit=<id>) from the statistics page.
        """
        super().__init__(*args, **kwargs)
        self.units = units
        self.unit = None
        shown = list(shown)
        wanted = self.data.get("unit")
        if wanted and str(wanted).isdecimal() and all(str(u.pk) != wanted for u in shown):
            self.unit = units.filter(pk=wanted).first()
            if self.unit is not None:
                shown.append(self.unit)
        self.shown = shown
        self.fields["unit"].choices = [("", _("全部单位"))] + [
            (u.pk, f"{u.display_name}{u.inactive_mark}") for u in shown
        ]
        self.fields["status"].choices = [
            ("", _("在会会员（含转出中、转入、退休保留会籍）")),
            (self.ALL, _("全部状态")),
            *Status.choices,
        ]
        self.fields["age"].choices = [("", _("全部"))] + [(key, label) for key, label, _low, _high in AGE_BANDS]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if isinstance(field, forms.ChoiceField) else "form-control form-control-sm"
            )

    def selected_unit(self):
        """The unit picked in the filter (one of ``units``), or None for the current unit's whole subtree."""
        if not self.is_valid() or not self.cleaned_data.get("unit"):
            return None
        wanted = self.cleaned_data["unit"]
        if self.unit is not None and self.unit.pk == wanted:
            return self.unit
        return next((u for u in self.shown if u.pk == wanted), None) or self.units.filter(pk=wanted).first()

    def searching(self):
        return self.is_valid() and bool(self.cleaned_data.get("q", "").strip())

    def filter(self, members):
        """``members`` (already limited to the selected unit's subtree) filtered by the other fields
        but the search, which members.rosters asks of members.privacy (a full ID number is logged)."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status", "")
        if not status:
            members = members.in_union()
        elif status != self.ALL:
            members = members.filter(status=status)
        if data.get("gender"):
            members = members.filter(gender=data["gender"])
        if data.get("age"):
            members = members.in_age_band(data["age"])
        if data.get("category"):
            members = members.filter(category=data["category"])
        if data.get("flag"):
            _label, narrow = FLAGS[data["flag"]]
            members = narrow(members)
        return members


class StatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("新的会籍状态"))
    reason = forms.ChoiceField(label=_("原因"), choices=StatusReason.choices)
    on = forms.DateField(label=_("日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), required=False, max_length=200)
    confirm_deceased = forms.BooleanField(
        label=_("已核实该会员去世"),
        required=False,
        help_text=_("标记为已故后会员不再计入会员人数，其登录账号失去会员权限。"),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in member.allowed_statuses()]

    def clean(self):
        data = super().clean()
        # A death ends the membership and the login's role in one post: said twice, not once by a slip.
        if data.get("status") == Status.DECEASED and not data.get("confirm_deceased"):
            self.add_error("confirm_deceased", _("标记为已故前，请勾选确认已核实。"))
        return data


class TransferForm(BootstrapFormMixin, forms.Form):
    """The receiving unit, picked by its name (orgs.picker): officers are not shown other unions' codes,
    and a county's hundreds of unions are too many for a list."""

    to_unit = forms.ModelChoiceField(
        label=_("转入单位"),
        queryset=None,
        widget=UnitPicker,
        error_messages=picked_errors(_("请输入转入单位的名称，从搜索结果中选择。")),
        help_text=_("按名称查找接收的工会；同名的单位看下方的上级单位区分。"),
    )
    reason = forms.CharField(label=_("转会原因"), max_length=200, help_text=_("例如：调动到县实验小学任教。"))

    def __init__(self, *args, units, search_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units
        self.fields["to_unit"].widget.search_url = search_url


class DecisionForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("办理意见"), required=False, max_length=200)


class UploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("会员花名册"),
        help_text=_("支持 .xlsx、.xls、.csv。表头需包含“姓名”和“身份证号”，其他列按列名自动识别。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.xlsm,.csv"}),
    )

    def clean_file(self):
        from django.conf import settings

        from core.sheets import SUPPORTED

        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(SUPPORTED):
            raise forms.ValidationError(_("请上传 .xlsx、.xls 或 .csv 文件。"))
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("文件太大（最大 %(size)d MB）。") % {"size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class MappingForm(forms.Form):
    """One select per column of the sheet: which field it holds (or none)."""

    def __init__(self, *args, headers, mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("（不导入）"))] + [(f.key, f.label) for f in FIELDS]
        for index, header in enumerate(headers):
            self.fields[f"col{index}"] = forms.ChoiceField(
                label=header or _("第%(number)d列") % {"number": index + 1},
                choices=choices,
                required=False,
                initial=mapping.get(str(index), ""),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def clean(self):
        data = super().clean()
        chosen = [value for value in data.values() if value]
        duplicates = {value for value in chosen if chosen.count(value) > 1}
        if duplicates:
            labels = [str(f.label) for f in FIELDS if f.key in duplicates]
            raise forms.ValidationError(
                _("“%(fields)s”对应了多列，每项只能对应一列。") % {"fields": _("、").join(labels)}
            )
        for required in ("name", "id_number"):
            if required not in chosen:
                label = next(str(f.label) for f in FIELDS if f.key == required)
                raise forms.ValidationError(_("请指定“%(field)s”在哪一列。") % {"field": label})
        return data

    def mapping(self):
        return {name.removeprefix("col"): value for name, value in self.cleaned_data.items() if value}


class SheetForm(BootstrapFormMixin, forms.Form):
    """Which sheet of the workbook to read, when the one found is not the roster."""

    sheet = forms.ChoiceField(label=_("工作表"), required=False)

    def __init__(self, *args, sheets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [("", _("自动查找有表头的工作表"))] + [(name, name) for name in sheets]
