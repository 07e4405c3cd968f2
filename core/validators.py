"""Validators shared by the apps' models."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator

# Money and figures that cannot be below zero (a budget, an income, a premium): a minus typed by slip would be
# stored and summed into every total. Model forms show Django's message beside the field.
NOT_NEGATIVE = MinValueValidator(Decimal("0"))

# A review cycle in months: at least monthly, at most every five years (a 999 typed for "never" would
# push the next review past any officer's term).
REVIEW_MONTHS = [MinValueValidator(1), MaxValueValidator(60)]
