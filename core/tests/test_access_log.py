"""The chair sees who read which sensitive data, when and from where; nobody else does."""

import datetime

from django.urls import reverse
from django.utils import timezone

from core.models import AccessLog
from members.models import Member


def _reads(user, unit, count, *, fields="身份证号, 手机号"):
    start = timezone.now() - datetime.timedelta(days=1)
    members = [Member.objects.create(unit=unit, name=f"会员{i}", gender="M") for i in range(count)]
    for i, member in enumerate(members):
        log = AccessLog.objects.create(
            user=user,
            unit=unit,
            content_type_id=_member_type(),
            object_id=str(member.pk),
            object_repr=member.name,
            fields=fields,
            ip_address="203.0.113.9",
        )
        AccessLog.objects.filter(pk=log.pk).update(at=start + datetime.timedelta(minutes=i))


def _member_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Member).pk


def test_the_chair_sees_who_read_what_and_when_newest_first(client_for, zhuxi, bangfu, units):
    _reads(bangfu, units["g1"], 3)
    response = client_for(zhuxi).get(reverse("workbench:access_log"))
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [r.object_repr for r in rows] == ["会员2", "会员1", "会员0"]
    html = response.content.decode()
    assert "赵丽" in html and "身份证号, 手机号" in html and "203.0.113.9" in html and "会员" in html


def test_the_log_is_paginated_with_bounded_queries(client_for, zhuxi, bangfu, units, django_assert_max_num_queries):
    _reads(bangfu, units["school"], 45)
    client = client_for(zhuxi)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("workbench:access_log"))
    assert len(first.context["page"]) == 30 and first.context["page"].paginator.num_pages == 2
    assert len(client.get(reverse("workbench:access_log"), {"page": 2}).context["page"]) == 15


def test_the_chair_can_find_one_readers_reads(client_for, zhuxi, bangfu, weiyuan, units):
    _reads(bangfu, units["school"], 2)
    _reads(weiyuan, units["school"], 1)
    page = client_for(zhuxi).get(reverse("workbench:access_log"), {"who": "孙明"}).context["page"]
    assert {r.user for r in page} == {weiyuan}


def test_reads_elsewhere_in_the_tree_are_not_shown(client_for, zhuxi, outsider, units):
    _reads(outsider, units["other"], 2)
    _reads(zhuxi, units["office"], 1)
    assert list(client_for(zhuxi).get(reverse("workbench:access_log")).context["page"]) == []


def test_only_the_chair_may_open_the_log(client_for, xiaozu, weiyuan, bangfu, xianzong, huiyuan, units):
    for user in (xiaozu, weiyuan, bangfu, xianzong, huiyuan):
        assert client_for(user).get(reverse("workbench:access_log")).status_code == 404


def test_the_home_page_links_the_log_for_the_chair_only(client_for, zhuxi, weiyuan):
    assert 'data-testid="access-log-link"' in client_for(zhuxi).get(reverse("workbench:home")).content.decode()
    assert 'data-testid="access-log-link"' not in client_for(weiyuan).get(reverse("workbench:home")).content.decode()


def test_an_empty_log_says_what_will_appear(client_for, zhuxi):
    assert "还没有查看记录" in client_for(zhuxi).get(reverse("workbench:access_log")).content.decode()
