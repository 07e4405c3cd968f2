from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from safety.models import CHECKLIST, Severity

IMAGE = {"accept": "image/*", "capture": "environment"}
MAX_PHOTO_BYTES = 15 * 1024 * 1024


def _photo(field_label, required=True):
    return forms.ImageField(label=field_label, required=required, widget=forms.ClearableFileInput(attrs=IMAGE))


def _small(photo):
    if photo and photo.size > MAX_PHOTO_BYTES:
        raise forms.ValidationError(_("照片不能超过 15 MB。"))
    return photo


class HazardForm(BootstrapFormMixin, forms.Form):
    description = forms.CharField(label=_("隐患描述"), max_length=300)
    severity = forms.ChoiceField(label=_("隐患等级"), choices=Severity.choices)
    department = forms.CharField(label=_("责任部门"), max_length=60)
    deadline = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}))
    photo = _photo(_("隐患照片"))

    def clean_photo(self):
        return _small(self.cleaned_data.get("photo"))

    def typed(self):
        """Whether the inspector filled in any of the hazard's own fields (the level always has a value)."""
        return any(
            self.data.get(self.add_prefix(name), "").strip() for name in ("description", "department", "deadline")
        ) or bool(self.files.get(self.add_prefix("photo")))


class InspectionForm(BootstrapFormMixin, forms.Form):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspected_on"].initial = timezone.localdate()
        self.fields["failed"].widget.attrs["class"] = "form-check-input"


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


class FixForm(BootstrapFormMixin, forms.Form):
    fix_photo = _photo(_("整改后照片"))
    note = forms.CharField(label=_("整改情况"), max_length=300, required=False)
    close = forms.BooleanField(label=_("核实无误，同时销号"), required=False)

    def clean_fix_photo(self):
        return _small(self.cleaned_data.get("fix_photo"))
