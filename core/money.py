"""Money as Chinese users write it, for pages, messages and documents alike (the template filter
``yuan`` is this function)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


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
