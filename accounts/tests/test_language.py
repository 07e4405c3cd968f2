"""The language switch is remembered on the login, as 大字版 is: another browser opens in it, and what the
product tells the person is written in it. A browser's own choice (its cookie) still comes first."""

from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy as lazily  # not for makemessages: the message is activities'

from core.notifications import notify


def test_the_switch_keeps_the_choice_on_the_login_and_another_browser_opens_in_it(client_for, zhuxi):
    response = client_for(zhuxi).post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    zhuxi.refresh_from_db()
    assert zhuxi.language == "en"

    phone = Client()  # no cookie of its own
    phone.force_login(zhuxi)
    assert '<html lang="en"' in phone.get(reverse("workbench:home")).content.decode()
    # The browser's own choice comes first.
    phone.cookies["gonghui_language"] = "zh-hans"
    assert '<html lang="zh-CN"' in phone.get(reverse("workbench:home")).content.decode()


def test_a_person_who_never_chose_reads_chinese_and_a_stray_value_changes_nothing(client_for, zhuxi):
    assert '<html lang="zh-CN"' in client_for(zhuxi).get(reverse("workbench:home")).content.decode()
    client_for(zhuxi).post(reverse("set_language"), {"language": "fr", "next": "/"})
    zhuxi.refresh_from_db()
    assert zhuxi.language == ""


def test_what_the_product_tells_a_person_is_in_the_language_they_chose(zhuxi, weiyuan):
    zhuxi.language = "en"
    message = lazily("活动“%(title)s”已取消。")
    assert (
        notify(zhuxi, text=message, params={"title": "羽毛球赛"}).text == "The activity “羽毛球赛” has been cancelled."
    )
    assert notify(weiyuan, text=message, params={"title": "羽毛球赛"}).text == "活动“羽毛球赛”已取消。"
