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
