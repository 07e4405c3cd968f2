"""A care payment (care.Assistance) is a finance payment: booked here the moment it is approved, in
the same transaction, so the care officer's record and the ledger are one record, never typed twice.
A signal keeps the dependency one way: care knows nothing of finance."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from care.models import Assistance
from finance.services import assistance_book


@receiver(post_save, sender=Assistance, dispatch_uid="finance_book_assistance")
def book_approved_assistance(sender, instance, raw=False, **kwargs):
    if not raw:
        assistance_book(assistance=instance)
