"""Officers' bulk invitations run in the task worker (the tests' backend runs a task at once, when
the request's transaction commits): codes made batch after batch, SMS sent chunk after chunk,
each code sent once however often or however far a run gets; the page's figures are bounded."""

import datetime
import re

import pytest

from core import keyset
from core.testing import in_english
from members.models import Member
from portal import services, sms
from portal.models import Invitation
from portal.tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what a request queued for the worker, as the worker would once the request commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def five(units):
    """Five members of the school's union and its groups without an account, each with a phone."""
    return [
        make_member(units[unit], f"会员{n}", phone=f"1370000000{n}")
        for n, unit in enumerate(["school", "g1", "g1", "g2", "g2"])
    ]


def sent_phones(outbox):
    return sorted(phone for phone, _text in outbox)


def test_creating_makes_a_code_for_every_member_without_an_account_batch_after_batch(
    client_for, zhuxi, units, five, huiyuan_member, run_tasks, monkeypatch
):
    monkeypatch.setattr(services, "INVITATIONS_PER_BATCH", 2)
    make_member(units["office"], "别的单位")
    make_member(units["g2"], "已退会", status="left")
    client = client_for(zhuxi)
    with run_tasks():
        response = client.post("/invitations/create/", follow=True)
    assert "已开始生成邀请码" in response.text
    assert set(Invitation.objects.values_list("member", flat=True)) == {m.pk for m in five}
    assert 'data-testid="live">5<' in client.get("/invitations/").text


def test_a_creation_that_stops_keeps_its_finished_batches_and_a_retry_makes_the_rest(
    client_for, zhuxi, five, run_tasks, monkeypatch
):
    monkeypatch.setattr(services, "INVITATIONS_PER_BATCH", 2)
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    expired = Invitation.objects.create(  # in the second batch, to be replaced by a new code
        member=five[2], unit=five[2].unit, code="OLD22222", created_by=zhuxi, expires_at=long_ago
    )
    codes = ["AAAA2222", "BBBB3333"]

    def two_codes_then_a_failure():
        if not codes:
            raise ConnectionError("the worker lost the database")  # the second batch, half made
        return codes.pop(0)

    monkeypatch.setattr(services, "new_code", two_codes_then_a_failure)
    client = client_for(zhuxi)
    with run_tasks():
        client.post("/invitations/create/")
    # The first batch, whole; the second as if never begun, its expired code still there.
    assert set(Invitation.objects.values_list("code", flat=True)) == {"AAAA2222", "BBBB3333", "OLD22222"}
    monkeypatch.undo()
    with run_tasks():
        client.post("/invitations/create/")
    assert set(Invitation.objects.values_list("member", flat=True)) == {m.pk for m in five}
    assert not Invitation.objects.filter(pk=expired.pk).exists()


def test_a_double_click_queues_one_job(client_for, zhuxi, five, django_capture_on_commit_callbacks):
    client = client_for(zhuxi)
    with django_capture_on_commit_callbacks() as queued:
        client.post("/invitations/create/")
        client.post("/invitations/create/")
    assert len(queued) == 1


def test_the_officer_is_told_when_no_worker_will_take_the_job(client_for, zhuxi, five, monkeypatch):
    from core import tasks as queue

    client = client_for(zhuxi)
    page = client.post("/invitations/create/", follow=True).content.decode()
    assert "后台任务程序没有在运行" not in page  # the tests' queue runs every task at once
    monkeypatch.setattr(queue, "backend_name", lambda: "database")  # a database queue no worker beats for
    page = client.post("/invitations/create/", follow=True).content.decode()
    assert "后台任务程序没有在运行" in page


def test_sending_sends_each_code_once_and_never_to_members_without_a_phone(
    client_for, zhuxi, units, five, sms_outbox, run_tasks, monkeypatch
):
    monkeypatch.setattr(services, "INVITATION_SMS_PER_CHUNK", 2)
    no_phone = make_member(units["g1"], "没手机", phone="")
    services.invitations_create(unit=units["school"], by=zhuxi)
    client = client_for(zhuxi)
    with run_tasks():
        response = client.post("/invitations/send/", follow=True)
    assert "已开始发送邀请短信" in response.text
    assert sent_phones(sms_outbox) == sorted(m.phone for m in five)
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 5
    assert Invitation.objects.get(member=no_phone).sent_at is None
    page = client.get("/invitations/").text
    assert 'data-testid="no-phone">1名会员的名册上没有手机号' in page
    assert "短信发送（0条未发）" in page
    with run_tasks():
        client.post("/invitations/send/")
    assert len(sms_outbox) == 5  # a second run finds nothing to send


def test_no_invitation_is_sent_to_a_member_who_left_after_the_codes_were_made(
    client_for, zhuxi, units, five, sms_outbox, run_tasks
):
    services.invitations_create(unit=units["school"], by=zhuxi)
    left, *staying = five
    Member.objects.filter(pk=left.pk).update(status="left")
    client = client_for(zhuxi)
    with run_tasks():
        client.post("/invitations/send/")
    assert sent_phones(sms_outbox) == sorted(m.phone for m in staying)
    assert Invitation.objects.get(member=left).sent_at is None
    assert "短信发送（0条未发）" in client.get("/invitations/").text


def test_a_send_that_stops_midway_keeps_what_it_sent_and_a_retry_sends_the_rest(
    client_for, zhuxi, units, five, sms_outbox, run_tasks, monkeypatch
):
    monkeypatch.setattr(services, "INVITATION_SMS_PER_CHUNK", 2)
    services.invitations_create(unit=units["school"], by=zhuxi)
    send, calls = sms.send_in_worker, []

    def failing_on_the_fourth(phone, text):
        calls.append(phone)
        if len(calls) == 4:
            raise ConnectionError("the worker lost the database")
        return send(phone, text)

    monkeypatch.setattr(sms, "send_in_worker", failing_on_the_fourth)
    client = client_for(zhuxi)
    with run_tasks():
        client.post("/invitations/send/")
    sent = Invitation.objects.filter(sent_at__isnull=False).select_related("member")
    assert sent_phones(sms_outbox) == sorted(i.member.phone for i in sent)
    # The first chunk; of the second, the third code is neither marked sent nor its message sent.
    assert len(sms_outbox) == 2
    monkeypatch.setattr(sms, "send_in_worker", send)
    with run_tasks():
        client.post("/invitations/send/")
    assert sent_phones(sms_outbox) == sorted(m.phone for m in five)  # each once
    assert not Invitation.objects.filter(sent_at__isnull=True).exists()


def test_without_an_sms_channel_sending_is_refused_and_nothing_is_queued(
    client_for, zhuxi, units, five, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND, settings.SMS_GATEWAY_URL, settings.DEBUG = "", "", False
    services.invitations_create(unit=units["school"], by=zhuxi)
    with django_capture_on_commit_callbacks() as queued:
        response = client_for(zhuxi).post("/invitations/send/", follow=True)
    assert "本站没有开通短信" in response.text
    assert queued == []
    assert 'data-testid="send"' not in response.text


def test_members_get_the_sms_in_the_site_language_whatever_the_officer_reads(
    client_for, zhuxi, units, five, sms_outbox, run_tasks
):
    services.invitations_create(unit=units["school"], by=zhuxi)
    with run_tasks():
        in_english(client_for(zhuxi)).post("/invitations/send/")
    assert len(sms_outbox) == 5
    assert all(text.startswith("【工会】") for _phone, text in sms_outbox)
    # Its last day as the member's pages write a date (2026年12月21日), not 2026-12-21 in a Chinese sentence.
    assert all(re.search(r"\d{4}年\d{1,2}月\d{1,2}日前有效。$", text) for _phone, text in sms_outbox)


def test_the_page_counts_codes_up_to_the_cap(client_for, zhuxi, units, five, monkeypatch):
    for n in range(3):
        make_member(units["g1"], f"没手机{n}", phone="")
    services.invitations_create(unit=units["school"], by=zhuxi)
    Invitation.objects.filter(member__in=five[:3]).update(used_at=Invitation.objects.first().created_at)
    monkeypatch.setattr(keyset, "COUNT_CAP", 2)
    page = client_for(zhuxi).get("/invitations/").text
    assert 'data-testid="live">超过 2<' in page
    assert 'data-testid="used">超过 2<' in page
    assert "短信发送（2条未发）" in page
    assert 'data-testid="no-phone">超过 2名会员' in page


def test_the_page_reads_a_bounded_number_of_rows(client_for, zhuxi, units, django_assert_max_num_queries):
    for n in range(60):
        make_member(units["g1" if n % 2 else "g2"], f"会员{n}", phone=f"137{n:08d}" if n % 3 else "")
    services.invitations_create(unit=units["school"], by=zhuxi)
    client = client_for(zhuxi)
    with django_assert_max_num_queries(10) as queries:
        page = client.get("/invitations/").text
    assert 'data-testid="live">60<' in page
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 6 and all("LIMIT" in sql.upper() for sql in counts)


# --- the page shows how far a bulk job got, and stops asking once it has ended


def test_while_the_job_waits_the_page_says_so_polls_and_holds_back_a_second_click(client_for, zhuxi, five):
    client = client_for(zhuxi)
    client.post("/invitations/create/")  # queued; the tests' worker takes it only when the request commits
    page = client.get("/invitations/").text
    assert 'data-testid="job-create" data-state="queued"' in page
    assert "生成邀请码：正在排队" in page
    assert 'hx-get="/invitations/status/" hx-trigger="every 3s"' in page
    assert 'data-testid="create" disabled' in page


def test_a_running_job_reports_each_batch_and_the_page_tells_when_it_finished(
    client_for, zhuxi, units, five, run_tasks, monkeypatch
):
    from portal import tasks

    monkeypatch.setattr(services, "INVITATIONS_PER_BATCH", 2)
    seen, create = [], services.invitations_create

    def watched(*, progress, **kwargs):
        def progress_and_look(done):
            progress(done)
            seen.append(tasks.progress_of(units["school"]))

        return create(progress=progress_and_look, **kwargs)

    monkeypatch.setattr(services, "invitations_create", watched)
    client = client_for(zhuxi)
    with run_tasks():
        client.post("/invitations/create/")
    assert [(job.kind, job.state, job.done) for [job] in seen] == [
        ("create", "running", 2),
        ("create", "running", 4),
        ("create", "running", 5),
    ]
    page = client.get("/invitations/").text
    assert 'data-state="done"' in page and "邀请码已生成：本次 5 个" in page
    assert "every 3s" not in page  # nothing more to wait for
    assert 'data-testid="create" disabled' not in page


def test_a_run_that_stopped_says_what_it_kept_and_how_to_go_on(client_for, zhuxi, five, run_tasks, monkeypatch):
    monkeypatch.setattr(services, "INVITATIONS_PER_BATCH", 2)
    codes = ["AAAA2222", "BBBB3333"]

    def two_codes_then_a_failure():
        if not codes:
            raise ConnectionError("the worker lost the database")
        return codes.pop(0)

    monkeypatch.setattr(services, "new_code", two_codes_then_a_failure)
    client = client_for(zhuxi)
    with run_tasks():
        client.post("/invitations/create/")
    page = client.get("/invitations/").text
    assert 'data-state="failed"' in page
    assert "已生成的 2 个都已保存。请再点一次“生成邀请码”" in page
    assert "every 3s" not in page


def test_sending_reports_its_progress_in_english_too(client_for, zhuxi, five, sms_outbox, run_tasks):
    services.invitations_create(unit=five[0].unit, by=zhuxi)
    client = in_english(client_for(zhuxi))
    with run_tasks():
        client.post("/invitations/send/")
    page = client.get("/invitations/").text
    assert 'data-testid="job-send" data-state="done"' in page
    assert "Invitation texts sent: 5 this time" in page


def test_the_polled_part_is_the_figures_alone_for_officers_only(
    client_for, zhuxi, huiyuan, five, django_assert_max_num_queries
):
    client = client_for(zhuxi)
    with django_assert_max_num_queries(10):
        part = client.get("/invitations/status/", headers={"HX-Request": "true"}).text
    assert part.startswith('<div id="invitations-status"') and "<html" not in part
    assert 'data-testid="without-account">' in part
    assert client_for(huiyuan).get("/invitations/status/").status_code == 404
