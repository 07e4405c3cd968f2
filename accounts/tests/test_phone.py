"""A login's phone number is encrypted at rest like a member's, and found by its blind index."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from accounts.models import User

fill = importlib.import_module("accounts.migrations.0004_fill_encrypted_user_phone")


def _stored(user):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, phone_index FROM accounts_user WHERE id = %s", [user.pk])
        return cursor.fetchone()


def test_the_phone_is_stored_encrypted_and_found_by_its_index(db):
    user = User.objects.create_user(username="zhang", password="x", phone="13812345678")
    stored, index = _stored(user)
    assert "13812345678" not in stored and index
    assert User.objects.get(pk=user.pk).phone == "13812345678"
    assert list(User.objects.with_phone("138 1234 5678")) == [user]
    assert not User.objects.with_phone("13800000000").exists() and not User.objects.with_phone("").exists()


def test_the_data_migration_encrypts_numbers_stored_in_clear_and_can_run_twice(db):
    user = User.objects.create_user(username="li", password="x")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET phone = %s WHERE id = %s", ["13912345678", user.pk])
    editor = SimpleNamespace(connection=connection)
    fill.encrypt_phones(apps, editor)
    first, index = _stored(user)
    assert "13912345678" not in first and index
    fill.encrypt_phones(apps, editor)  # a second run leaves the encrypted value as it is
    assert _stored(user)[0] == first
    assert User.objects.get(pk=user.pk).phone == "13912345678"
    assert list(User.objects.with_phone("13912345678")) == [user]
    fill.decrypt_phones(apps, editor)
    assert _stored(user) == ("13912345678", "")
