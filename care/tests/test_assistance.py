"""Assistance: caps per purpose and year checked on entry (the reason shown), approval above a threshold."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from care import services
from care.figures import assistance_amount, care_todos
from care.models import Assistance, AssistanceCap, CareSettings, Visit
from care.tests.conftest import TODAY, give
from core.models import Notification

pytestmark = pytest.mark.django_db


def test_a_small_payment_counts_at_once(household, bangfu):
    payment = give(by=bangfu, household=household, amount="500")
    assert not payment.is_pending and payment.approved_by == bangfu
    assert payment.recipient == household.name
    assert assistance_amount(household.unit, 2027) == Decimal("500")


def test_above_the_threshold_it_waits_for_a_second_officer(
    household, bangfu, zhuxi, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        payment = give(by=bangfu, household=household, amount="1500")
    assert payment.is_pending
    assert assistance_amount(household.unit, 2027) == 0
    assert Notification.objects.filter(user=zhuxi, kind="care.approve").exists()
    assert not Notification.objects.filter(user=bangfu).exists()
    assert [t.kind for t in care_todos(zhuxi, today=TODAY)] == ["care.approve"]
    with pytest.raises(services.CareError, match="不能由登记人本人审批"):
        services.assistance_approve(assistance=payment, by=bangfu)
    assert Assistance.objects.get().is_pending
    services.assistance_approve(assistance=payment, by=zhuxi)
    assert assistance_amount(household.unit, 2027) == Decimal("1500")


def test_the_threshold_is_the_units_own(household, bangfu, units):
    CareSettings.objects.create(unit=units["school"], approval_threshold=Decimal("200"))
    assert give(by=bangfu, household=household, amount="300").is_pending


def test_the_same_illness_is_helped_once_a_year(household, bangfu, units):
    AssistanceCap.objects.create(unit=units["school"], purpose="medical", per="subject", max_times=1)
    give(by=bangfu, household=household, purpose="medical", subject="乳腺癌", amount="800")
    with pytest.raises(services.CareError) as error:
        give(by=bangfu, household=household, purpose="medical", subject="乳腺癌", amount="300")
    assert "同一事由“乳腺癌”" in error.value.message and "最多1次" in error.value.message
    assert error.value.field == "amount"
    assert Assistance.objects.count() == 1
    give(by=bangfu, household=household, purpose="medical", subject="骨折", amount="300")  # another illness
    give(
        by=bangfu, household=household, purpose="medical", subject="乳腺癌", amount="300", on=datetime.date(2028, 1, 5)
    )


def test_an_amount_cap_names_what_was_already_given(household, bangfu, units):
    AssistanceCap.objects.create(unit=units["school"], purpose="school", max_amount=Decimal("2000"))
    give(by=bangfu, household=household, purpose="school", amount="800")
    with pytest.raises(services.CareError, match="最多2000.00元，2027年已发放800.00元，本次1500.00元"):
        give(by=bangfu, household=household, purpose="school", amount="1500")
    assert Assistance.objects.count() == 1


def test_the_nearest_units_cap_applies(household, bangfu, units):
    AssistanceCap.objects.create(unit=units["county"], purpose="songnuan", max_times=1)
    AssistanceCap.objects.create(unit=units["school"], purpose="songnuan", max_times=2)
    give(by=bangfu, household=household)
    give(by=bangfu, household=household)
    with pytest.raises(services.CareError, match="城关镇中心学校工会规定"):
        give(by=bangfu, household=household)


def test_a_cap_is_removed_once_and_only_from_the_officers_own_unit(bangfu, units, client_for):
    county_cap = AssistanceCap.objects.create(unit=units["county"], purpose="songnuan", max_times=1)
    cap = AssistanceCap.objects.create(unit=units["school"], purpose="songnuan", max_times=2)
    client = client_for(bangfu)
    assert "确定删除这条上限吗" in client.get("/care/settings/").content.decode()  # the button asks first
    response = client.post(f"/care/settings/caps/{cap.pk}/delete/", follow=True)
    assert "上限已删除" in response.content.decode()
    # The same button on a page opened before: nothing left to remove, and it does not say it removed it.
    response = client.post(f"/care/settings/caps/{cap.pk}/delete/", follow=True)
    assert "这条上限已经删除了" in response.content.decode() and "上限已删除" not in response.content.decode()
    # The county's cap applies to the school, but it is the county's to remove.
    response = client.post(f"/care/settings/caps/{county_cap.pk}/delete/", follow=True)
    assert AssistanceCap.objects.filter(pk=county_cap.pk).exists()


def test_a_unit_deletes_only_its_own_cap_and_once(units):
    county_cap = AssistanceCap.objects.create(unit=units["county"], purpose="songnuan", max_times=1)
    cap = AssistanceCap.objects.create(unit=units["school"], purpose="songnuan", max_times=2)

    assert services.cap_delete(unit=units["school"], pk=county_cap.pk) is False  # the county's rule, not the school's
    assert services.cap_delete(unit=units["school"], pk=cap.pk) is True
    assert services.cap_delete(unit=units["school"], pk=cap.pk) is False  # removed meanwhile from another page

    assert list(AssistanceCap.objects.all()) == [county_cap]


def test_a_payment_over_the_cap_from_the_page_shows_the_reason_and_writes_nothing(
    add_household, bangfu, units, client_for
):
    AssistanceCap.objects.create(unit=units["school"], purpose="songnuan", max_times=1)
    today = timezone.localdate()
    household = add_household(today=today)
    give(by=bangfu, household=household, on=today)
    response = client_for(bangfu).post(
        f"/care/assistance/new/?household={household.pk}",
        {"unit": household.unit_id, "purpose": "songnuan", "kind": "money", "amount": "300", "given_on": today},
    )
    assert response.status_code == 200
    assert "超过上限" in response.content.decode()
    assert Assistance.objects.count() == 1


def test_an_unapproved_payment_above_the_threshold_is_not_paid_from_the_page(add_household, bangfu, client_for):
    household = add_household(today=timezone.localdate())
    response = client_for(bangfu).post(
        f"/care/assistance/new/?household={household.pk}",
        {
            "unit": household.unit_id,
            "purpose": "emergency",
            "kind": "money",
            "amount": "5000",
            "given_on": timezone.localdate(),
        },
        follow=True,
    )
    assert "已提交另一位帮扶干部审批" in response.content.decode()
    payment = Assistance.objects.get()
    assert payment.is_pending
    response = client_for(bangfu).post(f"/care/assistance/{payment.pk}/approve/", follow=True)
    assert "不能由登记人本人审批" in response.content.decode()
    assert Assistance.objects.get().is_pending


def test_a_receipt_that_is_not_a_picture_or_pdf_is_refused_naming_the_field(household, bangfu, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    payment = give(by=bangfu, household=household)
    script = SimpleUploadedFile("签收单.sh", b"#!/bin/sh\necho hi\n", content_type="text/x-sh")
    answer = client_for(bangfu).post(f"/care/assistance/{payment.pk}/receipt/", {"receipt": script}, follow=True)
    assert "签收单：请上传照片（jpg、png）或 PDF 扫描件。" in answer.content.decode()
    payment.refresh_from_db()
    assert not payment.receipt


def test_a_receipt_photo_is_kept_privately_and_served_to_care_roles(household, bangfu, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("receipt.jpg", b"\xff\xd8\xff fake jpeg", content_type="image/jpeg")
    payment = give(by=bangfu, household=household, receipt=photo)
    assert str(tmp_path) in payment.receipt.path
    response = client_for(bangfu).get(f"/care/assistance/{payment.pk}/receipt/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_a_receipt_named_at_length_in_chinese_is_kept_and_served_as_the_photo_it_is(
    household, bangfu, client_for, settings, tmp_path
):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    payment = give(by=bangfu, household=household)
    name = "2026年春节送温暖困难职工慰问金签收单" * 5 + ".jpg"  # 104 characters, 264 bytes: more than a disk takes
    photo = SimpleUploadedFile(name, b"\xff\xd8\xff fake jpeg", content_type="image/jpeg")
    answer = client_for(bangfu).post(f"/care/assistance/{payment.pk}/receipt/", {"receipt": photo})
    assert answer.status_code == 302
    payment.refresh_from_db()
    stored = Path(payment.receipt.path)
    assert stored.read_bytes() == b"\xff\xd8\xff fake jpeg"
    assert stored.suffix == ".jpg" and len(stored.name.encode()) <= 255
    response = client_for(bangfu).get(f"/care/assistance/{payment.pk}/receipt/")
    assert (response.status_code, response["Content-Type"], response["X-Content-Type-Options"]) == (
        200,
        "image/jpeg",
        "nosniff",
    )


def test_the_care_settings_page_saves_a_units_own_rules_and_caps(bangfu, units, client_for):
    client = client_for(bangfu)
    page = client.get("/care/settings/")
    data = {f"s-{name}": value for name, value in page.context["settings_form"].initial.items()}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({"settings": "1", "s-approval_threshold": "1500", "s-review_months": "6"})
    assert client.post("/care/settings/", data).status_code == 302
    assert client.post("/care/settings/", data).status_code == 302  # saved again: the same row
    own = CareSettings.objects.get(unit=units["school"])
    assert (own.approval_threshold, own.review_months) == (Decimal("1500"), 6)

    cap = {"cap": "1", "c-purpose": "songnuan", "c-per": "person", "c-max_times": "2", "c-max_amount": ""}
    assert client.post("/care/settings/", cap).status_code == 302
    assert client.post("/care/settings/", {**cap, "c-max_times": "3"}).status_code == 302
    assert AssistanceCap.objects.get(unit=units["school"], purpose="songnuan").max_times == 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_saving_a_units_first_rules_at_once_write_one_row(units):
    from core.testing import second_while_first_open

    second_while_first_open(
        lambda: services.settings_save(unit=units["school"], values={"review_months": 6}),
        lambda: services.settings_save(unit=units["school"], values={"review_months": 9}),
    )
    assert CareSettings.objects.get(unit=units["school"]).review_months == 9


def test_a_payment_dated_after_today_is_refused_beside_its_date_and_nothing_is_written(household, bangfu, client_for):
    """A slip of the year (2028 for 2027) would count the money in a year still to come, against its cap."""
    next_year = timezone.localdate() + datetime.timedelta(days=365)
    response = client_for(bangfu).post(
        f"/care/assistance/new/?household={household.pk}",
        {"unit": household.unit_id, "purpose": "songnuan", "kind": "money", "amount": "300", "given_on": next_year},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["given_on"] == ["不能晚于今天。"]
    assert 'value="300"' in response.content.decode()  # what was typed stays
    assert not Assistance.objects.exists()


def test_money_and_visits_dated_after_today_are_refused_by_every_caller_and_nothing_is_written(household, bangfu):
    # The pages' forms say so first; the services hold the rule for the API, imports and commands too.
    with pytest.raises(services.CareError, match="不能晚于今天") as refused:
        give(by=bangfu, household=household, on=TODAY + datetime.timedelta(days=1), today=TODAY)
    assert refused.value.field == "given_on"
    with pytest.raises(services.CareError, match="不能晚于今天") as refused:
        services.visit_record(
            unit=household.unit,
            by=bangfu,
            person=household.name,
            kind="sickness",
            visited_on=TODAY + datetime.timedelta(days=365),
            visitors="赵丽",
            amount=Decimal("300"),
            today=TODAY,
        )
    assert refused.value.field == "visited_on"
    assert not Assistance.objects.exists() and not Visit.objects.exists()


def test_the_year_end_summary_writes_the_care_money_in_yuan_with_two_decimals(household, bangfu, units):
    from core.figures import summary_sections

    give(by=bangfu, household=household, amount="500")
    [section] = [s for s in summary_sections(units["school"], TODAY.year) if s.heading == "关爱帮扶和维权"]
    assert "发放各类帮扶救助金500.00元" in section.paragraphs[0]


def test_goods_handed_over_are_named(add_household, bangfu, units, client_for):
    """“¥500.00 · 慰问品” named nothing: what was given is written beside the field."""
    today = timezone.localdate()
    household = add_household(today=today)
    data = {"unit": household.unit_id, "purpose": "festival", "kind": "goods", "amount": "500", "goods": ""}
    response = client_for(bangfu).post(
        f"/care/assistance/new/?household={household.pk}", {**data, "given_on": today, "note": "中秋"}
    )
    assert response.status_code == 200 and list(response.context["form"].errors) == ["goods"]
    assert 'value="中秋"' in response.content.decode()
    assert not Assistance.objects.exists()
    with pytest.raises(services.CareError, match="慰问品") as error:
        give(by=bangfu, household=household, kind="goods", goods=" ", on=today)
    assert error.value.field == "goods"
    assert give(by=bangfu, household=household, kind="goods", goods="月饼两盒", on=today).goods == "月饼两盒"


def test_a_year_with_nothing_given_says_so_in_yuan(bangfu, client_for):
    html = client_for(bangfu).get("/care/assistance/").content.decode()
    assert f"{timezone.localdate().year}年已发放 ¥0.00" in html


def test_in_english_a_cap_of_one_reads_one_time_and_the_threshold_is_in_yuan(bangfu, units, client_for):
    from core.testing import in_english

    AssistanceCap.objects.create(unit=units["school"], purpose="medical", max_times=1)
    client = in_english(client_for(bangfu))
    assert "at most 1 time" in client.get("/care/settings/").content.decode()
    assert "at most 1 times" not in client.get("/care/settings/").content.decode()
    html = client.get("/care/assistance/new/").content.decode()
    assert "A payment above ¥1,000.00 needs another care officer" in html


def test_every_caller_is_refused_a_kind_other_than_money_or_goods_and_nothing_is_written(household, bangfu):
    with pytest.raises(services.CareError, match="发放方式只能是慰问金或慰问品") as refused:
        give(by=bangfu, household=household, kind="bogus")
    assert refused.value.field == "kind"
    assert not Assistance.objects.exists()
