from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contracts.models import Kind, StepKind
from core.files import check_scan
from core.forms import BootstrapFormMixin, ChooseAgainMixin

DATE = {"type": "date"}


class TermsForm(BootstrapFormMixin, forms.Form):
    """The contract's terms as proposed: typed when bargaining starts, corrected until it is signed."""

    kind = forms.ChoiceField(label=_("合同类型"), choices=Kind.choices)
    title = forms.CharField(label=pgettext_lazy("contract form", "合同名称"), max_length=100)
    employer = forms.CharField(label=_("企业方"), max_length=100)
    starts_on = forms.DateField(label=pgettext_lazy("contract form", "起始日期"), widget=forms.DateInput(attrs=DATE))
    ends_on = forms.DateField(label=pgettext_lazy("contract form", "终止日期"), widget=forms.DateInput(attrs=DATE))
    workers_covered = forms.IntegerField(label=_("覆盖职工人数"), min_value=1)


class ContractForm(TermsForm):
    requested_on = forms.DateField(label=_("提出协商要约的日期"), widget=forms.DateInput(attrs=DATE))


class StepForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("环节"),
        choices=[(k, label) for k, label in StepKind.choices if k not in (StepKind.SIGNING, StepKind.FILING)],
    )
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label=_("记录"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class SignForm(ChooseAgainMixin, BootstrapFormMixin, forms.Form):
    choose_again = _("请重新选择合同文本“%(name)s”：页面重新显示后，浏览器不会保留已选的文件。")

    signed_on = forms.DateField(label=_("签订日期"), widget=forms.DateInput(attrs=DATE))
    congress_approval = forms.CharField(label=_("审议通过的会议"), max_length=100, required=False)
    document = forms.FileField(label=_("合同文本（扫描件）"), required=False, help_text=_("PDF 或照片，不超过 20MB。"))

    def clean_document(self):
        return check_scan(self.cleaned_data.get("document"), max_bytes=20 * 1024 * 1024)


class DocumentForm(BootstrapFormMixin, forms.Form):
    """The signed text's scan, when it was not at hand on the day of signing."""

    document = forms.FileField(label=_("合同文本（扫描件）"), help_text=_("PDF 或照片，不超过 20MB。"))

    def clean_document(self):
        return check_scan(self.cleaned_data.get("document"), max_bytes=20 * 1024 * 1024)


class FileForm(BootstrapFormMixin, forms.Form):
    filed_on = forms.DateField(label=_("备案日期"), widget=forms.DateInput(attrs=DATE))
    filed_with = forms.CharField(label=_("备案机关"), max_length=100, help_text=_("如“清河县人力资源和社会保障局”。"))
