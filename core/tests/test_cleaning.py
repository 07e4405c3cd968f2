import datetime
from decimal import Decimal

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


# --- phones, names and months as people type them (issue 20)


@pytest.mark.parametrize(
    "typed",
    [
        "13800138123",
        "+86 138 0013 8123",
        "+86-138-0013-8123",
        "0086 13800138123",
        "86 13800138123",
        "138 0013 8123",
        "138-0013-8123",
        "(138) 0013 8123",
        "１３８００１３８１２３",
        13800138123,
        13800138123.0,
        8613800138123,
    ],
)
def test_every_way_of_writing_a_mobile_reads_as_its_eleven_digits(typed):
    assert cleaning.clean_phone(typed) == "13800138123"
    assert cleaning.phone_kind(cleaning.clean_phone(typed)) == "mobile"


@pytest.mark.parametrize(
    ("typed", "landline"),
    [
        ("0571-88886666", "0571-88886666"),
        ("(0571) 8888 6666", "0571-88886666"),
        ("（010）12345678", "010-12345678"),
        ("010 1234 5678", "010-12345678"),
        ("+86 10 12345678", "010-12345678"),
        ("0571-88886666-123", "0571-88886666转123"),
        ("0571-88886666转123", "0571-88886666转123"),
        ("88886666", "88886666"),
    ],
)
def test_a_landline_in_the_phone_column_stays_a_landline(typed, landline):
    assert cleaning.clean_phone(typed) == landline
    assert cleaning.phone_kind(landline) == "landline"


@pytest.mark.parametrize("typed", ["1380013812", "12345", "一二三", "138001381234", "0571-123"])
def test_what_is_no_phone_is_an_error_that_does_not_repeat_the_number(typed):
    with pytest.raises(cleaning.CellError) as raised:
        cleaning.clean_phone(typed)
    assert "0571-88886666" in str(raised.value) and typed not in str(raised.value)


def test_an_empty_phone_is_empty():
    assert cleaning.clean_phone(None) == "" and cleaning.clean_phone("  ") == ""


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from(["", "+86", "0086", "+86 ", "86-"]))
def test_any_mobile_with_any_country_prefix_and_separators(number, prefix):
    spaced = f"{prefix}{number[:3]} {number[3:7]}-{number[7:]}"
    assert cleaning.clean_phone(spaced) == number


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("王　芳", "王芳"),
        ("王  芳", "王芳"),
        (" 欧阳 修 ", "欧阳修"),
        ("Anna  Smith", "Anna Smith"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),
        ("阿依古丽．买买提", "阿依古丽·买买提"),
        ("阿依古丽・买买提", "阿依古丽·买买提"),
        ("阿依古丽 . 买买提", "阿依古丽·买买提"),
    ],
)
def test_names_lose_their_padding_keep_latin_spaces_and_have_one_middle_dot(typed, name):
    assert cleaning.clean_name(typed) == name


@given(st.text(alphabet="王李张阿依古丽买提欧阳　 ·•．・", min_size=1, max_size=12))
def test_a_cleaned_name_cleans_to_itself(typed):
    once = cleaning.clean_name(typed)
    assert cleaning.clean_name(once) == once


def test_a_month_alone_is_a_month_and_a_date_a_date():
    assert cleaning.parse_date_or_month("2003年9月") == (datetime.date(2003, 9, 1), True)
    assert cleaning.parse_date_or_month("2003.09") == (datetime.date(2003, 9, 1), True)
    assert cleaning.parse_date_or_month("2003年9月1日") == (datetime.date(2003, 9, 1), False)
    assert cleaning.parse_date_or_month(37865) == (datetime.date(2003, 9, 1), False)
    assert cleaning.parse_date_or_month(None) == (None, False)


@pytest.mark.parametrize("typed", ["2003年9月1号", "2003-09-01 00:00:00", "2003/9/1 8:30", "2003-9-1"])
def test_dates_with_a_day_word_or_a_time_of_day(typed):
    assert cleaning.parse_date(typed) == datetime.date(2003, 9, 1)


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("2600", "2600.00"),
        (2600.0, "2600.00"),
        (1280.5, "1280.50"),
        ("¥1,280.50", "1280.50"),
        ("￥300元", "300.00"),
        ("３００", "300.00"),
        ("", None),
        (None, None),
        ("0", "0.00"),
    ],
)
def test_money_is_read_as_people_write_yuan(cell, amount):
    assert cleaning.parse_money(cell) == (None if amount is None else Decimal(amount))


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ("NaN", "不是金额"),
        ("Infinity", "不是金额"),
        ("三百", "不是金额"),
        ("-5", "负数"),
        ("100000000", "太大"),
        ("1e999", "太大"),
        ("12.345", "两位小数"),
    ],
)
def test_what_is_not_an_amount_of_yuan_is_refused_saying_why(cell, said):
    with pytest.raises(cleaning.CellError, match=said):
        cleaning.parse_money(cell)


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ("张伟2", "里有数字"),
        (-1, "里有数字"),
        ("1985-03-02", "里有数字"),
        ("中" * 51, "超过50个字"),
        ("😀😀", "里没有文字"),
        ("·—", "里没有文字"),
    ],
)
def test_a_name_cell_that_cannot_be_a_name_is_refused(cell, said):
    with pytest.raises(cleaning.CellError, match=said):
        cleaning.parse_name(cell)


def test_a_name_cell_is_cleaned_as_names_are():
    assert (
        cleaning.parse_name("阿依古丽•买买提") == "阿依古丽·买买提"
        and cleaning.parse_name(" Anna  Smith ") == "Anna Smith"
    )


def test_a_cell_loses_the_control_characters_pasted_into_it():
    assert cleaning.clean_text("教师\x07") == "教师"
    assert cleaning.clean_text("城关镇\x0b中心学校\x1b") == "城关镇 中心学校"
    assert cleaning.clean_text("plain") == "plain"
