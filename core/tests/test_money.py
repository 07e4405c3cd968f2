from decimal import Decimal

from django.utils import translation

from core.money import yuan, yuan_brief, yuan_figure


def test_money_is_written_with_the_yuan_sign_thousands_and_two_decimals():
    assert yuan(Decimal("1234.5")) == "¥1,234.50"
    assert yuan(Decimal("-1234.5")) == "-¥1,234.50"
    assert yuan(None) == ""


def test_a_card_writes_a_large_amount_in_wan_as_chinese_reports_do():
    with translation.override("zh-hans"):
        assert yuan_brief(Decimal("99999.99")) == "¥99,999.99"  # below 10万: in full
        assert yuan_brief(Decimal("113050")) == "¥11.31万"  # rounded half up, as yuan is
        assert yuan_brief(Decimal("123456789.00")) == "¥12,345.68万"
        assert yuan_brief(Decimal("-250000")) == "-¥25.00万"


def test_in_english_a_large_amount_is_written_in_thousands_or_millions():
    with translation.override("en"):
        assert yuan_brief(Decimal("113005")) == "¥113.0k"
        assert yuan_brief(Decimal("123456789.00")) == "¥123.46M"
        assert yuan_brief("") == ""


def test_prose_writes_the_amount_before_yuan_with_thousands_separated():
    """ "发放各类帮扶救助金110100.00元" was hard to read in a year-end summary: 110,100.00元."""
    assert yuan_figure(Decimal("110100")) == "110,100.00"
    assert yuan_figure(Decimal("1234567.895")) == "1,234,567.90"
    assert yuan_figure(None) == "0.00"
    assert yuan_figure(Decimal("-0.001")) == "0.00"
