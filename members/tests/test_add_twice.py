"""Registering by hand: a form posted twice makes one member, and a phone already on the roster is pointed out."""

import datetime

from django.urls import reverse

from members.models import Member

WITHOUT_ID = {
    "name": "测试电话",
    "gender": "F",
    "birth_date": "1990-05-04",
    "phone": "13912345678",
    "category": "teacher",
}


def test_the_same_member_without_id_number_posted_twice_is_registered_once(client_for, zhuxi, units):
    client = client_for(zhuxi)
    values = {**WITHOUT_ID, "unit": units["g1"].pk}
    assert client.post(reverse("members:add"), values).status_code == 302
    again = client.post(reverse("members:add"), values)
    assert again.status_code == 200 and "刚刚已经登记过了" in again.context["form"].non_field_errors()[0]
    assert Member.objects.filter(name="测试电话").count() == 1
    # Another phone is another record: a namesake born the same day.
    assert client.post(reverse("members:add"), {**values, "phone": "13912345679"}).status_code == 302


def test_a_record_like_one_registered_long_ago_is_taken(client_for, zhuxi, units):
    client = client_for(zhuxi)
    values = {**WITHOUT_ID, "unit": units["g1"].pk}
    client.post(reverse("members:add"), values)
    Member.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert client.post(reverse("members:add"), values).status_code == 302


def test_a_phone_another_member_has_is_pointed_out_to_whoever_may_see_that_member(
    client_for, zhuxi, units, make_member
):
    make_member("陈亮", "g1", phone="13912345678")
    make_member("王芳", "office", gender="F", phone="13700000000")
    response = client_for(zhuxi).post(reverse("members:add"), {**WITHOUT_ID, "unit": units["g1"].pk}, follow=True)
    assert "手机号与会员陈亮（东关完小工会小组）相同" in response.content.decode()
    # A member out of sight is never named: the warning would tell whose phone it is.
    values = {**WITHOUT_ID, "name": "李丽", "phone": "13700000000", "unit": units["g1"].pk}
    response = client_for(zhuxi).post(reverse("members:add"), values, follow=True)
    assert "相同" not in response.content.decode() and Member.objects.filter(name="李丽").exists()
