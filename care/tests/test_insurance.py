"""Group insurance: the renewal diff against last year, enrollment rules, the insurer's sheet."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from care import services
from care.models import InsuranceEnrollment, InsuranceProduct

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 3, 1)


@pytest.fixture
def product(units):
    return InsuranceProduct.objects.create(
        unit=units["school"], name="女职工安康互助保险", premium=Decimal("30"), women_only=True, max_age=60
    )


def enroll(product, member, year):
    InsuranceEnrollment.objects.create(
        product=product, unit=member.unit, member=member, year=year, premium=product.premium, enrolled_on=TODAY
    )


def test_the_renewal_diff_lists_who_has_not_renewed_and_who_newly_qualifies(product, add_member):
    renewed = add_member("续")
    lapsed = add_member("未续")
    add_member("新")
    too_old = add_member("超龄", birth=datetime.date(1960, 1, 1))
    add_member("男", gender="M")
    left = add_member("退会", status="left")
    for m in (renewed, lapsed, too_old, left):
        enroll(product, m, 2026)
    enroll(product, renewed, 2027)
    diff = services.renewal_diff(product=product, year=2027, today=TODAY)
    assert [m.name for m in diff.renewed] == ["续"]
    assert [m.name for m in diff.not_renewed] == ["未续"]
    assert [m.name for m in diff.newly_qualifies] == ["新"]
    assert sorted(m.name for m in diff.left) == ["超龄", "退会"]


def test_enrolling_someone_who_does_not_qualify_is_refused_and_writes_nothing(product, add_member):
    man = add_member("男", gender="M")
    woman = add_member("女")
    with pytest.raises(services.CareError, match="不符合参保条件：男"):
        services.insurance_enroll(product=product, year=2027, members=[woman, man], today=TODAY)
    assert not InsuranceEnrollment.objects.exists()
    assert services.insurance_enroll(product=product, year=2027, members=[woman], today=TODAY) == 1
    assert services.insurance_enroll(product=product, year=2027, members=[woman], today=TODAY) == 0


def test_the_insurer_sheet_shows_id_numbers_only_to_roles_that_may_see_them(
    product, add_member, bangfu, zhuxi, client_for
):
    woman = add_member("李红")
    enroll(product, woman, 2027)
    response = client_for(bangfu).get(f"/care/insurance/{product.pk}/export/?year=2027")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][1] == "李红" and rows[2][4] == woman.id_number and rows[2][7] == 30


def test_women_checked_this_year_are_recorded_once_and_leave_the_list_of_those_due(add_member, bangfu, client_for):
    from django.utils import timezone

    from care.models import HealthCheck

    checked, other = add_member("李娜"), add_member("王芳", "g2")
    add_member("张伟", gender="M")
    year = timezone.localdate().year
    client = client_for(bangfu)
    assert [m.name for m in client.get("/care/women/").context["due"]] == ["李娜", "王芳"]
    client.post(f"/care/women/?year={year}", {"member": [checked.pk]})
    client.post(f"/care/women/?year={year}", {"member": [checked.pk]})  # sent twice: recorded once
    assert list(HealthCheck.objects.values_list("member__name", "year")) == [("李娜", year)]
    response = client.get("/care/women/")
    assert [m.name for m in response.context["due"]] == ["王芳"] and response.context["due_count"] == (1, False)
    assert other.pk not in HealthCheck.objects.values_list("member_id", flat=True)


def test_recording_checks_touches_only_the_women_the_page_lists(add_member, bangfu, client_for, units):
    """The ids sent are checked against the list of those due within the officer's reach: a man, a woman
    already recorded and a member of another union are left alone, and the message counts who was recorded."""
    from django.utils import timezone

    from care.models import HealthCheck

    year = timezone.localdate().year
    due, recorded = add_member("李娜"), add_member("王芳")
    man = add_member("张伟", gender="M")
    elsewhere = add_member("赵敏", "office")  # the county's other union: beyond the school's officer
    HealthCheck.objects.create(unit=recorded.unit, member=recorded, year=year, attended_on=timezone.localdate())
    client = client_for(bangfu)
    response = client.post(
        f"/care/women/?year={year}", {"member": [due.pk, recorded.pk, man.pk, elsewhere.pk, "x"]}, follow=True
    )
    assert "已登记 1 人体检。" in response.content.decode()
    assert sorted(HealthCheck.objects.values_list("member__name", flat=True)) == ["李娜", "王芳"]


def test_a_health_check_is_recorded_on_the_day_given_within_the_year_and_once(add_member, bangfu, client_for):
    import datetime

    from django.utils import timezone

    from care.models import HealthCheck

    today = timezone.localdate()
    li = add_member("李娜")
    client = client_for(bangfu)
    ahead = client.post("/care/women/", {"member": [li.pk], "on": (today + datetime.timedelta(days=1)).isoformat()})
    assert "体检日期不能晚于今天。" in client.get(ahead["Location"]).content.decode()
    last_year = client.post("/care/women/", {"member": [li.pk], "on": f"{today.year - 1}-06-01"}, follow=True)
    assert f"体检日期应在{today.year}年内。" in last_year.content.decode() and not HealthCheck.objects.exists()
    day = today.replace(day=1)
    assert (
        "已登记 1 人体检。" in client.post("/care/women/", {"member": [li.pk], "on": day.isoformat()}, follow=True).text
    )
    assert HealthCheck.objects.get().attended_on == day
    # The same list sent again from a second tab: nobody recorded twice, and not said to be a success.
    again = client.post("/care/women/", {"member": [li.pk], "on": day.isoformat()}, follow=True).content.decode()
    assert "勾选的人已经登记过体检" in again and HealthCheck.objects.count() == 1


def test_recording_with_nobody_ticked_says_what_to_do(add_member, bangfu, client_for):
    from care.models import HealthCheck

    add_member("李娜")
    response = client_for(bangfu).post("/care/women/", {}, follow=True)
    assert "请先勾选已经体检的女职工。" in response.content.decode()
    assert not HealthCheck.objects.exists()


def test_a_protection_item_with_an_error_comes_back_with_what_was_typed(bangfu, client_for, units):
    from care.models import ProtectionItem

    response = client_for(bangfu).post(
        "/care/women/protection/", {"unit": units["school"].pk, "year": "2027", "title": "", "note": "母婴室选址在三楼"}
    )
    assert response.status_code == 200  # the page again, as every form of the product answers an error
    page = response.content.decode()
    assert "母婴室选址在三楼" in page and response.context["form"].errors["title"]
    assert not ProtectionItem.objects.exists()


def test_a_protection_item_is_of_a_year_the_page_shows_and_done_within_it(bangfu, client_for, units):
    """Year 0 or 99999 was saved with 已保存 and never shown again; a done date in 2030 was accepted."""
    from django.utils import timezone

    from care.models import ProtectionItem

    this_year = timezone.localdate().year
    client = client_for(bangfu)
    item = {"unit": units["school"].pk, "title": "设立母婴室", "note": ""}
    for typed, field, said in (
        ({"year": "0"}, "year", f"年度应为{this_year - 1}到{this_year + 1}年。"),
        ({"year": "2099"}, "year", f"年度应为{this_year - 1}到{this_year + 1}年。"),
        ({"year": str(this_year), "done_on": "2030-01-01"}, "done_on", "落实日期不能晚于今天。"),
        ({"year": str(this_year), "done_on": f"{this_year - 1}-05-01"}, "done_on", f"落实日期应在{this_year}年内。"),
    ):
        response = client.post("/care/women/protection/", {**item, **typed})
        assert response.status_code == 200 and said in response.context["form"].errors[field][0], typed
    # Beyond what the column holds (PostgreSQL's small integer): refused on the field all the same.
    assert client.post("/care/women/protection/", {**item, "year": "99999"}).context["form"].errors["year"]
    assert not ProtectionItem.objects.exists()
    page = client.get(f"/care/women/?year={this_year}").content.decode()
    assert f'href="?year={this_year - 1}"' in page and f"{this_year}年尚未体检" in page


def test_a_long_list_of_women_due_says_it_shows_the_first_few(add_member, bangfu, client_for, monkeypatch):
    from care.views import insurance

    monkeypatch.setattr(insurance, "DUE_SHOWN", 1)
    add_member("李娜"), add_member("王芳", "g2")
    response = client_for(bangfu).get("/care/women/")
    assert [m.name for m in response.context["due"]] == ["李娜"]
    assert 'data-testid="due-shown"' in response.content.decode() and "前 1 人" in response.content.decode()


def test_a_new_premium_applies_to_enrollments_from_then_on(product, add_member, bangfu, huiyuan, client_for):
    earlier = add_member("李红")
    enroll(product, earlier, 2026)
    url = reverse("care:product_edit", args=[product.pk])
    assert url in client_for(bangfu).get(reverse("care:product_detail", args=[product.pk])).content.decode()
    data = {"name": product.name, "insurer": "省职工保险互助会", "premium": "35", "women_only": "on", "max_age": "60"}

    assert client_for(huiyuan).post(url, data).status_code == 404
    assert client_for(bangfu).post(url, data).status_code == 302

    product.refresh_from_db()
    assert (product.premium, product.insurer) == (Decimal("35.00"), "省职工保险互助会")
    assert InsuranceEnrollment.objects.get(member=earlier).premium == Decimal("30.00")
    later = add_member("王芳")
    services.insurance_enroll(product=product, year=2027, members=[later], today=TODAY)
    assert InsuranceEnrollment.objects.get(member=later).premium == Decimal("35.00")


def test_an_age_range_the_wrong_way_round_is_refused_beside_the_highest_age(units, bangfu, client_for):
    form = {"unit": units["school"].pk, "name": "意外伤害保险", "premium": "20", "min_age": "60", "max_age": "18"}
    response = client_for(bangfu).post("/care/insurance/new/", form)
    assert response.context["form"].errors == {"max_age": ["最高年龄不能小于最低年龄。"]}
    assert not InsuranceProduct.objects.exists()
    response = client_for(bangfu).post("/care/insurance/new/", {**form, "max_age": "600"})
    assert list(response.context["form"].errors) == ["max_age"]


def test_an_insurance_page_with_nobody_enrolled_says_the_premiums_are_nothing(product, bangfu, client_for):
    html = client_for(bangfu).get(f"/care/insurance/{product.pk}/?year=2027").content.decode()
    assert "已参保 0 人，保费 ¥0.00" in html


@pytest.fixture
def enrollment(product, add_member):
    from django.utils import timezone

    woman = add_member("李红")
    year = timezone.localdate().year
    return InsuranceEnrollment.objects.create(
        product=product,
        unit=woman.unit,
        member=woman,
        year=year,
        premium=product.premium,
        enrolled_on=datetime.date(year, 1, 1),
    )


def test_a_claim_is_filed_within_the_enrolments_cover_up_to_today_for_an_amount(enrollment, bangfu, client_for):
    from django.utils import timezone

    from care.models import InsuranceClaim

    today = timezone.localdate()
    start = f"{enrollment.year}年1月1日"
    url = f"/care/enrollments/{enrollment.pk}/claim/"
    claim = {"filed_on": today.isoformat(), "reason": "乳腺癌手术", "amount": "8000", "paid_on": ""}
    refused = [
        ({"filed_on": (today + datetime.timedelta(days=1)).isoformat()}, "filed_on", "申请日期不能晚于今天。"),
        ({"filed_on": "1900-12-05"}, "filed_on", f"申请日期不能早于{enrollment.year}年度保障开始之日（{start}）。"),
        (
            {"paid_on": (today - datetime.timedelta(days=1)).isoformat()},
            "paid_on",
            f"到账日期不能早于申请日期（{today.year}年{today.month}月{today.day}日）。",
        ),
        ({"paid_on": (today + datetime.timedelta(days=1)).isoformat()}, "paid_on", "到账日期不能晚于今天。"),
        ({"amount": "0"}, "amount", "应大于0。"),
    ]
    client = client_for(bangfu)
    for typed, field, message in refused:
        response = client.post(url, {**claim, **typed})
        assert response.status_code == 200 and response.context["form"].errors == {field: [message]}, typed
        assert 'value="乳腺癌手术"' in response.content.decode()
    assert not InsuranceClaim.objects.exists()

    assert client.post(url, {**claim, "paid_on": today.isoformat()}).status_code == 302
    assert InsuranceClaim.objects.get().paid_on == today
    # The form sent a second time (a double tap, another tab): one claim, and the officer is told why.
    again = client.post(url, {**claim, "paid_on": today.isoformat()})
    assert "这笔理赔已经登记过" in again.content.decode() and InsuranceClaim.objects.count() == 1
    # Another claim of the same member the same day, for another reason, is a claim of its own.
    assert client.post(url, {**claim, "reason": "术后化疗", "paid_on": ""}).status_code == 302
    assert InsuranceClaim.objects.count() == 2


def test_the_claim_service_holds_the_same_rules(enrollment):
    from django.utils import timezone

    today = timezone.localdate()
    claim = {"enrollment": enrollment, "filed_on": today, "reason": "骨折", "amount": Decimal("500"), "today": today}
    for typed, field in (
        ({"filed_on": datetime.date(2099, 12, 5)}, "filed_on"),
        ({"filed_on": datetime.date(1900, 12, 5)}, "filed_on"),
        ({"paid_on": today - datetime.timedelta(days=1)}, "paid_on"),
        ({"amount": Decimal("0")}, "amount"),
    ):
        with pytest.raises(services.CareError) as error:
            services.claim_file(**{**claim, **typed})
        assert error.value.field == field, typed
    filed = services.claim_file(**claim)
    with pytest.raises(services.CareError, match="到账日期不能晚于今天") as error:
        services.claim_paid(claim=filed, paid_on=today + datetime.timedelta(days=1), amount=Decimal("500"), today=today)
    assert error.value.field == "paid_on"


def test_the_masked_insurer_sheet_masks_the_number_and_keeps_the_birth_date(
    product, add_member, bangfu, client_for, monkeypatch
):
    """The mask keeps the first four digits alone: beside it the full birth date the insurer needs
    leaves hundreds of candidates (core.encryption.mask_id_number), so the sheet gives the date."""
    import care.views.insurance as views
    from orgs.access import has_permission

    woman = add_member("李红")
    enroll(product, woman, 2027)
    monkeypatch.setattr(
        views,
        "has_permission",
        lambda user, perm, unit: perm != "members.view_sensitive" and has_permission(user, perm, unit),
    )
    response = client_for(bangfu).get(f"/care/insurance/{product.pk}/export/?year=2027")
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = [cell.value for cell in sheet[3]]
    assert row[4] == woman.id_number[:4] + "*" * 14
    assert row[5].date() == woman.birth_date
    # Date cells the insurer can sort, written as a Chinese reader writes a date.
    assert [sheet.cell(3, column).number_format for column in (6, 9)] == ['yyyy"年"m"月"d"日"'] * 2
    assert row[8].date() == TODAY
    assert all(sheet.column_dimensions[letter].width >= 15 for letter in "FI")  # else ######## in Excel


def test_a_county_sized_insurer_sheet_is_written_by_the_worker_in_chinese(
    product, add_member, bangfu, zhuxi, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    from core import exports
    from core.models import AccessLog, ExportJob

    monkeypatch.setattr(exports, "INLINE_MAX_ROWS", 1)  # two women stand for a county's tens of thousands
    for name in ("李红", "王芳"):
        enroll(product, add_member(name), 2027)
    bangfu.language = "en"  # her pages in English; the insurer's sheet stays in the site's Chinese
    bangfu.save(update_fields=["language"])
    client = client_for(bangfu)
    page = client.get(f"/care/insurance/{product.pk}/export/?year=2027")
    assert 'data-testid="export-start"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("care:product_export_start", args=[product.pk]), {"query": "year=2027"})
    job = ExportJob.objects.get()
    assert started["Location"] == reverse("core:export", args=[job.pk]) and job.unmasked
    download = client.get(reverse("core:export_download", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "女职工安康互助保险 2027" and rows[1][1] == "被保险人姓名"
    assert sorted(r[1] for r in rows[2:]) == ["李红", "王芳"]
    assert AccessLog.objects.filter(user=bangfu).count() == 1  # logged in her language
    assert client_for(zhuxi).get(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_an_insurer_sheet_that_fails_is_not_logged_and_one_that_works_is(
    product, add_member, bangfu, client_for, monkeypatch
):
    from core import tables
    from core.models import AccessLog

    enroll(product, add_member("李红"), 2027)
    client = client_for(bangfu)
    written = tables.table_response

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tables, "table_response", broken)
    with pytest.raises(OSError):
        client.get(f"/care/insurance/{product.pk}/export/?year=2027")
    assert not AccessLog.objects.exists()
    monkeypatch.setattr(tables, "table_response", written)
    assert client.get(f"/care/insurance/{product.pk}/export/?year=2027").status_code == 200
    assert AccessLog.objects.filter(user=bangfu, object_id=str(product.pk)).count() == 1
