"""Encrypt the phone numbers stored in clear before User.phone became an encrypted field, and fill their
blind index. Raw SQL: through the model the clear values would read as undecryptable."""

from django.db import migrations

from core.encryption import DecryptionError, decrypt, encrypt


def _rows(connection, table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, phone FROM {table} WHERE phone <> ''")
        return cursor.fetchall()


def encrypt_phones(apps, schema_editor):
    from accounts.models import phone_index

    connection = schema_editor.connection
    table = connection.ops.quote_name(apps.get_model("accounts", "User")._meta.db_table)
    for pk, stored in _rows(connection, table):
        try:
            clear = decrypt(stored)  # already encrypted: a re-run, or written by the new code
        except DecryptionError:
            clear = stored
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET phone = %s, phone_index = %s WHERE id = %s",
                [encrypt(clear) if clear == stored else stored, phone_index(clear), pk],
            )


def decrypt_phones(apps, schema_editor):
    connection = schema_editor.connection
    table = connection.ops.quote_name(apps.get_model("accounts", "User")._meta.db_table)
    for pk, stored in _rows(connection, table):
        try:
            clear = decrypt(stored)
        except DecryptionError:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET phone = %s, phone_index = '' WHERE id = %s", [clear[:20], pk])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_encrypt_user_phone"),
    ]

    operations = [
        migrations.RunPython(encrypt_phones, decrypt_phones),
    ]
