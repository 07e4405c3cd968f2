from django import template

register = template.Library()


@register.filter
def payee_for(payment, user):
    """``{{ payment|payee_for:user }}``: the payee, or a care payment's hidden label (Payment.names_shown_to)."""
    return payment.payee_for(user)


@register.filter
def label_for(payment, user):
    """``{{ payment|label_for:user }}``: number, date, purpose, payee as ``user`` may read it, amount."""
    return payment.label_for(user)


@register.filter
def figure_size(amount):
    """``{{ amount|figure_size }}``: the font size class of a card's amount, smaller as it grows, so that
    one up to ¥99,999,999.99 stays on one line of a half-width card on a 390 px phone."""
    digits = len(str(abs(int(amount or 0))))
    return "fs-4" if digits <= 5 else "fs-5" if digits == 6 else "fs-6"
