"""A care payment's payee names a family in hardship: each one shown in clear (to the unit's care
officers and its funds reviewers, Payment.names_shown_to) is a read of care data, logged as the care
app logs the file it comes from."""

from django.utils.translation import gettext_lazy

from core.audit import log_sensitive_reads

PAYEE = gettext_lazy("帮扶支出收款人")


def log_payees_shown(request, payments):
    """Log the care payments among ``payments`` whose payee ``request.user`` is shown (one INSERT)."""
    shown = [p for p in payments if p.is_care and p.names_shown_to(request.user)]
    if shown:
        log_sensitive_reads(request, shown, [PAYEE])
