import datetime
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Activity,
    Audience,
    Competition,
    ScoringItem,
    SportsEvent,
)
from activities.models.activity import start_window
from core.forms import BootstrapFormMixin, HalfWidthBoundField, offer_units
from orgs.models import OrgUnit
from plans.models import ItemStatus, ScheduleItem

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "unit",
            "schedule_item",
            "starts_at",
            "ends_at",
            "place",
            "organiser",
            "description",
            "audience",
            "audience_unit",
            "max_age",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "budget",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "registration_opens_at": DATETIME,
            "registration_closes_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, units, items, **kwargs):
        super().__init__(*args, **kwargs)
        offer_units(self, "unit", units)
        offer_units(self, "audience_unit", units)
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        field = self.fields["schedule_item"]
        field.iterator = _ItemsByYear
        field.first_year = self._start_year
        field.queryset = items  # sets the widget's choices from the iterator
        field.label_from_instance = lambda item: f"{item.plan.year}·{item.get_month_display()}·{item.text[:40]}"
        field.help_text = _("举办后，该计划事项自动标记为已完成；请选择活动举办当年计划中的事项。")

    def _start_year(self):
        """The year the activity starts in as the form stands (typed, else stored), else the year of the item
        offered from a plan's page, else this year: its plan's items are listed first."""
        if self.is_bound:
            try:
                typed = self.fields["starts_at"].clean(self.data.get(self.add_prefix("starts_at")))
            except forms.ValidationError:
                typed = None
            if typed is not None:
                return timezone.localtime(typed).year
        starts = self.get_initial_for_field(self.fields["starts_at"], "starts_at")
        if isinstance(starts, datetime.datetime):
            return timezone.localtime(starts).year
        item = self.get_initial_for_field(self.fields["schedule_item"], "schedule_item")
        if isinstance(item, ScheduleItem):
            return item.plan.year
        return timezone.localdate().year

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("audience") != Audience.UNIT:
            cleaned["audience_unit"] = None
        if cleaned.get("audience") != Audience.YOUNG:
            cleaned["max_age"] = None
        return cleaned


class _ItemsByYear(ModelChoiceIterator):
    """The plan item field's options grouped by the plan's year, the year the activity starts in first
    (``field.first_year()``), then the later years, then the earlier ones. One query, as the plain list."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        by_year = {}
        for item in self.queryset:
            by_year.setdefault(item.plan.year, []).append(self.choice(item))
        first = self.field.first_year()
        for year in sorted(by_year, key=lambda year: (year != first, year < first, abs(year - first))):
            yield (_("%(year)s年计划") % {"year": year}, by_year[year])

    def __len__(self):
        return sum(len(choices) if isinstance(choices, list) else 1 for _value, choices in self)


def activity_years(today=None):
    """The years an activity may start in (Activity's start window), whose plans' items it may fulfil."""
    earliest, latest = start_window(today or timezone.localdate())
    return range(earliest.year, latest.year + 1)


def schedule_items_for(user, unit, keep=None, years=None):
    """Open plan items the activity could fulfil: the unit's own and its ancestors' plans, visible to the user;
    and ``keep``, the item a record being edited is linked to, whatever its state (else the form drops it).
    ``years``: only the plans of these years (and ``keep``)."""
    ancestors = [a.pk for a in unit.ancestors_and_self()]
    still_open = Q(unit__in=ancestors) & ~Q(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])
    if years is not None:
        still_open &= Q(plan__year__in=list(years))
    return (
        ScheduleItem.objects.visible_to(user, "plans.view")
        .filter(still_open | Q(pk=keep) if keep else still_open)
        .select_related("plan")
        .order_by("-plan__year", "month", "order")
    )


class HeldForm(BootstrapFormMixin, forms.Form):
    participant_times = forms.IntegerField(label=_("参与人次"), min_value=0)
    spend = forms.DecimalField(
        label=_("实际支出（元）"), min_value=Decimal(0), max_digits=12, decimal_places=2, required=False
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked like a single FileField."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(each, initial) for each in data]
        return [super().clean(data, initial)] if data else []


class SummaryForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("活动总结"), widget=forms.Textarea(attrs={"rows": 8}))
    photos = MultipleFileField(
        label=_("照片"),
        required=False,
        help_text=_("可一次选择多张，服务器会自动缩小并按拍摄方向摆正。"),
    )


class ReviewForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("审阅意见"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SportsEventForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = SportsEvent
        fields = [
            "name",
            "kind",
            "format",
            "lower_is_better",
            "result_unit",
            "quota_per_unit",
            "win_points",
            "draw_points",
            "loss_points",
            "counts_for_units",
        ]


class IndividualEntryForm(forms.Form):
    """An athlete entered from the search results: a member of the activity's unit, and a seed maybe."""

    member = forms.ModelChoiceField(label=_("运动员"), queryset=None)
    seed = forms.IntegerField(label=_("种子序号"), min_value=1, max_value=64, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class TeamEntryForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("代表单位"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("队名"), max_length=60, required=False, help_text=_("留空则用单位简称。"))
    seed = forms.IntegerField(label=_("种子序号"), min_value=1, max_value=64, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        offer_units(self, "unit", units)


class MatchForm(forms.Form):
    home_score = forms.IntegerField(label=_("主队得分"), min_value=0, max_value=999)
    away_score = forms.IntegerField(label=_("客队得分"), min_value=0, max_value=999)


class ScoreSheetForm(forms.Form):
    """A judge's sheet for one round: a cell per contestant and item, 0 to 100 to two decimals (as
    scores are stored); an empty cell is not scored yet. A score typed with full-width keys (８５．５)
    is read as the number it is."""

    bound_field_class = HalfWidthBoundField  # the sheet's cells are drawn by its template

    def __init__(self, *args, contestants, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = [
            (contestant, item, self.name(contestant.pk, item.pk)) for contestant in contestants for item in items
        ]
        for _contestant, _item, name in self.cells:
            self.fields[name] = forms.DecimalField(
                required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2
            )

    @staticmethod
    def name(contestant_id, item_id):
        return f"s-{contestant_id}-{item_id}"

    def scores(self):
        """{(contestant id, item id): score or None}, for contests.scores_save."""
        return {(contestant.pk, item.pk): self.cleaned_data[name] for contestant, item, name in self.cells}

    def cell_errors(self):
        """One line per cell refused, naming its contestant and item as the judge sees them."""
        return [
            _("%(contestant)s的“%(item)s”得分“%(value)s”无效，应为 0 到 100 之间的数。")
            % {"contestant": contestant.name, "item": item.name, "value": self[name].value()}
            for contestant, item, name in self.cells
            if name in self.errors
        ]

    def rows(self):
        """(contestant, [(item, what the cell shows)]) in the sheet's order: typed, else saved."""
        by_contestant = {}
        for contestant, item, name in self.cells:
            by_contestant.setdefault(contestant, []).append((item, self[name].value()))
        return list(by_contestant.items())


class CompetitionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Competition
        fields = [
            "title",
            "kind",
            "unit",
            "schedule_item",
            "starts_on",
            "ends_on",
            "period",
            "contestant_kind",
            "winners_count",
            "award_title",
            "description",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units, items, **kwargs):
        super().__init__(*args, **kwargs)
        offer_units(self, "unit", units)
        self.fields["schedule_item"].queryset = items
        self.fields["schedule_item"].label_from_instance = lambda item: (
            f"{item.plan.year}·{item.get_month_display()}·{item.text[:40]}"
        )


class CompetitionEditForm(CompetitionForm):
    """A competition corrected: everything but its host unit, which decides who sees and runs it."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, units=OrgUnit.objects.none(), items=items, **kwargs)
        del self.fields["unit"]


class ScoringItemForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ScoringItem
        fields = ["name", "weight"]


class TeamContestantForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("班组或单位"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        offer_units(self, "unit", units)


class JudgeForm(BootstrapFormMixin, forms.Form):
    """The login name of a judge to add. Whether that login may be picked is the service's answer
    (contests.judge_add): the form looks nothing up, so it tells nobody which logins exist."""

    username = forms.CharField(
        label=_("评委登录名"),
        max_length=150,
        help_text=_("可添加本单位（含下级单位）的会员或工会干部，或同一总工会所属单位的工会干部。"),
        widget=forms.TextInput(attrs={"aria-label": _("评委登录名"), "aria-describedby": "judge-help"}),
    )
