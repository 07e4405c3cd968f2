"""Vouchers: added to a payment recorded without one, and only photos that decode and are of a sane size."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def jpeg(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "JPEG")
    return buffer.getvalue()


def test_the_chair_adds_the_voucher_of_a_payment_recorded_without_one(client_for, pay, zhuxi):
    payment = pay("80")
    client = client_for(zhuxi)
    page = client.get(reverse("finance:payment", args=[payment.pk])).content.decode()
    assert reverse("finance:payment_voucher_add", args=[payment.pk]) in page
    response = client.post(
        reverse("finance:payment_voucher_add", args=[payment.pk]),
        {"voucher": SimpleUploadedFile("购物清单.jpg", jpeg(), content_type="image/jpeg")},
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.voucher and client.get(reverse("finance:payment_voucher", args=[payment.pk])).status_code == 200


def test_the_audit_committee_cannot_add_a_voucher(client_for, pay, jingshen):
    payment = pay("80")
    assert client_for(jingshen).get(reverse("finance:payment_voucher_add", args=[payment.pk])).status_code == 404


def test_a_truncated_photo_is_refused_at_its_field(client_for, pay, zhuxi):
    payment = pay("80")
    broken = SimpleUploadedFile("发票.jpg", jpeg((400, 300))[:500], content_type="image/jpeg")
    response = client_for(zhuxi).post(reverse("finance:payment_voucher_add", args=[payment.pk]), {"voucher": broken})
    assert response.status_code == 200 and "无法完整打开" in response.content.decode()
    payment.refresh_from_db()
    assert not payment.voucher


def test_a_photo_of_too_many_pixels_is_refused_at_its_field(client_for, pay, zhuxi):
    payment = pay("80")
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG")
    bomb = SimpleUploadedFile("发票.png", buffer.getvalue(), content_type="image/png")
    response = client_for(zhuxi).post(reverse("finance:payment_voucher_add", args=[payment.pk]), {"voucher": bomb})
    assert response.status_code == 200 and "像素过多" in response.content.decode()
