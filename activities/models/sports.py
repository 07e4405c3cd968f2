"""Sports competitions inside an activity: events, entries, matches and their results."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.access import UnitScopedQuerySet


class EventKind(models.TextChoices):
    INDIVIDUAL = "individual", _("个人项目")
    TEAM = "team", _("团体项目")


# The units a race's time is kept in: its results are read and shown as a clock's (activities.race_times).
# The units a timed race's results are written in: the English form's help suggests "seconds".
SECONDS = {"秒", "秒钟", "s", "sec", "secs", "second", "seconds"}


class EventFormat(models.TextChoices):
    RANKED = "ranked", _("按成绩排名")
    ROUND_ROBIN = "round_robin", _("单循环赛")
    KNOCKOUT = "knockout", _("单败淘汰赛")


class SportsEventQuerySet(UnitScopedQuerySet):
    path_field = "activity__unit__path"

    def visible_to(self, user, permission):
        """An event is seen by whoever sees its activity (which its unit's subtree, below, joins)."""
        from activities.models.activity import Activity

        return self.filter(activity__in=Activity.objects.visible_to(user, permission))


class EventPartQuerySet(models.QuerySet):
    """An event's entries and matches, seen (or changed) by whoever sees (or runs) the event."""

    def visible_to(self, user, permission):
        return self.filter(event__in=SportsEvent.objects.visible_to(user, permission))


class SportsEvent(models.Model):
    """One event of a sports meeting: 拔河, 乒乓球男子单打, 跳绳 ..."""

    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("活动"), on_delete=models.CASCADE, related_name="sports_events"
    )
    name = models.CharField(_("项目名称"), max_length=60)
    kind = models.CharField(_("个人/团体"), max_length=20, choices=EventKind.choices, default=EventKind.INDIVIDUAL)
    format = models.CharField(_("赛制"), max_length=20, choices=EventFormat.choices, default=EventFormat.RANKED)
    lower_is_better = models.BooleanField(
        _("成绩越小越好"), default=False, help_text=_("计时项目（如长跑）勾选；计分计数项目（如跳绳）不勾选。")
    )
    result_unit = models.CharField(_("成绩单位"), max_length=10, blank=True, help_text=_("如“秒”“个”“分”。"))
    quota_per_unit = models.PositiveSmallIntegerField(
        _("每单位限报"), null=True, blank=True, help_text=_("个人项目每个单位最多报名人数，团体项目每个单位最多队数。")
    )
    win_points = models.PositiveSmallIntegerField(_("胜积分"), default=2)
    draw_points = models.PositiveSmallIntegerField(_("平积分"), default=1)
    loss_points = models.PositiveSmallIntegerField(_("负积分"), default=1)
    counts_for_units = models.BooleanField(
        _("计入团体总分"), default=True, help_text=_("前八名按 9、7、6、5、4、3、2、1 分计入所在单位团体总分。")
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = SportsEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("比赛项目")
        verbose_name_plural = _("比赛项目")
        ordering = ["activity_id", "order", "id"]

    def __str__(self):
        return self.name

    @property
    def is_ranked(self):
        return self.format == EventFormat.RANKED

    @property
    def is_timed(self):
        """A race timed in seconds: 5:32.18 is typed for it and 5分32.18秒 shown."""
        return self.lower_is_better and self.result_unit.strip().lower() in SECONDS

    @property
    def has_draw(self):
        return self.format in (EventFormat.ROUND_ROBIN, EventFormat.KNOCKOUT)


class Entry(models.Model):
    """A person or a team in one event, entered for a unit."""

    event = models.ForeignKey(SportsEvent, verbose_name=_("比赛项目"), on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("代表单位"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("运动员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sports_entries",
    )
    name = models.CharField(_("队名"), max_length=60, blank=True, help_text=_("团体项目填写，如“东关完小队”。"))
    seed = models.PositiveSmallIntegerField(
        _("种子序号"), null=True, blank=True, help_text=_("1 为头号种子；留空为非种子。")
    )
    result = models.DecimalField(_("成绩"), max_digits=10, decimal_places=2, null=True, blank=True)
    place = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    points = models.DecimalField(_("团体得分"), max_digits=6, decimal_places=2, null=True, blank=True)

    objects = EventPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("参赛")
        verbose_name_plural = _("参赛")
        ordering = ["event_id", "seed", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"], condition=models.Q(member__isnull=False), name="entry_member_once"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.member_id:
            return self.member.name
        return self.name or self.unit.display_name

    def clean(self):
        if self.event_id and self.event.kind == EventKind.INDIVIDUAL and not self.member_id:
            raise ValidationError({"member": _("个人项目请选择运动员。")})


class Match(models.Model):
    """A match of a drawn event; knockout winners move on to the match ``next_position`` names."""

    event = models.ForeignKey(SportsEvent, verbose_name=_("比赛项目"), on_delete=models.CASCADE, related_name="matches")
    round = models.PositiveSmallIntegerField(_("轮次"))
    position = models.PositiveSmallIntegerField(_("场次"))
    home = models.ForeignKey(
        Entry, verbose_name=_("主队"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    away = models.ForeignKey(
        Entry, verbose_name=_("客队"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    home_score = models.PositiveSmallIntegerField(_("主队得分"), null=True, blank=True)
    away_score = models.PositiveSmallIntegerField(_("客队得分"), null=True, blank=True)
    is_bye = models.BooleanField(_("轮空"), default=False)

    objects = EventPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("比赛场次")
        verbose_name_plural = _("比赛场次")
        ordering = ["event_id", "round", "position"]
        constraints = [models.UniqueConstraint(fields=["event", "round", "position"], name="match_slot_once")]

    def __str__(self):
        return f"{self.home} – {self.away}"

    @property
    def is_played(self):
        return self.home_score is not None and self.away_score is not None

    @property
    def winner(self):
        if self.is_bye:
            return self.home
        if not self.is_played or self.home_score == self.away_score:
            return None
        return self.home if self.home_score > self.away_score else self.away

    @property
    def loser(self):
        winner = self.winner
        if winner is None or self.is_bye:
            return None
        return self.away if winner == self.home else self.home
