"""Pinyin of people's names, for searching a roster by 拼音 or its initials.

张伟 is found by ``zhangwei`` and by ``zw``. Surnames are read the way surnames are read,
not the way the character is most often read elsewhere: 单 is Shan, 曾 is Zeng, 解 is Xie.
"""

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Characters whose reading as a surname differs from pypinyin's everyday reading.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "乐": "yue",
    "盖": "ge",
    "缪": "miao",
    "翟": "zhai",
    "尉": "yu",
    "覃": "qin",
    "种": "chong",
    "纪": "ji",
    "燕": "yan",
    "冼": "xian",
    "员": "yun",
    "能": "nai",
    "万": "wan",
    "柏": "bai",
    "秘": "bi",
    "褚": "chu",
    "长": "chang",
    "重": "chong",
    "黑": "he",
    "隗": "wei",
}

_NOT_LETTER = re.compile(r"[^a-z]")


@lru_cache(maxsize=65536)  # names repeat (张伟 is in every large roster); an import reads each once
def _syllables(name: str) -> tuple[str, ...]:
    name = "".join(ch for ch in unicodedata.normalize("NFKC", name) if not ch.isspace() and ch != "·")
    if not name:
        return ()
    # ü is typed as v on every Chinese keyboard: lv for 吕.
    syllables = [s.lower().replace("ü", "v") for s in lazy_pinyin(name, style=Style.NORMAL, v_to_u=False)]
    first = SURNAME_READINGS.get(name[0])
    if first:
        syllables[0] = first
    return tuple(letters for letters in (_NOT_LETTER.sub("", s) for s in syllables) if letters)


def full_pinyin(name: str) -> str:
    """张伟 -> zhangwei; letters in the name are kept, lower-cased: 李Anna -> lianna."""
    return "".join(_syllables(name))


def initials(name: str) -> str:
    """张伟 -> zw."""
    return "".join(s[0] for s in _syllables(name))


def full_and_initials(name: str) -> tuple[str, str]:
    """Both at once (one reading of the name): ("zhangwei", "zw")."""
    syllables = _syllables(name)
    return "".join(syllables), "".join(s[0] for s in syllables)


def looks_like_pinyin(query: str) -> bool:
    """A search typed in Latin letters only (a pinyin or its initials, not a name or digits)."""
    return bool(query) and query.isascii() and query.replace(" ", "").isalpha()
