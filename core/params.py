"""Record ids read from a query string or a form: a malformed one is the client's mistake (400), never
a server error. ``get_object_or_404(qs, pk="abc")`` raises ValueError, and a number past 64 bits
overflows the database driver; both would answer 500."""

import re
from typing import Annotated

from django.core.exceptions import BadRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

from core.cleaning import without_controls

MAX_ID = 2**63 - 1


class ParameterError(BadRequest):
    """A 400 whose message, in the user's language, says which parameter is wrong: the error page shows it."""


# For the JSON API (django-ninja validates with pydantic): an id the database can hold, and search
# text of a sensible length; anything else is a 422 naming the parameter.
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
SearchText = Annotated[str, Field(max_length=100)]
# The years a page or the API may be asked about: the product's records begin this century, and a date
# lookup on a year Python's dates cannot hold (year=200000) would be a ValueError, a server error.
FIRST_YEAR, LAST_YEAR = 2000, 2100
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


def _without_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("不能含有空字符（\\u0000）。"))
    return without_controls(value, lines=True)


_BREAKS = re.compile(r"[\r\n\t]+")


def _one_line(value: str) -> str:
    return _BREAKS.sub(" ", _without_nul(value)).strip()


def Line(max_length: int):
    """Text (as ``Text``) the product shows on one line, a title or a name: line breaks and tabs become
    spaces, as a browser's one-line box would keep a pasted paragraph, and the ends are trimmed as a
    form trims them."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_one_line)]


def Text(max_length: int):
    """Text the API writes to a column of ``max_length``: longer, or holding a NUL character (which
    PostgreSQL refuses in any text), is a 422 naming the field, never a server error. Other control
    characters are dropped, as the product's forms drop them (core.cleaning.without_controls)."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_without_nul)]


def id_param(value, *, name: str = "id") -> int | None:
    """The positive whole number in ``value``; None when it is empty; ParameterError (400) otherwise."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= MAX_ID:
        raise ParameterError(
            _("参数“%(name)s”应为记录编号，收到的是“%(value)s”。") % {"name": name, "value": text[:40]}
        )
    return int(text)


def year_param(value, default=None):
    """``?year=`` as a year between FIRST_YEAR and LAST_YEAR, or ``default`` when it is absent or not
    such a year: a page asked for a year it cannot show shows its usual one."""
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    return default


def next_url(request, fallback: str) -> str:
    """Where a form's ``next`` (posted, or in the query string) asks to go back to: a path of this site,
    else ``fallback``. Never another site (an open redirect), nor a bare word, which redirect() would
    look up as a view's name and fail on (NoReverseMatch, a server error)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
