from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import PhotoField
from core.forms import BootstrapFormMixin, ChooseAgainMixin, offer_units
from orgs.models import OrgUnit
from safety.models import CHECKLIST, Severity

IMAGE = {"accept": "image/*", "capture": "environment"}
MAX_PHOTO_BYTES = 15 * 1024 * 1024


def _photo(field_label, required=True):
    return PhotoField(label=field_label, required=required, widget=forms.ClearableFileInput(attrs=IMAGE))


def _small(photo):
    if photo and photo.size > MAX_PHOTO_BYTES:
        raise forms.ValidationError(_("照片不能超过 15 MB。"))
    return photo


class HazardForm(ChooseAgainMixin, BootstrapFormMixin, forms.Form):
    choose_again = _("请重新选择照片：页面重新显示后，浏览器不会保留已选的照片。")

    description = forms.CharField(label=_("隐患描述"), max_length=300)
    severity = forms.ChoiceField(label=_("隐患等级"), choices=Severity.choices)
    department = forms.CharField(label=_("责任部门"), max_length=60)
    deadline = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}))
    photo = _photo(_("隐患照片"))

    def __init__(self, *args, recorded=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not recorded:
            # On the inspection's page while its box says no hazard was found: none of these is needed
            # then, so none is marked required, nor refused as empty when another field is.
            for field in self.fields.values():
                field.required = False

    def clean_photo(self):
        return _small(self.cleaned_data.get("photo"))

    def typed(self):
        """Whether the inspector filled in any of the hazard's own fields (the level always has a value)."""
        return any(
            self.data.get(self.add_prefix(name), "").strip() for name in ("description", "department", "deadline")
        ) or bool(self.files.get(self.add_prefix("photo")))


class InspectionForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("被检查单位"),
        queryset=OrgUnit.objects.none(),
        empty_label=None,
        required=False,  # not sent: the unit worked as
        help_text=_("检查和发现的隐患记在这个单位名下，如下属学校的操场。"),
    )
    place = forms.CharField(label=_("检查地点"), max_length=100)
    inspected_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    failed = forms.MultipleChoiceField(
        label=_("不合格的项目"),
        required=False,
        choices=[(str(i), _(item)) for i, item in enumerate(CHECKLIST)],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("只勾选发现问题的项目，其余视为合格。"),
    )
    note = forms.CharField(label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    found_hazard = forms.BooleanField(label=_("发现隐患，现在登记"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspected_on"].initial = timezone.localdate()
        self.fields["failed"].widget.attrs["class"] = "form-check-input"
        if units is None:
            del self.fields["unit"]  # a record corrected keeps its unit
        else:
            offer_units(self, "unit", units)

    def hazard_recorded(self) -> bool:
        """Whether the box says a hazard was found, in what was sent, read as validation will read it:
        the hazard's form, built before this one is validated, requires its fields only then."""
        return self.fields["found_hazard"].to_python(self["found_hazard"].data)


class InspectionEditForm(InspectionForm):
    """An inspection's record corrected: its place, date, failed items and notes (hazards have their own pages)."""

    def __init__(self, *args, inspection, **kwargs):
        initial = {
            "place": inspection.place,
            "inspected_on": inspection.inspected_on,
            "failed": [str(i) for i, row in enumerate(inspection.checklist) if not row.get("ok")],
            "note": inspection.note,
        }
        super().__init__(*args, initial=initial, **kwargs)
        del self.fields["found_hazard"]


class FixForm(ChooseAgainMixin, BootstrapFormMixin, forms.Form):
    choose_again = _("请重新选择照片：页面重新显示后，浏览器不会保留已选的照片。")

    fix_photo = _photo(_("整改后照片"))
    note = forms.CharField(label=_("整改情况"), max_length=300, required=False)
    close = forms.BooleanField(label=_("核实无误，同时销号"), required=False)

    def clean_fix_photo(self):
        return _small(self.cleaned_data.get("fix_photo"))


class ReturnForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明哪里没有整改到位，责任方会收到通知，重新整改后再登记。"),
    )
