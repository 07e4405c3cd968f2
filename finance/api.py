"""Finance in the JSON API: a unit's budgets with their lines, and its payments (read-only)."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from api.pagination import Pagination
from core.params import RecordId, Year
from finance.models import Budget, Payment
from finance.privacy import log_payees_shown

router = Router(tags=["finance"])


class LineOut(Schema):
    id: int
    direction: str
    key: str  # a standard line's (finance.categories), "" for one the unit added
    category: str
    name: str
    amount: Decimal
    adjusted_amount: Decimal | None
    actual: Decimal


class BudgetOut(Schema):
    id: int
    unit_id: int
    year: int
    status: str
    approval_meeting: str
    lines: list[LineOut]

    @staticmethod
    def resolve_lines(budget):
        return list(budget.lines.all())


class PaymentOut(Schema):
    id: int
    unit_id: int
    line_id: int | None
    amount: Decimal
    paid_on: datetime.date
    payee: str
    description: str
    purpose: str
    status: str
    activity_id: int | None
    assistance_id: int | None
    reverses_id: int | None

    @staticmethod
    def resolve_payee(payment, context):
        return payment.payee_for(context["request"].user)  # the page's reads are logged by PaymentPages


class PaymentPages(Pagination):
    """The API's pages of payments: each care payment whose family a page shows in clear is a read of
    care data, logged for the page in one INSERT, as the ledger's own pages log theirs."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = shown = list(page[self.items_attribute])
        log_payees_shown(request, shown)
        return page


@router.get("/budgets/", response=list[BudgetOut])
@paginate(Pagination)
def list_budgets(request, year: Year | None = None):
    budgets = Budget.objects.visible_to(request.user, "finance.view").prefetch_related("lines").order_by("-year", "id")
    return budgets.filter(year=year) if year else budgets


@router.get("/budgets/{budget_id}/", response=BudgetOut)
def get_budget(request, budget_id: RecordId):
    return get_object_or_404(Budget.objects.visible_to(request.user, "finance.view"), pk=budget_id)


@router.get("/payments/", response=list[PaymentOut])
@paginate(PaymentPages)
def list_payments(request, year: Year | None = None):
    payments = (
        Payment.objects.visible_to(request.user, "finance.view").select_related("unit").order_by("-paid_on", "-id")
    )
    return payments.filter(paid_on__year=year) if year else payments
