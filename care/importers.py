"""The insurance enrollment list (参保名单) through the one sheet import machine (core.sheets).

An officer's list names each person by name and ID number and the insurance (险种) by its name;
the year defaults to the current one. People are found in the roster of the importing unit's
subtree by ID number; a row is enrolled through ``care.services.insurance_enroll`` (the product's
premium, today's date), already enrolled (unchanged), or fails: not on the roster, the name does
not match, the product is unknown, or the person does not qualify for it.

Registered by ``care.apps`` (``from care import importers``); ``manage.py import_insurance``.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from care import services
from care.models import InsuranceEnrollment, InsuranceProduct
from core import cleaning, sheets
from members.models import Member, id_number_index
from orgs.access import ancestor_paths


def clean_year(value):
    text = cleaning.clean_text(value).removesuffix("年").removesuffix("年度")
    if not text:
        return None
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise cleaning.CellError(_("“%(value)s”不是年度，请填写四位数的年份。") % {"value": text})
    return int(text)


L = gettext_lazy
COLUMNS = [
    sheets.Column(
        "name", L("姓名"), ("姓名", "被保险人", "被保险人姓名", "参保人", "会员姓名"), True, cleaning.clean_name
    ),
    sheets.Column(
        "id_number", L("身份证号"), ("身份证号", "身份证号码", "证件号码", "公民身份号码"), True, cleaning.parse_id_cell
    ),
    sheets.Column(
        "product", L("险种"), ("险种", "保险名称", "参保险种", "保险项目", "保险"), True, cleaning.clean_text
    ),
    sheets.Column("year", L("年度"), ("年度", "参保年度", "保险年度"), False, clean_year),
]


class EnrollmentSession(sheets.Session):
    def __init__(self, *, unit, user, context=None):
        super().__init__(unit=unit, user=user, context=context)
        self.today = self.context.get("today") or timezone.localdate()
        # Products of this unit or a unit above it, by name: a county's product serves its schools.
        paths = [*ancestor_paths([unit.path]), unit.path]
        self.products = {p.name: p for p in InsuranceProduct.objects.filter(unit__path__in=paths)}
        self.seen = {}  # (product, year, ID index) -> row number

    def check(self, row):
        values = row.values
        product = self.products.get(values.get("product") or "")
        if values.get("product") and product is None:
            row.fail("product", _("没有名为“%(name)s”的险种，请先在“保险”中添加。") % {"name": values["product"]})
        values["product"] = product
        values["year"] = values.get("year") or self.today.year

    def write(self, rows, *, write):
        good = [row for row in rows if not row.errors]
        keys = [id_number_index(row.values["id_number"].value) for row in good]
        members = {m.id_number_index: m for m in Member.objects.in_subtree(self.unit).filter(id_number_index__in=keys)}
        to_enroll = {}
        for row, key in zip(good, keys, strict=True):
            member = self._member_of(row, members.get(key))
            if member is not None and self._once_in_the_sheet(row, key):
                to_enroll.setdefault((row.values["product"], row.values["year"]), []).append((row, member))
        for (product, year), pairs in to_enroll.items():
            self._enroll(product, year, pairs, write=write)

    def _member_of(self, row, member):
        if member is None:
            row.fail("id_number", _("会员名册中没有这个身份证号，请先把此人加入会员名册。"))
        elif cleaning.clean_name(member.name) != row.values["name"]:
            row.fail("name", _("姓名与会员名册中这个身份证号的会员不一致。"))
        return None if row.errors else member

    def _once_in_the_sheet(self, row, key):
        first = self.seen.setdefault((row.values["product"].pk, row.values["year"], key), row.number)
        if first != row.number:
            row.fail("id_number", _("此人在第%(row)d行已列入同一险种。") % {"row": first})
        return not row.errors

    def _enroll(self, product, year, pairs, *, write):
        ids = [member.pk for _row, member in pairs]
        eligible = set(
            services.eligible_members(product, on=self.today).filter(pk__in=ids).values_list("pk", flat=True)
        )
        enrolled = set(
            InsuranceEnrollment.objects.filter(product=product, year=year, member_id__in=ids).values_list(
                "member_id", flat=True
            )
        )
        new = []
        for row, member in pairs:
            if member.pk in enrolled:
                row.outcome = "unchanged"
            elif member.pk not in eligible:
                row.fail("id_number", _("不符合“%(product)s”的参保条件。") % {"product": product.name})
            else:
                row.outcome = "created"
                new.append(member)
        if write and new:
            services.insurance_enroll(product=product, year=year, members=new, today=self.today)


class EnrollmentImporter(sheets.Importer):
    key = "care.insurance_enrollment"
    label = gettext_lazy("参保名单")
    columns = COLUMNS
    session_class = EnrollmentSession


ENROLLMENT = sheets.register(EnrollmentImporter())
