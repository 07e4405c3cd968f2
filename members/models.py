"""The roster: members (会员), their membership status, and transfers between units.

ID numbers and phones are encrypted at rest (core.encryption); what the roster searches
and matches on is stored beside them: a blind index of the ID number for exact matching,
and the phone's last four digits for the search box. Nothing of the ID number is kept in clear: its
last four beside the birth date (in clear, for the birthday reminders) would give most numbers back to
whoever reads the database, the encryption's reason to be.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, Func, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import idnumber, pinyin
from core.calendar import years_later
from core.cleaning import phone_kind
from core.encryption import EncryptedTextField, blind_index, is_unreadable, mask_id_number, mask_phone
from core.language import written_date
from core.prefixes import prefix_range
from core.sheets.jobs import SheetImportJob
from orgs.access import EVERYTHING, UnitScopedQuerySet, scope_paths, subtree_q

ID_INDEX_PURPOSE = "member-id-number"


def id_number_index(value: str) -> str:
    """The blind index an ID number is matched by (normalised first: 1101...x == 1101...X)."""
    return blind_index(idnumber.normalize(value), ID_INDEX_PURPOSE)


class MonthDay(Func):
    """A date's month and day as one number (3 March is 303; null without a date), computed by the
    database: the birthday reminders' key. On SQLite read off the stored text ("1985-03-03"), so that
    no Python function is called for each row written."""

    output_field = models.IntegerField()
    template = "CAST((EXTRACT(MONTH FROM %(expressions)s) * 100 + EXTRACT(DAY FROM %(expressions)s)) AS integer)"

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "CAST(SUBSTR(%(expressions)s, 6, 2) || SUBSTR(%(expressions)s, 9, 2) AS INTEGER)"
        return super().as_sql(compiler, connection, template=template, **extra_context)


class Likely(Func):
    """A condition most rows meet, said so to SQLite's planner (its ``likely()``; elsewhere the condition
    as it is). Without statistics on value ranges, SQLite takes a range on an indexed column for a
    narrow one: a province's 10-year age band was read through the birth-date index, hundreds of
    thousands of rows, and sorted (0.8 s at 1,000,000 members), where walking the name index finds a
    page's 30 in a few hundred rows. PostgreSQL estimates the range from its histogram."""

    function = "likely"
    output_field = models.BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, **extra_context)


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Category(models.TextChoices):
    TEACHER = "teacher", _("教师")
    WORKER = "worker", _("职工")
    CADRE = "cadre", _("干部")
    OTHER = "other", _("其他")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("中共党员")
    PROBATIONARY = "probationary", _("中共预备党员")
    LEAGUE = "league", _("共青团员")
    DEMOCRATIC_PARTY = "democratic_party", _("民主党派")
    MASSES = "masses", _("群众")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("博士研究生")
    MASTER = "master", _("硕士研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专或高中")
    JUNIOR = "junior", _("初中及以下")


class Status(models.TextChoices):
    ACTIVE = "active", _("在会")
    TRANSFERRING_OUT = "transferring_out", _("转出中")
    TRANSFERRED_IN = "transferred_in", _("转入")
    LEFT = "left", _("已退会")
    RETIRED = "retired", _("退休（保留会籍）")
    DECEASED = "deceased", _("已故")


# Statuses that count as members of the union: in rosters' totals, membership rates, dues.
IN_UNION = (Status.ACTIVE, Status.TRANSFERRING_OUT, Status.TRANSFERRED_IN, Status.RETIRED)


def in_union_q(on=None):
    """The condition of counting as a member today, or (``on`` a day before today) on that day, read from
    the dates the roster keeps: joined by then (or the date unknown), and in the union now or out of it only
    since (left or died after that day). What it does not keep is not read: a member counts in the unit
    she is in now, and a break in her membership before a rejoining is not seen."""
    if on is None or on >= timezone.localdate():
        return Q(status__in=IN_UNION)
    joined = Q(joined_on__lte=on) | Q(joined_on__isnull=True)
    out_since = Q(status__in=(Status.LEFT, Status.DECEASED), status_changed_on__gt=on)
    return joined & (Q(status__in=IN_UNION) | out_since)


# The membership rules in one place: which status may follow which when an officer
# changes it by hand. Transfers move between ACTIVE/TRANSFERRED_IN and TRANSFERRING_OUT
# only through members.services (a transfer has two sides), never by hand.
MANUAL_TRANSITIONS = {
    Status.ACTIVE: (Status.LEFT, Status.RETIRED, Status.DECEASED),
    Status.TRANSFERRED_IN: (Status.ACTIVE, Status.LEFT, Status.RETIRED, Status.DECEASED),
    Status.TRANSFERRING_OUT: (),
    Status.RETIRED: (Status.ACTIVE, Status.LEFT, Status.DECEASED),
    Status.LEFT: (Status.ACTIVE,),
    # Only to undo a mistake (the reason must be a correction, see REASONS_FOR): a death is otherwise final.
    Status.DECEASED: (Status.ACTIVE, Status.RETIRED),
}


class StatusReason(models.TextChoices):
    """Why a status changed; kept in the history with who and when."""

    JOINED = "joined", _("入会")
    REJOINED = "rejoined", _("重新入会")
    RESIGNED = "resigned", _("本人申请退会")
    LEFT_JOB = "left_job", _("调离或离职")
    RETIRED = "retired", _("退休")
    DECEASED = "deceased", _("去世")
    CORRECTION = "correction", _("更正录入错误")


# The reasons that fit a status set by hand: "retired" because of a death, or "deceased" because of joining,
# would be a history that says what did not happen.
REASONS_FOR = {
    Status.ACTIVE: (StatusReason.JOINED, StatusReason.REJOINED, StatusReason.CORRECTION),
    Status.LEFT: (StatusReason.RESIGNED, StatusReason.LEFT_JOB, StatusReason.CORRECTION),
    Status.RETIRED: (StatusReason.RETIRED, StatusReason.CORRECTION),
    Status.DECEASED: (StatusReason.DECEASED,),
}


# Age bands used in union statistics (青年教职工 are 35 and under).
AGE_BANDS = [
    ("u35", _("35岁及以下"), 0, 35),
    ("36_45", _("36—45岁"), 36, 45),
    ("46_55", _("46—55岁"), 46, 55),
    ("o55", _("56岁及以上"), 56, 200),
]


# The earliest birth date the roster takes, as an ID number's (core.idnumber.parse): no member alive was born before.
EARLIEST_BIRTH = datetime.date(1900, 1, 1)


def birth_date_problem(day, *, today) -> str:
    """Why ``day`` cannot be a member's birth date, or "" when it can. A day to come or one before 1900 is a
    slip of the year (2085 for 1985, 1885 for 1985): stored, it would put the member in no age band, or a
    nonsensical one, in every count and list by age. The member form and the roster import say the same."""
    if day > today:
        return _("出生日期不能晚于今天（%(today)s）。") % {"today": written_date(today)}
    if day < EARLIEST_BIRTH:
        return _("出生日期不能早于1900年1月1日。")
    return ""


def age_on(birth_date, on):
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def birth_range_for_ages(low, high, on):
    """Birth dates of people aged ``low`` to ``high`` (inclusive) on ``on``: a range the index can use."""
    latest = years_later(on, -low)
    earliest = years_later(on, -(high + 1)) + datetime.timedelta(days=1)
    return earliest, latest


# Above this many units, a subtree's roster is read by walking the (name_pinyin, id) index
# rather than unit by unit; see MemberQuerySet.roster.
LARGE_SUBTREE_UNITS = 300


@dataclass(frozen=True)
class Roster:
    """A roster's members, and how a page of them should be read: by walking the pinyin index
    in name order (a large subtree), or by sorting the subtree's members (a small one)."""

    members: models.QuerySet
    walks_name_index: bool


class MemberQuerySet(UnitScopedQuerySet):
    def roster(self, user, permission, unit) -> Roster:
        """Members of ``unit``'s subtree that ``user`` may see with ``permission``: what roster pages list.

        The access rule as ``visible_to``, shaped for a million rows: how the database should
        walk the members depends on the subtree's size. A union's few hundred members are read
        through the unit index (unit_id IN the subtree's units) and sorted. A province's
        million are read in name order from the pinyin index until the page is full, each row's
        unit checked by primary key (a correlated EXISTS, which neither SQLite nor PostgreSQL
        turns into a walk over every unit, as they do with IN).
        """
        paths = scope_paths(user, permission)
        if paths is EVERYTHING or any(unit.path.startswith(p) for p in paths):
            paths = [unit.path]
        else:
            paths = [p for p in paths if p.startswith(unit.path)]
            if not paths:
                return Roster(self.none(), walks_name_index=False)
        return self.under(paths)

    def under(self, paths) -> Roster:
        """Members of the subtrees at ``paths``, shaped for the subtree's size (see roster): a large
        one checks each row's unit by primary key, so that an index read in its own order (names,
        birthdays) can stop once a page is full; a small one is read unit by unit."""
        from orgs.models import OrgUnit

        units = OrgUnit.objects.filter(subtree_q(paths))
        unit_ids = list(units.values_list("id", flat=True)[: LARGE_SUBTREE_UNITS + 1])
        if len(unit_ids) > LARGE_SUBTREE_UNITS:
            in_subtree = Exists(OrgUnit.objects.filter(subtree_q(paths), pk=OuterRef("unit_id")))
            return Roster(self.filter(in_subtree), walks_name_index=True)
        # The ids themselves, not a subquery: PostgreSQL estimates a path range inside one
        # histogram bucket as a single unit, and with 100 units behind it chose to probe the
        # search index once per unit (150 ms for a county's "zw" instead of a few ms). Knowing
        # the ids, it would walk the pinyin index for a first page and skip 20,000 rows of
        # other units; a county's couple of thousand members are quicker sorted.
        return Roster(self.filter(unit_id__in=unit_ids), walks_name_index=False)

    def with_id_number(self, number):
        """The members whose ID number is ``number`` (typed in full), by its blind index."""
        return self.filter(id_number_index=id_number_index(number))

    def of_login(self, user):
        """The roster record linked to ``user``'s login, with its unit, or None (officers often have
        none). Chain ``only()`` or ``defer()`` before it to leave out what the page does not show:
        the encrypted ID number and phone are decrypted for every row read with them."""
        if not user.is_authenticated:
            return None
        try:
            return self.select_related("unit").get(user=user)
        except self.model.DoesNotExist:
            return None

    def in_union(self, on=None):
        """Members who count as members: in the union, transferring, transferred in, retired keeping membership.
        ``on`` a past day: those who were then (in_union_q)."""
        return self.filter(in_union_q(on))

    def women(self):
        return self.filter(gender=Gender.FEMALE)

    # Who still lacks the number that mutual insurance (职工互助保障) and a transfer ask for, told from the
    # columns kept in clear beside the encrypted ones (derived_values), so that nothing is decrypted. A value
    # the keys cannot read keeps those columns (fill_derived): it is there, only unreadable, not missing.

    def missing_id_number(self):
        # NULL alone: derived_values writes no "" and migration 0010 turned the old ones into NULL.
        return self.filter(id_number_index__isnull=True)

    def missing_phone(self):
        # Every phone stored has its last four (a landline's too), so "" means none.
        return self.filter(phone_last4="")

    def in_age_band(self, key, on=None):
        """Members in the age band ``key`` by their exact age, as the roster's age column shows it."""
        on = on or timezone.localdate()
        for band, _label, low, high in AGE_BANDS:
            if band == key:
                # An age band holds a good part of any roster (see Likely).
                return self.filter(Likely(Q(birth_date__range=birth_range_for_ages(low, high, on))))
        return self.none()

    def search(self, query):
        """Name, pinyin or its initials, or the phone's last four digits (the phone mask shows them).
        Not the ID number's last four: the mask hides them, and a search by them would give them back,
        0000 to 9999 (see core.encryption.mask_id_number). A full ID number is found by
        members.privacy.search, which logs what it finds."""
        typed, query = query, "".join(query.split())
        if not query:
            return self
        if query.isdecimal() and len(query) == 4:
            return self.filter(phone_last4=query)
        if pinyin.looks_like_pinyin(typed):
            # The initials as typed, the full pinyin by each way the letters divide into syllables.
            condition = Q(name_initials__range=prefix_range(query.lower().replace("'", ""), 30))
            for prefix in pinyin.stored_prefixes(typed):
                condition |= Q(name_pinyin__range=prefix_range(prefix, 120))
            return self.filter(condition)
        return self.filter(name__range=prefix_range(query, 50, top="\U0010ffff"))


class Member(models.Model):
    """A union member (会员) of one unit of the tree."""

    # No index of its own: (unit, status) below serves every lookup by unit, and each index
    # less is one less to update for every row an import writes.
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="members", db_index=False
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    # Kept by the database from birth_date, so that no writer (a form, an import's COPY, a bulk
    # create) can leave it behind: birthdays in the next days are a list of keys of one integer index.
    birth_monthday = models.GeneratedField(
        expression=MonthDay("birth_date"), output_field=models.IntegerField(null=True), db_persist=True
    )
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    # NULL, not "", for a member without an ID number (Django's own exception for unique CharFields): the
    # unique index then holds every number and allows any count of members without one, and is the one
    # index that both the match of one number and an import's thousand-key IN (...) can use.
    id_number_index = models.CharField(max_length=40, blank=True, null=True, editable=False)
    phone = EncryptedTextField(_("手机号"), blank=True)
    phone_last4 = models.CharField(max_length=4, blank=True, editable=False)
    category = models.CharField(_("人员类别"), max_length=10, choices=Category.choices, default=Category.TEACHER)
    job_title = models.CharField(_("职务或岗位"), max_length=50, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=20, choices=PoliticalStatus.choices, blank=True)
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)
    joined_on = models.DateField(_("入会时间"), null=True, blank=True)
    card_number = models.CharField(_("会员证号"), max_length=30, blank=True)
    is_migrant_worker = models.BooleanField(_("农民工"), default=False)
    is_retiree = models.BooleanField(_("离退休"), default=False)
    note = models.TextField(_("备注"), blank=True)
    status = models.CharField(_("会籍状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    name_pinyin = models.CharField(max_length=120, blank=True, editable=False)
    name_initials = models.CharField(max_length=30, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # The history is read one member at a time (by id): indexes on its copies of the unit and the login
    # would serve no query, and would be two more to update for every row an import writes.
    history = HistoricalRecords(
        excluded_fields=["name_pinyin", "name_initials", "id_number_index", "birth_monthday", "updated_at"],
        no_db_index=["unit", "user"],
        cascade_delete_history=False,
    )
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        ordering = ["name_pinyin", "id"]
        constraints = [
            # One person is a member once, wherever in the tree: moving is a transfer.
            models.UniqueConstraint(fields=["id_number_index"], name="member_unique_id_number"),
        ]
        indexes = [
            # The roster in pinyin order, keyset-paginated on (name_pinyin, id).
            models.Index(fields=["name_pinyin", "id"], name="member_pinyin_idx"),
            models.Index(fields=["name_initials"], name="member_initials_idx"),
            models.Index(fields=["phone_last4"], name="member_phone_last4_idx"),
            # A unit's members by status (the roster of a few units), and by birthday or birth date: the care
            # reminders of a city's thousand units are a few index entries per unit, without reading members.
            models.Index(fields=["unit", "status", "birth_monthday", "birth_date"], name="member_unit_birthday_idx"),
            models.Index(fields=["name"], name="member_name_idx"),
            # Care's reminders on the home page: members nearing retirement (a birth-date range) and
            # birthdays in the next two weeks (month and day), without reading a province's roster.
            models.Index(fields=["birth_date"], name="member_birth_date_idx"),
            models.Index(fields=["birth_monthday"], name="member_birthday_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self):
        """Search and matching columns kept beside the encrypted ones; bulk writers call this too."""
        derived = derived_values(self.name, self.id_number, self.phone)
        # What the keys could not read keeps the columns derived from it when it was written.
        if is_unreadable(self.id_number):
            for field in ("id_number", "id_number_index"):
                derived.pop(field)
        if is_unreadable(self.phone):
            for field in ("phone", "phone_last4"):
                derived.pop(field)
        for field, value in derived.items():
            setattr(self, field, value)

    def clean(self):
        errors = {}
        if self.id_number:
            try:
                parsed = idnumber.parse(self.id_number)
            except idnumber.InvalidIdNumber as error:
                errors["id_number"] = str(error)
            else:
                errors.update(id_number_conflicts(parsed, birth_date=self.birth_date, gender=self.gender))
        if self.phone and not valid_phone(self.phone):
            errors["phone"] = _("手机号应为11位数字，以1开头。")
        if errors:
            raise ValidationError(errors)

    # --- derived, never typed twice

    @property
    def is_woman(self):
        """女职工: derived from the gender (itself checked against the ID number)."""
        return self.gender == Gender.FEMALE

    def age(self, on=None):
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, on or timezone.localdate())

    @property
    def age_band(self):
        """The key of the statistics age band, or "" when the birth date is unknown."""
        age = self.age()
        if age is None:
            return ""
        for key, _label, low, high in AGE_BANDS:
            if low <= age <= high:
                return key
        return ""

    @property
    def age_band_label(self):
        return next((label for key, label, _low, _high in AGE_BANDS if key == self.age_band), "")

    @property
    def in_union(self):
        return self.status in IN_UNION

    @property
    def id_number_masked(self):
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self):
        return mask_phone(self.phone)

    def allowed_statuses(self):
        """Statuses an officer may set by hand from the current one (see MANUAL_TRANSITIONS)."""
        return MANUAL_TRANSITIONS.get(self.status, ())


def derived_values(name, id_number, phone, *, id_index=None):
    """The normalised name, ID number and phone, and the columns the roster searches and matches by.

    ``id_index``: the ID number's blind index when the caller has already computed it (an import
    matches by it first), so that the HMAC is not computed twice per row.
    """
    name = (name or "").strip()
    id_number = idnumber.normalize(id_number) if id_number else ""
    phone = "".join((phone or "").split())
    full, initials = pinyin.full_and_initials(name)
    return {
        "name": name,
        "name_pinyin": full[:120],
        "name_initials": initials[:30],
        "id_number": id_number,
        "id_number_index": id_index if id_index is not None else (id_number_index(id_number) if id_number else None),
        "phone": phone,
        "phone_last4": phone[-4:],
    }


def valid_phone(value: str) -> bool:
    """A mobile (11 digits from 1), or a landline as core.cleaning.clean_phone writes it (0571-88886666)."""
    return bool(phone_kind(value))


def id_number_conflicts(parsed, *, birth_date, gender):
    """Errors where typed fields disagree with what the ID number says (field -> message)."""
    errors = {}
    if birth_date and birth_date != parsed.birth_date:
        errors["birth_date"] = _("出生日期与身份证号不一致（身份证号为%(date)s）。") % {
            "date": written_date(parsed.birth_date)
        }
    if gender and gender != parsed.gender:
        errors["gender"] = _("性别与身份证号不一致（身份证号为%(gender)s）。") % {"gender": Gender(parsed.gender).label}
    return errors


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    REJECTED = "rejected", _("已退回")
    CANCELLED = "cancelled", _("已撤回")


class TransferQuerySet(models.QuerySet):
    SIDES = ("from", "to")

    def visible_to(self, user, permission, side=None):
        """Transfers either side of which lies in the user's scope: both sides follow its progress. Only
        one side acts on it: ``side="to"``, the receiving unit's (accepts or returns it); ``side="from"``,
        the sending unit's (takes it back)."""
        if side is not None and side not in self.SIDES:
            raise ValueError(f"side must be one of {self.SIDES}, not {side!r}")
        paths = scope_paths(user, permission)
        if paths is EVERYTHING:
            return self
        if not paths:
            return self.none()
        condition = Q(pk__in=[])
        for each in self.SIDES if side is None else (side,):
            condition |= subtree_q(paths, f"{each}_unit__path")
        return self.filter(condition)

    def outgoing_from(self, unit):
        return self.filter(subtree_q([unit.path], "from_unit__path"))

    def incoming_to(self, unit):
        return self.filter(subtree_q([unit.path], "to_unit__path"))

    def pending(self):
        return self.filter(status=TransferStatus.PENDING)


class Transfer(models.Model):
    """A transfer (转会) between units: the sending side starts it, the receiving side decides."""

    member = models.ForeignKey(Member, verbose_name=_("会员"), on_delete=models.CASCADE, related_name="transfers")
    from_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("转出单位"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("转入单位"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    status = models.CharField(_("状态"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    reason = models.CharField(_("转会原因"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    decision_note = models.CharField(_("办理意见"), max_length=200, blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("转会")
        verbose_name_plural = _("转会")
        ordering = ["-started_at", "-id"]
        constraints = [
            # A member has at most one transfer in progress.
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="pending"), name="transfer_one_pending_per_member"
            ),
        ]
        indexes = [models.Index(fields=["status", "to_unit"], name="transfer_status_to_idx")]

    def __str__(self):
        return f"{self.member} · {self.from_unit} → {self.to_unit}"

    @property
    def is_pending(self):
        return self.status == TransferStatus.PENDING


def _import_upload_path(job, filename):
    # Named by migration 0002; uploads are now placed by core.sheets.jobs.
    return f"imports/members/{timezone.now():%Y/%m}/{filename}"


class ImportJob(SheetImportJob):
    """An uploaded roster sheet on its way in: checked (the preview), then imported (core.sheets.jobs).

    The page shows the preview from ``result``; a large sheet is checked and imported by a
    background task (members.tasks) while the page polls its progress.
    """

    importer_key = "members.roster"

    objects = UnitScopedQuerySet.as_manager()

    class Meta(SheetImportJob.Meta):
        verbose_name = _("会员导入")
        verbose_name_plural = _("会员导入")
