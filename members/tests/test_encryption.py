"""No silent loss: a member whose ID number and phone no key can read keeps them through a save."""

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.encryption import is_unreadable
from members.models import Member


def _edit_data(member, **changes):
    data = {
        "name": member.name,
        "gender": member.gender,
        "birth_date": member.birth_date.isoformat(),
        "id_number": "",
        "phone": "",
        "unit": member.unit_id,
        "category": member.category,
        "joined_on": "",
        "card_number": "",
        "note": "",
    }
    data.update(changes)
    return data


def test_a_wrong_key_loses_nothing_when_the_member_form_is_saved(client_for, zhuxi, make_member, settings):
    member = make_member("张伟", "g1")
    id_number, phone, index = member.id_number, member.phone, member.id_number_index
    right_keys = list(django_settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the deployment lost its key

    client = client_for(zhuxi)
    page = client.get(reverse("members:edit", args=[member.pk])).content.decode()
    assert "无法读取" in page and "留空保存将保留原值" in page
    detail = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "无法读取" in detail
    response = client.post(reverse("members:edit", args=[member.pk]), _edit_data(member, note="调入东关完小"))
    assert response.status_code == 302
    stored = Member.objects.get(pk=member.pk)
    assert is_unreadable(stored.id_number) and stored.note == "调入东关完小"
    assert stored.id_number_index == index

    settings.FIELD_ENCRYPTION_KEYS = right_keys  # the key is found again
    stored = Member.objects.get(pk=member.pk)
    assert (stored.id_number, stored.phone, stored.note) == (id_number, phone, "调入东关完小")


def test_an_unreadable_value_is_replaced_only_by_a_new_value(make_member, settings):
    member = make_member("张伟", "g1")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    stored = Member.objects.get(pk=member.pk)
    stored.phone = ""
    assert is_unreadable(stored.phone)
    stored.phone = "13900000000"
    stored.save()
    assert Member.objects.get(pk=member.pk).phone == "13900000000"


def test_the_blind_index_holds_each_id_number_once_and_none_for_members_without_one(make_member):
    """Members without an ID number (not yet collected) have none in the blind index, however many they
    are; a second member with a number already on file is refused by the database."""
    without = [make_member(name, id_number="") for name in ("王芳", "李娜")]
    assert [m.id_number_index for m in Member.objects.filter(pk__in=[m.pk for m in without])] == [None, None]
    first = make_member("张伟")
    assert first.id_number_index
    with pytest.raises(IntegrityError), transaction.atomic():
        make_member("张伟（重复）", id_number=first.id_number)
    assert Member.objects.filter(id_number_index=first.id_number_index).get() == first


def test_nothing_of_the_id_number_is_stored_in_clear_in_the_roster_or_its_history(make_member):
    """Whoever reads the database sees the birth date in clear (the birthday reminders' index needs it)
    and the unit: beside them the ID number's last four would give the number back, so no column of a
    member or of its history holds them, only the encrypted number and its keyed blind index."""
    from django.db import connection

    member = make_member("李娜", "g1")
    member.note = "调入东关完小"
    member.save()  # a second history row
    last_four = member.id_number[-4:]
    for table in (Member._meta.db_table, Member.history.model._meta.db_table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")
            names = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        assert rows
        for row in rows:
            clear = {name: value for name, value in zip(names, row, strict=True) if isinstance(value, str)}
            assert not [name for name, value in clear.items() if value == last_four or member.id_number in value]
