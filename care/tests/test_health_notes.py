"""Health notes are sensitive as a hardship file is: a family member's health, a sick leave's reason, a
claim's illness and what a visit found are encrypted at rest, and every page that shows them logs the
read. A visit's record is read on its own page; one recorded by mistake, with no money given, is deleted.
A claim's payout is recorded when the money arrives."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from care import services
from care.models import CareTag, FamilyMember, InsuranceClaim, InsuranceEnrollment, InsuranceProduct, Visit
from core.models import AccessLog

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


def stored(model, field, pk):
    """The column as the database holds it, past the field's decryption."""
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.fixture
def visit(units, bangfu, add_member):
    member = add_member("张娜")
    return services.visit_record(
        unit=member.unit,
        by=bangfu,
        member=member,
        person="张娜",
        kind="sickness",
        visited_on=TODAY,
        visitors="赵丽、王建国",
        note="腰椎手术后住院，家属陪护",
    )


@pytest.fixture
def paid(bangfu, add_member):
    """A visit to a new mother that handed over ¥300 (a payment of its own)."""
    member = add_member("王海燕")
    return services.visit_record(
        unit=member.unit,
        by=bangfu,
        member=member,
        person="王海燕",
        kind="childbirth",
        visited_on=TODAY,
        visitors="赵丽",
        amount=Decimal("300"),
    )


@pytest.fixture
def claim(units, add_member):
    member = add_member("李红")
    product = InsuranceProduct.objects.create(unit=units["school"], name="女职工安康互助保险", premium=Decimal("30"))
    enrollment = InsuranceEnrollment.objects.create(
        product=product, unit=member.unit, member=member, year=TODAY.year, premium=Decimal("30"), enrolled_on=TODAY
    )
    return InsuranceClaim.objects.create(
        unit=member.unit, enrollment=enrollment, filed_on=TODAY, reason="乳腺癌手术", amount=Decimal("8000")
    )


def test_health_notes_are_stored_encrypted(household, visit, claim, add_member):
    relative = FamilyMember.objects.create(household=household, name="刘子涵", relation="子女", health="尿毒症")
    tag = CareTag.objects.create(
        unit=visit.unit, member=visit.member, kind="sick_leave", since=TODAY, note="腰椎手术后休养"
    )
    for model, field, pk, plain in (
        (FamilyMember, "health", relative.pk, "尿毒症"),
        (CareTag, "note", tag.pk, "腰椎手术后休养"),
        (InsuranceClaim, "reason", claim.pk, "乳腺癌手术"),
        (Visit, "note", visit.pk, "腰椎手术后住院，家属陪护"),
    ):
        column = stored(model, field, pk)
        assert column.startswith("gAAAAA") and plain not in column, (model, field)
        assert getattr(model.objects.get(pk=pk), field) == plain


def test_the_sick_leave_list_logs_each_reason_it_shows(client_for, bangfu, visit):
    noted = CareTag.objects.create(
        unit=visit.unit, member=visit.member, kind="sick_leave", since=TODAY, note="腰椎手术后休养"
    )
    CareTag.objects.create(unit=visit.unit, member=visit.member, kind="model_worker", since=TODAY)

    html = client_for(bangfu).get(reverse("care:tags")).content.decode()

    assert "腰椎手术后休养" in html
    logged = AccessLog.objects.filter(user=bangfu, object_id=str(noted.pk), fields="说明")
    assert logged.count() == 1 and AccessLog.objects.filter(user=bangfu).count() == 1


def test_the_insurance_page_logs_each_claim_s_reason_it_shows(client_for, bangfu, claim):
    html = client_for(bangfu).get(reverse("care:product_detail", args=[claim.enrollment.product_id])).content.decode()
    assert "乳腺癌手术" in html
    assert AccessLog.objects.filter(user=bangfu, object_id=str(claim.pk), fields="理赔事由").exists()


def test_a_visit_s_record_is_read_on_its_own_page_and_the_read_is_logged(client_for, bangfu, visit):
    listing = client_for(bangfu).get(reverse("care:visits")).content.decode()
    page = reverse("care:visit_detail", args=[visit.pk])
    assert page in listing and "家属陪护" not in listing

    html = client_for(bangfu).get(page).content.decode()

    assert "腰椎手术后住院，家属陪护" in html and "赵丽、王建国" in html
    assert AccessLog.objects.filter(user=bangfu, object_id=str(visit.pk), fields="情况记录").count() == 1


@pytest.mark.parametrize("persona", ["xiaozu", "huiyuan", "outsider"])
def test_others_neither_read_nor_delete_a_visit(persona, request, client_for, visit):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("care:visit_detail", args=[visit.pk])).status_code == 404
    assert client.post(reverse("care:visit_delete", args=[visit.pk])).status_code == 404
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_a_visit_recorded_by_mistake_is_deleted_after_asking(client_for, bangfu, visit):
    page = client_for(bangfu).get(reverse("care:visit_detail", args=[visit.pk])).content.decode()
    assert "data-confirm" in page

    response = client_for(bangfu).post(reverse("care:visit_delete", args=[visit.pk]))

    assert response.status_code == 302 and not Visit.objects.filter(pk=visit.pk).exists()


def test_a_visit_that_gave_money_stays_with_its_payment(client_for, bangfu, paid):
    page = client_for(bangfu).get(reverse("care:visit_detail", args=[paid.pk])).content.decode()
    assert "data-confirm" not in page and reverse("care:assistance_detail", args=[paid.payment_id]) in page

    response = client_for(bangfu).post(reverse("care:visit_delete", args=[paid.pk]), follow=True)

    assert "走访记录与发放记录一同保留" in response.content.decode()
    assert Visit.objects.filter(pk=paid.pk).exists()


def test_a_claim_s_payout_is_recorded_when_the_money_arrives(client_for, bangfu, claim):
    url = reverse("care:claim_paid", args=[claim.pk])
    product = reverse("care:product_detail", args=[claim.enrollment.product_id])
    assert url in client_for(bangfu).get(product).content.decode()

    early = client_for(bangfu).post(url, {"paid_on": "2026-11-01", "amount": "7500"})
    assert early.status_code == 200 and "到账日期不能早于申请日期（2026年12月1日）" in early.content.decode()
    assert 'value="7500"' in early.content.decode()

    arrived = timezone.localdate()  # the money has arrived: not a day still to come
    assert client_for(bangfu).post(url, {"paid_on": arrived.isoformat(), "amount": "7500"}).status_code == 302
    claim.refresh_from_db()
    assert (claim.paid_on, claim.amount) == (arrived, Decimal("7500"))
    assert f"{arrived.year}年{arrived.month}月{arrived.day}日 到账" in client_for(bangfu).get(product).content.decode()
    with pytest.raises(services.CareError, match=f"已于{arrived.year}年{arrived.month}月{arrived.day}日登记到账"):
        services.claim_paid(claim=claim, paid_on=arrived, amount=Decimal(1))


def test_a_member_records_no_payout(client_for, huiyuan, claim):
    response = client_for(huiyuan).post(
        reverse("care:claim_paid", args=[claim.pk]), {"paid_on": "2026-12-20", "amount": "1"}
    )
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.paid_on is None


def test_a_visit_s_record_is_corrected_and_the_form_s_read_is_logged(client_for, bangfu, visit):
    url = reverse("care:visit_edit", args=[visit.pk])
    client = client_for(bangfu)
    assert url in client.get(reverse("care:visit_detail", args=[visit.pk])).content.decode()
    AccessLog.objects.all().delete()

    assert "腰椎手术后住院，家属陪护" in client.get(url).content.decode()
    assert AccessLog.objects.filter(user=bangfu, object_id=str(visit.pk), fields="情况记录").count() == 1
    data = {
        "kind": "sickness",
        "visited_on": "2026-11-30",
        "visitors": "赵丽、王建国、孙明",
        "given": "水果一篮",
        "note": "腰椎手术后在家休养",
    }
    kept = client.post(url, {**data, "visited_on": "2026-13-40"})
    assert kept.status_code == 200 and 'value="赵丽、王建国、孙明"' in kept.content.decode()
    assert client.post(url, data).status_code == 302
    visit.refresh_from_db()
    assert (visit.visited_on, visit.visitors, visit.given, visit.note) == (
        datetime.date(2026, 11, 30),
        "赵丽、王建国、孙明",
        "水果一篮",
        "腰椎手术后在家休养",
    )
    assert "腰椎手术后在家休养" not in stored(Visit, "note", visit.pk)


def test_a_visit_that_gave_money_keeps_the_payment_s_date_and_reason(client_for, bangfu, paid):
    data = {"kind": "sickness", "visited_on": "2026-10-01", "visitors": "赵丽、孙明", "given": "", "note": "母子平安"}
    assert client_for(bangfu).post(reverse("care:visit_edit", args=[paid.pk]), data).status_code == 302
    paid.refresh_from_db()
    assert (paid.kind, paid.visited_on, paid.visitors, paid.note) == ("childbirth", TODAY, "赵丽、孙明", "母子平安")
    assert paid.payment.given_on == TODAY


@pytest.mark.parametrize("persona", ["xiaozu", "huiyuan", "outsider", "xianzong"])
def test_others_do_not_correct_a_visit(persona, request, client_for, visit):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("care:visit_edit", args=[visit.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "sickness", "visited_on": "2026-11-30", "visitors": "某人"}).status_code == 404
    visit.refresh_from_db()
    assert visit.visitors == "赵丽、王建国"


def test_a_visit_is_not_dated_after_today(client_for, bangfu, visit, units):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client = client_for(bangfu)
    data = {"kind": "sickness", "visited_on": tomorrow, "visitors": "赵丽", "given": "", "note": ""}
    corrected = client.post(reverse("care:visit_edit", args=[visit.pk]), data)
    assert corrected.status_code == 200 and corrected.context["form"].errors["visited_on"] == ["不能晚于今天。"]
    visit.refresh_from_db()
    assert visit.visited_on != datetime.date.fromisoformat(tomorrow)
    recorded = client.post(
        reverse("care:visit_add"),
        {"unit": units["school"].pk, "person": "王芳", **data},
    )
    assert recorded.status_code == 200 and recorded.context["form"].errors["visited_on"] == ["不能晚于今天。"]
    assert Visit.objects.count() == 1
