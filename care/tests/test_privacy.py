"""Privacy: only care roles see names and details; every read of a file, a case, a receipt or an
attachment is logged; the chair reads that log; a federation sees counts, never names."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from care import services
from care.models import Attachment
from care.tests.conftest import give, make_id
from core.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def household(add_household):
    """A file opened by the day the pages read: its payment is dated then, in the year the roll-up shows."""
    return add_household(today=timezone.localdate())


@pytest.fixture
def records(household, bangfu, units, private_root):
    attachment = Attachment.objects.create(
        household=household,
        title="诊断证明",
        file=SimpleUploadedFile("proof.pdf", b"%PDF-1.4 proof"),
        uploaded_by=bangfu,
    )
    payment = give(
        by=bangfu, household=household, on=timezone.localdate(), receipt=SimpleUploadedFile("r.jpg", b"\xff\xd8\xff")
    )
    case = services.case_submit(
        unit=units["g1"], name="贾师傅", phone="13803190000", category="wages", account="欠薪", now=timezone.now()
    )
    return {
        "file": f"/care/households/{household.pk}/",
        "attachment": f"/care/attachments/{attachment.pk}/",
        "receipt": f"/care/assistance/{payment.pk}/receipt/",
        "case": f"/care/cases/{case.pk}/",
        "payment": f"/care/assistance/{payment.pk}/",
    }


@pytest.mark.parametrize("persona", ["xiaozu", "xianzong", "huiyuan", "weiyuan", "outsider"])
def test_other_roles_are_denied_every_care_record(persona, records, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    # The neighbouring county's chair has care pages of his own, empty of ours.
    lists = [] if persona == "outsider" else ["/care/", "/care/households/", "/care/cases/", "/care/campaigns/"]
    for url in [*records.values(), *lists]:
        assert client.get(url).status_code == 404, url
    assert not AccessLog.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(records, client):
    response = client.get(records["file"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["bangfu", "zhuxi", "qinggong"])
def test_care_roles_read_and_each_read_is_logged(persona, records, client_for, request, household):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    response = client.get(records["file"])
    assert response.status_code == 200
    assert household.situation in response.content.decode()
    for key in ("attachment", "receipt", "case"):
        assert client.get(records[key]).status_code == 200, key
    logged = list(AccessLog.objects.filter(user=user).values_list("object_repr", flat=True))
    assert len(logged) == 4
    assert all(household.name not in text for text in logged)  # the log names the record, not the person


def test_the_list_of_files_is_a_read_of_each_family_shown_and_logged(household, add_household, bangfu, client_for):
    other = add_household("王秀英", id_number=make_id(datetime.date(1979, 3, 1), "F"), categories=["disability"])
    client_for(bangfu).get("/care/households/")
    logged = AccessLog.objects.filter(user=bangfu, fields="困难类别, 困难程度")
    assert sorted(logged.values_list("object_id", flat=True)) == sorted([str(household.pk), str(other.pk)])


def test_a_federation_care_officer_opens_a_file_below_and_it_is_logged(records, qinggong, client_for, household):
    client_for(qinggong).get(records["file"])
    entry = AccessLog.objects.get(user=qinggong)
    assert entry.unit == household.unit


def test_a_federation_viewer_sees_counts_and_amounts_never_names(records, xianzong, client_for, household):
    from rollups.refresh import refresh

    refresh()  # the 帮扶统计 page and home card read the roll-ups (care.rollup), brought up to date by the worker
    html = client_for(xianzong).get("/care/rollup/").content.decode()
    assert "帮扶统计" in html and "¥500.00" in html
    assert household.name not in html
    home = client_for(xianzong).get("/").content.decode()
    assert "帮扶统计" in home and household.name not in home
    assert "1 户" in home and "帮扶救助 500.00 元" in home


def test_a_group_leader_gets_no_rollup_of_a_small_group(records, xiaozu, client_for):
    assert client_for(xiaozu).get("/care/rollup/").status_code == 404


def test_the_chair_reads_who_opened_a_file_and_the_care_officer_cannot(records, bangfu, zhuxi, client_for, household):
    client_for(bangfu).get(records["file"])
    client = client_for(zhuxi)
    html = client.get("/care/log/").content.decode()
    assert "赵丽" in html and f"/care/households/{household.pk}/" in html
    detail = client.get(records["file"]).content.decode()
    assert "谁查看过这份档案" in detail and "赵丽" in detail
    client_for(bangfu)
    assert client.get("/care/log/").status_code == 404
    assert "谁查看过这份档案" not in client.get(records["file"]).content.decode()


def test_a_deleted_file_is_out_of_reach(records, household, bangfu, client_for):
    services.household_delete(household=household, by=bangfu, reason="调离", now=timezone.now())
    client = client_for(bangfu)
    assert client.get(records["file"]).status_code == 404
    assert client.get(records["attachment"]).status_code == 404


def test_deleting_asks_for_confirmation_first(household, bangfu, client_for):
    client = client_for(bangfu)
    page = client.get(f"/care/households/{household.pk}/delete/")
    assert page.status_code == 200 and "保留" in page.content.decode()
    household.refresh_from_db()
    assert household.deleted_at is None
    client.post(f"/care/households/{household.pk}/delete/", {"reason": "调离本单位"})
    household.refresh_from_db()
    assert household.deleted_at is not None and household.keep_until > timezone.localdate()


def test_the_edit_form_shows_the_file_in_clear_and_is_logged_too(household, bangfu, client_for):
    client_for(bangfu).get(f"/care/households/{household.pk}/edit/")
    assert AccessLog.objects.get(user=bangfu).fields == "联系电话, 家庭住址, 困难情况"


def test_the_file_shows_id_number_and_phone_masked_until_the_officer_reveals_them(add_household, bangfu, client_for):
    household = add_household(phone="13803191234")
    client = client_for(bangfu)
    html = client.get(f"/care/households/{household.pk}/").content.decode()
    assert household.id_number not in html and "13803191234" not in html
    assert household.id_number_masked in html and "138****1234" in html
    # Opening the file logs what it shows in clear; the numbers are not among them yet.
    assert AccessLog.objects.get(user=bangfu).fields == "家庭住址, 困难情况, 家庭成员"
    revealed = client.post(f"/care/households/{household.pk}/reveal/").content.decode()
    assert household.id_number in revealed and "13803191234" in revealed and "本次查看已记录" in revealed
    assert AccessLog.objects.filter(user=bangfu).order_by("-pk").first().fields == "身份证号, 联系电话"


@pytest.mark.parametrize("persona", ["xiaozu", "xianzong", "weiyuan", "outsider"])
def test_roles_outside_the_file_cannot_reveal_its_numbers(persona, household, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(f"/care/households/{household.pk}/reveal/").status_code == 404
    assert not AccessLog.objects.exists()


def test_revealing_is_a_deliberate_post(household, bangfu, client_for):
    assert client_for(bangfu).get(f"/care/households/{household.pk}/reveal/").status_code == 405
    assert not AccessLog.objects.exists()


def _campaign(units, bangfu, title, levels, kind="spring"):
    today = timezone.localdate()
    return services.campaign_create(
        unit=units["school"],
        by=bangfu,
        today=today,
        kind=kind,
        title=title,
        year=today.year,
        starts_on=today,
        ends_on=today,
        levels=levels,
    )


def _log_inserts(client, url):
    """How many INSERTs into the access log reading ``url`` took."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum('INSERT INTO "core_accesslog"' in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def campaigns(add_household, units, bangfu):
    """A campaign listing one family, and one listing three."""
    today = timezone.localdate()
    add_household("张桂芳", level="relative", today=today)
    for name in ("王秀英", "刘淑珍", "陈玉兰"):
        add_household(name, id_number=make_id(datetime.date(1979, 3, 1), "F"), today=today)
    return _campaign(units, bangfu, "中秋送温暖", ["relative"], kind="midautumn"), _campaign(
        units, bangfu, "春节送温暖", ["deep"]
    )


def test_a_campaigns_page_logs_each_name_shown_beside_its_reason_in_one_insert(campaigns, bangfu, client_for):
    small, large = campaigns
    client = client_for(bangfu)
    assert _log_inserts(client, f"/care/campaigns/{small.pk}/") == 1
    assert _log_inserts(client, f"/care/campaigns/{large.pk}/") == 1
    logged = AccessLog.objects.filter(user=bangfu, fields="列入原因")
    shown = [*small.entries.all(), *large.entries.all()]
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(str(e.pk) for e in shown)
    # Only the rows shown: the officer's own list is empty, and so is its log.
    AccessLog.objects.all().delete()
    assert _log_inserts(client, f"/care/campaigns/{large.pk}/?mine=1") == 0


def test_the_apis_campaign_list_logs_the_rows_of_the_page_in_one_insert(campaigns, bangfu, client_for):
    small, large = campaigns
    client = client_for(bangfu)
    assert _log_inserts(client, f"/api/v1/care/campaigns/{small.pk}/entries") == 1
    assert _log_inserts(client, f"/api/v1/care/campaigns/{large.pk}/entries") == 1
    assert AccessLog.objects.filter(user=bangfu, fields="列入原因").count() == 4
    AccessLog.objects.all().delete()
    page = client.get(f"/api/v1/care/campaigns/{large.pk}/entries?limit=2&offset=1").json()["items"]
    logged = AccessLog.objects.filter(user=bangfu, fields="列入原因", unit__isnull=False)
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(str(e["id"]) for e in page)


def test_the_phone_page_for_one_person_on_the_list_logs_the_read(campaigns, bangfu, client_for):
    small, _large = campaigns
    entry = small.entries.get()
    assert _log_inserts(client_for(bangfu), reverse("care:entry_record", args=[entry.pk])) == 1
    assert AccessLog.objects.get(user=bangfu).object_id == str(entry.pk)


# --- payments, pairing notes: each read logged; nothing logged where nothing was shown


def test_the_list_of_payments_is_a_read_of_each_payment_shown_logged_in_one_insert(
    household, add_household, bangfu, client_for
):
    paid = give(by=bangfu, household=household, purpose="medical", subject="乳腺癌", on=timezone.localdate())
    other = add_household("王秀英", id_number=make_id(datetime.date(1979, 3, 1), "F"), today=timezone.localdate())
    waiting = give(by=bangfu, household=other, purpose="emergency", amount="1500", on=timezone.localdate())
    client = client_for(bangfu)
    assert _log_inserts(client, "/care/assistance/") == 1
    logged = AccessLog.objects.filter(user=bangfu, fields="用途, 金额")
    # The payment waiting for approval shows twice (waiting, and in the list): one read.
    assert sorted(logged.values_list("object_id", flat=True)) == sorted([str(paid.pk), str(waiting.pk)])
    assert AccessLog.objects.count() == 2


def test_an_empty_list_of_payments_logs_nothing(bangfu, client_for):
    assert _log_inserts(client_for(bangfu), "/care/assistance/") == 0


def test_a_payments_page_logs_its_subject_an_illness(household, bangfu, client_for):
    payment = give(by=bangfu, household=household, purpose="medical", subject="乳腺癌", on=timezone.localdate())
    html = client_for(bangfu).get(f"/care/assistance/{payment.pk}/").content.decode()
    assert "乳腺癌" in html
    logged = AccessLog.objects.get(user=bangfu)
    assert logged.object_id == str(payment.pk) and logged.fields == "用途, 金额, 事由"
    assert logged.unit == household.unit


@pytest.fixture
def pairing(units):
    from care.models import Pairing

    return Pairing.objects.create(unit=units["g1"], helper="王老师", helped="张桂芳家", started_on=timezone.localdate())


def test_a_pairings_contact_notes_are_a_logged_read(pairing, bangfu, client_for):
    client = client_for(bangfu)
    client.get(f"/care/pairings/{pairing.pk}/")
    assert not AccessLog.objects.exists()  # no notes yet: nothing shown
    services.pairing_contact_add(pairing=pairing, by=bangfu, on=timezone.localdate(), how="visit", note="孩子住院")
    assert "孩子住院" in client.get(f"/care/pairings/{pairing.pk}/").content.decode()
    logged = AccessLog.objects.get(user=bangfu)
    assert logged.object_id == str(pairing.pk) and logged.fields == "联系记录"


def test_a_missing_receipt_answers_404_and_logs_nothing(household, bangfu, client_for):
    payment = give(by=bangfu, household=household, on=timezone.localdate())
    assert client_for(bangfu).get(f"/care/assistance/{payment.pk}/receipt/").status_code == 404
    assert not AccessLog.objects.exists()


def test_an_attachment_gone_from_the_disk_answers_404_and_logs_nothing(household, bangfu, client_for):
    found = Attachment.objects.create(
        household=household, title="诊断证明", file=SimpleUploadedFile("p.pdf", b"%PDF-1.4"), uploaded_by=bangfu
    )
    found.file.storage.delete(found.file.name)
    assert client_for(bangfu).get(f"/care/attachments/{found.pk}/").status_code == 404
    assert not AccessLog.objects.exists()


def test_a_campaign_export_that_fails_is_not_logged_and_one_that_works_is(campaigns, bangfu, client_for, monkeypatch):
    from core import tables

    small, _large = campaigns
    client = client_for(bangfu)
    written = tables.table_response

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tables, "table_response", broken)
    with pytest.raises(OSError):
        client.get(f"/care/campaigns/{small.pk}/export/")
    assert not AccessLog.objects.exists()
    monkeypatch.setattr(tables, "table_response", written)
    assert client.get(f"/care/campaigns/{small.pk}/export/").status_code == 200
    assert AccessLog.objects.get(user=bangfu).fields == "慰问名单导出"
