"""Care's sheets through the one sheet import machine (core.sheets): the insurance enrollment list
(参保名单) and the hardship household list (困难职工名册, further below).

An officer's list names each person by name and ID number and the insurance (险种) by its name;
the year defaults to the current one. People are found in the roster of the importing unit's
subtree by ID number; a row is enrolled through ``care.services.insurance_enroll`` (the product's
premium, today's date), already enrolled (unchanged), or fails: not on the roster, the name does
not match, the product is unknown, or the person does not qualify for it.

Registered by ``care.apps`` (``from care import importers``); from the command line,
``manage.py import_sheet care.insurance_enrollment FILE --unit CODE``.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from care import services
from care.models import InsuranceEnrollment, InsuranceProduct
from care.models.archive import EARLIEST_FILE
from core import cleaning, sheets
from core.audit import log_sensitive_reads
from core.language import written_date
from members.models import Member, id_number_index
from orgs.access import ancestor_paths


def clean_year(value):
    text = cleaning.clean_text(value).removesuffix("年").removesuffix("年度")
    if not text:
        return None
    if not (text.isdecimal() and 2000 <= int(text) <= 2100):
        raise cleaning.CellError(_("“%(value)s”不是年度，请填写四位数的年份。") % {"value": text})
    return int(text)


L = gettext_lazy
COLUMNS = [
    sheets.Column(
        "name", L("姓名"), ("姓名", "被保险人", "被保险人姓名", "参保人", "会员姓名"), True, cleaning.parse_name
    ),
    sheets.Column(
        "id_number", L("身份证号"), ("身份证号", "身份证号码", "证件号码", "公民身份号码"), True, cleaning.parse_id_cell
    ),
    sheets.Column(
        "product", L("险种"), ("险种", "保险名称", "参保险种", "保险项目", "保险"), True, cleaning.clean_text
    ),
    sheets.Column("year", L("年度"), ("年度", "参保年度", "保险年度"), False, clean_year),
]


def products_for(unit):
    """The products a list imported into ``unit`` may name: its own and its ancestors' (a county's
    product serves its schools)."""
    paths = [*ancestor_paths([unit.path]), unit.path]
    return InsuranceProduct.objects.filter(unit__path__in=paths).order_by("name")


class EnrollmentSession(sheets.Session):
    def __init__(self, *, unit, user, context=None):
        super().__init__(unit=unit, user=user, context=context)
        self.today = self.context.get("today") or timezone.localdate()
        self.products = {p.name: p for p in products_for(unit)}
        self.seen = {}  # (product, year, ID index) -> row number

    def check(self, row):
        values = row.values
        product = self.products.get(values.get("product") or "")
        if values.get("product") and product is None:
            row.fail(
                "product", _("没有名为“%(name)s”的险种，请先在“互助保险”中新增险种。") % {"name": values["product"]}
            )
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
    # The page imports within its request: a few ms a row (found by ID number, enrolled in bulk), so a
    # county's list of several thousand stays well inside the app server's timeout.
    page_max_rows = 5000
    page_maps_columns = False


ENROLLMENT = sheets.register(EnrollmentImporter())


# --- the hardship household list (困难职工名册), the form a federation hands out each year

LEVEL_WORDS = {
    "深度困难": "deep",
    "深度": "deep",
    "特困": "deep",
    "特别困难": "deep",
    "相对困难": "relative",
    "相对": "relative",
    "一般困难": "relative",
    "意外致困": "accident",
    "意外": "accident",
    "突发困难": "accident",
}
CATEGORY_WORDS = {
    "大病": "illness",
    "重病": "illness",
    "患病": "illness",
    "疾病": "illness",
    "残疾": "disability",
    "单亲": "single_parent",
    "低收入": "low_income",
    "低保": "low_income",
    "收入低": "low_income",
    "意外": "disaster",
    "灾害": "disaster",
    "意外或灾害": "disaster",
    "其他": "other",
}


def clean_level(value):
    text = cleaning.clean_text(value)
    if not text:
        return ""
    if text not in LEVEL_WORDS:
        raise cleaning.CellError(_("“%(value)s”不是困难程度，请填写深度困难、相对困难或意外致困。") % {"value": text})
    return LEVEL_WORDS[text]


def clean_categories(value):
    text = cleaning.clean_text(value)
    words = [w for w in text.replace("，", "、").replace(",", "、").replace("/", "、").split("、") if w.strip()]
    unknown = [w for w in words if w.strip() not in CATEGORY_WORDS]
    if unknown:
        raise cleaning.CellError(
            _("“%(value)s”不是困难类别，可填大病、残疾、单亲、低收入、意外或灾害、其他，多项用顿号分开。")
            % {"value": unknown[0]}
        )
    return sorted({CATEGORY_WORDS[w.strip()] for w in words})


def clean_date(value):
    return cleaning.parse_date(value)


HOUSEHOLD_COLUMNS = [
    sheets.Column("name", L("户主姓名"), ("姓名", "户主", "职工姓名", "困难职工姓名"), True, cleaning.parse_name),
    sheets.Column("id_number", L("身份证号"), ("身份证号码", "公民身份号码", "证件号码"), True, cleaning.parse_id_cell),
    sheets.Column("level", L("困难程度"), ("困难类型", "困难级别", "困难等级"), True, clean_level),
    sheets.Column("categories", L("困难类别"), ("致困原因类别", "困难原因类别", "致困类型"), False, clean_categories),
    sheets.Column(
        "situation", L("困难情况"), ("致困原因", "家庭困难情况", "基本情况", "主要困难"), True, cleaning.clean_text
    ),
    sheets.Column(
        "monthly_income", L("家庭月收入"), ("家庭月收入（元）", "月收入", "家庭月收入(元)"), False, cleaning.parse_money
    ),
    sheets.Column("phone", L("联系电话"), ("电话", "手机", "手机号"), False, cleaning.clean_phone),
    sheets.Column("address", L("家庭住址"), ("住址", "地址"), False, cleaning.clean_text),
    sheets.Column("entered_on", L("建档日期"), ("建档时间", "入档时间"), False, clean_date),
]


class HouseholdSession(sheets.Session):
    def __init__(self, *, unit, user, context=None):
        super().__init__(unit=unit, user=user, context=context)
        self.today = self.context.get("today") or timezone.localdate()
        self.seen = {}  # care ID index -> row number
        self.revealed = []  # files of other unions the sheet's ID numbers found

    def check(self, row):
        if self.user is None:
            # Each file records who opened it; a command line has nobody to name.
            row.fail(None, _("困难职工名册须由登录的帮扶干部在页面上导入，以便记录建档人。"))
        if not row.values.get("categories"):
            row.values["categories"] = ["other"]
        entered_on = row.values.get("entered_on")
        if entered_on and entered_on > self.today:
            row.fail("entered_on", _("建档日期晚于今天（%(today)s）。") % {"today": written_date(self.today)})
        elif entered_on and entered_on < EARLIEST_FILE:
            row.fail("entered_on", _("建档日期早于1990年1月1日，请核对。"))

    def write(self, rows, *, write):
        from care.models import Household
        from care.models.archive import id_number_index as care_index

        good = [row for row in rows if not row.errors]
        numbers = [row.values["id_number"].value for row in good]
        have = {
            h.id_number_index: h
            for h in Household.objects.current()
            .filter(id_number_index__in=[care_index(n) for n in numbers])
            .select_related("unit")
        }
        members = {
            m.id_number_index: m
            for m in Member.objects.in_subtree(self.unit).filter(
                id_number_index__in=[id_number_index(n) for n in numbers]
            )
        }
        for row, number in zip(good, numbers, strict=True):
            key = care_index(number)
            first = self.seen.setdefault(key, row.number)
            if first != row.number:
                row.fail("id_number", _("此户在第%(row)d行已列出。") % {"row": first})
            elif key in have and not have[key].unit.path.startswith(self.unit.path):
                # Not "unchanged": this union has no such file. Which union has is not its officer's to know,
                # and the answer is logged there as a read of that file, as the member form's is (members.privacy).
                row.fail(
                    "id_number",
                    _("此户已在其他单位建有困难档案，不能在这里导入；如已调入本单位，请与上级工会联系转档。"),
                )
                self.revealed.append(have[key])
            elif key in have:
                row.outcome = "unchanged"
            else:
                row.outcome = "created"
                if write:
                    self._create(row, number, members.get(id_number_index(number)))

    def closed(self):
        # Logged once the import is over, so that the all-or-nothing import these rows fail keeps the entries.
        if self.revealed and self.user is not None:
            log_sensitive_reads(None, self.revealed, [services.FILE_CHECK], user=self.user)

    def _create(self, row, number, member):
        values = row.values
        fields = {k: values[k] for k in ("phone", "address", "entered_on") if values.get(k)}
        if values.get("monthly_income") is not None:
            fields["monthly_income"] = values["monthly_income"]
        services.household_create(
            unit=member.unit if member is not None else self.unit,
            by=self.user,
            name=values["name"],
            id_number=number,
            level=values["level"],
            categories=values["categories"],
            situation=values["situation"],
            today=self.today,
            **fields,
        )


class HouseholdImporter(sheets.Importer):
    key = "care.households"
    label = gettext_lazy("困难职工名册")
    columns = HOUSEHOLD_COLUMNS
    session_class = HouseholdSession
    batch_size = 200
    # The page imports within its request: about 8 ms a household (each file encrypted and logged);
    # 1,000 households stay well inside the app server's timeout. A federation's longer list goes by command.
    page_max_rows = 1000
    page_maps_columns = False


HOUSEHOLDS = sheets.register(HouseholdImporter())
