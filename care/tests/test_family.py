"""A hardship file's family changes (a child goes to university, a parent falls ill, someone moves out):
its members are edited and removed on the file, which then counts as updated. A care mark (a long sick
leave) is taken off when it no longer holds, and its visit reminders stop."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import FamilyMember, Household
from core.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(household):
    Household.objects.filter(pk=household.pk).update(updated_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    return FamilyMember.objects.create(
        household=household, name="刘子涵", relation="子女", birth_year=2008, health="健康"
    )


def test_the_care_officer_edits_a_family_member_and_the_file_counts_as_updated(client_for, bangfu, household, child):
    url = reverse("care:family_edit", args=[child.pk])
    client = client_for(bangfu)
    form = client.get(url).content.decode()
    assert 'value="刘子涵"' in form
    assert AccessLog.objects.filter(user=bangfu, object_id=str(household.pk), fields="家庭成员").exists()

    data = {"name": "刘子涵", "relation": "子女", "birth_year": "2008", "occupation": "大学一年级", "health": "健康"}
    response = client.post(url, {**data, "monthly_income": "0", "university_year": "2026"})

    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.occupation, child.university_year) == ("大学一年级", 2026)
    assert Household.objects.get(pk=household.pk).updated_at.year > 2025


def test_a_family_member_is_removed_after_asking(client_for, bangfu, household, child):
    page = client_for(bangfu).get(reverse("care:household_detail", args=[household.pk])).content.decode()
    assert reverse("care:family_remove", args=[child.pk]) in page and "确定从档案中移除刘子涵吗？" in page

    response = client_for(bangfu).post(reverse("care:family_remove", args=[child.pk]))

    assert response.status_code == 302 and not FamilyMember.objects.filter(pk=child.pk).exists()
    assert Household.objects.get(pk=household.pk).updated_at.year > 2025


@pytest.mark.parametrize("persona", ["xiaozu", "huiyuan", "outsider"])
def test_others_neither_edit_nor_remove_a_family_member(persona, request, client_for, child):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("care:family_edit", args=[child.pk])).status_code == 404
    assert client.post(reverse("care:family_remove", args=[child.pk])).status_code == 404
    assert FamilyMember.objects.filter(pk=child.pk, occupation="").exists()


def test_a_sick_leave_mark_is_taken_off_after_asking_and_its_reminders_stop(client_for, bangfu, units, add_member):
    from care import reminders
    from care.models import CareTag

    today = timezone.localdate()
    member = add_member("张娜")
    tag = CareTag.objects.create(
        unit=member.unit, member=member, kind="sick_leave", since=today - datetime.timedelta(days=200)
    )
    assert [r.name for r in reminders.sick_leave(units["school"], today=today)] == ["张娜"]
    page = client_for(bangfu).get(reverse("care:tags")).content.decode()
    assert reverse("care:tag_remove", args=[tag.pk]) in page and "慰问名单和探望提醒不再据此列入" in page

    assert client_for(bangfu).post(reverse("care:tag_remove", args=[tag.pk])).status_code == 302

    assert not CareTag.objects.exists() and reminders.sick_leave(units["school"], today=today) == []


def test_a_member_may_not_take_a_mark_off(client_for, huiyuan, add_member):
    from care.models import CareTag

    member = add_member("张娜")
    tag = CareTag.objects.create(unit=member.unit, member=member, kind="sick_leave", since=datetime.date(2026, 1, 1))
    assert client_for(huiyuan).post(reverse("care:tag_remove", args=[tag.pk])).status_code == 404
    assert CareTag.objects.filter(pk=tag.pk).exists()


def test_a_birth_year_or_university_year_no_one_could_have_is_named_on_its_field(client_for, bangfu, child):
    this_year = timezone.localdate().year
    url = reverse("care:family_edit", args=[child.pk])
    data = {"name": "刘子涵", "relation": "子女", "occupation": "", "health": "", "monthly_income": "0"}
    client = client_for(bangfu)
    for typed, field in (
        ({"birth_year": "1800"}, "birth_year"),
        ({"birth_year": str(this_year + 4)}, "birth_year"),
        ({"birth_year": "2008", "university_year": "2012"}, "university_year"),  # at four years old
    ):
        response = client.post(url, {**data, **typed})
        assert response.status_code == 200 and list(response.context["form"].errors) == [field], typed
    child.refresh_from_db()
    assert child.birth_year != 1800


def test_a_university_year_is_told_against_a_birth_year_only_when_that_one_could_be(client_for, bangfu, child):
    """bangfu typed 3000 for the birth year and 1700 for the university year: the page said 考入大学年份应为
    3010到2027年, a range with no year in it. Now it names the years it means, or that the child is too young."""
    this_year = timezone.localdate().year
    url = reverse("care:family_edit", args=[child.pk])
    data = {"name": "刘子涵", "relation": "子女", "occupation": "", "health": "", "monthly_income": "0"}
    client = client_for(bangfu)

    response = client.post(url, {**data, "birth_year": "3000", "university_year": "1700"})
    errors = response.context["form"].errors
    assert errors["university_year"] == [f"考入大学年份应为{this_year - 30}到{this_year + 1}年。"]

    response = client.post(url, {**data, "birth_year": str(this_year - 3), "university_year": str(this_year)})
    errors = response.context["form"].errors
    assert errors["university_year"] == [f"{this_year - 3}年出生的孩子还不到上大学的年龄。"]
    child.refresh_from_db()
    assert child.birth_year == 2008
