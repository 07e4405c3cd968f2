"""Money as Chinese users write it, for pages, messages and documents alike (the template filter
``yuan`` is this function)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation


def yuan(value):
    """Money the way Chinese users read it: ¥1,234.50 (two decimals, thousands separated); a negative
    amount (a reversal) -¥1,234.50, the sign before the currency as in 用友 and Excel's ¥ format."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"-¥{-amount:,.2f}" if amount < 0 else f"¥{abs(amount):,.2f}"  # abs: no "¥-0.00"


def yuan_figure(value):
    """An amount written before 元 in prose, as a summary or report does: 110,100.00 (two decimals,
    thousands separated, no currency sign, since 元 follows); 0.00 for nothing."""
    try:
        amount = Decimal(value or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{amount + 0:,.2f}"  # + 0: no "-0.00"


BRIEF_FROM = Decimal(100_000)  # below it a card shows the amount in full


def yuan_brief(value):
    """A large amount as a figure card shows it, short enough for the card: ¥113.25万 in Chinese, as
    statistics pages and leaders' reports write 万元; ¥1.13M or ¥113.3k in English. Below ¥100,000 (or
    when not a number) as ``yuan``; the page keeps the exact amount beside it (a title)."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return yuan(value)
    if abs(amount) < BRIEF_FROM:
        return yuan(amount)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if (translation.get_language() or "zh-hans").startswith("zh"):
        return f"{sign}¥{_rounded(amount / 10_000, '0.01'):,}万"
    if amount >= 1_000_000:
        return f"{sign}¥{_rounded(amount / 1_000_000, '0.01'):,}M"
    return f"{sign}¥{_rounded(amount / 1_000, '0.1'):,}k"


def _rounded(amount, places):
    return amount.quantize(Decimal(places), rounding=ROUND_HALF_UP)
