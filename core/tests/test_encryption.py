from hypothesis import given
from hypothesis import strategies as st

from core.encryption import blind_index, decrypt, encrypt, mask_id_number, mask_phone


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
    assert mask_id_number("110105199003071234") == "110105********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("") == ""
