"""Competitions at work (劳动竞赛, 技术比武, 岗位练兵, 班组评比): items, judges, rounds and scores."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from orgs.access import EVERYTHING, UnitScopedQuerySet, scope_paths, subtree_q


class ContestKind(models.TextChoices):
    LABOUR = "labour", _("劳动竞赛")
    SKILLS = "skills", _("技术比武")
    DRILL = "drill", _("岗位练兵")
    TEAM_EVALUATION = "team_evaluation", _("班组评比")


class Period(models.TextChoices):
    SINGLE = "single", _("一次评定")
    MONTHLY = "monthly", _("按月评分")
    QUARTERLY = "quarterly", _("按季度评分")


class ContestantKind(models.TextChoices):
    TEAM = "team", _("班组或团队")
    PERSON = "person", _("个人")


# What a judge may do with a competition they judge, wherever they are: read it (its page, the score
# sheets, the rankings). Setting it up, its contestants and panel stay with the host's officers.
JUDGE_PERMISSIONS = frozenset({"activities.view"})


class CompetitionQuerySet(UnitScopedQuerySet):
    def visible_to(self, user, permission):
        """Officers see competitions in their scope; for reading (JUDGE_PERMISSIONS), judges also see
        those they judge, wherever they are."""
        paths = scope_paths(user, permission)
        if paths is EVERYTHING:
            return self
        condition = subtree_q(paths, "unit__path") if paths else Q(pk__in=[])
        if permission in JUDGE_PERMISSIONS and user.is_authenticated and user.is_active:
            condition |= Q(judges=user)
        return self.filter(condition).distinct()


class CompetitionPartQuerySet(models.QuerySet):
    """A competition's scoring items, contestants and rounds, seen (or changed) by whoever sees (or runs)
    the competition: its judges read them, only the host's officers change them."""

    def visible_to(self, user, permission):
        return self.filter(competition__in=Competition.objects.visible_to(user, permission))


class Competition(models.Model):
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="competitions"
    )
    title = models.CharField(_("竞赛名称"), max_length=100)
    kind = models.CharField(_("竞赛类型"), max_length=20, choices=ContestKind.choices, default=ContestKind.SKILLS)
    schedule_item = models.ForeignKey(
        "plans.ScheduleItem",
        verbose_name=_("对应计划事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="competitions",
    )
    description = models.TextField(_("竞赛说明"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    period = models.CharField(_("评分周期"), max_length=20, choices=Period.choices, default=Period.SINGLE)
    contestant_kind = models.CharField(
        _("参赛对象"), max_length=20, choices=ContestantKind.choices, default=ContestantKind.TEAM
    )
    winners_count = models.PositiveSmallIntegerField(
        _("评选名额"), default=10, validators=[MinValueValidator(1)], help_text=_("如“十佳班组”填 10。")
    )
    award_title = models.CharField(_("荣誉称号"), max_length=50, blank=True, help_text=_("如“优秀班组”“技术能手”。"))
    judges = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("评委"), blank=True, related_name="judged_competitions"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CompetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("劳动竞赛")
        verbose_name_plural = _("劳动竞赛")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期早于开始日期。")})


class ScoringItem(models.Model):
    competition = models.ForeignKey(Competition, verbose_name=_("竞赛"), on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("评分项目"), max_length=60)
    weight = models.DecimalField(
        _("权重（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("各评分项目的权重合计应为 100。"),
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = CompetitionPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分项目")
        verbose_name_plural = _("评分项目")
        ordering = ["competition_id", "order", "id"]

    def __str__(self):
        return self.name


class Contestant(models.Model):
    competition = models.ForeignKey(
        Competition, verbose_name=_("竞赛"), on_delete=models.CASCADE, related_name="contestants"
    )
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member", verbose_name=_("参赛人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=60)
    is_winner = models.BooleanField(_("获评"), default=False)

    objects = CompetitionPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("参赛者")
        verbose_name_plural = _("参赛者")
        ordering = ["competition_id", "id"]
        constraints = [models.UniqueConstraint(fields=["competition", "name"], name="contestant_name_once")]

    def __str__(self):
        return self.name


class Round(models.Model):
    competition = models.ForeignKey(
        Competition, verbose_name=_("竞赛"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("轮次"))
    label = models.CharField(_("名称"), max_length=30)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    objects = CompetitionPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分轮次")
        verbose_name_plural = _("评分轮次")
        ordering = ["competition_id", "number"]
        constraints = [models.UniqueConstraint(fields=["competition", "number"], name="round_number_once")]

    def __str__(self):
        return self.display_label

    @property
    def display_label(self):
        """The label in the reader's language (``label`` keeps the one written when the round was made)."""
        from activities.contests import round_label

        return round_label(self.competition.period, self.starts_on)


class Score(models.Model):
    """One judge's score (0 to 100) for one contestant on one item in one round."""

    round = models.ForeignKey(Round, verbose_name=_("轮次"), on_delete=models.CASCADE, related_name="scores")
    contestant = models.ForeignKey(
        Contestant, verbose_name=_("参赛者"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(ScoringItem, verbose_name=_("评分项目"), on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评委"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(
        _("得分"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["round", "contestant", "item", "judge"], name="score_once_per_judge")
        ]

    def __str__(self):
        return f"{self.contestant} · {self.item} · {self.value}"
