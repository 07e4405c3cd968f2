"""The home page's 正在报名的活动 card lists each open activity with the day it is held and its places, as one
sentence (in English "on Dec. 20", not "held Dec. 20": it is still to come): in English an activity without a cap on places reads "no limit on places" inside the brackets, not
the capitalised "No limit" of the list's badge."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from activities.models import Status
from activities.services import summary_save, summary_submit
from core.testing import in_english


def test_the_chairs_home_page_says_an_open_activity_has_no_limit_on_places(
    client_for, zhuxi, make_activity, django_assert_max_num_queries
):
    make_activity(title="读书分享会", capacity=None)
    make_activity(title="趣味运动会", capacity=30)
    client = in_english(client_for(zhuxi))
    with django_assert_max_num_queries(36):
        html = client.get(reverse("workbench:home")).content.decode()
    assert "读书分享会 (on " in html  # still to come: not "held"
    assert ", no limit on places)" in html and "No limit)" not in html
    assert ", 30 places left)" in html
    # The list's badge keeps its own short words.
    listing = client.get(reverse("activities:list")).content.decode()
    assert ">No limit</span>" in listing


def test_in_chinese_the_card_says_不限名额(client_for, zhuxi, make_activity):
    make_activity(title="读书分享会", capacity=None)
    html = client_for(zhuxi).get(reverse("workbench:home")).content.decode()
    assert "读书分享会（" in html and "举办，不限名额）" in html


def test_the_summaries_card_says_what_its_figure_counts(client_for, zhuxi, xiaozu, make_activity, units):
    """活动总结 on the chair's home page: its big figure is the summaries waiting for her review, and says so
    (1 份待审阅, "1 to review"), as 入会申请 says 3 份待审批, rather than a bare 1."""
    held = {"status": Status.HELD, "starts_at": timezone.now() - datetime.timedelta(days=3)}
    done = make_activity(unit=units["g1"], title="端午包粽子活动", **held)
    summary_submit(summary=summary_save(activity=done, text="总结", by=xiaozu), by=xiaozu)
    home = reverse("workbench:home")
    html = client_for(zhuxi).get(home).content.decode()
    assert re.search(r">\s*1 份待审阅\s*<", html)
    english = in_english(client_for(zhuxi)).get(home).content.decode()
    assert re.search(r">\s*1 to review\s*<", english)
