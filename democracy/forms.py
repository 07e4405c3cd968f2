import re
import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, PlainLengths
from core.language import written_date
from democracy.models import Category, Congress, DisclosureItem, Outcome, Rating, Session
from democracy.models.ballots import BallotKind, BallotMethod, Electorate, Mode
from democracy.models.proposals import largest_amount
from democracy.services.ballots import scrutineer_choices
from orgs.access import subtree_range
from orgs.models import RoleAssignment, UnitKind
from orgs.roles import Role


class CongressForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Congress
        fields = [
            "number",
            "starts_on",
            "women_share",
            "frontline_share",
            "young_share",
            "cosigners_required",
            "answer_workdays",
            "quorum_numerator",
            "quorum_denominator",
            "pass_numerator",
            "pass_denominator",
        ]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        for prefix, label in (("quorum", _("到会比例")), ("pass", _("通过比例"))):
            numerator, denominator = data.get(f"{prefix}_numerator"), data.get(f"{prefix}_denominator")
            if numerator is not None and denominator is not None and not 0 < numerator <= denominator:
                self.add_error(f"{prefix}_numerator", _("%(label)s应在0到1之间。") % {"label": label})
        return data


class CongressRulesForm(CongressForm):
    """A term's rules as they stand, and its end (换届): what may change once the term has begun."""

    class Meta(CongressForm.Meta):
        fields = ["ends_on", *CongressForm.Meta.fields[2:]]
        widgets = {"ends_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"ends_on": _("换届后填写；本届代表的任期到这一天为止。")}

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on and ends_on <= self.instance.starts_on:
            raise forms.ValidationError(
                _("本届结束应晚于本届开始（%(date)s）。") % {"date": written_date(self.instance.starts_on)}
            )
        return ends_on


class ElectedOnForm(forms.Form):
    """The date on the button that adds a representative (empty: the page's default)."""

    elected_on = forms.DateField(label=_("当选日期"), required=False)


class RepresentativeLeaveForm(BootstrapFormMixin, forms.Form):
    left_on = forms.DateField(label=_("卸任日期"), widget=forms.DateInput(attrs={"type": "date"}))
    left_reason = forms.CharField(label=_("卸任原因"), max_length=100, help_text=_("如调离、退休、辞去代表职务。"))


class SessionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "number",
            "held_on",
            "place",
            "proposals_open_on",
            "proposals_close_on",
            "agenda",
            "reports",
            "schedule_item",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "proposals_open_on": forms.DateInput(attrs={"type": "date"}),
            "proposals_close_on": forms.DateInput(attrs={"type": "date"}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "reports": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, unit, year, **kwargs):
        super().__init__(*args, **kwargs)
        from plans.models import ScheduleItem

        # This year's and next year's congress items, and the one a session being edited already fulfils.
        offered = Q(plan__year__in=[year, year + 1], category="democracy") | Q(pk=self.instance.schedule_item_id)
        self.fields["schedule_item"].queryset = ScheduleItem.objects.filter(offered, plan__unit=unit).select_related(
            "plan"
        )
        self.fields["schedule_item"].label_from_instance = lambda item: f"{item.plan.year} · {item.text}"
        self.fields["schedule_item"].help_text = _("闭幕时这一计划事项标记为已完成。")

    def clean(self):
        data = super().clean()
        start, end = data.get("proposals_open_on"), data.get("proposals_close_on")
        if start and end and end < start:
            self.add_error("proposals_close_on", _("征集截止不能早于开始。"))
        return data


class ProposalForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("案由"), max_length=100)
    reasons = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 4}))
    measures = forms.CharField(label=_("建议措施"), widget=forms.Textarea(attrs={"rows": 4}))


def handlers_of(unit):
    """Users holding the handler role who may answer ``unit``'s proposals, in name order: at a union, on it
    or on its sub-unions and groups (its departments); at a federation, on the federation itself. The
    unions below a federation answer their own congresses' proposals, and at a province their handlers
    are hundreds of thousands, too many for a form."""
    assignments = RoleAssignment.objects.filter(role=Role.HANDLER)
    if unit.kind == UnitKind.FEDERATION:
        assignments = assignments.filter(unit=unit)
    else:
        assignments = assignments.filter(unit__path__range=subtree_range(unit.path))
    return get_user_model().objects.filter(pk__in=assignments.values("user_id")).in_name_order()


class RoutingForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    department = forms.CharField(label=_("主办部门"), max_length=50)
    handler = forms.ModelChoiceField(label=_("主办人"), queryset=get_user_model().objects.none())
    co_handlers = forms.ModelMultipleChoiceField(
        label=_("协办人"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers_of(unit)
        self.fields["co_handlers"].queryset = handlers_of(unit)
        self.fields["handler"].label_from_instance = lambda u: u.full_name or u.username
        self.fields["co_handlers"].label_from_instance = lambda u: u.full_name or u.username


class ReassignForm(BootstrapFormMixin, forms.Form):
    """The chair's change to a routed item: another handler or department, a new deadline, and why."""

    department = forms.CharField(label=_("主办部门"), max_length=50)
    handler = forms.ModelChoiceField(label=_("主办人"), queryset=get_user_model().objects.none())
    due_on = forms.DateField(label=_("办理期限"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("改派说明"), max_length=300, help_text=_("如：原主办人调离，改由教务处办理。新主办人会收到通知。")
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers_of(unit)
        self.fields["handler"].label_from_instance = lambda u: u.full_name or u.username


class VetForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审查决定"),
        choices=[
            ("reject", _("不予立案")),
            ("to_suggestion", _("转为建议")),
            ("merge", _("并案")),
        ],
    )
    reason = forms.CharField(label=_("理由"), max_length=300)
    merged_into = forms.IntegerField(label=_("并入提案（编号见列表）"), required=False)


def amount_field(label, field_name):
    """An amount in yuan, capped where the proposal's column is (a larger one used to reach the database)."""
    largest = largest_amount(field_name)
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=largest,
        decimal_places=2,
        error_messages={
            "max_value": _("金额不能超过%(limit_value)s元。"),
            "min_value": _("金额不能是负数。"),
            "max_decimal_places": _("金额最多精确到分（两位小数）。"),
        },
    )


class AnswerForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 5}))
    outcome = forms.ChoiceField(label=_("采纳情况"), choices=[("", "—"), *Outcome.choices], required=False)
    implementation = forms.CharField(label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    benefit = amount_field(_("经济效益（元）"), "benefit")
    reward = amount_field(_("奖励（元）"), "reward")

    def __init__(self, *args, is_proposal=True, **kwargs):
        super().__init__(*args, **kwargs)
        if is_proposal:
            for name in ("outcome", "implementation", "benefit", "reward"):
                del self.fields[name]


class RateForm(PlainLengths, forms.Form):
    rating = forms.ChoiceField(label=_("评价"), choices=Rating.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("不满意的理由"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("选“不满意”时必填：哪些没有解决，希望怎样办理。"),
    )


class BallotForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=BallotKind.choices)
    method = forms.ChoiceField(label=_("投票方式"), choices=BallotMethod.choices)
    mode = forms.ChoiceField(label=_("投票形式"), choices=Mode.choices)
    electorate = forms.ChoiceField(label=_("投票人"), choices=Electorate.choices)
    seats = forms.IntegerField(label=_("应选人数"), min_value=1, initial=1)
    min_surplus = forms.IntegerField(label=_("差额人数不少于"), min_value=0, initial=0)
    allow_write_in = forms.BooleanField(label=_("允许另选他人"), required=False)
    candidates = forms.CharField(label=_("候选人"), widget=forms.Textarea(attrs={"rows": 5}), help_text=_("每行一人。"))
    scrutineers = forms.ModelMultipleChoiceField(label=_("监票人"), queryset=get_user_model().objects.none())

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scrutineers"].queryset = scrutineer_choices(unit)
        self.fields["scrutineers"].label_from_instance = lambda u: u.full_name or u.username

    def clean_candidates(self):
        names = [line.strip() for line in self.cleaned_data["candidates"].splitlines() if line.strip()]
        if not names:
            raise forms.ValidationError(_("请至少填写一名候选人。"))
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("候选人姓名重复。"))
        return names


class NoticeForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("公示内容"), widget=forms.Textarea(attrs={"rows": 8}))
    workdays = forms.IntegerField(label=_("公示期（工作日）"), min_value=1, max_value=30, initial=5)


class ObjectionForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))
    anonymous = forms.BooleanField(label=_("匿名提出"), required=False)


class ObjectionAnswerForm(BootstrapFormMixin, forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 3}))
    upheld = forms.TypedChoiceField(
        label=_("结论"),
        choices=[("0", _("异议不成立")), ("1", _("异议成立"))],
        coerce=lambda v: v == "1",
    )


class DisclosureForm(BootstrapFormMixin, forms.ModelForm):
    # How far from today a due date may lie: a typo (0001, 2099) made a year button of its own and an
    # item overdue since antiquity.
    YEARS_BACK, YEARS_AHEAD = 10, 3

    class Meta:
        model = DisclosureItem
        fields = ["title", "category", "period", "period_label", "due_on", "is_public"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, unit=None, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit or self.instance.unit
        self.today = today

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        start = self.today.replace(year=self.today.year - self.YEARS_BACK, day=1)
        end = self.today.replace(year=self.today.year + self.YEARS_AHEAD, day=1)
        if not start <= due_on <= end:
            raise forms.ValidationError(
                _("应公开日期应在%(start)s至%(end)s之间。") % {"start": written_date(start), "end": written_date(end)}
            )
        return due_on

    def clean(self):
        data = super().clean()
        same = DisclosureItem.objects.filter(
            unit=self.unit, title=data.get("title"), period_label=data.get("period_label")
        ).exclude(pk=self.instance.pk)
        if data.get("title") and same.exists():
            self.add_error("title", _("这一期间已有同名的公开事项。"))
        return data


class WithdrawForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("撤下原因"), max_length=200, help_text=_("如：误设为对外公开、含有不宜公开的个人信息。")
    )


# 18 characters shaped like a resident ID number (17 digits and a digit or X), full-width ones included.
ID_NUMBER_LIKE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def id_numbers_in(text: str) -> list[str]:
    """The ID-number-like strings of ``text``, masked as they are shown back (320102********1234)."""
    found = ID_NUMBER_LIKE.findall(unicodedata.normalize("NFKC", text))
    return [f"{number[:6]}{'*' * 8}{number[-4:]}" for number in found]


class PublishForm(BootstrapFormMixin, forms.Form):
    """What is published. Text for the external page (read without logging in) that holds what looks
    like an ID number is held back once with a warning: publishing cannot be undone there, and a
    résumé or award list pasted whole often carries them. Ticking 确认 publishes it as it is."""

    content = forms.CharField(label=_("公开内容"), widget=forms.Textarea(attrs={"rows": 6}))
    is_public = forms.BooleanField(label=_("对外公开"), required=False, help_text=_("勾选后无需登录即可在公开页看到。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get("is_public") and id_numbers_in(self.data.get("content", "")):
            self.fields["id_numbers_confirmed"] = forms.BooleanField(
                label=_("我已核对：这些号码确需对外公开"), required=False
            )
            self.fields["id_numbers_confirmed"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        found = id_numbers_in(data.get("content", ""))
        if data.get("is_public") and found and not data.get("id_numbers_confirmed"):
            self.add_error(
                "content",
                _(
                    "公开内容里有像身份证号的18位号码（%(numbers)s）。对外公开页无需登录即可查看，公开后不能修改："
                    "请删去或遮盖这些号码；确需公开的，请勾选下面的确认后再公开。"
                )
                % {"numbers": "、".join(found)},
            )
        return data


class OpinionForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    anonymous = forms.BooleanField(label=_("匿名（不记录您的姓名和时间）"), required=False, initial=True)


class ReplyForm(BootstrapFormMixin, forms.Form):
    """A reply to an opinion, or (``correcting``) a deliberate correction of one given earlier.

    Whether it is published is asked each time and never assumed from an earlier reply. The inbox ticks
    与意见一起公开 in advance only for an anonymous opinion, which names nobody. A chair answering a signed
    one expects a letter to the union to stay between the writer and the union, unless they choose to
    post it: even without the name, the text may say who wrote it."""

    reply = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 3}))
    publish = forms.BooleanField(label=_("与意见一起公开"), required=False)
    correcting = forms.BooleanField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_opinion(cls, opinion):
        """The empty reply form for an unanswered opinion, or the correction form with the reply as it
        stands; with ids of its own, as the inbox shows one per opinion."""
        if opinion.replied_on is None:
            initial = {"publish": opinion.is_anonymous}
        else:
            initial = {"reply": opinion.reply, "publish": opinion.is_published, "correcting": True}
        return cls(initial=initial, auto_id=f"id_{opinion.pk}_%s")


class PaperForm(BootstrapFormMixin, forms.Form):
    returned = forms.IntegerField(label=_("收回选票"), min_value=0)
    invalid = forms.IntegerField(label=_("无效票"), min_value=0, initial=0)

    def __init__(self, *args, ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = []
        for candidate in ballot.candidates.all():
            for choice in ballot.choices_for_candidate():
                name = f"c{candidate.pk}_{choice}"
                self.fields[name] = forms.IntegerField(
                    label=f"{candidate.name} · {choice.label}", min_value=0, initial=0
                )
                self.keys.append((name, candidate.pk, str(choice)))

    def counts(self):
        found = {}
        for name, candidate_id, choice in self.keys:
            found.setdefault(str(candidate_id), {})[choice] = self.cleaned_data[name]
        return found


class ResolutionForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("表决事项"), max_length=200)


class ResolutionCountForm(BootstrapFormMixin, forms.Form):
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0)
    votes_against = forms.IntegerField(label=_("反对"), min_value=0)
    votes_abstain = forms.IntegerField(label=_("弃权"), min_value=0)


class SessionCloseForm(BootstrapFormMixin, forms.Form):
    # A few pages of minutes; a paste of a whole document is refused with the text kept, not stored.
    minutes = forms.CharField(
        label=_("会议纪要"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
