"""The roster import: members' columns and row writer on the one sheet import machine (core.sheets).

``roster_import`` is used by the page (through a background task for large files) and by
``manage.py import_members``. The machine reads the workbook, finds the header (under merged
titles, on the sheet that has it, in one or two rows), maps columns by the synonyms declared
here, skips blank, total and signature lines, and cleans each cell with the column's cleaner.
What is the roster's own:

1. the rules across a row: the ID number decides gender and birth date and is cross-checked with
   what was typed, and a member joins after being born (``RosterImporter.check_row``, where the
   rows are cleaned); the unit is found by code or name within the importing officer's subtree,
   or taken from the sheet's name when the workbook has one sheet per group (``RosterSession.check``);
2. the write (``RosterSession.write``): members are matched by ID number (blind index) in
   batches, so a row is new, updated, unchanged or failed; new ones and their history rows go in
   one binary COPY each per batch on PostgreSQL (on SQLite one prepared INSERT run for every row,
   and the history copied by the database); the roll-ups are marked once, at the end.

What needs no database (each ID number's blind index, the pinyin and other derived columns, the
encrypted ID number and phone: a new member's whole row but its unit) is computed by
``RosterImporter.prepare`` where the rows are cleaned: for a large sheet, in the machine's worker
processes, while this one writes.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core import cleaning, idnumber, pgcopy, sheets
from core.encryption import EncryptedTextField, encrypt_many
from core.language import each_language, written_date
from core.sheets import jobs
from core.sheets.importer import ImportResult, RowError  # noqa: F401  (the roster's result types)
from core.sheets.reading import SUPPORTED, ImportFileError  # noqa: F401
from members import privacy
from members.models import (
    Category,
    Education,
    Gender,
    Member,
    PoliticalStatus,
    birth_date_problem,
    derived_values,
    id_number_conflicts,
    id_number_index,
)
from members.services import roster_followed
from orgs.access import subtree_range
from orgs.models import OrgUnit
from rollups import refresh as rollups

BATCH = 5000
INLINE_MAX_BYTES = jobs.INLINE_MAX_BYTES


def _choice_words(choices, extra):
    """The words a sheet may write for each choice: its label in every language the product speaks (a
    roster exported from the English pages comes back with "Male" and "Teacher"), Chinese first whatever
    language this module is loaded in, and the words officers use."""
    words = {}
    for _code in each_language():
        for value, label in choices.choices:
            words.setdefault(str(label).lower(), value)  # Choice looks a word up as written, then lower-cased
    words.update(extra)
    return words


GENDER_WORDS = _choice_words(Gender, {"男性": "M", "女性": "F", "m": "M", "f": "F"})
CATEGORY_WORDS = _choice_words(
    Category, {"专任教师": "teacher", "教职工": "teacher", "工人": "worker", "管理人员": "cadre", "行政": "cadre"}
)
POLITICAL_WORDS = _choice_words(
    PoliticalStatus,
    {
        "党员": "party_member",
        "预备党员": "probationary",
        "团员": "league",
        "共青团员": "league",
        "民主党派人士": "democratic_party",
    },
)
EDUCATION_WORDS = _choice_words(
    Education,
    {
        "博士": "doctorate",
        "硕士": "master",
        "研究生": "master",
        "本科": "bachelor",
        "大学": "bachelor",
        "大专": "college",
        "专科": "college",
        "中专": "secondary",
        "高中": "secondary",
        "中职": "secondary",
        "初中": "junior",
        "小学": "junior",
    },
)


# --- cleaners: each turns one raw cell into a value or raises CellError


@dataclass(frozen=True)
class Choice:
    """One of a field's choices, by its Chinese label or a word officers use for it."""

    words: dict
    label: str
    default: str = ""

    def __call__(self, value):
        text = cleaning.clean_text(value)
        if not text:
            return self.default
        found = self.words.get(text) or self.words.get(text.lower())
        if found is None:
            options = self.options()
            raise cleaning.CellError(
                _("“%(value)s”不是可选的%(label)s（可填：%(options)s）。")
                % {"value": text, "label": self.label, "options": options}
            )
        return found

    def options(self) -> str:
        """The words to offer: the Chinese ones, or on the English pages the English ones (when the
        field has any: 男 and 女 are also Male and Female)."""
        english = not (translation.get_language() or "zh").startswith("zh")
        chinese = [str(word) for word in self.words if not word.isascii()]
        offered = [str(word) for word in self.words if word.isascii() and len(word) > 1] if english else []
        return pgettext("between choices", "、").join(dict.fromkeys(offered or chinese))


@dataclass(frozen=True)
class Text:
    """Text up to ``limit`` characters (``digits``: a number kept as text, spaces and dashes removed)."""

    limit: int
    digits: bool = False

    def __call__(self, value):
        text = cleaning.clean_digits(value) if self.digits else cleaning.clean_text(value)
        if len(text) > self.limit:
            raise cleaning.CellError(_("内容超过%(limit)d个字。") % {"limit": self.limit})
        return text


def clean_joined_on(value):
    return cleaning.parse_date(value, allow_month=True)


def clean_birth_date(value):
    """出生日期 or 出生年月 (cleaning.parse_date_or_month), refused as the member form refuses it
    (members.models.birth_date_problem) rather than only found to disagree with the ID number."""
    day, month_only = cleaning.parse_date_or_month(value)
    if day is not None:
        # The site's date, read as core.idnumber.parse reads it: a tenth of localdate()'s cost, per cell.
        problem = birth_date_problem(day, today=datetime.datetime.now(timezone.get_default_timezone()).date())
        if problem:
            raise cleaning.CellError(problem)
    return day, month_only


def _column(key, label, synonyms, clean, required=False):
    return sheets.Column(key, label, synonyms, required, clean)


L = gettext_lazy
FIELDS = [
    _column("name", L("姓名"), ("姓名", "名字", "会员姓名", "职工姓名", "教职工姓名"), cleaning.parse_name, True),
    _column(
        "id_number",
        L("身份证号"),
        ("身份证号", "身份证号码", "证件号码", "证件号", "身份证", "公民身份号码", "身份证件号码"),
        cleaning.parse_id_cell,
        True,
    ),
    _column("gender", L("性别"), ("性别",), Choice(GENDER_WORDS, L("性别"))),
    _column("birth_date", L("出生日期"), ("出生日期", "出生年月", "出生年月日", "生日"), clean_birth_date),
    _column(
        "phone",
        L("手机号"),
        ("手机", "手机号", "手机号码", "联系电话", "电话", "电话号码", "联系方式", "移动电话"),
        cleaning.clean_phone,
    ),
    _column(
        "unit",
        L("所在单位"),
        ("所在单位", "单位", "工会小组", "所在小组", "小组", "部门", "单位编码", "所属单位", "所在分会"),
        cleaning.clean_text,
    ),
    _column(
        "category",
        L("人员类别"),
        ("人员类别", "类别", "人员身份", "身份"),
        Choice(CATEGORY_WORDS, L("人员类别"), default=Category.TEACHER),
    ),
    _column("job_title", L("职务或岗位"), ("职务或岗位", "职务", "岗位", "职务/岗位", "职称"), Text(50)),
    _column("political_status", L("政治面貌"), ("政治面貌",), Choice(POLITICAL_WORDS, L("政治面貌"))),
    _column("education", L("学历"), ("学历", "文化程度", "最高学历"), Choice(EDUCATION_WORDS, L("学历"))),
    _column("joined_on", L("入会时间"), ("入会时间", "入会日期", "入会年月", "加入工会时间"), clean_joined_on),
    _column("card_number", L("会员证号"), ("会员证号", "会员卡号", "会员证编号", "会员编号"), Text(30, digits=True)),
    _column("is_migrant_worker", L("农民工"), ("农民工", "是否农民工"), cleaning.parse_flag),
    _column("is_retiree", L("离退休"), ("离退休", "是否退休", "退休", "是否离退休"), cleaning.parse_flag),
    _column("note", L("备注"), ("备注", "说明"), Text(2000)),
]
FIELDS_BY_KEY = {f.key: f for f in FIELDS}
ENCRYPTED = [f.attname for f in Member._meta.concrete_fields if isinstance(f, EncryptedTextField)]
# Fields an update compares and writes (the unit too, within the importing officer's subtree).
UPDATABLE = [f.key for f in FIELDS if f.key != "id_number"]


# --- the rules across a row, and the write


class _Units:
    """Units of the importing subtree by code, name and short name, looked up once each."""

    def __init__(self, root):
        self.root = root
        self.cache = {}

    def find(self, text):
        if text not in self.cache:
            units = OrgUnit.objects.filter(path__range=subtree_range(self.root.path), is_active=True)
            found = list(units.filter(code=text)[:2]) or list(units.filter(name=text)[:2])
            found = found or list(units.filter(short_name=text)[:2])
            # "东关完小" for "东关完小工会小组": a unique beginning of a name is enough.
            found = found or list(units.filter(name__startswith=text)[:2])
            self.cache[text] = found[0] if len(found) == 1 else None
        return self.cache[text]


class RosterSession(sheets.Session):
    def __init__(self, *, unit, user, context=None):
        super().__init__(unit=unit, user=user, context=context)
        self.units = _Units(unit)
        self.today = timezone.localdate()
        self.seen_ids: dict[str, int] = {}  # blind index -> first row number
        self.units_changed: set[int] = set()  # units whose roll-ups the written batches moved
        self.revealed: list[Member] = []  # members of other units whose ID numbers the sheet holds

    def check(self, row):
        self._unit_within_the_subtree(row)
        joined = row.values.get("joined_on")
        if joined and joined > self.today:  # as the member form refuses it (members.forms.joined_by_today)
            row.fail("joined_on", _("入会时间晚于今天（%(today)s）。") % {"today": written_date(self.today)})

    def _unit_within_the_subtree(self, row):
        text = row.values.get("unit")
        if not text:
            row.values["unit"] = self.unit
            return
        row.values["unit"] = self.units.find(text)
        if row.values["unit"] is None:
            row.fail("unit", _("找不到单位“%(value)s”，请填写本单位或下级单位的名称或编码。") % {"value": text})

    def write(self, rows, *, write):
        keys = self._match_within_the_sheet(rows)
        good = [key for row, key in zip(rows, keys, strict=True) if key and not row.errors]
        existing = _existing_members(good)
        to_create, to_update, changed_fields = [], [], set()
        units_changed = set()  # the roll-ups of these units move with this batch
        elsewhere = []  # members of other units whose ID numbers the sheet holds
        for row, key in zip(rows, keys, strict=True):
            if row.errors:
                continue
            member = existing.get(key)
            if member is None:
                to_create.append((row.values, row.prepared))
                units_changed.add(row.values["unit"].pk)
                row.outcome = "created"
            elif not member.unit.path.startswith(self.unit.path):
                # Which union holds this person is not the importing officer's to know.
                row.fail("id_number", _("此人已是其他单位的会员，不能在这里导入；如需转会，请与上级工会联系。"))
                elsewhere.append(member)
            else:
                changes = [k for k in UPDATABLE if k in row.values and row.values[k] != getattr(member, k)]
                row.outcome = "updated" if changes else "unchanged"
                if changes:
                    units_changed.add(member.unit_id)  # before a change of unit: the old one loses the member
                    for k in changes:
                        setattr(member, k, row.values[k])
                    units_changed.add(member.unit_id)
                    member.fill_derived()
                    changed_fields.update(changes)
                    to_update.append(member)
        self.revealed += elsewhere
        if write:
            self._write(to_create, to_update, changed_fields)
            self.units_changed |= units_changed

    def finish(self):
        # Rows written by COPY and bulk_update send no signals: mark the units for the roll-ups once,
        # in the import's transaction, so a rolled-back import marks nothing.
        rollups.touch(self.units_changed)

    def closed(self):
        # Still, a row told the officer this person is a member there: that union's access log says who
        # asked, as after the member form (members.privacy), whether or not the import was rolled back.
        if self.revealed and self.user is not None:
            privacy.log_id_checks(None, self.revealed, user=self.user)

    def _match_within_the_sheet(self, rows):
        """Each row's ID number's blind index ("" without one); a second row with the same ID number fails."""
        keys = []
        for row in rows:
            unread = row.errors and any(k == "id_number" for k, _m in row.errors)  # most rows have no errors
            number = None if unread else row.values.get("id_number")
            key = (row.prepared.get("id_index") or id_number_index(number)) if number else ""
            keys.append(key)
            if key in self.seen_ids:
                row.fail("id_number", _("身份证号与第%(row)d行重复。") % {"row": self.seen_ids[key]})
            elif key:
                self.seen_ids[key] = row.number
        return keys

    def _write(self, to_create, to_update, changed_fields):
        if to_create:
            _insert_members(to_create, user=self.user)
        if to_update:
            now = timezone.now()
            for member in to_update:
                member.updated_at = now
            fields = sorted(changed_fields | {"name_pinyin", "name_initials", "phone_last4", "updated_at"})
            Member.objects.bulk_update(to_update, fields)
            _copy_to_history("id", [m.pk for m in to_update], user=self.user, history_type="~")
            if {"unit", "status"} & changed_fields:
                roster_followed(to_update)


class RosterImporter(sheets.Importer):
    key = "members.roster"
    label = gettext_lazy("会员花名册")
    columns = FIELDS
    group_column = "unit"
    session_class = RosterSession

    def sheet_names_are_groups(self, names, *, unit):
        # 东关完小 and 西街完小 are groups; 在职 and 退休 are not: then the first sheet is read alone.
        units = _Units(unit)
        return all(units.find(cleaning.clean_text(name)) is not None for name in names)

    def check_row(self, row):
        _id_number_decides_gender_and_birth_date(row)
        _joined_after_birth(row)

    def prepare(self, rows, *, writing):
        """Each ID number's blind index; for the rows to write, the row of the members table a new
        member would be, derived columns and encrypted values included (the HMAC, pinyin and Fernet
        work of an import, done where the rows are cleaned; _insert_members adds the unit and times)."""
        to_write, derived = [], []
        for row in rows:
            number = row.values.get("id_number")  # as check_row left it: the ID number read, or none
            if not number:
                continue
            key = id_number_index(number)
            row.prepared["id_index"] = key
            if writing and not row.errors:
                values = row.values
                derived.append(derived_values(values.get("name"), number, values.get("phone") or "", id_index=key))
                to_write.append(row)
        if not to_write:
            return
        columns = _MemberColumns()
        encrypted = {name: encrypt_many([d[name] for d in derived]) for name in ENCRYPTED}
        for n, (row, values) in enumerate(zip(to_write, derived, strict=True)):
            values.update({name: tokens[n] for name, tokens in encrypted.items()})
            row.prepared["member_row"] = columns.row(row.values, values)

    @property
    def batch_size(self):
        return BATCH  # read when the import runs, so that a test can make batches small


ROSTER = sheets.register(RosterImporter())


def _id_number_decides_gender_and_birth_date(row):
    values = row.values
    birth, month_only = values.pop("birth_date", None) or (None, False)
    parsed = values.get("id_number")
    values.setdefault("gender", "")
    if not isinstance(parsed, idnumber.IdNumber):
        values["birth_date"] = birth
        return
    if birth and month_only and (birth.year, birth.month) == (parsed.birth_date.year, parsed.birth_date.month):
        birth = None  # "1985年3月" agrees with an ID number born on 2 March 1985
    for key, message in id_number_conflicts(parsed, birth_date=birth, gender=values["gender"]).items():
        row.fail(key, message)
    # A blank gender or birth date is read from the ID number.
    values["id_number"], values["gender"], values["birth_date"] = parsed.value, parsed.gender, parsed.birth_date


def _joined_after_birth(row):
    joined, born = row.values.get("joined_on"), row.values.get("birth_date")
    if joined and born and joined <= born:
        row.fail("joined_on", _("入会时间早于出生日期。"))


def roster_import(
    path,
    *,
    unit,
    user=None,
    mapping=None,
    sheet=None,
    dry_run=False,
    skip_errors=False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import the roster in ``path`` into ``unit``'s subtree (see core.sheets.run_import)."""
    return sheets.run_import(
        ROSTER,
        path,
        unit=unit,
        user=user,
        mapping=mapping,
        sheet=sheet,
        dry_run=dry_run,
        skip_errors=skip_errors,
        progress=progress,
    )


def _existing_members(keys):
    """{blind index: member} of the members on file with these ID numbers.

    Which of them exist is asked in plain SQL (on PostgreSQL with the keys as one array): a batch
    of a new roster finds none, and then no ORM query is built over thousands of parameters.
    """
    if not keys:
        return {}
    table = connection.ops.quote_name(Member._meta.db_table)
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table} WHERE id_number_index IN ({', '.join(['%s'] * len(keys))})", keys)
            ids = [pk for (pk,) in cursor.fetchall()]
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            # A batch's keys are as many probes of the blind-index index (15 ms for 5,000). Costing each
            # probe as a read from disk, PostgreSQL would scan the whole table instead, for every batch
            # (75 to 190 ms at 100,000 members, more with every member): seq scans are off for this query.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"SELECT id FROM {table} WHERE id_number_index = ANY(%s)", [list(keys)])
            ids = [pk for (pk,) in cursor.fetchall()]
            cursor.execute("RESET enable_seqscan")
    if not ids:
        return {}
    return {m.id_number_index: m for m in Member.objects.filter(pk__in=ids).select_related("unit")}


class _MemberColumns:
    """How a new member's values become a row of the members table, all but its id, unit and times
    (which the writer adds), each value prepared as its field would prepare it. Built once per batch,
    where the rows are prepared (a worker process for a large sheet).

    On SQLite a row is a list of the table's columns in order, for one prepared INSERT. On PostgreSQL
    it is already in COPY's binary form, as two pieces: the columns the history table has too, and
    the members' own (blind index, pinyin); ``copy_members`` joins them behind each row's id, unit and
    times, and writes the history rows from the same bytes.
    """

    FRONT = ("id", "unit_id", "created_at", "updated_at")  # what the writer sets, in this order
    HISTORY_MARKS = ("history_date", "history_change_reason", "history_type", "history_user_id")

    def __init__(self):
        self.fields = [f for f in Member._meta.concrete_fields if not f.primary_key and not f.generated]
        self.names = [f.attname for f in self.fields]
        # The same value for every row: the defaults (the unit and the times are _insert_members').
        self.constant = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in self.fields}
        self.binary = connection.vendor == "postgresql"
        plain = (models.CharField, models.TextField, models.BooleanField, models.ForeignKey, models.OneToOneField)
        if self.binary:
            plain += (models.DateField,)  # dates are encoded as they are
        # Encrypted by prepare already, and the times set by _insert_members: neither converted here.
        self.converted = {
            f.attname: connection.ops.adapt_datefield_value
            if type(f) is models.DateField
            else partial(f.get_db_prep_save, connection=connection)
            for f in self.fields
            if not isinstance(f, EncryptedTextField)
            and type(f) not in plain
            and f.attname not in ("created_at", "updated_at")
        }
        self.unit_at = self.names.index("unit_id")
        self.times_at = (self.names.index("created_at"), self.names.index("updated_at"))
        if self.binary:
            self._binary_layout()

    def _binary_layout(self):
        fields = {f.column: f for f in Member._meta.concrete_fields if not f.generated}
        in_history = {f.column for f in Member.history.model._meta.concrete_fields}
        rest = [c for c in fields if c not in self.FRONT]
        self.shared = [c for c in rest if c in in_history]
        self.own = [c for c in rest if c not in in_history]
        self.member_columns = [*self.FRONT, *self.shared, *self.own]
        self.history_columns = [*self.FRONT[:3], *self.shared, *self.HISTORY_MARKS]
        types = {c: f.db_type(connection) for c, f in fields.items()}
        self.encode_shared = pgcopy.encoder([types[c] for c in self.shared])
        self.encode_own = pgcopy.encoder([types[c] for c in self.own])
        self.encode_front = pgcopy.encoder([types["id"], types["unit_id"]])
        self.encode_time = pgcopy.encoder([types["created_at"]])
        marks = {f.column: f.db_type(connection) for f in Member.history.model._meta.concrete_fields}
        self.encode_marks = pgcopy.encoder([marks[c] for c in self.HISTORY_MARKS])

    def row(self, values, derived):
        """The columns of a member with these cleaned ``values`` and ``derived_values`` (whose ID number
        and phone are already encrypted); no id, unit or times yet."""
        data = dict(self.constant)
        data.update(values)
        data.update(derived)
        for name, convert in self.converted.items():
            data[name] = convert(data[name])
        if self.binary:
            return self.encode_shared([data[c] for c in self.shared]), self.encode_own([data[c] for c in self.own])
        data["unit_id"] = None
        return [data[name] for name in self.names]


def _insert_members(rows, *, user):
    """Insert new members and their history rows ("+", "import"); returns how many.

    Plain INSERTs (COPY on PostgreSQL) rather than Model.objects.bulk_create: a sheet of 100,000
    rows would spend most of its time in building model instances and compiling per-row SQL,
    none of which is needed here. Each row comes as the importer's prepare made it (every row
    written was prepared: prepare sees every row of an import that writes, and a row with an error
    is not written); the unit and the times are set here, and the history rows take the stored
    ciphertext as it is.
    """
    columns = _MemberColumns()
    now = timezone.now()
    if columns.binary:
        _copy_members(columns, rows, now=now, user=user)
        return len(rows)
    times = [Member._meta.get_field(name).get_db_prep_save(now, connection) for name in ("created_at", "updated_at")]
    params = []
    for values, prepared in rows:
        row = prepared["member_row"]
        row[columns.unit_at] = values["unit"].id
        row[columns.times_at[0]], row[columns.times_at[1]] = times
        params.append(row)
    quote = connection.ops.quote_name
    table, names = quote(Member._meta.db_table), ", ".join(quote(f.column) for f in columns.fields)
    with connection.cursor() as cursor:
        # One statement prepared once and run for each row: SQLite's quickest way in.
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns.fields))})", params)
    index_at = columns.names.index("id_number_index")
    _copy_to_history("id_number_index", [row[index_at] for row in params], user=user, history_type="+")
    return len(params)


def _copy_members(columns, rows, *, now, user):
    """PostgreSQL: members and their history rows, each table in one binary COPY.

    The members' ids are taken from their sequence first, so that the history rows are written
    from the same bytes rather than read back from the table (an INSERT ... SELECT by blind index).
    """
    quote = connection.ops.quote_name
    history = Member.history.model
    times = columns.encode_time([now])
    marks = columns.encode_marks([now, "import", "+", user.pk if user else None])
    member_start, history_start = pgcopy.count(len(columns.member_columns)), pgcopy.count(len(columns.history_columns))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Member._meta.db_table, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        members, histories = bytearray(pgcopy.SIGNATURE), bytearray(pgcopy.SIGNATURE)
        for pk, (values, prepared) in zip(ids, rows, strict=True):
            shared, own = prepared["member_row"]
            key = columns.encode_front([pk, values["unit"].id])
            members += member_start + key + times + times + shared + own
            histories += history_start + key + times + shared + marks
        # COPY streams the rows in one go, without a statement of 25,000 placeholders to parse,
        # and in binary the server takes dates, times, flags and keys without parsing text.
        for model, names, data in (
            (Member, columns.member_columns, members),
            (history, columns.history_columns, histories),
        ):
            data += pgcopy.TRAILER
            with cursor.cursor.copy(
                f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in names)}) FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.write(data)


def _copy_to_history(column, values, *, user, history_type):
    """History rows for the members just written (matched by ``column``), copied by the database itself.

    The same rows simple-history's bulk helpers would write (who, when, "import"), without
    building a second model instance per row and encrypting its ID number and phone again:
    the copy takes the stored ciphertext as it is.
    """
    history = Member.history.model
    quote = connection.ops.quote_name
    own = [f.column for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(c) for c in own + extra)}) "
        f"SELECT {', '.join(quote(c) for c in own)}, %s, %s, %s, %s FROM {quote(Member._meta.db_table)} "
        f"WHERE {quote(column)} IN ({', '.join(['%s'] * len(values))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), "import", history_type, user.pk if user else None, *values])


# --- the page's import jobs (core.sheets.jobs; these names are what the roster's pages and tests use)

read_progress = jobs.read_progress
_progress_writer = jobs.progress_writer
job_check = jobs.job_check
job_run = jobs.job_run
job_mapping = jobs.job_mapping
