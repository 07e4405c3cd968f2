"""Activities, registrations, in-app notices and post-event summaries."""

import datetime
import secrets
from contextlib import nullcontext

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.calendar import years_later
from core.files import private_storage
from core.language import written_date
from core.validators import NOT_NEGATIVE
from orgs.access import EVERYTHING, UnitScopedQuerySet, ancestor_paths, scope_paths, subtree_q


class Kind(models.TextChoices):
    CELEBRATION = "celebration", _("节日庆祝")
    SPORTS = "sports", _("体育健身")
    CULTURE = "culture", _("文化艺术")
    STUDY = "study", _("学习教育")
    VISIT = "visit", _("参观考察")
    TRAINING = "training", _("培训")
    VOLUNTEERING = "volunteering", _("志愿服务")
    OTHER = "other", _("其他")


class Audience(models.TextChoices):
    ALL = "all", _("本单位及下级全体会员")
    WOMEN = "women", _("女职工")
    UNIT = "unit", _("指定单位的会员")
    YOUNG = "young", _("青年职工")
    RETIREES = "retirees", _("离退休会员")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("报名截止")
    HELD = "held", _("已举办")
    CANCELLED = "cancelled", _("已取消")


STATUS_BADGES = {
    Status.DRAFT: "text-bg-light border",
    Status.OPEN: "text-bg-success",
    Status.CLOSED: "text-bg-warning",
    Status.HELD: "text-bg-dark",
    Status.CANCELLED: "text-bg-secondary",
}


def start_window(today) -> tuple[datetime.date, datetime.date]:
    """The first and last days an activity may be set to start on. From 1 January of last year: officers
    record after the fact what was held (last year's too, while that year's figures are closed), nothing
    older. To two years ahead: a plan reaches no further. Outside, the year is a slip (1962 or 2062 for
    2026), which would open registration for a day long gone or never to come, and count the activity in
    that year's figures."""
    return datetime.date(today.year - 1, 1, 1), years_later(today, 2)


class ActivityQuerySet(UnitScopedQuerySet):
    def visible_to(self, user, permission):
        """The access rule, plus: whoever may view or join activities in a unit also sees those
        its ancestors hold, since a unit's activity is for its whole subtree."""
        paths = scope_paths(user, permission)
        if paths is EVERYTHING:
            return self
        if not paths:
            return self.none()
        condition = subtree_q(paths, "unit__path")
        if permission in ("activities.view", "activities.register"):
            condition |= Q(unit__path__in=ancestor_paths(paths))
        return self.filter(condition)

    def around(self, unit):
        """Activities of ``unit``'s subtree and of its ancestors: what its list page shows."""
        return self.filter(subtree_q([unit.path], "unit__path") | Q(unit__path__in=ancestor_paths([unit.path])))

    def with_counts(self):
        """Registered, waiting and attended counts in the same query (lists show places left)."""
        return self.annotate(
            registered_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)),
            waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
        )

    def first_with_counts(self, limit):
        """The first ``limit`` activities in this queryset's order, with their counts: the rows are
        taken first and only theirs counted, so a province's open activities are never all grouped."""
        pks = list(self.values_list("pk", flat=True)[:limit])
        rows = self.model.objects.filter(pk__in=pks).select_related("unit").with_counts().in_bulk()
        return [rows[pk] for pk in pks]

    def held(self):
        return self.filter(status=Status.HELD)

    def in_year(self, year):
        return self.filter(starts_at__year=year)

    def open_for_registration(self, now=None):
        now = now or timezone.now()
        return self.filter(status=Status.OPEN).filter(
            Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now),
            Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gte=now),
        )

    def joinable_by(self, member):
        """Activities held by the member's unit or one above it."""
        return self.filter(unit__path__in=[*ancestor_paths([member.unit.path]), member.unit.path])


class Activity(models.Model):
    """An event a unit holds for its subtree (or a group for itself): from the notice to the summary."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(_("活动名称"), max_length=100)
    kind = models.CharField(_("活动类型"), max_length=20, choices=Kind.choices, default=Kind.CELEBRATION)
    schedule_item = models.ForeignKey(
        "plans.ScheduleItem",
        verbose_name=_("对应计划事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        help_text=_("举办后，该计划事项自动标记为已完成。"),
    )
    description = models.TextField(_("活动内容"), blank=True)
    starts_at = models.DateTimeField(pgettext_lazy("activity", "开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    organiser = models.CharField(_("组织者"), max_length=50, blank=True, help_text=_("负责人或岗位，如“文体委员”。"))
    budget = models.DecimalField(
        _("预算（元）"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[NOT_NEGATIVE]
    )
    spend = models.DecimalField(_("实际支出（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("名额"),
        null=True,
        blank=True,
        # 0 would send everyone to the waiting list of an activity no one can join; no limit is an empty field.
        validators=[MinValueValidator(1, message=_("名额至少为 1；不限名额请留空。"))],
        help_text=_("留空表示不限名额；名额满后报名进入候补。"),
    )
    registration_opens_at = models.DateTimeField(_("报名开始"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("报名截止"), null=True, blank=True)
    audience = models.CharField(_("参加对象"), max_length=20, choices=Audience.choices, default=Audience.ALL)
    audience_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("指定单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("参加对象为“指定单位的会员”时选择，含其下级单位。"),
    )
    max_age = models.PositiveSmallIntegerField(
        _("年龄上限"),
        null=True,
        blank=True,
        validators=[MinValueValidator(18), MaxValueValidator(70)],
        help_text=_("参加对象为“青年职工”时填写，如 35 表示 35 岁及以下。"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    participant_times = models.PositiveIntegerField(_("参与人次"), null=True, blank=True)
    held_at = models.DateTimeField(_("记录举办时间"), null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    # Steps an officer takes by hand on registration: action -> (from, to). Cancelling tells
    # the registered members, so it is a workflow (services.activity_cancel), not a step here.
    STEPS = {
        "publish": (Status.DRAFT, Status.OPEN),
        "close": (Status.OPEN, Status.CLOSED),
        "reopen": (Status.CLOSED, Status.OPEN),
    }

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "starts_at"], name="activity_unit_starts_idx"),
            models.Index(fields=["status", "starts_at"], name="activity_status_starts_idx"),
            # The list's keyset order (newest first): a province's page reads its first rows.
            models.Index(fields=["starts_at", "id"], name="activity_starts_id_idx"),
        ]

    def __str__(self):
        return self.title

    def take_step(self, action):
        """Publish, close or reopen registration; False when the current status does not allow it."""
        step = self.STEPS.get(action)
        if step is None or self.status != step[0]:
            return False
        self.status = step[1]
        self.save(update_fields=["status"])
        return True

    def clean(self):
        errors = {}
        if self.starts_at and self._start_day_changed():
            earliest, latest = start_window(timezone.localdate())
            day = timezone.localdate(self.starts_at)
            if day < earliest:
                errors["starts_at"] = _("开始时间早于%(day)s，请核对年份（此前举办的活动不再补录）。") % {
                    "day": written_date(earliest)
                }
            elif day > latest:
                errors["starts_at"] = _("开始时间晚于%(day)s，请核对年份（活动最多提前两年安排）。") % {
                    "day": written_date(latest)
                }
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("结束时间早于开始时间。")
        elif self.ends_at and self.starts_at and self.ends_at - self.starts_at > datetime.timedelta(days=366):
            # A year-long campaign (全年健步走) is the longest an activity runs; more is a slip of the year.
            errors["ends_at"] = _("结束时间比开始时间晚一年以上，请核对年份。")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at < self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("报名截止时间早于报名开始时间。")
        if self.audience == Audience.UNIT and not self.audience_unit_id:
            errors["audience_unit"] = _("参加对象为“指定单位的会员”时，请选择单位。")
        if self.audience == Audience.YOUNG and not self.max_age:
            errors["max_age"] = _("参加对象为“青年职工”时，请填写年龄上限。")
        if self.audience_unit_id and self.unit_id and not self.audience_unit.is_in_subtree_of(self.unit):
            errors["audience_unit"] = _("指定单位应是主办单位或其下级单位。")
        if self.schedule_item_id and self.unit_id:
            item_unit = self.schedule_item.unit
            if not (self.unit.is_in_subtree_of(item_unit) or item_unit.is_in_subtree_of(self.unit)):
                errors["schedule_item"] = _("计划事项应属于主办单位或其上下级单位。")
        if "schedule_item" not in errors and (problem := self.schedule_item_problem()):
            errors["schedule_item"] = problem
        if errors:
            raise ValidationError(errors)

    def schedule_item_problem(self):
        """Why the linked plan item is not one this activity can fulfil, or "": an item of the plan of the
        year the activity starts in. Held, the activity marks its item done (services.activity_record_held),
        and a December party must not complete next year's item, nor last year's, in that year's figures."""
        if not (self.schedule_item_id and self.starts_at):
            return ""
        year = timezone.localtime(self.starts_at).year
        item_year = self.schedule_item.plan.year
        if item_year == year:
            return ""
        return _(
            "这是%(item_year)s年工作计划的事项，活动在%(year)s年举办，不能算作完成它。"
            "请选择%(year)s年计划的事项，或核对开始时间。"
        ) % {"item_year": item_year, "year": year}

    def _start_day_changed(self):
        """A new activity, or one moved to another day: the start window is for what is typed now, so an
        activity that started before it (open since last year, say) can still have its other fields edited."""
        if self.pk is None:
            return True
        stored = Activity.objects.filter(pk=self.pk).values_list("starts_at", flat=True).first()
        return stored is None or timezone.localdate(stored) != timezone.localdate(self.starts_at)

    # --- registration rules

    @property
    def is_held(self):
        return self.status == Status.HELD

    def registration_state(self, now=None):
        """ "open", or why registering is not possible now: "draft", "not_yet", "closed", "held", "cancelled"."""
        now = now or timezone.now()
        if self.status == Status.DRAFT:
            return "draft"
        if self.status in (Status.HELD, Status.CANCELLED):
            return self.status
        if self.status == Status.CLOSED:
            return "closed"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        if self.registration_closes_at and now > self.registration_closes_at:
            return "closed"
        return "open"

    def status_shown(self, now=None):
        """The status a badge shows: an open activity past its registration window is 报名截止, as the
        registration card says, and one whose window has not opened yet is 即将报名."""
        if self.status == Status.OPEN:
            state = self.registration_state(now)
            if state == "closed":
                return Status.CLOSED.label
            if state == "not_yet":
                return _("即将报名")
        return self.get_status_display()

    def status_badge(self, now=None):
        """The badge's colour class for ``status_shown``: green while members can register, the
        theme's red kept for what needs attention, a calm dark for what is over."""
        if self.status == Status.OPEN and self.registration_state(now) == "closed":
            return STATUS_BADGES[Status.CLOSED]
        return STATUS_BADGES.get(self.status, "text-bg-light border")

    def eligibility_problem(self, member, on=None):
        """Why ``member`` may not join, or "" when they may."""
        if not member.in_union:
            return _("只有在会会员可以报名。")
        if not member.unit.is_in_subtree_of(self.unit):
            return _("本活动面向%(unit)s的会员。") % {"unit": self.unit.display_name}
        if self.audience == Audience.WOMEN and not member.is_woman:
            return _("本活动仅限女职工参加。")
        if self.audience == Audience.UNIT and not member.unit.is_in_subtree_of(self.audience_unit):
            return _("本活动仅限%(unit)s的会员参加。") % {"unit": self.audience_unit.display_name}
        if self.audience == Audience.RETIREES and not member.is_retiree:
            return _("本活动仅限离退休会员参加。")
        if self.audience == Audience.YOUNG:
            age = member.age(on or timezone.localdate(self.starts_at))
            if age is None:
                return _("本活动仅限%(age)s岁及以下的青年职工参加，您的出生日期未登记，请联系工会小组长。") % {
                    "age": self.max_age
                }
            if age > self.max_age:
                return _("本活动仅限%(age)s岁及以下的青年职工参加。") % {"age": self.max_age}
        return ""

    @property
    def audience_label(self):
        if self.audience == Audience.UNIT and self.audience_unit_id:
            return _("%(unit)s的会员") % {"unit": self.audience_unit.display_name}
        if self.audience == Audience.YOUNG and self.max_age:
            return _("%(age)s岁及以下青年职工") % {"age": self.max_age}
        return self.get_audience_display()

    def places_left(self, registered_count):
        if self.capacity is None:
            return None
        return max(self.capacity - registered_count, 0)

    @property
    def over_budget(self):
        return self.budget is not None and self.spend is not None and self.spend > self.budget


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    WAITING = "waiting", _("候补")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_REGISTRATION = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


def new_token():
    return secrets.token_urlsafe(16)


class RegistrationQuerySet(UnitScopedQuerySet):
    path_field = "activity__unit__path"

    def active(self):
        return self.filter(status__in=ACTIVE_REGISTRATION)

    def registered(self):
        return self.filter(status=RegistrationStatus.REGISTERED)

    def waiting(self):
        """The waiting list in the order people joined it."""
        return self.filter(status=RegistrationStatus.WAITING).order_by("created_at", "id")

    def attended(self):
        return self.filter(checked_in_at__isnull=False)

    def add_in_turn(self, *, activity, member, by, now=None, any_time=False):
        """A new registration of an eligible ``member``: a place while fewer than the activity's capacity
        hold one, else the end of the waiting list. None when the activity refuses it as it stands under
        its lock: not open (or, unless ``any_time``, outside its registration window; an officer may
        register someone before it opens or after it closes).

        The activity's row is locked (SELECT ... FOR UPDATE) so that those tapping at once queue up and
        each counts the places the previous one left. The state, the count and the new row are then one
        statement (INSERT ... SELECT ... WHERE the state allows). On PostgreSQL the lock and that
        statement go to the server as one query, its own transaction outside any other: the lock is held
        while the server runs the INSERT, never across a round trip to this process, and a burst of
        registrations queues behind one statement each rather than behind BEGIN, the lock, the INSERT
        and COMMIT sent one after another from a busy web worker. Without ``now`` the registration's time
        is PostgreSQL's clock once the lock is held, so the waiting list's order is the order served
        (SQLite's writers queue for the whole transaction, so there this process's clock serves).

        Returns ``(registration, counts)``: the counts the registration card shows (as
        services.registration_counts gives them), read by the same statement's RETURNING, or None for an
        activity without a capacity, which counts nothing. RETURNING's subqueries leave the new row out
        by its id and add it back by its status, because PostgreSQL's do not see it and SQLite's do.

        The database refuses a second live registration of the member (IntegrityError). The row is
        written without the ORM's save, so no post_save is sent; none is needed, since a registration
        without a check-in changes no figure (rollups.hooks)."""
        connection = connections[self.db]
        batched = connection.vendor == "postgresql"
        if now is None and not batched:
            now = timezone.now()  # SQLite: the IMMEDIATE transaction of _run_in_turn queues every writer already
        token = new_token()
        sql, params = self._add_in_turn_query(connection, activity, member, by, token, now, any_time)
        row = self._run_in_turn(connection, activity, sql, params)
        if row is None:
            return None
        pk, decided, created_at, registered, waiting, ahead = row
        registration = self._registration_row(
            id=pk,
            activity_id=activity.pk,
            member_id=member.pk,
            status=decided,
            token=token,
            registered_by_id=by.pk,
            created_at=created_at if now is None else now,
            walk_in=False,
        )
        registration.activity, registration.member, registration.registered_by = activity, member, by
        if activity.capacity is None:
            return registration, None
        waits = decided == RegistrationStatus.WAITING
        counts = {
            "registered_count": registered + (not waits),
            "waiting_count": waiting + waits,
            "position": ahead + 1 if waits else None,
        }
        return registration, counts

    def _run_in_turn(self, connection, activity, sql, params):
        """The INSERT run under the activity's lock; its RETURNING row, or None when refused."""
        batched = connection.vendor == "postgresql"
        if batched:
            # Two statements in one query: Django's psycopg cursors bind parameters on the client and
            # send the simple query protocol, where PostgreSQL runs them as one implicit transaction,
            # each statement with a fresh snapshot (so the INSERT's count sees whoever held the lock).
            activity_table = connection.ops.quote_name(Activity._meta.db_table)
            sql = f"SELECT 1 FROM {activity_table} WHERE id = %s FOR UPDATE; {sql}"
            params = [activity.pk, *params]
        # Inside a caller's transaction, a savepoint, so that a refused second registration leaves it usable.
        alone = batched and connection.get_autocommit()
        with nullcontext() if alone else transaction.atomic(using=self.db), connection.cursor() as cursor:
            cursor.execute(sql, params)
            if batched:
                cursor.nextset()  # past the lock's row to the INSERT's RETURNING
            return cursor.fetchone()

    def _registration_row(self, **values):
        """A Registration as read from the database, from the values written (the rest unset)."""
        row = {field.attname: None for field in self.model._meta.concrete_fields} | values
        return self.model.from_db(self.db, list(row), list(row.values()))

    def _add_in_turn_query(self, connection, activity, member, by, token, now, any_time):
        """add_in_turn's INSERT ... SELECT and its parameters."""
        meta, quote = self.model._meta, connection.ops.quote_name
        table = quote(meta.db_table)
        pk, activity_id, status, created = (
            quote(meta.get_field(name).column) for name in ("id", "activity", "status", "created_at")
        )
        columns = [quote(meta.get_field(name).column) for name in ("activity", "member", "token", "registered_by")]
        columns += [quote(meta.get_field(name).column) for name in ("walk_in", "created_at", "status")]
        decides = ("id", "status", "registration_opens_at", "registration_closes_at", "capacity")
        a = {name: f"a.{quote(Activity._meta.get_field(name).column)}" for name in decides}
        not_new = f"o.{activity_id} = {table}.{activity_id} AND o.{pk} <> {table}.{pk}"

        def others(condition=""):
            """The count of the activity's other registrations with a status (its %s), the new row left out."""
            return f"(SELECT COUNT(*) FROM {table} o WHERE {not_new} AND o.{status} = %s{condition})"

        # Ahead on the waiting list (services._waiting_up_to): joined earlier, or at once with a lower id.
        ahead = f" AND (o.{created} < {table}.{created} OR (o.{created} = {table}.{created} AND o.{pk} < {table}.{pk}))"
        # Activity.registration_state's "open" (or, any_time, also "not_yet" and "closed"), in SQL.
        window = (
            f"({a['registration_opens_at']} IS NULL OR {a['registration_opens_at']} <= t.now) AND "
            f"({a['registration_closes_at']} IS NULL OR {a['registration_closes_at']} >= t.now)"
        )
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT %s, %s, %s, %s, %s, t.now, "
            f"CASE WHEN {a['capacity']} IS NULL "
            f"OR (SELECT COUNT(*) FROM {table} WHERE {activity_id} = %s AND {status} = %s) < {a['capacity']} "
            f"THEN %s ELSE %s END "
            f"FROM {quote(Activity._meta.db_table)} a, (SELECT {'clock_timestamp()' if now is None else '%s'} AS now) t "
            f"WHERE {a['id']} = %s AND {a['status']} IN (%s, %s) AND (%s OR ({window})) "
            f"RETURNING {pk}, {status}, {created}, {others()}, {others()}, {others(ahead)}"
        )
        registered, waiting = RegistrationStatus.REGISTERED, RegistrationStatus.WAITING
        walk_in = meta.get_field("walk_in").get_db_prep_value(False, connection)
        params = [activity.pk, member.pk, token, by.pk, walk_in, activity.pk, registered, registered, waiting]
        if now is not None:
            params.append(meta.get_field("created_at").get_db_prep_value(now, connection))
        params += [activity.pk, Status.OPEN, Status.CLOSED if any_time else Status.OPEN, any_time]
        params += [registered, waiting, waiting]
        return sql, params


class Registration(models.Model):
    """A member's place (or place in the queue) at an activity, and their check-in."""

    # No index of its own: registration_queue_idx (activity, status, created_at) begins with it and serves
    # every lookup by activity, so each registration writes one index fewer.
    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="registrations", db_index=False
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    # Unique by a constraint rather than unique=True, which on PostgreSQL adds a second (LIKE) index that
    # no query of a token needs: tokens are only ever matched whole.
    token = models.CharField(_("签到码"), max_length=40, default=new_token, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("registration", "办理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签到人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    walk_in = models.BooleanField(_("现场加入"), default=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["created_at", "id"]
        constraints = [
            # The database, not only the form, refuses a second live registration.
            models.UniqueConstraint(
                fields=["activity", "member"],
                condition=Q(status__in=["registered", "waiting"]),
                name="registration_one_live_per_member",
            ),
            models.UniqueConstraint(fields=["token"], name="registration_unique_token"),
        ]
        indexes = [models.Index(fields=["activity", "status", "created_at"], name="registration_queue_idx")]

    def __str__(self):
        return f"{self.member} · {self.activity}"

    @property
    def attended(self):
        return self.checked_in_at is not None

    @property
    def is_live(self):
        return self.status in ACTIVE_REGISTRATION


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    ACCEPTED = "accepted", _("已采纳")
    RETURNED = "returned", _("已退回")


class SummaryQuerySet(UnitScopedQuerySet):
    path_field = "activity__unit__path"


class Summary(models.Model):
    """What happened at an activity, submitted by its unit up to the parent unit for review."""

    activity = models.OneToOneField(Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="summary")
    text = models.TextField(_("活动总结"))
    status = models.CharField(_("状态"), max_length=20, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审阅人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.CharField(_("审阅意见"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    history = HistoricalRecords()
    objects = SummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动总结")
        verbose_name_plural = _("活动总结")

    def __str__(self):
        return str(self.activity)

    @property
    def is_editable(self):
        return self.status in (SummaryStatus.DRAFT, SummaryStatus.RETURNED)


class SummaryPhotoQuerySet(UnitScopedQuerySet):
    path_field = "summary__activity__unit__path"


class SummaryPhoto(models.Model):
    summary = models.ForeignKey(Summary, verbose_name=_("活动总结"), on_delete=models.CASCADE, related_name="photos")
    # Private: members' faces are served only through activities:photo, after the access rule.
    image = models.ImageField(_("照片"), upload_to="activities/summaries/%Y/%m/", storage=private_storage)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SummaryPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.caption or self.image.name
