"""Encryption at rest for sensitive fields (ID numbers, phones, care notes).

Values are encrypted with Fernet under FIELD_ENCRYPTION_KEYS (the first key encrypts,
all keys decrypt, so keys can be rotated). Encrypted values cannot be searched, so a
field that must be matched (an ID number on import) also stores a keyed hash, the
"blind index", computed by ``blind_index``.
"""

import base64
import collections
import hashlib
import hmac
import logging
import os
import struct
import time
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django import forms
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.dispatch import receiver
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


class DecryptionError(InvalidToken):
    """A stored value that no key of FIELD_ENCRYPTION_KEYS can read: a lost or wrong key, or a row
    written outside the app. Never a reason to treat the value as empty. (A kind of Fernet's
    InvalidToken, so code that catches that keeps working.)"""


@cache
def _fernet():
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


@cache
def _encrypting_fernet():
    # The first key encrypts (what MultiFernet.encrypt does), without MultiFernet's layer per value.
    return Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())


@cache
def _index_key():
    # Derived from the last (oldest) key so that adding a new first key for rotation
    # does not change the blind index of every stored row.
    return hashlib.sha256(b"gonghui-blind-index:" + settings.FIELD_ENCRYPTION_KEYS[-1].encode()).digest()


@receiver(setting_changed)
def _keys_changed(*, setting, **kwargs):
    if setting == "FIELD_ENCRYPTION_KEYS":
        _fernet.cache_clear()
        _encrypting_fernet.cache_clear()
        _index_key.cache_clear()


def encrypt(value: str) -> str:
    return _encrypting_fernet().encrypt(value.encode()).decode()


def encrypt_many(values) -> list:
    """What EncryptedTextField stores for each of a column of values (a sheet import): empty values
    and None stay as they are, an unreadable value keeps its ciphertext. The tokens are Fernet tokens
    under the first key, as ``encrypt`` makes them, made for the whole column at once (fernet_tokens)."""
    stored = [value.token if is_unreadable(value) else value for value in values]
    plain = [n for n, value in enumerate(values) if value]  # an unreadable value is false
    tokens = fernet_tokens(settings.FIELD_ENCRYPTION_KEYS[0], [values[n].encode() for n in plain])
    for n, token in zip(plain, tokens, strict=True):
        stored[n] = token
    return stored


def fernet_tokens(key: str, plaintexts: list[bytes], *, now: int | None = None, ivs: bytes | None = None) -> list[str]:
    """Fernet tokens of many plaintexts under one key, each with a random IV of its own (``ivs``, 16
    bytes per plaintext, only for tests): version, time, IV, AES-128-CBC ciphertext and its HMAC-SHA256,
    as the Fernet specification lays them out and Fernet.decrypt reads them.

    Fernet.encrypt sets up a CBC cipher for every value, which was most of the cost of encrypting an
    import's 200,000 values. CBC encrypts block k of a value as AES(block k XOR block k-1 of the
    ciphertext, the IV before the first): so for the values of one padded length, block k of all of
    them goes through one ECB encryptor in one call, each XOR done on the whole column as one
    integer. The same bytes as the library's CBC (core/tests/test_encryption.py checks it).
    """
    raw = base64.urlsafe_b64decode(key)
    signing, encryption = raw[:16], raw[16:]
    head = b"\x80" + struct.pack(">Q", int(time.time()) if now is None else now)
    ivs = os.urandom(16 * len(plaintexts)) if ivs is None else ivs
    ecb = Cipher(algorithms.AES(encryption), modes.ECB()).encryptor()
    by_length = collections.defaultdict(list)  # padded length in blocks -> positions
    for n, text in enumerate(plaintexts):
        by_length[len(text) // 16 + 1].append(n)
    tokens = [""] * len(plaintexts)
    for blocks, positions in by_length.items():
        padded = [_padded(plaintexts[n], blocks) for n in positions]
        column_ivs = b"".join(ivs[16 * n : 16 * n + 16] for n in positions)
        ciphertexts = _cbc_column(ecb, padded, column_ivs, blocks)
        for n, iv, ciphertext in zip(positions, _blocks(column_ivs), ciphertexts, strict=True):
            basic = head + iv + ciphertext
            tokens[n] = base64.urlsafe_b64encode(basic + hmac.digest(signing, basic, "sha256")).decode()
    return tokens


def _padded(text: bytes, blocks: int) -> bytes:
    """PKCS7 padding to ``blocks`` blocks (one more than the whole blocks of ``text``)."""
    pad = 16 * blocks - len(text)
    return text + bytes((pad,)) * pad


def _blocks(data: bytes) -> list[bytes]:
    return [data[at : at + 16] for at in range(0, len(data), 16)]


def _cbc_column(ecb, padded: list[bytes], ivs: bytes, blocks: int) -> list[bytes]:
    """The CBC ciphertexts of values all ``blocks`` blocks long, with these IVs (one after another)."""
    chained, columns = ivs, []
    for k in range(blocks):
        column = b"".join([text[16 * k : 16 * k + 16] for text in padded])
        mixed = int.from_bytes(column, "little") ^ int.from_bytes(chained, "little")
        chained = ecb.update(mixed.to_bytes(len(column), "little"))
        columns.append(_blocks(chained))
    return [b"".join(parts) for parts in zip(*columns, strict=True)]


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError("no key of FIELD_ENCRYPTION_KEYS decrypts this value") from None


def blind_index(value: str, purpose: str) -> str:
    """A keyed hash for exact matching of an encrypted value; empty for an empty value."""
    if not value:
        return ""
    return hmac.digest(_index_key(), f"{purpose}:{value}".encode(), "sha256").hex()[:40]


class Unreadable(str):
    """The value of an encrypted field that could not be decrypted.

    It reads as the notice a page shows ("无法读取（加密密钥不符）") but is false, like an empty value,
    so checks and derived columns leave it alone; it keeps the stored ciphertext and is written
    back unchanged, and an empty value assigned over it is ignored (see ``_KeepUnreadable``): a save
    of the record's form never erases what the keys could not read. Putting the right key back in
    FIELD_ENCRYPTION_KEYS brings the value back.
    """

    def __new__(cls, token: str):
        value = super().__new__(cls, gettext("无法读取（加密密钥不符，请联系系统管理员）"))
        value.token = token
        return value

    def __bool__(self):
        return False

    def __reduce__(self):
        return Unreadable, (self.token,)


def is_unreadable(value) -> bool:
    return isinstance(value, Unreadable)


class _KeepUnreadable(DeferredAttribute):
    """The field's attribute: an empty value never replaces an unreadable one (a form left blank)."""

    def __set__(self, instance, value):
        if not value and is_unreadable(instance.__dict__.get(self.field.attname)):
            return
        instance.__dict__[self.field.attname] = value


class EncryptedFormField(forms.CharField):
    """An unreadable value is offered as an empty input (blank keeps it), never as its notice text."""

    def prepare_value(self, value):
        return "" if is_unreadable(value) else super().prepare_value(value)


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; the Python value is the plain text.

    Read access to the plain text is the caller's business: views show the masked
    form and log an access (core.models.AccessLog) before showing the real one. A value
    that cannot be decrypted is reported (logged as an error) and loaded as ``Unreadable``.
    """

    description = "Text encrypted at rest"
    descriptor_class = _KeepUnreadable

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return decrypt(value)
        except DecryptionError:
            logger.error(
                "Cannot decrypt %s.%s: a key is missing from FIELD_ENCRYPTION_KEYS; the value is kept as it is.",
                self.model.__name__ if hasattr(self, "model") else "?",
                self.name,
            )
            return Unreadable(value)

    def get_prep_value(self, value):
        if is_unreadable(value):
            return value.token
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": EncryptedFormField, **kwargs})


def mask_id_number(value: str) -> str:
    """110105199003071234 -> 1101**************: the province and city, nothing more.

    Ask of the mask what else the reader sees. An ID number is region (6) + birth date (8) + sequence
    (3) + check digit (1). Pages show the birth date in full, and ages, birthday and retirement
    reminders give it away in any case; the unit tells the district. So the mask keeps none of the
    last four: the sequence (1000 values, 500 with the gender, which the page shows too) and the check
    digit computed from it are what the reader cannot know, and the birth date no longer guards the
    number. What could test the candidates answers only at a cost and a trace: the roster search by a
    full number writes an access-log row for each member it finds (members.privacy), the member form's
    duplicate check is throttled and saves a member. Officers tell namesakes apart by the unit, the
    birth date and the phone's last four (mask_phone).
    """
    if is_unreadable(value):
        return str(value)
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * (len(value) - 2)
    return value[:4] + "*" * (len(value) - 4)


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678."""
    if is_unreadable(value):
        return str(value)
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_text(value: str) -> str:
    if is_unreadable(value):
        return str(value)
    return "******" if value else ""
