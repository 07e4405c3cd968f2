"""Affairs disclosure after a mistake: an item not yet published is edited or deleted; a published one
stays in the archive unchanged, but one published on the external board by mistake is taken down from it,
with who did it and why."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from democracy.models import DisclosureItem


def item(unit, **fields):
    values = {
        "unit": unit,
        "title": "2025年度财务收支",
        "category": "finance",
        "period": "year",
        "period_label": "2025年",
        "due_on": datetime.date(2026, 1, 15),
    }
    return DisclosureItem.objects.create(**(values | fields))


@pytest.fixture
def draft(units):
    return item(units["school"])


@pytest.fixture
def public(units):
    return item(
        units["school"],
        title="绩效工资发放明细",
        is_public=True,
        published_on=datetime.date(2026, 1, 10),
        content="各教师绩效工资明细（含姓名）",
    )


def test_the_chair_corrects_an_item_not_yet_published(client_for, zhuxi, draft):
    data = {"title": "2025年度工会经费收支", "category": "finance", "period": "year", "period_label": "2025年"}
    response = client_for(zhuxi).post(
        reverse("democracy:disclosure_edit", args=[draft.pk]), {**data, "due_on": "2026-01-20"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.due_on) == ("2025年度工会经费收支", datetime.date(2026, 1, 20))


def test_the_chair_deletes_an_item_planned_by_mistake_after_asking(client_for, zhuxi, draft):
    page = client_for(zhuxi).get(reverse("democracy:disclosure")).content.decode()
    assert reverse("democracy:disclosure_delete", args=[draft.pk]) in page and "确定删除“2025年度财务收支”吗？" in page
    assert client_for(zhuxi).post(reverse("democracy:disclosure_delete", args=[draft.pk])).status_code == 302
    assert not DisclosureItem.objects.exists()


def test_a_published_item_is_neither_edited_nor_deleted(client_for, zhuxi, public):
    client = client_for(zhuxi)
    edit = client.post(reverse("democracy:disclosure_edit", args=[public.pk]), {"title": "改过的"}, follow=True)
    delete = client.post(reverse("democracy:disclosure_delete", args=[public.pk]), follow=True)
    assert "已公开的事项存档后不能修改。" in edit.content.decode()
    assert "已公开的事项存档后不能修改。" in delete.content.decode()
    public.refresh_from_db()
    assert public.title == "绩效工资发放明细"


def test_an_item_public_by_mistake_is_taken_off_the_external_board_and_kept_inside(client, client_for, zhuxi, public):
    board = reverse("democracy:public_board", args=["demo-school"])
    assert "绩效工资发放明细" in client.get(board).content.decode()
    url = reverse("democracy:disclosure_withdraw", args=[public.pk])
    missing = client_for(zhuxi).post(url, {"reason": ""})
    assert missing.status_code == 200 and DisclosureItem.objects.get(pk=public.pk).is_public

    assert client_for(zhuxi).post(url, {"reason": "含有教师个人收入，不宜对外公开"}).status_code == 302

    client.logout()
    assert "绩效工资发放明细" not in client.get(board).content.decode()
    inside = client_for(zhuxi).get(reverse("democracy:disclosure")).content.decode()
    assert "各教师绩效工资明细" in inside and "已撤下，内容仅管理人员可见：含有教师个人收入，不宜对外公开" in inside
    public.refresh_from_db()
    assert (public.withdrawn_by, public.published_on) == (zhuxi, datetime.date(2026, 1, 10))


def test_a_member_changes_nothing_on_the_board(client_for, huiyuan, draft, public):
    client = client_for(huiyuan)
    assert client.post(reverse("democracy:disclosure_edit", args=[draft.pk]), {"title": "x"}).status_code == 404
    assert client.post(reverse("democracy:disclosure_delete", args=[draft.pk])).status_code == 404
    assert client.post(reverse("democracy:disclosure_withdraw", args=[public.pk]), {"reason": "x"}).status_code == 404
    assert DisclosureItem.objects.filter(is_public=True).count() == 1 and DisclosureItem.objects.count() == 2


def test_publishing_asks_first_saying_the_external_page_needs_no_login(client_for, zhuxi, draft):
    page = client_for(zhuxi).get(reverse("democracy:disclosure_publish", args=[draft.pk])).content.decode()
    assert "data-confirm=" in page and "任何人无需登录即可在对外公开页看到。确定公开吗？" in page
    assert ">公开</button>" in page


def test_a_withdrawn_items_text_is_kept_from_members_who_see_when_and_why(client_for, zhuxi, huiyuan, public):
    client_for(zhuxi).post(reverse("democracy:disclosure_withdraw", args=[public.pk]), {"reason": "含有个人信息"})
    on = timezone.localdate(DisclosureItem.objects.get(pk=public.pk).withdrawn_at)
    day = f"{on.year}年{on.month}月{on.day}日"
    member_page = client_for(huiyuan).get(reverse("democracy:disclosure")).content.decode()
    assert "绩效工资发放明细" in member_page and "各教师绩效工资明细" not in member_page
    assert f"{day} 已撤下，内容不再公开：含有个人信息" in member_page
    assert "各教师绩效工资明细" in client_for(zhuxi).get(reverse("democracy:disclosure")).content.decode()


def test_a_withdrawn_item_is_corrected_by_a_new_item_published_once(client, client_for, zhuxi, huiyuan, public):
    chair = client_for(zhuxi)
    correct = reverse("democracy:disclosure_correct", args=[public.pk])
    assert chair.post(correct).status_code == 302  # not withdrawn: refused with a message
    assert DisclosureItem.objects.count() == 1
    chair.post(reverse("democracy:disclosure_withdraw", args=[public.pk]), {"reason": "含有个人信息"})
    page = chair.get(reverse("democracy:disclosure")).content.decode()
    assert correct in page and ">发布更正稿</button>" in page

    response = chair.post(correct)
    correction = DisclosureItem.objects.get(corrects=public)
    assert response["Location"] == reverse("democracy:disclosure_publish", args=[correction.pk])
    assert (correction.title, correction.content, correction.is_published) == (
        "绩效工资发放明细（更正）",
        "各教师绩效工资明细（含姓名）",
        False,
    )
    assert correction.due_on == timezone.localdate() and not correction.is_overdue(timezone.localdate())
    assert chair.post(correct).status_code == 302 and DisclosureItem.objects.count() == 2  # once
    chair.post(
        reverse("democracy:disclosure_publish", args=[correction.pk]),
        {"content": "绩效工资按岗位等级发放，总额12.6万元", "is_public": "on"},
    )
    client.logout()
    board = client.get(reverse("democracy:public_board", args=["demo-school"])).content.decode()
    assert "绩效工资按岗位等级发放" in board and "各教师绩效工资明细" not in board
    member_page = client_for(huiyuan).get(reverse("democracy:disclosure")).content.decode()
    assert "更正“绩效工资发放明细”（原公开内容已撤下）" in member_page and "总额12.6万元" in member_page
    assert "各教师绩效工资明细" not in member_page
    public.refresh_from_db()
    assert public.content == "各教师绩效工资明细（含姓名）"  # the archive keeps what was published


def test_a_member_cannot_correct(client_for, zhuxi, huiyuan, public):
    client_for(zhuxi).post(reverse("democracy:disclosure_withdraw", args=[public.pk]), {"reason": "含有个人信息"})
    assert client_for(huiyuan).post(reverse("democracy:disclosure_correct", args=[public.pk])).status_code == 404
    assert DisclosureItem.objects.count() == 1


def test_the_board_reads_corrections_in_bounded_queries(client_for, zhuxi, units, django_assert_max_num_queries):
    from democracy.services.disclosure import disclosure_correct, disclosure_withdraw

    for number in range(12):
        published = item(
            units["school"], title=f"事项{number}", is_public=True, published_on=datetime.date(2026, 1, 10)
        )
        disclosure_withdraw(item=published, by=zhuxi, reason="有误")
        disclosure_correct(item=published, today=datetime.date(2026, 2, 1))
    client = client_for(zhuxi)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("democracy:disclosure")).content.decode()
    assert page.count('data-testid="corrected"') + page.count('data-testid="corrects"') >= 12


def test_a_correction_counts_as_the_item_it_corrects_in_the_years_figures(units, zhuxi, public):
    from democracy import figures
    from democracy.services.disclosure import disclosure_correct, disclosure_publish, disclosure_withdraw

    before = figures.disclosure_on_time(units["school"], 2026)
    disclosure_withdraw(item=public, by=zhuxi, reason="有误")
    correction = disclosure_correct(item=public, today=datetime.date(2026, 1, 20))
    disclosure_publish(item=correction, content="更正后的内容", by=zhuxi, today=datetime.date(2026, 1, 25))
    assert figures.disclosure_on_time(units["school"], 2026) == before
    summary = figures.year_summary(units["school"], 2026)
    assert "校务（厂务）公开1项" in " ".join(summary.paragraphs)


def test_an_item_published_only_inside_is_taken_down_too(client_for, units, zhuxi, huiyuan):
    inside = item(
        units["school"], title="困难职工名单", published_on=datetime.date(2026, 1, 10), content="张三 身份证…"
    )
    page = client_for(zhuxi).get(reverse("democracy:disclosure")).content.decode()
    url = reverse("democracy:disclosure_withdraw", args=[inside.pk])
    assert url in page
    assert 'data-confirm="撤下后' in client_for(zhuxi).get(url).content.decode()
    assert client_for(zhuxi).post(url, {"reason": "含有身份证号"}).status_code == 302
    inside.refresh_from_db()
    assert inside.withdrawn_by == zhuxi and inside.published_on == datetime.date(2026, 1, 10)
    board = client_for(huiyuan).get(reverse("democracy:disclosure")).content.decode()
    assert "张三" not in board and "已撤下，内容不再公开：含有身份证号" in board


def test_an_item_not_yet_published_or_already_withdrawn_offers_no_withdrawal(client_for, zhuxi, draft):
    url = reverse("democracy:disclosure_withdraw", args=[draft.pk])
    response = client_for(zhuxi).get(url, follow=True)
    assert "还没有公开，无需撤下" in response.content.decode() and 'name="reason"' not in response.content.decode()


ID_LIKE = "110105199003071234"


def test_publishing_an_id_number_to_the_external_page_is_held_back_once_with_a_warning(
    client, client_for, zhuxi, draft
):
    url = reverse("democracy:disclosure_publish", args=[draft.pk])
    content = f"获奖教师：李老师，身份证号 {ID_LIKE}"
    chair = client_for(zhuxi)
    page = chair.post(url, {"content": content, "is_public": "on"}).content.decode()
    assert "像身份证号的18位号码（110105********1234）" in page and content in page
    assert not DisclosureItem.objects.get(pk=draft.pk).is_published
    # Confirmed, it is published as written; inside only, no warning is needed.
    chair.post(url, {"content": content, "is_public": "on", "id_numbers_confirmed": "on"})
    assert DisclosureItem.objects.get(pk=draft.pk).is_public


def test_an_id_number_published_inside_only_is_not_held_back(client_for, zhuxi, draft):
    url = reverse("democracy:disclosure_publish", args=[draft.pk])
    client_for(zhuxi).post(url, {"content": f"名单 {ID_LIKE}"})
    assert DisclosureItem.objects.get(pk=draft.pk).is_published


PLANNED = {"title": "2026年度财务收支", "category": "finance", "period": "year", "period_label": "2026年"}


@pytest.mark.parametrize("due_on", ["0001-01-01", "2099-01-01"])
def test_a_due_date_far_from_today_is_refused(client_for, zhuxi, due_on):
    page = client_for(zhuxi).post(reverse("democracy:disclosure_create"), {**PLANNED, "due_on": due_on})
    assert "应公开日期应在" in page.content.decode() and not DisclosureItem.objects.exists()


def test_a_new_item_is_confirmed_and_the_same_item_twice_is_refused(client_for, zhuxi):
    url = reverse("democracy:disclosure_create")
    data = {**PLANNED, "due_on": timezone.localdate().isoformat()}
    response = client_for(zhuxi).post(url, data, follow=True)
    assert "已新增“2026年度财务收支”" in response.content.decode()
    page = client_for(zhuxi).post(url, data).content.decode()
    assert "这一期间已有同名的公开事项。" in page and DisclosureItem.objects.count() == 1


def test_a_member_is_offered_the_opinion_box_beside_a_published_item(client_for, huiyuan, public):
    page = client_for(huiyuan).get(reverse("democracy:disclosure")).content.decode()
    assert 'data-testid="feedback"' in page and reverse("democracy:opinions") in page


def test_the_publish_page_says_what_the_external_board_means_and_offers_a_way_back(client_for, zhuxi, draft):
    """A part-time chair on her phone: the box 对外公开 says who will see it, and 取消 leads back to the list
    (the browser's own back is out of sight there)."""
    page = client_for(zhuxi).get(reverse("democracy:disclosure_publish", args=[draft.pk])).content.decode()
    assert "勾选后无需登录即可在公开页看到。" in page
    assert f'href="{reverse("democracy:disclosure")}" data-testid="cancel">取消</a>' in page


def test_an_item_already_published_is_not_offered_for_publishing_again(client_for, zhuxi, public):
    """An old link to 公开 (a second officer, a notification) no longer opens a form that takes new text only
    to refuse it: the list, with when it was published."""
    client = client_for(zhuxi)
    response = client.get(reverse("democracy:disclosure_publish", args=[public.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("democracy:disclosure")
    page = client.get(response["Location"]).content.decode()
    assert "“绩效工资发放明细”已于2026年1月10日公开。" in page


@pytest.mark.parametrize(
    ("name", "args", "back"),
    [
        ("democracy:disclosure_create", [], "democracy:disclosure"),
        ("democracy:congress_create", [], "democracy:congresses"),
        ("democracy:ballot_create", [], "democracy:ballots"),
        ("democracy:notice_create", [], "democracy:notices"),
    ],
)
def test_every_democracy_form_has_a_cancel_back_to_its_list(client_for, zhuxi, name, args, back):
    page = client_for(zhuxi).get(reverse(name, args=args)).content.decode()
    assert f'href="{reverse(back)}" data-testid="cancel">' in page


def test_the_overdue_warning_says_in_english_what_is_overdue(client_for, zhuxi, draft, settings):
    """“Items overdue: 1.” left an English reader to guess overdue for what: the item is due, not published."""
    client = client_for(zhuxi)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("democracy:disclosure")).content.decode()
    assert "1 item is past its due date and not yet published." in page  # draft: due 15 January 2026
