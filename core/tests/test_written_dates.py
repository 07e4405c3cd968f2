"""A day or a moment put in a message is written as the pages write dates (Django's locale formats: 2026年12月7日,
2026年12月7日 14:30; Dec. 7, 2026 in English), in the language of whoever reads the message."""

import datetime

from django.utils import timezone, translation

from core.language import written_date, written_time
from core.models import Notification
from core.notifications import notify

DAY = datetime.date(2026, 12, 7)
MOMENT = timezone.make_aware(datetime.datetime(2026, 12, 7, 14, 30))


def test_a_day_and_a_moment_are_written_in_the_locales_format():
    assert str(written_date(DAY)) == "2026年12月7日"
    assert str(written_time(MOMENT)) == "2026年12月7日 14:30"
    with translation.override("en"):
        assert str(written_date(DAY)) == "Dec. 7, 2026"
        assert str(written_time(MOMENT)) == "Dec. 7, 2026, 2:30 p.m."


def test_a_date_in_a_notification_is_written_in_its_readers_language(zhuxi, huiyuan):
    huiyuan.language = "en"
    huiyuan.save(update_fields=["language"])
    for person in (zhuxi, huiyuan):
        notify(person, text="%(due)s", params={"due": written_date(DAY)}, send=False)
    assert "2026年12月7日" in Notification.objects.get(user=zhuxi).text
    assert "Dec. 7, 2026" in Notification.objects.get(user=huiyuan).text
