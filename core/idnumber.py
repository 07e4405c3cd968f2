"""Chinese resident ID numbers (居民身份证号码, GB 11643-1999).

18 characters: a 6-digit region code, the birth date as YYYYMMDD, a 3-digit sequence
whose last digit is odd for men and even for women, and an ISO 7064 MOD 11-2 check
character (0-9 or X).
"""

import datetime
import operator
import random
import re
import unicodedata
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(ValueError):
    """The text is not a valid ID number; ``str(error)`` says why, in plain Chinese."""


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: datetime.date
    gender: str  # "M" or "F", as Member.Gender

    def __str__(self):
        return self.value


def check_char(first17: str) -> str:
    """The check character for the first 17 digits."""
    total = sum(map(operator.mul, map(int, first17), WEIGHTS))
    return CHECK_CHARS[total % 11]


def normalize(value) -> str:
    """Full-width digits to half-width, spaces removed, a lower-case x made upper-case."""
    text = str(value or "")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).upper()


def typed(query) -> str:
    """``query`` as a full ID number someone typed to look it up (18 characters, the last a digit or X),
    normalised, or "" when it is not one (a name, a phone's last four)."""
    number = normalize(query)
    return number if len(number) == 18 and number[:17].isdecimal() and number[17] in "0123456789X" else ""


def parse(value, *, today=None) -> IdNumber:
    """Validate an ID number and read the birth date and gender it carries.

    Raises InvalidIdNumber with a message saying what is wrong.
    """
    number = normalize(value)
    if not number:
        raise InvalidIdNumber(_("身份证号为空。"))
    if len(number) == 15 and number.isdecimal():
        raise InvalidIdNumber(_("这是15位的旧身份证号，请填写18位的身份证号。"))
    if len(number) != 18:
        raise InvalidIdNumber(_("身份证号应为18位，这里是%(count)d位。") % {"count": len(number)})
    if not _SHAPE.match(number):
        raise InvalidIdNumber(_("身份证号前17位应为数字，最后一位为数字或X。"))
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(_("身份证号中的出生日期“%(digits)s”不是有效日期。") % {"digits": number[6:14]}) from None
    # The site's date (an import parses every row: this is a tenth of localdate()'s cost).
    today = today or datetime.datetime.now(timezone.get_default_timezone()).date()
    if birth > today or birth.year < 1900:
        raise InvalidIdNumber(_("身份证号中的出生日期“%(digits)s”不合理。") % {"digits": number[6:14]})
    if check_char(number[:17]) != number[17]:
        raise InvalidIdNumber(_("身份证号校验位不正确，请核对是否有数字录错。"))
    return IdNumber(value=number, birth_date=birth, gender="M" if int(number[16]) % 2 else "F")


def is_valid(value) -> bool:
    try:
        parse(value)
    except InvalidIdNumber:
        return False
    return True


def make(birth_date: datetime.date, gender: str, *, region: str = "110105", rng: random.Random | None = None) -> str:
    """A valid ID number for a birth date and gender (demo and scale data, tests)."""
    rng = rng or random
    sequence = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if gender == "M" else (0, 2, 4, 6, 8))
    first17 = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
