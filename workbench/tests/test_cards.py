"""Unread notifications from every app meet the person on the home page, until they mark them read."""

from django.urls import reverse

from core.notifications import mark_read, notify


def test_a_members_freed_place_is_on_her_home_page_until_she_reads_it(client_for, huiyuan):
    notify(huiyuan, text="候补成功：您已获得“读书分享会”的名额。", url="/activities/1/", send=False)
    client = client_for(huiyuan)
    html = client.get(reverse("workbench:home")).content.decode()
    assert "候补成功" in html and 'href="/activities/1/"' in html
    assert "候补成功" in client.get(reverse("workbench:home")).content.decode()  # reading changes nothing
    mark_read(huiyuan)
    assert "候补成功" not in client.get(reverse("workbench:home")).content.decode()


def test_a_new_sites_administrator_is_shown_where_to_start_not_modules_that_404(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password="x", full_name="管理员")
    client.force_login(admin)
    html = client.get(reverse("workbench:home")).content.decode()
    assert "还没有可以进入的单位" in html and 'href="/admin/"' in html
    assert 'href="/members/"' not in html and 'href="/plans/"' not in html


def test_an_empty_to_do_list_says_what_will_come_to_the_person_reading_it(client_for, huiyuan, zhuxi):
    member = client_for(huiyuan).get(reverse("workbench:todo")).content.decode()
    assert "请您评价办理结果时" in member and "上级的报送任务" not in member
    chair = client_for(zhuxi).get(reverse("workbench:todo")).content.decode()
    assert "上级的报送任务" in chair and "请您评价办理结果时" not in chair
