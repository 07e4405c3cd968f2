import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypinyin import lazy_pinyin

from core import pinyin


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张伟", "zhangwei", "zw"),
        ("吕布", "lvbu", "lb"),
        ("单田芳", "shantianfang", "stf"),
        ("曾小贤", "zengxiaoxian", "zxx"),
        ("张　伟", "zhangwei", "zw"),
        ("欧阳娜娜", "ouyangnana", "oynn"),
        ("阿依古丽·买买提", "ayigulimaimaiti", "ayglmmt"),
    ],
)
def test_names_read_as_people_read_them(name, full, initials):
    assert pinyin.full_pinyin(name) == full
    assert pinyin.initials(name) == initials


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=6))
def test_pinyin_is_lowercase_letters_and_initials_follow_it(name):
    full, initials = pinyin.full_pinyin(name), pinyin.initials(name)
    # A rare character with no reading (甅) adds nothing to either; every other one adds a syllable.
    readable = [ch for ch in name if lazy_pinyin(ch) != [ch]]
    assert len(initials) == len(readable)
    assert full == "" or (full.isascii() and full.isalpha() and full == full.lower())
    assert full[:1] == initials[:1]


def test_a_character_without_a_reading_is_left_out():
    assert (pinyin.full_pinyin("一甅"), pinyin.initials("一甅")) == ("yi", "y")


def test_latin_queries_are_recognised_as_pinyin():
    assert pinyin.looks_like_pinyin("zw")
    assert pinyin.looks_like_pinyin("zhang wei")
    assert not pinyin.looks_like_pinyin("1234")
    assert not pinyin.looks_like_pinyin("张伟")
