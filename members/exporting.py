"""The roster as a table (.xlsx or .csv) through the one shared writer, core.tables; a large one
is written in the background (core.exports, ``ROSTER``).

Headers are the import's own column names, so an exported sheet (with full ID numbers)
imports back unchanged. A masked sheet masks the ID number and phone alone: the full birth date
beside the mask leaves hundreds of candidates (see core.encryption.mask_id_number).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import exports
from core.encryption import mask_id_number, mask_phone
from core.tables import DATE_WIDTH, Column

CHUNK = 2000


def columns(*, unmasked=False):
    return [
        Column(_("姓名"), 10),
        Column(_("性别"), 6),
        Column(_("出生日期"), DATE_WIDTH),
        Column(_("身份证号"), 22),
        Column(_("手机号"), 14),
        Column(_("所在单位"), 24),
        Column(_("人员类别"), 10),
        Column(_("职务或岗位"), 14),
        Column(_("政治面貌"), 12),
        Column(_("学历"), 12),
        Column(_("入会时间"), DATE_WIDTH),
        Column(_("会员证号"), 14),
        Column(_("农民工"), 8),
        Column(_("离退休"), 8),
        Column(_("会籍状态"), 14),
        Column(_("备注"), 30),
    ]


def excel_text(value: str) -> str:
    """A number-like value as a CSV cell Excel opens as text, unchanged.

    A CSV has no cell types: Excel reads a cell as if it were typed, so an 18-digit ID number becomes
    4.10E+17 (and loses its last three digits for good), a phone 1.38E+10, a card number 000123 becomes
    123. A tab after the digits makes the cell no number, so Excel keeps it as text; nobody sees
    it, and importers, ours too (core.cleaning), drop it as whitespace. After, not before: a cell that
    starts with a tab is what core.tables neutralises as a formula start (some programs drop leading
    blanks and read an = behind them), so no cell here starts with = + - @ or a tab; and ``="…"`` is a
    formula, which an export must never carry. Text Excel keeps anyway (an ID number ending in X, a
    masked number) is left as it is.
    """
    return f"{value}\t" if value.isascii() and value.isdigit() else value


def _as_is(value):
    return value


def rows(members, *, unmasked, for_csv=False):
    """One row per member, streamed in chunks; ID numbers and phones masked unless ``unmasked``.
    ``for_csv``: long numbers written so that Excel opens them as text (excel_text); an .xlsx needs
    nothing, its string cells are text already."""
    yes, no = _("是"), _("否")
    text = excel_text if for_csv else _as_is
    for m in members.select_related("unit").iterator(chunk_size=CHUNK):
        yield [
            m.name,
            m.get_gender_display(),
            m.birth_date,
            text(m.id_number if unmasked else mask_id_number(m.id_number)),
            text(m.phone if unmasked else mask_phone(m.phone)),
            m.unit.name,
            m.get_category_display(),
            m.job_title,
            m.get_political_status_display(),
            m.get_education_display(),
            m.joined_on,
            text(m.card_number),
            yes if m.is_migrant_worker else no,
            yes if m.is_retiree else no,
            m.get_status_display(),
            m.note,
        ]


def title(unit):
    return _("%(unit)s会员名册") % {"unit": unit.name}


def _background(job):
    """The roster the officer exported, rebuilt from the list's query as they see it now."""
    from members.rosters import filtered_roster

    _form, roster = filtered_roster(job.created_by, job.unit, exports.query_of(job), "members.export")
    members = roster.members
    return exports.Table(
        columns(unmasked=job.unmasked),
        rows(members, unmasked=job.unmasked, for_csv=job.fmt == "csv"),
        count=members.order_by().count(),
        title=title(job.unit) if job.fmt == "xlsx" else "",
        sheet=_("会员名册"),
    )


ROSTER = exports.register(
    exports.Exporter(
        key="members.roster",
        label=gettext_lazy("会员名册"),
        permission="members.export",
        build=_background,
        back_url="members:list",
        sensitive_permissions=("members.view_sensitive",),
        sensitive_fields=(gettext_lazy("身份证号"), gettext_lazy("手机号"), gettext_lazy("导出名册")),
    )
)
