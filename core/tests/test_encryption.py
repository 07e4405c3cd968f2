import datetime
import logging

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from core import idnumber
from core.encryption import (
    DecryptionError,
    EncryptedTextField,
    Unreadable,
    blind_index,
    decrypt,
    encrypt,
    is_unreadable,
    mask_id_number,
    mask_phone,
)


@given(st.text(min_size=1, max_size=200))
def test_encryption_round_trips_and_hides_the_text(value):
    token = encrypt(value)
    assert decrypt(token) == value
    assert value not in token or len(value) < 3


def test_blind_index_matches_equal_values_only():
    assert blind_index("11010519491231002X", "id") == blind_index("11010519491231002X", "id")
    assert blind_index("11010519491231002X", "id") != blind_index("110105194912310021", "id")
    assert blind_index("11010519491231002X", "id") != blind_index("11010519491231002X", "phone")
    assert blind_index("", "id") == ""


def test_masks_keep_what_officers_need_to_recognise_a_person():
    assert mask_id_number("110105199003071234") == "1101**************"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("") == ""
    assert mask_id_number("1101051990") == "11********"  # a short or odd value: its first two alone


def test_the_mask_hides_the_district_the_birth_date_the_sequence_and_the_check_digit():
    masked = mask_id_number("110105199003071234")
    assert masked[:4] == "1101" and set(masked[4:]) == {"*"} and len(masked) == 18


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2025, 12, 31)), st.sampled_from("MF"))
def test_knowing_the_district_and_the_birth_date_leaves_500_numbers_for_the_mask(birth, gender):
    """The pages show the birth date and gender in full and the unit tells the district: what the mask
    hides beside them is the sequence (500 values of the gender's parity) and the check digit that follows."""
    number = idnumber.make(birth, gender, region="110105")
    masked = mask_id_number(number)
    first14 = number[:14]
    fitting = set()
    for sequence in range(1000):
        if (sequence % 2 == 1) != (gender == "M"):
            continue
        candidate = f"{first14}{sequence:03d}"
        candidate += idnumber.check_char(candidate)
        if all(shown in ("*", digit) for shown, digit in zip(masked, candidate, strict=True)):
            fitting.add(candidate)
    assert number in fitting and len(fitting) == 500


def test_a_value_no_key_can_read_raises_a_typed_error(settings):
    token = encrypt("110105199003071234")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(DecryptionError):
        decrypt(token)


def test_the_field_reports_an_unreadable_value_and_writes_it_back_unchanged(settings, caplog):
    token = encrypt("13812345678")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    field = EncryptedTextField()
    field.name = "phone"
    with caplog.at_level(logging.ERROR, logger="core.encryption"):
        value = field.from_db_value(token, None, None)
    assert is_unreadable(value) and not value and "无法读取" in str(value)
    assert "Cannot decrypt" in caplog.text
    assert field.get_prep_value(value) == token
    assert mask_id_number(value) == mask_phone(value) == str(value)


def test_an_unreadable_value_survives_pickling():
    import pickle

    value = pickle.loads(pickle.dumps(Unreadable("gAAAA-token")))
    assert is_unreadable(value) and value.token == "gAAAA-token"


def test_a_column_encrypted_at_once_gives_fernet_tokens_each_with_its_own_iv(settings):
    from core.encryption import encrypt_many

    values = ["11010519491231002X", "", None, "13812345678", "11010519491231002X", "阿依古丽·买买提" * 5]
    tokens = encrypt_many(values)
    assert tokens[1:3] == ["", None]
    fernet = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())
    for value, token in zip(values, tokens, strict=True):
        if value:
            assert fernet.decrypt(token.encode()).decode() == decrypt(token) == value
    assert tokens[0] != tokens[4]  # the same ID number twice: two IVs, two ciphertexts


def test_a_column_keeps_an_unreadable_value_as_its_ciphertext():
    from core.encryption import encrypt_many

    assert encrypt_many([Unreadable("gAAAA-old")]) == ["gAAAA-old"]


def test_a_column_of_tokens_is_what_fernet_reads_with_the_library_s_own_cbc_bytes(settings):
    """fernet_tokens computes CBC through one ECB encryptor for a whole column: each token must hold the
    bytes the library's CBC mode makes from the same key, IV and padded text, at every length met."""
    import base64
    import random

    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from core.encryption import fernet_tokens

    rng = random.Random(20261204)
    key = settings.FIELD_ENCRYPTION_KEYS[0]
    texts = [rng.randbytes(rng.randrange(0, 70)) for _ in range(300)] + [b"", b"x" * 16, "阿依古丽".encode()]
    ivs = rng.randbytes(16 * len(texts))
    tokens = fernet_tokens(key, texts, now=1_700_000_000, ivs=ivs)
    fernet = Fernet(key.encode())
    encryption_key = base64.urlsafe_b64decode(key)[16:]
    for n, (text, token) in enumerate(zip(texts, tokens, strict=True)):
        assert fernet.decrypt(token.encode()) == text  # the HMAC checked, the time read, the text back
        assert fernet.extract_timestamp(token.encode()) == 1_700_000_000
        iv = ivs[16 * n : 16 * n + 16]
        padder = padding.PKCS7(128).padder()
        encryptor = Cipher(algorithms.AES(encryption_key), modes.CBC(iv)).encryptor()
        expected = encryptor.update(padder.update(text) + padder.finalize()) + encryptor.finalize()
        assert base64.urlsafe_b64decode(token)[9:-32] == iv + expected
