"""core.notifications: in the app at once, e-mail (or SMS, WeChat Work) through the worker after commit,
per-person preferences and a daily digest that never sends twice."""

import pytest
from django.urls import reverse

from core import notifications
from core.models import Notification, NotificationPreference

ALL = [
    "core.notifications.EmailChannel",
    "core.notifications.SmsChannel",
    "core.notifications.WeComChannel",
    "core.notifications.ConsoleChannel",
]


@pytest.fixture
def with_email(zhuxi):
    zhuxi.email = "zhuxi@example.cn"
    zhuxi.phone = "13800001111"
    zhuxi.save()
    return zhuxi


def test_a_notice_is_in_the_app_at_once_and_mailed_after_commit(
    with_email, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notice = notifications.notify(with_email, text="年度计划被退回：补充", url="/federation/calls/1/")
        assert mailoutbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    assert [m.subject for m in mailoutbox] == ["年度计划被退回：补充"]
    assert (
        "http://127.0.0.1:8000/federation/calls/1/" in mailoutbox[0].body
        or "/federation/calls/1/" in mailoutbox[0].body
    )
    notice.refresh_from_db()
    assert notice.delivered_at is not None


def test_a_return_comment_over_several_lines_is_still_mailed_its_subject_on_one_line(
    with_email, mailoutbox, django_capture_on_commit_callbacks
):
    text = "“2027年工作计划”被退回：请补充以下内容：\n1. 年度目标\r\n2. 经费预算"
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(with_email, text=text, url="/federation/calls/1/")
    assert [m.subject for m in mailoutbox] == ["“2027年工作计划”被退回：请补充以下内容： 1. 年度目标 2. 经费预算"]
    assert mailoutbox[0].body.startswith(text)  # the body keeps the lines


def test_a_person_who_turned_email_off_gets_only_the_app(with_email, mailoutbox, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=with_email, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(with_email, text="提醒")
    assert mailoutbox == [] and Notification.objects.filter(user=with_email).count() == 1


def test_the_daily_digest_sends_one_message_and_never_twice(with_email, mailoutbox, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=with_email, daily_digest=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifications.notify(with_email, text="第一条")
        notifications.notify(with_email, text="第二条")
    assert callbacks == [] and mailoutbox == []
    assert notifications.send_daily_digest() == 1
    assert len(mailoutbox) == 1 and "第一条" in mailoutbox[0].body and "第二条" in mailoutbox[0].body
    assert mailoutbox[0].subject == "工会工作台：您有 2 条新通知"
    assert notifications.send_daily_digest() == 0 and len(mailoutbox) == 1


def test_the_digest_is_mailed_in_the_language_its_reader_chose(
    with_email, mailoutbox, django_capture_on_commit_callbacks
):
    with_email.language = "en"
    with_email.save(update_fields=["language"])
    NotificationPreference.objects.create(user=with_email, daily_digest=True)
    notifications.notify(with_email, text="第一条")
    notifications.notify(with_email, text="第二条")
    assert notifications.send_daily_digest() == 1
    assert mailoutbox[0].subject == "Gonghui: you have 2 new notifications"


def test_sms_and_wechat_work_are_channels_behind_the_same_interface(
    with_email, settings, monkeypatch, mailoutbox, capsys
):
    settings.NOTIFICATION_CHANNELS = ALL
    settings.SMS_GATEWAY_URL = "https://sms.example.cn/send"
    settings.WECOM_CORP_ID, settings.WECOM_SECRET, settings.WECOM_AGENT_ID = "corp", "secret", "1000002"
    NotificationPreference.objects.create(user=with_email, sms=True, wecom=True, wecom_userid="WangJianGuo")
    posted = []

    def fake_post(url, payload, timeout=10):
        posted.append((url.split("?")[0], payload))
        return {"access_token": "t"} if "gettoken" in url else {"errcode": 0}

    monkeypatch.setattr(notifications, "_post_json", fake_post)
    notice = Notification.objects.create(user=with_email, text="报表任务：统计年报", url="/x/")
    sent = notifications.deliver(with_email, [notice])
    assert sent == ["email", "sms", "wecom", "console"]
    assert ("https://sms.example.cn/send", {"phone": "13800001111", "text": "报表任务：统计年报"}) in posted
    message = next(p for url, p in posted if url.endswith("/message/send"))
    assert message["touser"] == "WangJianGuo" and message["agentid"] == "1000002"
    assert "[notify zhuxi] 报表任务：统计年报" in capsys.readouterr().out


def test_a_failing_channel_does_not_stop_the_others(with_email, settings, monkeypatch, mailoutbox):
    settings.NOTIFICATION_CHANNELS = ["core.notifications.SmsChannel", "core.notifications.EmailChannel"]
    NotificationPreference.objects.create(user=with_email, sms=True)
    settings.SMS_GATEWAY_URL = ""  # misconfigured: the SMS channel raises
    notice = Notification.objects.create(user=with_email, text="提醒")
    assert notifications.deliver(with_email, [notice]) == ["email"] and len(mailoutbox) == 1


def test_a_person_sets_preferences_and_reads_notices_on_the_page(client_for, zhuxi):
    notifications.notify(zhuxi, text="年度计划已被上级采纳。", url="/federation/", send=False)
    client = client_for(zhuxi)
    page = client.get(reverse("federation:notifications")).content.decode()
    assert "年度计划已被上级采纳" in page
    # Reading the page changes nothing (a GET never writes); the button marks them read.
    assert Notification.objects.filter(user=zhuxi, read_at__isnull=True).exists()
    client.post(reverse("federation:notifications"), {"mark_read": "1"})
    assert not Notification.objects.filter(user=zhuxi, read_at__isnull=True).exists()
    client.post(
        reverse("federation:notifications"),
        {"save_preferences": "1", "email": "on", "daily_digest": "on", "wecom_userid": ""},
    )
    prefs = NotificationPreference.objects.get(user=zhuxi)
    assert prefs.email and prefs.daily_digest and not prefs.sms


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(client_for, zhuxi, xiaozu):
    first = notifications.notify(zhuxi, text="年度总结被退回：补充数据", url="/plans/summaries/", send=False)
    other = notifications.notify(zhuxi, text="新的报送任务", url="/federation/", send=False)
    client = client_for(zhuxi)
    page = client.get(reverse("federation:notifications")).content.decode()
    assert reverse("federation:notification_open", args=[first.pk]) in page and "未读" in page
    response = client.post(reverse("federation:notification_open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/plans/summaries/"
    first.refresh_from_db(), other.refresh_from_db()
    assert first.read_at is not None and other.read_at is None  # the one opened only
    # Someone else's notice is not theirs to open; a GET (a browser fetching ahead) opens nothing.
    assert client_for(xiaozu).post(reverse("federation:notification_open", args=[other.pk])).status_code == 404
    assert client_for(zhuxi).get(reverse("federation:notification_open", args=[other.pk])).status_code == 405
    other.refresh_from_db()
    assert other.read_at is None
