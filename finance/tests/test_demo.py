"""The demo leaves demo-school with this year's approved budget, payments linked to its activities
and to its care payments, and the audit committee's login (jingshen) reviewing the year."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from finance.models import Budget, Payment
from finance.services import ledger_check, ledger_unplaced


@pytest.mark.django_db
def test_the_demo_gives_the_school_a_year_of_money_that_balances(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    budget = Budget.objects.get(unit__code="demo-school", year=timezone.localdate().year)
    assert budget.is_approved
    payments = Payment.objects.filter(unit=budget.unit)
    assert payments.filter(activity__isnull=False).exists()
    assert payments.filter(assistance__isnull=False, line__isnull=False).exists()
    for payment in payments.filter(activity__isnull=False).select_related("activity"):
        assert payment.activity.spend == payment.amount
    jingshen = get_user_model().objects.get(username="jingshen")
    assert jingshen.check_password("gonghui-demo")
    assert ledger_check() == [] and ledger_unplaced() == ([], 0)
