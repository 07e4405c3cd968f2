import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import cleaning

dates = st.dates(min_value=datetime.date(1901, 1, 1), max_value=datetime.date(2099, 12, 31))


@given(dates)
def test_every_usual_notation_of_a_date_reads_the_same(day):
    notations = [
        f"{day:%Y-%m-%d}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y%m%d}",
        int(f"{day:%Y%m%d}"),
        (day - cleaning.EXCEL_EPOCH).days,  # an Excel serial
        float((day - cleaning.EXCEL_EPOCH).days),
        datetime.datetime.combine(day, datetime.time()),
        day,
    ]
    for notation in notations:
        assert cleaning.parse_date(notation) == day, notation


@given(dates)
def test_full_width_dates_read_too(day):
    full_width = f"{day:%Y-%m-%d}".translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    assert cleaning.parse_date(full_width) == day


def test_excel_serial_of_a_known_day():
    assert cleaning.parse_date(31108) == datetime.date(1985, 3, 2)


def test_months_read_only_where_allowed():
    assert cleaning.parse_date("2010.09", allow_month=True) == datetime.date(2010, 9, 1)
    assert cleaning.parse_date("2010年9月", allow_month=True) == datetime.date(2010, 9, 1)
    with pytest.raises(cleaning.CellError):
        cleaning.parse_date("2010.09")


@pytest.mark.parametrize("value", ["1985-02-30", "明年", "1985-13-01", True])
def test_bad_dates_are_errors_with_a_message(value):
    with pytest.raises(cleaning.CellError) as raised:
        cleaning.parse_date(value)
    assert str(raised.value)


def test_empty_cells_are_no_date():
    assert cleaning.parse_date(None) is None
    assert cleaning.parse_date("  ") is None


@given(st.integers(min_value=0, max_value=10**11))
def test_full_width_digits_and_spaces_become_plain(number):
    text = str(number)
    messy = "\u3000'" + text.translate(str.maketrans("0123456789", "０１２３４５６７８９")) + " \u200b"
    assert cleaning.clean_text(messy) == text
    assert cleaning.clean_digits(messy) == text


def test_names_lose_the_spaces_that_lined_them_up():
    assert cleaning.clean_name("张　伟") == "张伟"
    assert cleaning.clean_name(" 欧阳 娜娜 ") == "欧阳娜娜"
    assert cleaning.clean_name("Anna Li") == "Anna Li"


def test_phone_numbers_with_dashes_and_spaces():
    assert cleaning.clean_digits("138-1234 5678") == "13812345678"
    assert cleaning.clean_digits(13812345678.0) == "13812345678"


@pytest.mark.parametrize("value", [110105194912310021, 1.1010519491231e17, "1.10105E+17"])
def test_an_id_number_stored_as_a_number_is_an_error_never_a_guess(value):
    with pytest.raises(cleaning.CellError, match="数字"):
        cleaning.clean_id_number(value)


def test_an_id_number_kept_as_text_survives_quotes_and_case():
    assert cleaning.clean_id_number("'11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "flag"), [("是", True), ("√", True), (1, True), ("否", False), ("", False), (None, False)]
)
def test_flags(value, flag):
    assert cleaning.parse_flag(value) is flag


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none(), st.booleans(), dates))
def test_parse_date_fails_only_with_a_message(value):
    try:
        cleaning.parse_date(value)
    except cleaning.CellError as error:
        assert str(error)
