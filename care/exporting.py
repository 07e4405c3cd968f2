"""The insurer's enrolment list of a product and year, written within the request or, for a county's
tens of thousands, by the worker (core.exports, ``INSURANCE``). Full names and ID numbers only for roles
that may see them; birth dates in full (beside the mask they leave hundreds of candidates: see
core.encryption.mask_id_number). The list is handed to the insurer, so its words are the site's."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from care.models import InsuranceEnrollment, InsuranceProduct
from care.views.common import mask_name
from core import exports, tables
from core.encryption import mask_id_number

# Both, on the product's unit, to read the list with full names and numbers.
REVEAL_PERMISSIONS = ("members.view_sensitive", "care.manage")


def columns():
    return [
        tables.Column(_("序号"), 6),
        tables.Column(_("被保险人姓名"), 12),
        tables.Column(_("性别"), 6),
        tables.Column(_("证件类型"), 10),
        tables.Column(_("证件号码"), 22),
        tables.Column(_("出生日期"), tables.DATE_WIDTH),
        tables.Column(_("投保单位"), 24),
        tables.Column(_("保费（元）"), 10, tables.MONEY),
        tables.Column(_("参保日期"), tables.DATE_WIDTH),
    ]


def enrollments(product, year):
    return (
        InsuranceEnrollment.objects.filter(product=product, year=year)
        .select_related("member", "unit")
        .order_by("unit__path", "member__name_pinyin")
    )


def rows(listed, *, reveal):
    for number, e in enumerate(listed.iterator(chunk_size=500), start=1):
        m = e.member
        yield [
            number,
            m.name if reveal else mask_name(m.name),
            m.get_gender_display(),
            _("居民身份证"),
            m.id_number if reveal else mask_id_number(m.id_number),
            m.birth_date,
            e.unit.name,
            e.premium,
            e.enrolled_on,
        ]


def title(product, year):
    return f"{product.name} {year}"


def _background(job):
    query = exports.query_of(job)
    product = InsuranceProduct.objects.visible_to(job.created_by, "care.view").get(pk=query.get("product"))
    year = int(query.get("year"))
    listed = enrollments(product, year)
    return exports.Table(
        columns(),
        rows(listed, reveal=job.unmasked),
        count=listed.order_by().count(),
        title=title(product, year),
        sheet=title(product, year),
    )


INSURANCE = exports.register(
    exports.Exporter(
        key="care.insurance",
        label=gettext_lazy("承保名单"),
        permission="care.view",
        build=_background,
        back_url="care:insurance",
        sensitive_permissions=REVEAL_PERMISSIONS,
        sensitive_fields=(gettext_lazy("参保名单（身份证号）"),),
        in_site_language=True,
    )
)
