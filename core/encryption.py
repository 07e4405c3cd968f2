"""Encryption at rest for sensitive fields (ID numbers, phones, care notes).

Values are encrypted with Fernet under FIELD_ENCRYPTION_KEYS (the first key encrypts,
all keys decrypt, so keys can be rotated). Encrypted values cannot be searched, so a
field that must be matched (an ID number on import) also stores a keyed hash, the
"blind index", computed by ``blind_index``.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet():
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


@cache
def _index_key():
    # Derived from the last (oldest) key so that adding a new first key for rotation
    # does not change the blind index of every stored row.
    return hashlib.sha256(b"gonghui-blind-index:" + settings.FIELD_ENCRYPTION_KEYS[-1].encode()).digest()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def blind_index(value: str, purpose: str) -> str:
    """A keyed hash for exact matching of an encrypted value; empty for an empty value."""
    if not value:
        return ""
    message = f"{purpose}:{value}".encode()
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()[:40]


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; the Python value is the plain text.

    Read access to the plain text is the caller's business: views show the masked
    form and log an access (core.models.AccessLog) before showing the real one.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return decrypt(value)
        except InvalidToken:
            # A key was lost or the row was written outside the app; never show
            # ciphertext as if it were data.
            return ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def mask_id_number(value: str) -> str:
    """110105199003071234 -> 110105********1234, the way Chinese systems show it."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * (len(value) - 2)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_text(value: str) -> str:
    return "******" if value else ""
