"""Importing a roster from the sheet an officer already has (.xlsx, .xls, .csv).

One service, ``roster_import``, used by the page (through a background task for large
files) and by ``manage.py import_members``:

1. ``read_sheet`` streams the rows (python-calamine; csv in UTF-8 or GB18030), each with
   the row number Excel shows;
2. ``find_header`` finds the header row below any merged title rows and ``guess_mapping``
   maps its columns to fields by name, with the synonyms officers use;
3. each row is cleaned (core.cleaning) and validated; members are matched by ID number
   (blind index) in batches, so a row is new, updated, unchanged or failed;
4. the writes happen in batches inside one transaction: nothing is written when any row
   failed (unless ``skip_errors``), nor when anything fails half-way.
"""

import csv
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import cleaning, idnumber
from members.models import (
    Category,
    Education,
    Gender,
    Member,
    PoliticalStatus,
    derived_values,
    id_number_conflicts,
    id_number_index,
    valid_phone,
)
from orgs.access import subtree_range
from orgs.models import OrgUnit

BATCH = 1000
HEADER_SEARCH_ROWS = 20
SUPPORTED = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False


FIELDS = [
    ImportField("name", gettext_lazy("姓名"), ("姓名", "名字", "会员姓名", "职工姓名", "教职工姓名"), True),
    ImportField(
        "id_number",
        gettext_lazy("身份证号"),
        ("身份证号", "身份证号码", "证件号码", "证件号", "身份证", "公民身份号码", "身份证件号码"),
        True,
    ),
    ImportField("gender", gettext_lazy("性别"), ("性别",)),
    ImportField("birth_date", gettext_lazy("出生日期"), ("出生日期", "出生年月", "出生年月日", "生日")),
    ImportField(
        "phone", gettext_lazy("手机号"), ("手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "移动电话")
    ),
    ImportField(
        "unit", gettext_lazy("所在单位"), ("所在单位", "单位", "工会小组", "所在小组", "部门", "单位编码", "所属单位")
    ),
    ImportField("category", gettext_lazy("人员类别"), ("人员类别", "类别", "人员身份", "身份")),
    ImportField("job_title", gettext_lazy("职务或岗位"), ("职务或岗位", "职务", "岗位", "职务/岗位", "职称")),
    ImportField("political_status", gettext_lazy("政治面貌"), ("政治面貌",)),
    ImportField("education", gettext_lazy("学历"), ("学历", "文化程度", "最高学历")),
    ImportField("joined_on", gettext_lazy("入会时间"), ("入会时间", "入会日期", "入会年月", "加入工会时间")),
    ImportField("card_number", gettext_lazy("会员证号"), ("会员证号", "会员卡号", "会员证编号", "会员编号")),
    ImportField("is_migrant_worker", gettext_lazy("农民工"), ("农民工", "是否农民工")),
    ImportField("is_retiree", gettext_lazy("离退休"), ("离退休", "是否退休", "退休", "是否离退休")),
    ImportField("note", gettext_lazy("备注"), ("备注", "说明")),
]
FIELDS_BY_KEY = {f.key: f for f in FIELDS}
_SYNONYMS = {syn: f.key for f in FIELDS for syn in f.synonyms}
# Fields an update compares and writes (the unit too, within the importing officer's subtree).
UPDATABLE = [f.key for f in FIELDS if f.key != "id_number"]


def _choice_words(choices, extra):
    words = {str(label): value for value, label in choices.choices}
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


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class RowError:
    row: int  # as Excel shows it
    column: str  # the header text of the column, or "" for the whole row
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    header_row: int = 0
    headers: list[str] = field(default_factory=list)
    mapping: dict[int, str] = field(default_factory=dict)  # column index -> field key
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    failed_rows: list[tuple[int, list]] = field(default_factory=list)  # (row number, cells as text)
    written: bool = False

    @property
    def failed(self):
        return len(self.failed_rows)

    def as_json(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
        }


# --- reading


def read_sheet(path) -> tuple[int, Iterator[tuple[int, list]]]:
    """(row count, iterator of (Excel row number, cells)) of the first sheet."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ImportFileError(_("不支持“%(suffix)s”格式，请上传 .xlsx、.xls 或 .csv 文件。") % {"suffix": suffix})
    if suffix == ".csv":
        return _read_csv(path)
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except (CalamineError, ValueError, OSError) as error:
        raise ImportFileError(_("无法读取这个表格文件：%(error)s") % {"error": error}) from None
    # iter_rows starts at the sheet's first row (A1) even when the used range starts lower,
    # so the n-th row yielded is Excel's row n.
    rows = sheet.end[0] + 1 if sheet.end else 0
    return rows, ((number, list(cells)) for number, cells in enumerate(sheet.iter_rows(), start=1))


def _read_csv(path):
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 编码的 CSV 或 .xlsx。"))
    rows = text.count("\n") + 1
    return rows, ((number, cells) for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1))


def header_key(text) -> str:
    """A header cell reduced to what matters for matching: no spaces, marks or notes in brackets."""
    text = cleaning.clean_text(text)
    for mark in ("*", "＊", "：", ":", " "):
        text = text.replace(mark, "")
    for opening, closing in (("(", ")"), ("（", "）")):
        if opening in text and text.endswith(closing):
            text = text[: text.index(opening)]
    return text


def guess_mapping(headers) -> dict[int, str]:
    mapping, taken = {}, set()
    for index, header in enumerate(headers):
        key = _SYNONYMS.get(header_key(header))
        if key and key not in taken:
            mapping[index] = key
            taken.add(key)
    return mapping


def find_header(rows) -> tuple[int, list, Iterator]:
    """The header row and the rows after it.

    The header is the first of the top rows naming two or more known fields; merged title
    rows above it name none. When no row does (a sheet with headers of its own), the first
    row with two or more filled cells is taken, and the officer maps its columns in the page.
    """
    rows = iter(rows)
    seen = []
    for number, cells in itertools.islice(rows, HEADER_SEARCH_ROWS):
        seen.append((number, cells))
        if len(guess_mapping(cells)) >= 2:
            return number, [cleaning.clean_text(c) for c in cells], rows
    for index, (number, cells) in enumerate(seen):
        if sum(1 for c in cells if cleaning.clean_text(c)) >= 2:
            return number, [cleaning.clean_text(c) for c in cells], itertools.chain(seen[index + 1 :], rows)
    raise ImportFileError(
        _("在前%(count)d行中没有找到表头。表头行应包含“姓名”“身份证号”等列名。") % {"count": HEADER_SEARCH_ROWS}
    )


# --- one row


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


def _choice(words, text, key, errors, column):
    if not text:
        return ""
    value = words.get(text) or words.get(text.lower())
    if value is None:
        options = "、".join(dict.fromkeys(str(v) for v in words if not v.isascii()))
        errors.append(
            (
                column,
                _("“%(value)s”不是可选的%(label)s（可填：%(options)s）。")
                % {"value": text, "label": FIELDS_BY_KEY[key].label, "options": options},
            )
        )
    return value or ""


def parse_row(cells, mapping, units, *, default_unit):
    """(values for Member, [(column index, message), ...]) of one sheet row."""
    raw = {key: cells[index] if index < len(cells) else None for index, key in mapping.items()}
    column_of = {key: index for index, key in mapping.items()}
    mapped = set(column_of)
    errors = []
    values = {}

    def fail(key, message):
        errors.append((column_of.get(key), message))

    values["name"] = cleaning.clean_name(raw.get("name"))
    if not values["name"]:
        fail("name", _("姓名为空。"))
    elif len(values["name"]) > 50:
        fail("name", _("姓名超过50个字。"))

    parsed_id = None
    try:
        number = cleaning.clean_id_number(raw.get("id_number"))
        parsed_id = idnumber.parse(number)
    except (cleaning.CellError, idnumber.InvalidIdNumber) as error:
        fail("id_number", str(error))
    else:
        values["id_number"] = parsed_id.value

    text = cleaning.clean_text(raw.get("gender"))
    values["gender"] = _choice(GENDER_WORDS, text, "gender", errors, column_of.get("gender"))
    try:
        values["birth_date"] = cleaning.parse_date(raw.get("birth_date"))
    except cleaning.CellError as error:
        fail("birth_date", str(error))
    if parsed_id is not None:
        for key, message in id_number_conflicts(
            parsed_id, birth_date=values.get("birth_date"), gender=values["gender"]
        ).items():
            fail(key, message)
        values["gender"] = parsed_id.gender
        values["birth_date"] = parsed_id.birth_date

    if "phone" in mapped:
        values["phone"] = cleaning.clean_digits(raw.get("phone"))
        if values["phone"].startswith("86") and len(values["phone"]) == 13:
            values["phone"] = values["phone"][2:]
        if values["phone"] and not valid_phone(values["phone"]):
            fail("phone", _("手机号“%(value)s”应为11位数字，以1开头。") % {"value": values["phone"]})

    unit_text = cleaning.clean_text(raw.get("unit"))
    if unit_text:
        values["unit"] = units.find(unit_text)
        if values["unit"] is None:
            fail("unit", _("找不到单位“%(value)s”，请填写本单位或下级单位的名称或编码。") % {"value": unit_text})
    else:
        values["unit"] = default_unit

    if "category" in mapped:
        text = cleaning.clean_text(raw.get("category"))
        values["category"] = (
            _choice(CATEGORY_WORDS, text, "category", errors, column_of["category"]) or Category.TEACHER
        )
    for key, words in (("political_status", POLITICAL_WORDS), ("education", EDUCATION_WORDS)):
        if key in mapped:
            values[key] = _choice(words, cleaning.clean_text(raw.get(key)), key, errors, column_of[key])
    for key, limit in (("job_title", 50), ("card_number", 30), ("note", 2000)):
        if key in mapped:
            values[key] = (
                cleaning.clean_digits(raw.get(key)) if key == "card_number" else cleaning.clean_text(raw.get(key))
            )
            if len(values[key]) > limit:
                fail(key, _("内容超过%(limit)d个字。") % {"limit": limit})
    if "joined_on" in mapped:
        try:
            values["joined_on"] = cleaning.parse_date(raw.get("joined_on"), allow_month=True)
        except cleaning.CellError as error:
            fail("joined_on", str(error))
        if values.get("joined_on") and values.get("birth_date") and values["joined_on"] <= values["birth_date"]:
            fail("joined_on", _("入会时间早于出生日期。"))
    for key in ("is_migrant_worker", "is_retiree"):
        if key in mapped:
            try:
                values[key] = cleaning.parse_flag(raw.get(key))
            except cleaning.CellError as error:
                fail(key, str(error))
    return values, errors


# --- the import


def _is_blank(cells):
    # Cheap first: this runs on every cell of every row.
    return all(c is None or c == "" or (isinstance(c, str) and not cleaning.clean_text(c)) for c in cells)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # As Excel shows it: 15 significant digits (110105198503021000, not ...020992).
        return str(int(Decimal(f"{value:.15g}")))
    return str(value)


class _Rollback(Exception):
    pass


def roster_import(
    path,
    *,
    unit,
    user=None,
    mapping=None,
    dry_run=False,
    skip_errors=False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import the roster in ``path`` into ``unit``'s subtree.

    ``mapping`` ({column index: field key}) overrides the guess from the header names.
    With ``dry_run`` nothing is written: the result is the preview. Otherwise everything is
    written in one transaction, and nothing at all when a row failed (unless ``skip_errors``:
    then the good rows are written) or when anything fails half-way.
    """
    total, rows = read_sheet(path)
    result = ImportResult()
    result.header_row, result.headers, rows = find_header(rows)
    result.mapping = dict(mapping) if mapping is not None else guess_mapping(result.headers)
    missing = [FIELDS_BY_KEY[key] for key in ("name", "id_number") if key not in result.mapping.values()]
    if missing:
        error = ImportFileError(
            _("没有找到“%(fields)s”列，请在下方指定对应的列。") % {"fields": "”“".join(str(f.label) for f in missing)}
        )
        error.result = result
        raise error
    units = _Units(unit)
    seen_ids: dict[str, int] = {}  # blind index -> first row number
    done = result.header_row

    def batches():
        batch = []
        for number, cells in rows:
            if _is_blank(cells):
                continue
            batch.append((number, cells))
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    try:
        with transaction.atomic():
            for batch in batches():
                # Once a row failed in an all-or-nothing import, the rest is only checked, not written.
                write = not dry_run and (skip_errors or not result.errors)
                _import_batch(batch, result, units, seen_ids, user=user, unit=unit, write=write)
                done = batch[-1][0]
                if progress:
                    progress(done, total)
            if dry_run or (result.errors and not skip_errors):
                raise _Rollback
            result.written = True
    except _Rollback:
        pass
    if progress:
        progress(total, total)
    return result


def _import_batch(batch, result, units, seen_ids, *, user, unit, write):
    parsed = []
    for number, cells in batch:
        values, problems = parse_row(cells, result.mapping, units, default_unit=unit)
        key = id_number_index(values["id_number"]) if "id_number" in values else ""
        if key:
            if key in seen_ids:
                problems.append(
                    (_column(result, "id_number"), _("身份证号与第%(row)d行重复。") % {"row": seen_ids[key]})
                )
            else:
                seen_ids[key] = number
        parsed.append((number, cells, values, key, problems))
    keys = [key for *_rest, key, problems in parsed if key and not problems]
    existing = {m.id_number_index: m for m in Member.objects.filter(id_number_index__in=keys).select_related("unit")}
    to_create, to_update, changed_fields = [], [], set()
    for number, cells, values, key, problems in parsed:
        member = existing.get(key)
        if member is not None and not problems and not member.unit.path.startswith(unit.path):
            problems.append(
                (
                    _column(result, "id_number"),
                    _("此人已是“%(unit)s”的会员，请由该单位办理转会。") % {"unit": member.unit.name},
                )
            )
        if problems:
            for column, message in problems:
                result.errors.append(RowError(number, result.headers[column] if column is not None else "", message))
            result.failed_rows.append((number, [_cell_text(c) for c in cells]))
            continue
        if member is None:
            to_create.append((values, key))
            result.created += 1
            continue
        changes = [k for k in UPDATABLE if k in values and values[k] != getattr(member, k)]
        if not changes:
            result.unchanged += 1
            continue
        for k in changes:
            setattr(member, k, values[k])
        member.fill_derived()
        changed_fields.update(changes)
        to_update.append(member)
        result.updated += 1
    result.total += len(batch)
    if write:
        if to_create:
            keys = _insert_members(to_create)
            _copy_to_history("id_number_index", keys, user=user, history_type="+")
        if to_update:
            now = timezone.now()
            for member in to_update:
                member.updated_at = now
            fields = sorted(changed_fields | {"name_pinyin", "name_initials", "phone_last4", "updated_at"})
            Member.objects.bulk_update(to_update, fields)
            _copy_to_history("id", [m.pk for m in to_update], user=user, history_type="~")


def _insert_members(rows):
    """Insert new members in one statement per batch; returns their ID numbers' blind indexes.

    Plain INSERTs rather than Model.objects.bulk_create: a sheet of 100,000 rows spends most of
    its time in building model instances and compiling per-row SQL, none of which is needed
    here. Values still go through each field's own get_db_prep_save (so the ID number and the
    phone are encrypted by EncryptedTextField, dates and booleans adapted as usual).
    """
    fields = [f for f in Member._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    # Text, flags and keys go to the driver as they are; the rest (encrypted text, dates) through the field.
    plain = (models.CharField, models.TextField, models.BooleanField, models.ForeignKey, models.OneToOneField)
    if connection.vendor == "postgresql":
        # psycopg adapts dates and datetimes itself; Django's adaptation would only hand them back.
        plain += (models.DateField, models.DateTimeField)
    converters = [(f.attname, None if type(f) in plain else f) for f in fields]
    now = timezone.now()
    params, keys = [], []
    for values, key in rows:
        data = dict(defaults, created_at=now, updated_at=now)
        data.update((("unit_id" if k == "unit" else k), v.pk if k == "unit" else v) for k, v in values.items())
        data.update(derived_values(data["name"], data["id_number"], data["phone"], id_index=key))
        keys.append(data["id_number_index"])
        params.append(
            [
                data[name] if field is None else field.get_db_prep_save(data[name], connection)
                for name, field in converters
            ]
        )
    quote = connection.ops.quote_name
    table, columns = quote(Member._meta.db_table), ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one go, without a statement of 25,000 placeholders to parse.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            return keys
        # Many rows per statement, within SQLite's limit of 32,766 parameters.
        one = f"({', '.join(['%s'] * len(fields))})"
        per_statement = 32000 // len(fields)
        for start in range(0, len(params), per_statement):
            chunk = params[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))}",
                [value for row in chunk for value in row],
            )
    return keys


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


def _column(result, key):
    for index, mapped in result.mapping.items():
        if mapped == key:
            return index
    return None


# --- the page's import jobs (run inline for small files, by members.tasks for large ones)

INLINE_MAX_BYTES = 200 * 1024  # about 2,000 rows: checked within the request


def _progress_path(job):
    return Path(job.file.path).with_suffix(".progress")


def read_progress(job) -> tuple[int, int]:
    """(rows done, rows in the sheet), written by the worker between batches."""
    try:
        done, total = _progress_path(job).read_text().split()
        return int(done), int(total)
    except (OSError, ValueError):
        return 0, 0


def _progress_writer(job):
    # A file, not a database row: the import's transaction would hide a row update from the
    # page polling it until the very end.
    path = _progress_path(job)

    def write(done, total):
        temporary = path.with_suffix(".progress-tmp")
        temporary.write_text(f"{done} {total}")
        temporary.replace(path)

    return write


def _stored(result, *, include_rows=True):
    data = {
        "header_row": result.header_row,
        "headers": result.headers,
        "mapping": {str(k): v for k, v in result.mapping.items()},
        "total": result.total,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "failed": result.failed,
        "errors": [e.as_dict() for e in result.errors],
        "written": result.written,
    }
    if include_rows:
        data["failed_rows"] = result.failed_rows
    return data


def job_mapping(job):
    return {int(k): v for k, v in job.mapping.items()} if job.mapping else None


def job_check(job):
    """Check the sheet without writing: the preview the officer decides on."""
    from members.models import ImportJob

    job.state = ImportJob.State.CHECKING
    job.save(update_fields=["state"])
    try:
        result = roster_import(
            job.file.path,
            unit=job.unit,
            user=job.created_by,
            mapping=job_mapping(job),
            dry_run=True,
            progress=_progress_writer(job),
        )
    except ImportFileError as error:
        partial = getattr(error, "result", None)
        job.result = _stored(partial) if partial else {}
        job.message = str(error)
    except Exception:
        # Never leave the page polling a check that is no longer running.
        job.state, job.message = ImportJob.State.FAILED, _("检查这个文件时出错。请重试，或联系管理员。")
        job.save(update_fields=["state", "message"])
        raise
    else:
        job.result = _stored(result)
        job.mapping = job.result["mapping"]
        job.message = ""
    job.state = ImportJob.State.CHECKED
    job.save(update_fields=["state", "result", "message", "mapping"])
    return job


def job_run(job):
    """Import for real, all or nothing (or the good rows with ``job.skip_errors``)."""
    from members.models import ImportJob

    job.state = ImportJob.State.IMPORTING
    job.save(update_fields=["state"])
    try:
        result = roster_import(
            job.file.path,
            unit=job.unit,
            user=job.created_by,
            mapping=job_mapping(job),
            skip_errors=job.skip_errors,
            progress=_progress_writer(job),
        )
    except ImportFileError as error:
        job.state, job.message = ImportJob.State.FAILED, str(error)
    except Exception:
        job.state = ImportJob.State.FAILED
        job.message = _("导入中途出错，没有写入任何数据。请重试，或联系管理员。")
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "message", "finished_at"])
        raise
    else:
        job.result = _stored(result)
        if result.written:
            job.state, job.message = ImportJob.State.DONE, ""
        else:
            job.state = ImportJob.State.FAILED
            job.message = _("有 %(count)d 行未通过检查，按“全部正确才导入”的规则，没有写入任何数据。") % {
                "count": result.failed
            }
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "result", "message", "finished_at"])
    return job
