import datetime
from decimal import Decimal

from django import template
from django.utils import dateformat, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.calendar import MONTHS
from core.money import yuan, yuan_brief

register = template.Library()
register.filter("yuan", yuan)
register.filter("yuan_brief", yuan_brief)


@register.filter
def day(value):
    """A date as Chinese readers write it in a list: 12月19日 within this year, 2027年1月21日 in another
    (an overdue item of last year read as next month's)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    this_year = value.year == timezone.localdate().year
    return dateformat.format(value, _("n月j日") if this_year else _("Y年n月j日"))


@register.filter
def month_name(number):
    """A month's number as pages name it (2月; February in English)."""
    try:
        return MONTHS[int(number)]
    except (KeyError, TypeError, ValueError):
        return number


@register.filter
def capped(count):
    """A core.keyset.CappedCount as people read it: "n", or "超过 n"."""
    return _("超过 %(n)s") % {"n": count.value} if count.more else str(count.value)


@register.filter
def percent(value, places=1):
    if value in (None, ""):
        return "—"
    return f"{Decimal(value):.{int(places)}f}%"


@register.filter
def figure(value):
    """A figure as a table shows it: "—" for none, a whole number without ".0" (charts hand floats over),
    else one decimal; thousands separated. Text (a unit's name) passes as it is."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    number = Decimal(str(value))
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.1f}"


@register.filter
def item(mapping, key):
    """``mapping[key]``, or None: a value a view keyed by a row (what was typed in its field)."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with some parameters changed: keeps filters across pages."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params, doseq=True) if params else "?"
