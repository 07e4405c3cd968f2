"""The chair's opinion inbox: what waits for an answer comes first on every database, an opinion is
answered once (a correction is asked for as such), and a signed one is not published unless chosen."""

import datetime

from django.urls import reverse

from democracy.models import Opinion


def _opinion(units, text, received, *, author=None, replied=None):
    return Opinion.objects.create(
        unit=units["school"],
        author=author,
        text=text,
        received_on=received,
        reply="已办" if replied else "",
        replied_on=replied,
    )


def test_unanswered_opinions_come_first_then_the_latest_answered(client_for, units, zhuxi):
    day = datetime.date(2026, 3, 1)
    _opinion(units, "早答复的", day, replied=day + datetime.timedelta(days=1))
    _opinion(units, "新来的未答复", day + datetime.timedelta(days=3))
    _opinion(units, "刚答复的", day + datetime.timedelta(days=2), replied=day + datetime.timedelta(days=5))
    _opinion(units, "老的未答复", day - datetime.timedelta(days=9))
    page = client_for(zhuxi).get(reverse("democracy:opinion_inbox")).content.decode()
    shown = ["新来的未答复", "老的未答复", "刚答复的", "早答复的"]
    assert sorted(shown, key=page.index) == shown


def test_a_second_reply_is_refused_and_leaves_the_first_and_its_publication(client_for, units, huiyuan, zhuxi):
    opinion = _opinion(units, "操场灯坏了", datetime.date(2026, 3, 1))
    url = reverse("democracy:opinion_reply", args=[opinion.pk])
    client = client_for(zhuxi)
    client.post(url, {"reply": "本周修好"})
    response = client.post(url, {"reply": "另一个答复", "publish": "on"}, follow=True)
    assert "这条意见已经答复过了" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.reply == "本周修好" and not opinion.is_published


def test_a_correction_replaces_the_reply_saying_again_whether_it_is_published(client_for, units, zhuxi):
    first_day = datetime.date(2026, 3, 2)
    opinion = _opinion(units, "操场灯坏了", datetime.date(2026, 3, 1), replied=first_day)
    client = client_for(zhuxi)
    page = client.get(reverse("democracy:opinion_inbox")).content.decode()
    assert "更正答复" in page and 'data-confirm="更正后的答复将替换原答复' in page
    url = reverse("democracy:opinion_reply", args=[opinion.pk])
    client.post(url, {"reply": "已经修好", "publish": "on", "correcting": "True"})
    opinion.refresh_from_db()
    assert opinion.reply == "已经修好" and opinion.is_published and opinion.replied_on == first_day


def test_publishing_is_ticked_in_advance_only_for_an_anonymous_opinion(client_for, units, huiyuan, zhuxi):
    signed = _opinion(units, "我家孩子入托难", datetime.date(2026, 3, 1), author=huiyuan)
    anonymous = _opinion(units, "食堂太咸", datetime.date(2026, 3, 1))
    page = client_for(zhuxi).get(reverse("democracy:opinion_inbox")).content.decode()

    def checkbox(opinion):
        at = page.index(f'id="id_{opinion.pk}_publish"')
        return page[page.rindex("<input", 0, at) : page.index(">", at)]

    signed_box, anonymous_box = checkbox(signed), checkbox(anonymous)
    assert "checked" not in signed_box and "checked" in anonymous_box
    # One form per opinion, each with ids of its own.
    assert page.count('id="id_reply"') == 0
