"""Two requests that both passed the friendly duplicate check: the database's unique constraint
refuses the second, and the person is told why, as the check would have told them."""

import pytest
from django.db import transaction

from core.unique import once
from finance import services
from finance.models import Budget


def test_the_second_of_two_at_once_gets_the_message_and_the_callers_transaction_goes_on(units, zhuxi):
    services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    with transaction.atomic():
        # What the second request does once its check has passed: the insert itself.
        refused = services.FinanceError("2027年的预算已经存在。")
        with pytest.raises(services.FinanceError, match="2027年的预算已经存在"), once(refused):
            Budget.objects.create(unit=units["school"], year=2027, created_by=zhuxi)
        # PostgreSQL aborts a transaction at a failed statement; the savepoint keeps this one usable.
        assert Budget.objects.filter(unit=units["school"]).count() == 1


def test_a_budget_raced_past_its_check_is_refused_by_the_database(units, zhuxi, monkeypatch):
    services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    monkeypatch.setattr(services.Budget.objects, "filter", lambda **kw: Budget.objects.none())
    with pytest.raises(services.FinanceError, match="已经存在"):
        services.budget_create(unit=units["school"], year=2027, by=zhuxi)
    assert Budget.objects.count() == 1
