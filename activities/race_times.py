"""Race times as timekeepers write them: 5:32.18, 5′32″18, 5'32"18, 5'32''18, 5分32秒18, 1:05:32, 5.32.18.

A timed event's result column keeps seconds (ranking stays a comparison of numbers); nobody at the
finish line thinks of a 1500 m run as 332.18 seconds, so the results form reads the clock's forms and
the pages show them back as 5分32.18秒.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# A separator between hours, minutes and seconds, and what may stand for the seconds' decimal point.
_BETWEEN = re.compile(r"小时|[:：时分'′’]")
# The seconds' mark doubled as people type it without a ″ key (5'32''18); NFKC also turns ″ into ′′.
_SECONDS_MARK = re.compile(r"''|′′|’’|[\"″”秒]")
CLOCK_MARKS = re.compile(r"小时|[:：时分'′’\"″”秒]")
# 5.32.18: a phone's number pad has no colon, so minutes, seconds and hundredths come between dots.
_DOTTED = re.compile(r"^\d+\.\d+\.\d+$")


def plain(raw: str) -> str:
    """``raw`` in half-width characters, as a Chinese keyboard may not type it: １２．３ is 12.3, ５：３２ is 5:32."""
    return unicodedata.normalize("NFKC", raw).strip() if not raw.isascii() else raw.strip()


def is_clock(raw: str) -> bool:
    """Whether ``raw`` is written as a clock (5:32.18) rather than as plain seconds (332.18)."""
    text = plain(raw)
    return bool(CLOCK_MARKS.search(text) or _DOTTED.match(text))


def read(raw: str) -> Decimal:
    """Seconds from a clock's form; ValueError when it is not one (minutes or seconds of 60 and more)."""
    text = plain(raw).replace(",", ".").replace(" ", "")
    if _DOTTED.match(text):
        minutes, seconds, hundredths = text.split(".")
        text = f"{minutes}:{seconds}.{hundredths}"
    # 5分32秒18 and 5′32″18: the hundredths follow the seconds' mark; 5分32秒 ends with it.
    text = _SECONDS_MARK.sub(".", text).rstrip(".")
    parts = _BETWEEN.split(text)
    if not 2 <= len(parts) <= 3 or not all(parts):
        raise ValueError(raw)
    *whole, seconds_text = parts
    if not all(part.isascii() and part.isdecimal() for part in whole):
        raise ValueError(raw)
    try:
        seconds = Decimal(seconds_text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not seconds.is_finite() or seconds < 0 or seconds >= 60:
        raise ValueError(raw)
    if len(whole) == 2 and int(whole[1]) >= 60:
        raise ValueError(raw)
    total = Decimal(0)
    for part in whole:
        total = total * 60 + int(part)
    return total * 60 + seconds


def _split(seconds: Decimal):
    """(hours, minutes, the seconds left: whole, or to the hundredth as a stopwatch shows them; in two
    digits after a minute, as a stopwatch shows them too: 6分00.87秒, never 6分0.87秒)."""
    whole_minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(int(whole_minutes), 60)
    width = 2 if whole_minutes else 1
    return hours, minutes, f"{int(rest):0{width}d}" if rest == rest.to_integral_value() else f"{rest:0{width + 3}.2f}"


def shown(seconds: Decimal) -> str:
    """5分32.18秒 for 332.18; under a minute, as the seconds they are (32.18秒)."""
    hours, minutes, rest = _split(Decimal(seconds))
    if hours:
        return _("%(hours)s小时%(minutes)s分%(seconds)s秒") % {"hours": hours, "minutes": minutes, "seconds": rest}
    if minutes:
        return _("%(minutes)s分%(seconds)s秒") % {"minutes": minutes, "seconds": rest}
    return _("%(seconds)s秒") % {"seconds": rest}


def typed(seconds: Decimal) -> str:
    """What the results form shows for editing: 5:32.18, which ``read`` takes back as it was."""
    hours, minutes, rest = _split(Decimal(seconds))
    if not hours and not minutes:
        return rest
    return f"{hours}:{minutes:02d}:{rest}" if hours else f"{minutes}:{rest}"
