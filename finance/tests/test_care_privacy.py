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


def approved_assistance(unit, recipient, *, bangfu, zhuxi):
    """¥800 of medical aid on 20 January 2026, approved: booked in finance as a care payment."""
    return Assistance.objects.create(
        unit=unit,
        recipient=recipient,
        amount=Decimal("800.00"),
        purpose="medical",
        given_on=datetime.date(2026, 1, 20),
        status="approved",
        entered_by=bangfu,
        approved_by=zhuxi,
    )


@pytest.fixture
def care_payment(units, bangfu, zhuxi, budget, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    payment = Payment.objects.get(assistance=approved_assistance(units["school"], "王芳", bangfu=bangfu, zhuxi=zhuxi))
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


def test_two_like_care_payments_are_told_apart_on_the_audit_page_naming_the_family_only_to_whom_may(
    care_payment, bangfu, zhuxi, jingshen, xianzong, client_for
):
    """Two packets of the same day and amount: the funds reviewer reads who each went to; a county officer
    reads the number that tells them apart, never the name."""
    from finance import services
    from finance.forms import FindingForm

    twin = approved_assistance(care_payment.unit, "易芳", bangfu=bangfu, zhuxi=zhuxi).finance_payment
    audit = services.audit_open(unit=care_payment.unit, year=2026, title="2026年度经费审查", by=jingshen)
    assert set(audit.sampled.all()) == {care_payment, twin}
    services.finding_add(audit=audit, text="收据未经本人签字", by=jingshen, payment=twin)
    url = f"/finance/audits/{audit.pk}/"

    def offered(reader):
        form = FindingForm(payments=audit.sampled.order_by("pk"), reader=reader)
        return [label for _value, label in form.fields["payment"].choices][1:]

    assert offered(jingshen) == [
        f"第{care_payment.pk}号 · 2026年1月20日 · {care_payment.description} · 王芳 · ¥800.00",
        f"第{twin.pk}号 · 2026年1月20日 · {twin.description} · 易芳 · ¥800.00",
    ]
    page = client_for(jingshen).get(url).content.decode()
    assert (
        f'涉及 <a href="/finance/payments/{twin.pk}/" data-testid="finding-payment">第{twin.pk}号 · 2026年1月20日'
        in page
    )
    assert (
        "易芳 · ¥800.00</a>" in page and f"第{twin.pk}号 · 2026年1月20日 · {twin.description} · 易芳 · ¥800.00" in page
    )

    assert offered(xianzong) == [
        f"第{care_payment.pk}号 · 2026年1月20日 · {care_payment.description} · 帮扶对象（已隐去） · ¥800.00",
        f"第{twin.pk}号 · 2026年1月20日 · {twin.description} · 帮扶对象（已隐去） · ¥800.00",
    ]
    page = client_for(xianzong).get(url).content.decode()
    assert "王芳" not in page and "易芳" not in page
    assert f"第{twin.pk}号 · 2026年1月20日 · {twin.description} · 帮扶对象（已隐去） · ¥800.00</a>" in page
    assert f"第{care_payment.pk}号" in page  # the sampled list numbers them too


def test_each_page_showing_a_family_as_payee_logs_the_read(care_payment, pay, jingshen, weiyuan, client_for):
    """The funds reviewer reads the family's name on the ledger, the payment and through the API: each is a
    read of care data in the access log, as opening the file in care is; a payment to a shop is not."""
    from core.models import AccessLog

    shop = pay("120.00")
    client = client_for(jingshen)
    client.get("/finance/payments/")
    client.get(f"/finance/payments/{care_payment.pk}/")
    client.get("/api/v1/finance/payments/")
    logged = AccessLog.objects.filter(user=jingshen, fields="帮扶支出收款人")
    assert logged.count() == 3 and set(logged.values_list("object_id", flat=True)) == {str(care_payment.pk)}
    assert not any("王芳" in text for text in logged.values_list("object_repr", flat=True))  # the log names no family
    assert not AccessLog.objects.filter(object_id=str(shop.pk)).exists()
    client_for(weiyuan).get("/finance/payments/")  # shown the hidden label: nothing read
    assert not AccessLog.objects.filter(user=weiyuan).exists()


def test_an_api_page_of_care_payments_logs_its_reads_in_one_insert(
    care_payment, units, bangfu, zhuxi, jingshen, client_for
):
    """However many families a page of the API names, its reads go to the access log together: the
    page's queries do not grow with its care payments."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import AccessLog

    client = client_for(jingshen)

    def inserts_into_the_log():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/finance/payments/").status_code == 200
        return [q["sql"] for q in queries if q["sql"].startswith("INSERT") and AccessLog._meta.db_table in q["sql"]]

    assert len(inserts_into_the_log()) == 1
    for name in ("李强", "张秀英"):
        approved_assistance(units["school"], name, bangfu=bangfu, zhuxi=zhuxi)
    assert len(inserts_into_the_log()) == 1
    assert AccessLog.objects.filter(user=jingshen, fields="帮扶支出收款人").count() == 1 + 3
