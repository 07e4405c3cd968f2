"""The audit committee's report (经费审查报告) as a Word document in the official layout."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.money import yuan_figure
from core.officialdoc import OfficialDocument
from finance.models import Payment

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The sampled payments' table, 156 mm in all: a date (2026年11月30日) and a total in bold (123,456.78) each on
# one line, even where the digits are a Latin font's (wider than 仿宋's), a budget line (职工活动支出—文体活动)
# on two, the purpose given the room that is left.
PAYMENT_WIDTHS = [40, 24, 32, 30, 30]


def audit_report(audit, *, reader, today) -> bytes:
    """``reader`` reads the payees as finance.models.Payment.names_shown_to allows. A closed audit's
    report is the one of its closing: the year's spending as it stood then, signed on that day."""
    doc = OfficialDocument(
        _("%(unit)s经费审查委员会关于%(title)s的审查报告") % {"unit": audit.unit.name, "title": audit.title}
    )
    sampled = list(audit.sampled.select_related("unit", "line").order_by("paid_on"))
    total = sum((p.amount for p in sampled), 0)
    counted = Payment.objects.filter(unit=audit.unit, paid_on__year=audit.year).counted()
    if audit.closed_at is not None:
        counted = counted.filter(approved_at__lte=audit.closed_at)
    doc.paragraph(
        _(
            "根据工会经费审查工作的有关规定，本会对%(unit)s%(year)s年度经费收支情况进行了审查。"
            "本次随机抽查支出凭证 %(n)s 笔，金额合计 %(total)s 元；全年已入账支出 %(year_total)s 元。"
        )
        % {
            "unit": audit.unit.name,
            "year": audit.year,
            "n": len(sampled),
            "total": yuan_figure(total),
            "year_total": yuan_figure(counted.total()),
        }
    )
    doc.heading(1, _("抽查的支出"))
    rows = [
        [date_format(p.paid_on), p.payee_for(reader), p.description, str(p.line or "—"), yuan_figure(p.amount)]
        for p in sampled
    ]
    if sampled:
        rows.append([_("合计"), "", "", "", yuan_figure(total)])
    doc.table(
        [_("日期"), _("收款人"), _("事由"), _("科目"), _("金额（元）")],
        rows,
        widths=PAYMENT_WIDTHS,
        figures=[4],
        total=bool(sampled),
    )
    doc.heading(1, _("审查意见及整改情况"))
    findings = list(audit.findings.select_related("payment__unit"))
    if not findings:
        doc.paragraph(_("抽查的支出手续完备，未发现问题。"))
    for finding in findings:
        # The finding as written, every line of it: its first line heads it, the rest follow as paragraphs.
        first, _newline, rest = finding.text.strip().partition("\n")
        doc.heading(2, first.strip())
        if rest.strip():
            doc.paragraph(rest)
        if finding.payment is not None:
            doc.paragraph(_("涉及支出：%(payment)s。") % {"payment": finding.payment.label_for(reader)})
        doc.paragraph(
            _("整改情况：%(response)s") % {"response": finding.response}
            if finding.response
            else _("整改情况：尚未答复。")
        )
    doc.heading(1, _("审查结论"))
    doc.paragraph(audit.conclusion or _("审查尚在进行中。"))
    signed_on = timezone.localdate(audit.closed_at) if audit.closed_at is not None else today
    doc.signature(_("%(unit)s经费审查委员会") % {"unit": audit.unit.name}, signed_on)
    return doc.to_bytes()
