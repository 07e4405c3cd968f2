"""Undo what Excel and hurried typing do to cells, before the values are validated.

Rosters arrive with full-width digits (１２３), ideographic spaces, names padded to line up
(张　伟), a leading apostrophe typed to keep a number as text, dates as Excel serial numbers
or as text in half a dozen notations, and ID numbers that Excel turned into numbers. Each
function takes a raw cell as read by python-calamine or openpyxl (str, int, float, bool,
date, datetime, time or None) and returns a clean value or raises CellError saying what is
wrong in plain Chinese.
"""

import datetime
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core import idnumber

# Excel's day zero in the 1900 date system (it counts 1900-02-29, which never existed, so
# serials from March 1900 on are off by one from 1899-12-31; 1899-12-30 absorbs that).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Characters that are not there for the reader: zero-width spaces and joiners, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_QUOTES = "'\"‘’“”`"
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_DATE_PATTERNS = [
    # 1985-03-02, 1985/3/2, 1985.3.2, 1985年3月2日 (or 2号), perhaps with a time of day after it.
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_MONTH_PATTERNS = [
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
]


# What text pasted into a form from Word, a PDF or a chat may carry and nobody sees: C0 control characters
# (less tab, line feed and carriage return) and DEL. Browsers show some as boxes, and XML (a .docx, an
# .xlsx) cannot hold them: the one definition the forms, the API, the importers and the document and sheet
# writers share. Word's line and page breaks (vertical tab, form feed) become line feeds where the text may
# hold lines, and are dropped from a one-line value (as a browser drops a pasted line feed). The bidi
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) go too: nobody types them in Chinese or
# English text, and one of them makes "提案一" read backwards wherever the text is shown after it. So do the
# two noncharacters U+FFFE and U+FFFF and lone surrogates, which no keyboard makes and XML cannot hold either
# (one in a plan item's note, sent through the API, made the year's archive a server error).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def without_controls(text: str, *, lines: bool = False) -> str:
    """``text`` as typed, less the control characters nobody meant to type; with ``lines``, Word's line
    and page breaks kept as line feeds. Text of nothing but spaces and invisible characters (zero-width
    spaces) is empty: a required title made of them is missing, not written."""
    if lines:
        text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    text = CONTROL_CHARACTERS.sub("", text)
    if text and not text.isascii() and not text.translate(_INVISIBLE).strip():
        return ""
    return text


class CellError(ValueError):
    """A cell that cannot be read; ``str(error)`` says why."""


def clean_text(value) -> str:
    """Any cell as tidy text: half-width, no invisible characters, no stray quotes or spaces."""
    if type(value) is str:  # most cells: the checks below are for the others
        if value.isalnum() and (value.isascii() or unicodedata.is_normalized("NFKC", value)):
            # Letters and digits only (a name, a number, 本科), already in NFKC: nothing below would change
            # them (no space, quote, invisible or control character is a letter or digit).
            return value
        text = value
    elif value is None:
        return ""
    else:
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime):
            value = value.date() if value.time() == datetime.time() else value
        text = str(value)
    if not text.isascii():  # most cells of a long sheet are plain ASCII: nothing to fold there
        # NFKC folds full-width digits, letters and the ideographic space to their ASCII forms.
        text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    if not text.isprintable():  # a control character pasted into the cell (a bell), or just a line break
        text = without_controls(text, lines=True)
    text = " ".join(text.split())
    return text.strip(_QUOTES).strip()


# The dot between the parts of a Uyghur or other minority name, as people type it: the middle dot,
# a bullet, a full-width full stop (folded to "." by NFKC), the katakana middle dot and its relatives.
_NAME_DOTS = re.compile(rf"(?<=[{_CJK}])\s*[.·•・‧∙⋅･]\s*(?=[{_CJK}])")
NAME_DOT = "·"


def clean_name(value) -> str:
    """A person's name as one form.

    The padding typed to line up two-character names goes (王　芳 -> 王芳); a space between
    Latin-letter words stays (Anna Smith); the middle dot of minority names, typed as ·, •, ．
    or ・, becomes the one middle dot (阿依古丽·买买提).
    """
    text = _NAME_DOTS.sub(NAME_DOT, clean_text(value))
    return _SPACE_BETWEEN_CJK.sub("", text)


_DIGIT = re.compile(r"\d")
NAME_MAX = 50  # the name columns of the product (members, hardship files)


def parse_name(value) -> str:
    """A sheet's name cell, cleaned as clean_name does and refused when it cannot be a person's name:
    longer than the name columns hold, with a digit in it (a number, a date or an ID number typed in
    the wrong column), or with no letter at all (emoji, marks: nothing to call the person by, nor to
    make a login name from)."""
    if type(value) is str and value.isalpha() and len(value) <= NAME_MAX and unicodedata.is_normalized("NFKC", value):
        return value  # letters only (张伟, Anna), as most names come: nothing to clean, nothing to refuse
    name = clean_name(value)
    if len(name) > NAME_MAX:
        raise CellError(_("姓名超过%(limit)d个字。") % {"limit": NAME_MAX})
    if _DIGIT.search(name):
        raise CellError(_("“%(value)s”里有数字，不像姓名。") % {"value": name})
    if name and not any(character.isalpha() for character in name):
        raise CellError(_("“%(value)s”里没有文字，不像姓名。") % {"value": name})
    return name


_PHONE_MARKS = re.compile(r"[\s\-()（）.]")
_MOBILE = re.compile(r"^1\d{10}$")
# Area code (010, 021, 0571 ...) and a 7- or 8-digit number, perhaps an extension after it.
# Beijing 010 and 020-029 have three digits, every other area code four.
_LANDLINE = re.compile(r"^(0(?:10|2\d|[3-9]\d\d))(\d{7,8})$")
_LOCAL = re.compile(r"^[2-8]\d{6,7}$")


def clean_phone(value) -> str:
    """A phone as people write it, in one form: a mobile as 11 digits, a landline as 0571-88886666.

    +86, 0086 and 86 in front of a mobile go; spaces, dashes, dots and brackets go
    ((0571) 8888-6666 -> 0571-88886666); a landline stays a landline, an extension is kept
    (0571-88886666-123 -> 0571-88886666转123). Raises CellError for what is neither.
    Returns "" for an empty cell.
    """
    if type(value) is str and len(value) == 11 and value.isascii() and value.isdecimal() and value[0] == "1":
        return value  # a mobile as most are typed
    text = clean_text(value)
    if not text:
        return ""
    compact = _PHONE_MARKS.sub("", text)
    if compact.startswith("+"):
        compact = compact[1:]
    elif compact.startswith("0086"):
        compact = compact[4:]
    if compact.startswith("86") and len(compact) == 13:
        compact = compact[2:]
    if _MOBILE.match(compact):
        return compact
    # A landline's extension is written after a last dash or 转: look at the original too.
    number = re.sub(r"[\s()（）.]", "", text)
    for country in ("+86", "0086"):
        if number.startswith(country):
            # Written for callers abroad, the area code loses its 0: +86 10 12345678 is 010-12345678.
            number = number.removeprefix(country).lstrip("-")
            number = number if number.startswith("0") else "0" + number
    parts = [p for p in re.split(r"-|转|ext|x|#", number) if p]
    if parts and "".join(parts).isdecimal():
        digits = "".join(parts)
        extension = ""
        if len(parts) >= 2 and len(parts[-1]) <= 6 and _LANDLINE.match("".join(parts[:-1])):
            digits, extension = "".join(parts[:-1]), parts[-1]
        match = _LANDLINE.match(digits)
        if match:
            area, local = match.groups()
            return f"{area}-{local}" + (f"转{extension}" if extension else "")
        if _LOCAL.match(digits) and not extension:
            return digits
    # The number itself stays out of the message: messages are stored and shown more widely than phones.
    raise CellError(_("不是有效的电话号码：手机号应为11位数字，座机请写成 0571-88886666 这样。"))


def phone_kind(value: str) -> str:
    """ "mobile", "landline" or "" for a phone already in clean_phone's form."""
    if _MOBILE.match(value or ""):
        return "mobile"
    if value and (_LANDLINE.match(value.replace("-", "").split("转")[0]) or _LOCAL.match(value)):
        return "landline"
    return ""


def clean_digits(value) -> str:
    """A number kept as text (phone, card number): spaces and dashes between digits removed."""
    text = clean_text(value)
    compact = re.sub(r"[\s-]", "", text)
    return compact if compact.isdecimal() else text


_SCIENTIFIC = re.compile(r"\s*\d+(\.\d+)?[eE]\+?\d+\s*")


def is_number_cell(value) -> bool:
    """Did the spreadsheet store this cell as a number (or show one in scientific notation)?"""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return bool(_SCIENTIFIC.fullmatch(str(value or "")))


def clean_id_number(value) -> str:
    """An ID number cell as text, refusing one that Excel stored as a number.

    Excel keeps 15 significant digits, so an 18-digit ID number typed into a number cell
    has already lost its last three: 110105199003071234 becomes 110105199003071000. Whatever
    the cell shows now is not the ID number, so it is an error, never a guess.
    """
    if is_number_cell(value):
        raise CellError(
            _("身份证号被存成了数字，Excel 只保留 15 位有效数字，后几位已经丢失。请把该列设为文本格式后重新填写。")
        )
    return "".join(clean_text(value).split()).upper()


def parse_id_cell(value):
    """An ID number cell parsed (core.idnumber: birth date and gender read from it), or CellError."""
    try:
        return idnumber.parse(clean_id_number(value))
    except idnumber.InvalidIdNumber as error:
        raise CellError(str(error)) from None


def parse_date(value, *, allow_month=False) -> datetime.date | None:
    """A date from an Excel date, an Excel serial number, or text in the usual notations.

    1985-03-02, 1985/3/2, 1985.3.2, 1985年3月2日 and 19850302 all read as 2 March 1985;
    with ``allow_month`` a month alone (2010.09, 2010年9月) reads as its first day.
    Returns None for an empty cell.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return _parse_date_text(clean_text(value), allow_month)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("“%(value)s”不是日期。") % {"value": value})
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError(_("“%(value)s”不是日期。") % {"value": value})
        if isinstance(value, float) and not value.is_integer():
            value = int(value)  # a date with a time of day
        number = int(value)
        if 10000000 <= number <= 99991231:  # 19850302 typed into a number cell
            return _date_from_parts(str(number)[:4], str(number)[4:6], str(number)[6:], str(number))
        if 1 <= number <= 2958465:  # Excel's serials run to 9999-12-31
            return EXCEL_EPOCH + datetime.timedelta(days=number)
        raise CellError(_("“%(value)s”不是日期。") % {"value": value})
    return _parse_date_text(clean_text(value), allow_month)


def _parse_date_text(text, allow_month):
    if not text:
        return None
    if text.isdecimal() and 1 <= len(text) <= 5:
        return EXCEL_EPOCH + datetime.timedelta(days=int(text))
    text = text.replace(" 00:00:00", "").replace("T00:00:00", "")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return _date_from_parts(*match.groups(), text)
    if allow_month:
        for pattern in _MONTH_PATTERNS:
            match = pattern.match(text)
            if match:
                return _date_from_parts(*match.groups(), "1", text)
    raise CellError(_("“%(value)s”不是可识别的日期，请写成 1985-03-02 这样的格式。") % {"value": text})


def parse_date_or_month(value) -> tuple[datetime.date | None, bool]:
    """(date, whether only its month was given): "2003年9月" and "2003.09" are a month, not 1 September.

    For columns such as 出生年月 where a month is as much as people write: a check against a full
    date (the birth date in an ID number) then compares the month only.
    """
    try:
        return parse_date(value), False
    except CellError:
        return parse_date(value, allow_month=True), True


def _date_from_parts(year, month, day, shown):
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(_("“%(value)s”不是有效日期。") % {"value": shown}) from None


YES_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "对", "有"}
NO_WORDS = {"否", "n", "no", "false", "0", "×", "", "无", "不是"}


def parse_flag(value) -> bool:
    """是/否, √, 1/0, yes/no; an empty cell is no."""
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise CellError(_("“%(value)s”应填写“是”或“否”。") % {"value": text})


FEN = Decimal("0.01")
# The widest amount column in the product (max_digits=10, decimal_places=2).
LARGEST_AMOUNT = Decimal("99999999.99")


def parse_money(value, *, largest=LARGEST_AMOUNT) -> Decimal | None:
    """An amount of yuan as sheets write it (2600, ¥1,280.50, 300元), to the fen; an empty cell is None.
    "NaN" and "1e999" are numbers to Python's Decimal, so they are refused here, not left to a comparison
    or the database to fail on."""
    text = clean_text(value).removesuffix("元").removeprefix("¥").replace(",", "").strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise CellError(_("“%(value)s”不是金额。") % {"value": text})
    if amount < 0:
        raise CellError(_("金额不能为负数。"))
    if amount > largest:
        raise CellError(_("金额“%(value)s”太大，超出了可以记录的范围。") % {"value": text})
    if amount != amount.quantize(FEN):
        raise CellError(_("金额最多保留两位小数（到分）。"))
    return amount.quantize(FEN)
