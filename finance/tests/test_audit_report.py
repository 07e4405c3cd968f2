"""The audit committee's Word report: every finding in full, the figures as of its closing."""

import datetime
import io
import random

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from finance import documents, services


def _text(audit, reader, today=datetime.date(2026, 12, 20)):
    document = Document(io.BytesIO(documents.audit_report(audit, reader=reader, today=today)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_report_keeps_every_line_of_a_finding_and_a_long_line_whole(pay, units, jingshen):
    pay("1860")
    audit = services.audit_open(unit=units["school"], year=2026, title="年度审查", by=jingshen, rng=random.Random(1))
    long_line = "采购拔河绳未附购物清单，" * 10
    services.finding_add(audit=audit, by=jingshen, text=f"{long_line}\n第二行：补齐清单\n第三行：下次先询价")
    text = _text(audit, jingshen)
    assert long_line in text and "第二行：补齐清单" in text and "第三行：下次先询价" in text


def test_a_closed_audits_report_stays_as_it_was_at_closing(pay, units, zhuxi, jingshen):
    pay("1860")
    audit = services.audit_open(unit=units["school"], year=2026, title="年度审查", by=jingshen, rng=random.Random(1))
    closed_on = timezone.make_aware(datetime.datetime(2026, 12, 10, 9))
    services.audit_close(audit=audit, conclusion="收支基本规范", now=closed_on)
    before = _text(audit, jingshen, today=datetime.date(2026, 12, 15))
    pay("77.70", now=closed_on + datetime.timedelta(days=2))
    after = _text(audit, jingshen, today=datetime.date(2027, 1, 8))
    assert before == after
    assert "1,860.00" in after and "2026年12月10日" in after and "1,937.70" not in after


def test_the_sampled_payments_are_dated_as_chinese_readers_write_them(pay, units, jingshen):
    pay("1860")
    audit = services.audit_open(unit=units["school"], year=2026, title="年度审查", by=jingshen, rng=random.Random(1))
    document = Document(io.BytesIO(documents.audit_report(audit, reader=jingshen, today=datetime.date(2026, 12, 20))))
    [table] = document.tables
    assert [cell.text for cell in table.rows[1].cells][0] == "2026年5月4日"
    assert "2026-05-04" not in "".join(cell.text for row in table.rows for cell in row.cells)


def test_the_sampled_payments_table_fits_the_page_with_its_amounts_aligned_and_a_total(pay, units, jingshen):
    """An account's table: amounts with thousands separators and two decimals, right-aligned so that the
    decimal points line up, a 合计 row across the columns with nothing to add up, the whole table within
    the 156 mm text block."""
    pay("1480.5")
    pay("860", paid_on=datetime.date(2026, 11, 30))
    audit = services.audit_open(unit=units["school"], year=2026, title="年度审查", by=jingshen, rng=random.Random(1))
    document = Document(io.BytesIO(documents.audit_report(audit, reader=jingshen, today=datetime.date(2026, 12, 20))))
    [table] = document.tables
    assert sum(round(column.width.mm) for column in table.columns) <= 156
    amounts = [row.cells[4] for row in table.rows[1:]]
    assert [cell.text for cell in amounts] == ["1,480.50", "860.00", "2,340.50"]
    assert {cell.paragraphs[0].alignment for cell in amounts} == {WD_ALIGN_PARAGRAPH.RIGHT}
    total = table.rows[-1]
    assert [cell.text for cell in total.cells] == ["合计"] * 4 + ["2,340.50"]  # one cell across four columns
    assert total.cells[4].paragraphs[0].runs[0].font.bold
