"""The audit committee's report (经费审查报告) as a Word document in the official layout."""

from django.utils.translation import gettext as _

from core.officialdoc import OfficialDocument
from finance.models import Payment

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def audit_report(audit, *, reader, today) -> bytes:
    """``reader`` reads the payees as finance.models.Payment.names_shown_to allows."""
    doc = OfficialDocument(
        _("%(unit)s经费审查委员会关于%(title)s的审查报告") % {"unit": audit.unit.name, "title": audit.title}
    )
    sampled = list(audit.sampled.select_related("unit", "line").order_by("paid_on"))
    total = sum((p.amount for p in sampled), 0)
    year_total = Payment.objects.filter(unit=audit.unit, paid_on__year=audit.year).counted().total()
    doc.paragraph(
        _(
            "根据工会经费审查工作的有关规定，本会对%(unit)s%(year)s年度经费收支情况进行了审查。"
            "本次随机抽查支出凭证 %(n)s 笔，金额合计 %(total)s 元；全年已入账支出 %(year_total)s 元。"
        )
        % {
            "unit": audit.unit.name,
            "year": audit.year,
            "n": len(sampled),
            "total": f"{total:.2f}",
            "year_total": f"{year_total:.2f}",
        }
    )
    doc.heading(1, _("抽查的支出"))
    doc.table(
        [_("日期"), _("收款人"), _("事由"), _("科目"), _("金额（元）")],
        [
            [f"{p.paid_on:%Y-%m-%d}", p.payee_for(reader), p.description, str(p.line or "—"), f"{p.amount:.2f}"]
            for p in sampled
        ],
    )
    doc.heading(1, _("审查意见及整改情况"))
    findings = list(audit.findings.select_related("payment__unit"))
    if not findings:
        doc.paragraph(_("抽查的支出手续完备，未发现问题。"))
    for finding in findings:
        doc.heading(2, finding.text.splitlines()[0][:60])
        if finding.payment is not None:
            doc.paragraph(_("涉及支出：%(payment)s。") % {"payment": finding.payment.label_for(reader)})
        doc.paragraph(
            _("整改情况：%(response)s") % {"response": finding.response}
            if finding.response
            else _("整改情况：尚未答复。")
        )
    doc.heading(1, _("审查结论"))
    doc.paragraph(audit.conclusion or _("审查尚在进行中。"))
    doc.signature(_("%(unit)s经费审查委员会") % {"unit": audit.unit.name}, today)
    return doc.to_bytes()
