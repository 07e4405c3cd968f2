"""A care payment names a family in hardship: in the ledger, as in care itself, only those who may read
care records (the chair; the care officer reads it in care) and the funds reviewers read who it went to; a county officer and a committee member read the amount,
the date and what it was for."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from care.models import Assistance
from finance.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def care_payment(units, bangfu, zhuxi, budget, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    assistance = Assistance.objects.create(
        unit=units["school"],
        recipient="王芳",
        amount=Decimal("800.00"),
        purpose="medical",
        given_on=datetime.date(2026, 1, 20),
        status="approved",
        entered_by=bangfu,
        approved_by=zhuxi,
    )
    payment = Payment.objects.get(assistance=assistance)
    payment.voucher = SimpleUploadedFile("receipt.jpg", "\xff\xd8\xff 王芳".encode())
    payment.save()
    return payment


@pytest.mark.parametrize("persona", ["zhuxi", "jingshen"])
def test_the_chair_and_the_funds_reviewer_read_the_payee(persona, care_payment, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    html = client.get(f"/finance/payments/{care_payment.pk}/").content.decode()
    assert "王芳" in html and 'data-testid="voucher"' in html
    assert client.get(f"/finance/payments/{care_payment.pk}/voucher/").status_code == 200


@pytest.mark.parametrize("persona", ["xianzong", "weiyuan"])
def test_others_who_read_the_ledger_see_the_amount_but_not_the_family(persona, care_payment, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    html = client.get(f"/finance/payments/{care_payment.pk}/").content.decode()
    assert "¥800.00" in html and "帮扶对象（已隐去）" in html
    assert "王芳" not in html and 'data-testid="voucher"' not in html
    assert client.get(f"/finance/payments/{care_payment.pk}/voucher/").status_code == 404
    listed = client.get("/api/v1/finance/payments/").json()["items"]
    assert [p["payee"] for p in listed if p["id"] == care_payment.pk] == ["帮扶对象（已隐去）"]


def test_the_unions_own_payments_list_hides_only_the_care_payees(care_payment, pay, weiyuan, client_for):
    pay("120.00")
    html = client_for(weiyuan).get("/finance/payments/").content.decode()
    assert "城关镇体育用品商店" in html and "帮扶对象（已隐去）" in html and "王芳" not in html


def test_the_audit_report_names_the_family_only_for_a_reader_who_may(care_payment, jingshen, xianzong):
    from finance import documents, services

    audit = services.audit_open(unit=care_payment.unit, year=2026, title="2026年度经费审查", by=jingshen)
    audit.sampled.add(care_payment)
    services.finding_add(audit=audit, text="收据未经本人签字", by=jingshen, payment=care_payment)

    def text(reader):
        report = documents.audit_report(audit, reader=reader, today=datetime.date(2027, 1, 10))
        return zipfile.ZipFile(io.BytesIO(report)).read("word/document.xml").decode()

    assert text(jingshen).count("王芳") == 2  # the sampled payment and the finding on it
    assert "王芳" not in text(xianzong) and text(xianzong).count("帮扶对象（已隐去）") == 2
