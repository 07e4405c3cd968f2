import datetime
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import idnumber

birth_dates = st.dates(min_value=datetime.date(1920, 1, 1), max_value=datetime.date(2020, 12, 31))
genders = st.sampled_from(["M", "F"])


def test_a_known_number_is_valid_and_carries_birth_date_and_gender():
    # The example of GB 11643-1999 itself.
    parsed = idnumber.parse("11010519491231002X")
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.gender == "F"


def test_lower_case_x_and_full_width_digits_are_normalised():
    assert idnumber.parse("１１０１０５１９４９１２３１００２x").value == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "为空"),
        ("110105491231002", "15位"),
        ("1101051949123100", "应为18位"),
        ("11010519491231002Y", "最后一位"),
        ("110105194913310021", "不是有效日期"),
        ("110105194912310021", "校验位"),
    ],
)
def test_bad_numbers_say_what_is_wrong(value, message):
    with pytest.raises(idnumber.InvalidIdNumber, match=message):
        idnumber.parse(value)


@given(birth_dates, genders, st.integers(min_value=0, max_value=2**32))
def test_made_numbers_are_valid_and_read_back(birth, gender, seed):
    number = idnumber.make(birth, gender, rng=random.Random(seed))
    parsed = idnumber.parse(number)
    assert (parsed.birth_date, parsed.gender) == (birth, gender)


@given(birth_dates, genders, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_changing_any_one_digit_breaks_the_check(birth, gender, position, shift):
    number = idnumber.make(birth, gender, rng=random.Random(0))
    digit = (int(number[position]) + shift) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    assert not idnumber.is_valid(changed)


@given(st.text(max_size=30))
def test_parse_never_fails_other_than_with_a_message(text):
    try:
        idnumber.parse(text)
    except idnumber.InvalidIdNumber as error:
        assert str(error)
