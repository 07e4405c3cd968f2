from django import template

register = template.Library()


@register.filter
def payee_for(payment, user):
    """``{{ payment|payee_for:user }}``: the payee, or a care payment's hidden label (Payment.names_shown_to)."""
    return payment.payee_for(user)
