from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments import rules
from assessments.models import Criterion, Round, SelfCheck, Visit
from assessments.scheme_templates import TEMPLATES
from assessments.services import AWARD_MAX_YEARS, FIRST_YEAR, OBJECTION_MAX, PUBLICITY_MAX_WORKDAYS, latest_year
from core.figures import metrics
from core.files import check_scan
from core.forms import BootstrapFormMixin, ChooseAgainMixin

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".pdf", ".doc", ".docx", ".xls", ".xlsx")


class SchemeForm(BootstrapFormMixin, forms.Form):
    template = forms.ChoiceField(label=_("从模板开始"), required=False)
    title = forms.CharField(label=_("方案名称"), max_length=200, required=False, help_text=_("选了模板可不填。"))
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", _("空白方案")), *((k, t.title) for k, t in TEMPLATES.items())]

    def clean(self):
        data = super().clean()
        if not data.get("template") and not data.get("title"):
            self.add_error("title", _("请填写方案名称，或选择一个模板。"))
        return data


class CriterionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["group", "title", "points", "evidence", "rule", "metric", "threshold", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"] = forms.ChoiceField(
            label=_("自动评分规则"),
            required=False,
            choices=[("", _("无（由单位自评）")), *((r.key, r.label) for r in rules.rules().values())],
        )
        self.fields["metric"] = forms.ChoiceField(
            label=_("统计指标"),
            required=False,
            choices=[("", "—"), *((m.key, m.label) for m in metrics().values())],
            help_text=_("规则选“统计指标达到达标值”时选择。"),
        )
        self.fields["points"].min_value = 0

    def clean(self):
        data = super().clean()
        found = rules.get(data.get("rule") or "")
        if found and found.needs_threshold and data.get("threshold") is None:
            self.add_error("threshold", _("这条规则需要达标值。"))
        if found and found.key == "metric" and not data.get("metric"):
            self.add_error("metric", _("请选择统计指标。"))
        if found and found.metric:
            data["metric"] = found.metric
        if data.get("points") is not None and data["points"] <= 0:
            self.add_error("points", _("分值应大于0。"))
        return data


class ObjectionForm(BootstrapFormMixin, forms.Form):
    selfcheck = forms.ModelChoiceField(label=_("针对的单位"), queryset=SelfCheck.objects.none(), required=False)
    text = forms.CharField(
        label=_("异议内容和理由"), max_length=OBJECTION_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        if round is not None:
            self.fields["selfcheck"].queryset = round.checks.filter(rank__isnull=False).select_related("unit")
        self.fields["selfcheck"].label_from_instance = lambda check: check.unit.name
        self.fields["selfcheck"].empty_label = _("整个评比结果")


class ObjectionAnswerForm(BootstrapFormMixin, forms.Form):
    answer = forms.CharField(label=_("答复"), max_length=OBJECTION_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    upheld = forms.TypedChoiceField(
        label=_("结论"),
        choices=[("no", _("异议不成立，维持公示结果")), ("yes", _("异议成立，撤回结果重新审核"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择异议是否成立。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upheld"].widget.attrs["class"] = "form-check-input"


class RoundForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "title",
            "year",
            "deadline",
            "award_title",
            "award_years",
            "award_min_score",
            "publicity_workdays",
            "invited",
        ]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}), "invited": forms.CheckboxSelectMultiple}

    def __init__(self, *args, units=(), scheme=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme, self.today = scheme, today or timezone.localdate()
        self.fields["invited"].queryset = units
        self.fields["invited"].help_text = _("不选则由下级单位自愿报名参加。")
        self.fields["invited"].widget.attrs["class"] = ""
        self.fields["year"].min_value = 2000
        self.fields["publicity_workdays"].help_text = _(
            "结果公示的工作日数（节假日不计），公示期满且异议都已答复后才授予称号。"
        )

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        if day < self.today and day != self.instance.deadline:  # a round corrected after its deadline keeps it
            raise forms.ValidationError(_("自评截止日期不能早于今天。"))
        return day

    def clean_year(self):
        year = self.cleaned_data["year"]
        latest = latest_year(self.today)
        if not FIRST_YEAR <= year <= latest:
            raise forms.ValidationError(
                _("年度应在%(first)s到%(latest)s年之间。") % {"first": FIRST_YEAR, "latest": latest}
            )
        return year

    def clean_award_years(self):
        years = self.cleaned_data["award_years"]
        if not 1 <= years <= AWARD_MAX_YEARS:
            raise forms.ValidationError(_("称号有效期应为1到%(most)s年。") % {"most": AWARD_MAX_YEARS})
        return years

    def clean_publicity_workdays(self):
        days = self.cleaned_data["publicity_workdays"]
        if not 1 <= days <= PUBLICITY_MAX_WORKDAYS:
            raise forms.ValidationError(_("公示期应为1到%(most)s个工作日。") % {"most": PUBLICITY_MAX_WORKDAYS})
        return days

    def clean_award_min_score(self):
        score = self.cleaned_data["award_min_score"]
        if score < 0:
            raise forms.ValidationError(_("最低得分不能小于0。"))
        if self.scheme is not None:
            most = self.scheme.total_points()
            if score > most:
                raise forms.ValidationError(_("最低得分不能高于考核方案的总分%(total)s分。") % {"total": most})
        return score


class EvidenceForm(ChooseAgainMixin, BootstrapFormMixin, forms.Form):
    choose_again = _("请重新选择文件“%(name)s”：页面重新显示后，浏览器不会保留已选的文件。")

    criterion = forms.ModelChoiceField(label=_("对应细则"), queryset=Criterion.objects.none(), required=False)
    text = forms.CharField(label=_("文字说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("文件或照片"), required=False)

    def __init__(self, *args, scheme=None, **kwargs):
        super().__init__(*args, **kwargs)
        if scheme is not None:
            self.fields["criterion"].queryset = scheme.criteria.all()
        self.fields["criterion"].empty_label = _("整体材料")

    def clean_file(self):
        return check_scan(
            self.cleaned_data.get("file"),
            max_bytes=MAX_EVIDENCE_BYTES,
            kinds=EVIDENCE_TYPES,
            refused=_("只能上传照片（jpg、png）、PDF、Word或Excel文件。"),
        )

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("请填写文字说明或选择文件。"))
        return data


class VisitForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["visited_on", "visitors", "notes"]
        widgets = {"visited_on": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea(attrs={"rows": 3})}

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("检查日期不能晚于今天。"))
        return day
