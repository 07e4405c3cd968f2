"""Pinyin of people's names, for sorting a roster and searching it by 拼音 or its initials.

张伟 is found by ``zhangwei`` and by ``zw``. Surnames are read the way surnames are read,
not the way the character is most often read elsewhere: 单 is Shan, 曾 is Zeng, 解 is Xie.

The stored pinyin keeps a space between syllables ("chen guo qing"): rosters are sorted by it, and
people expect 陈国庆 among the other 陈 and before 程海军, syllable by syllable as a Chinese dictionary
and Excel's 按拼音排序 order them. Run together, "chenguoqing" sorts after "chenghaijun" (u > h).
The space sorts before every letter in Python, SQLite and PostgreSQL's C and ICU collations. A search
typed without spaces is matched by the ways it splits into syllables (``stored_prefixes``).
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
SEPARATOR = " "

# Every syllable pypinyin reads a character as (tones dropped, ü typed as v), but the interjections m, n,
# ng, hm and hng (呣, 嗯, 哼): no name is written with them, and as syllables of one letter they would let
# almost every typed "n" or "m" end a syllable. core/tests/test_pinyin.py checks the list against pypinyin.
_SYLLABLE_LIST = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai can cang cao
    ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun
    chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die din ding diu dong
    dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen
    geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan
    huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken
    keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie
    lin ling liu lo long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming
    miu mo mou mu na nai nan nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan nun
    nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie
    qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang
    sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo
    si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun
    tuo wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan
    yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao
    zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
"""
SYLLABLES = frozenset(_SYLLABLE_LIST.split())
_SYLLABLE_STARTS = frozenset(s[:end] for s in SYLLABLES for end in range(1, len(s) + 1))
LONGEST_SYLLABLE = max(map(len, SYLLABLES))


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
    """张伟 -> "zhang wei"; letters in the name are kept, lower-cased: 李Anna -> "li anna"."""
    return SEPARATOR.join(_syllables(name))


def initials(name: str) -> str:
    """张伟 -> zw."""
    return "".join(s[0] for s in _syllables(name))


def full_and_initials(name: str) -> tuple[str, str]:
    """Both at once (one reading of the name): ("zhang wei", "zw")."""
    syllables = _syllables(name)
    return SEPARATOR.join(syllables), "".join(s[0] for s in syllables)


def looks_like_pinyin(query: str) -> bool:
    """A search typed in Latin letters only (a pinyin or its initials, not a name or digits)."""
    return bool(query) and query.isascii() and re.sub(r"[\s']", "", query).isalpha()


def stored_prefixes(query: str, limit: int = 16) -> list[str]:
    """The beginnings of a stored pinyin (full_pinyin) that a typed one may be, at most ``limit``.

    "zhangw" -> ["zhang w"] (the last syllable may be cut short); "xian" -> ["xian", "xia n", "xi an",
    "xi a n"] (冼, 夏娜, 奚安…). A space or an apostrophe typed ends a syllable: "xi'an" -> ["xi an",
    "xi a n"]. A typed word that no syllables make up is kept whole ("qqq").
    """
    words = [w for w in re.split(r"[\s']+", query.lower()) if w]
    found = [""]
    for position, word in enumerate(words):
        splits = _splits(word, last=position == len(words) - 1, limit=limit) or [word]
        found = [f"{head}{SEPARATOR}{tail}" if head else tail for head in found for tail in splits][:limit]
    return found if words else []


def _splits(letters: str, *, last: bool, limit: int) -> list[str]:
    """The ways ``letters`` divide into syllables (the final one maybe cut short when ``last``), as
    stored, longer syllables first; worked from the end so that each suffix is divided once, and at
    most ``limit`` kept (a long run of "xian" divides in 2 ways per "xian")."""
    ways = [[] for _ in range(len(letters))] + [[""]]
    for start in range(len(letters) - 1, -1, -1):
        found = ways[start]
        for end in range(min(len(letters), start + LONGEST_SYLLABLE), start, -1):
            piece = letters[start:end]
            if piece in SYLLABLES:
                found.extend(f"{piece}{SEPARATOR}{tail}" if tail else piece for tail in ways[end])
            elif last and end == len(letters) and piece in _SYLLABLE_STARTS:
                found.append(piece)
            if len(found) >= limit:
                del found[limit:]
                break
    return ways[0]
