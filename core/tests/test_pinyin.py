import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin
from pypinyin import pinyin as pypinyin
from pypinyin.constants import PINYIN_DICT

from core import pinyin


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张伟", "zhang wei", "zw"),
        ("吕布", "lv bu", "lb"),
        ("单田芳", "shan tian fang", "stf"),
        ("曾小贤", "zeng xiao xian", "zxx"),
        ("张　伟", "zhang wei", "zw"),
        ("欧阳娜娜", "ou yang na na", "oynn"),
        ("阿依古丽·买买提", "a yi gu li mai mai ti", "ayglmmt"),
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
    assert full == "" or (full.isascii() and full.replace(" ", "").isalpha() and full == full.lower())
    assert len(full.split()) == len(initials)
    assert full[:1] == initials[:1]


def test_a_character_without_a_reading_is_left_out():
    assert (pinyin.full_pinyin("一甅"), pinyin.initials("一甅")) == ("yi", "y")


def test_names_sort_syllable_by_syllable_as_a_chinese_roster_does():
    # Run together, chenguoqing > chenghaijun (u > h) and jiangyajing < jiaxiaohong (n < x).
    names = ["程海军", "陈国庆", "黄婷", "胡梦瑶", "江雅静", "贾晓红", "陈博"]
    assert sorted(names, key=pinyin.full_pinyin) == ["陈博", "陈国庆", "程海军", "胡梦瑶", "黄婷", "贾晓红", "江雅静"]


def test_the_syllables_are_every_reading_pypinyin_gives_but_the_interjections():
    readings = set()
    for codepoint in PINYIN_DICT:
        for reading in pypinyin(chr(codepoint), style=Style.NORMAL, heteronym=True, v_to_u=False)[0]:
            readings.add(re.sub("[^a-z]", "", reading.lower().replace("ü", "v")))
    assert readings - {""} == pinyin.SYLLABLES | {"m", "n", "ng", "hm", "hng"}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("chenguo", "chen guo qing"),
        ("chengu", "chen guo qing"),
        ("chenguoqing", "chen guo qing"),
        ("chen guo", "chen guo qing"),
        ("CHENGUO", "chen guo qing"),
        ("cheng", "cheng hai jun"),
        ("xian", "xi an ping"),  # 奚安平
        ("xian", "xian feng"),  # 冼峰
        ("xi'an", "xi an ping"),
        ("lvb", "lv bu"),
        ("ayigulimaimaiti", "a yi gu li mai mai ti"),
        ("zhangw", "zhang wei"),
    ],
)
def test_a_typed_pinyin_finds_its_stored_beginning(typed, stored):
    assert any(stored.startswith(prefix) for prefix in pinyin.stored_prefixes(typed))


@pytest.mark.parametrize(
    ("typed", "not_stored"), [("chengu", "cheng hai jun"), ("xian g", "xiang li"), ("xi'an", "xian feng")]
)
def test_a_typed_pinyin_does_not_find_other_names(typed, not_stored):
    assert not any(not_stored.startswith(prefix) for prefix in pinyin.stored_prefixes(typed))


def test_the_ways_a_typed_pinyin_divides_are_bounded():
    assert len(pinyin.stored_prefixes("xian" * 30)) == 16
    assert pinyin.stored_prefixes("xian" * 30)[0] == " ".join(["xian"] * 30)  # the longest syllables first
    assert pinyin.stored_prefixes("qqq") == ["qqq"]  # no syllables make it up: kept whole
    assert pinyin.stored_prefixes(" ' ") == []


def test_latin_queries_are_recognised_as_pinyin():
    assert pinyin.looks_like_pinyin("zw")
    assert pinyin.looks_like_pinyin("zhang wei")
    assert not pinyin.looks_like_pinyin("1234")
    assert not pinyin.looks_like_pinyin("张伟")
