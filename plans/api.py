"""Plans in JSON: the list, one plan with its sections, targets and items, and item status updates."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from plans import services
from plans.models import ItemStatus, Plan, ScheduleItem

router = Router(tags=["plans"])

MAX_LIMIT = 100


class Pagination(LimitOffsetPagination):
    """Limit and offset within what a database accepts: SQLite and PostgreSQL refuse a LIMIT or
    OFFSET past 64 bits, and nobody needs more than a page of plans at once."""

    class Input(Schema):
        limit: int = Field(30, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=2**31 - 1)


class PlanOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    year: int
    title: str
    status: str
    items_planned: int
    items_done: int

    @staticmethod
    def resolve_unit_code(plan):
        return plan.unit.code

    @staticmethod
    def resolve_unit_name(plan):
        return plan.unit.name


class SectionOut(Schema):
    number: str
    level: int
    heading: str
    body: str


class TargetOut(Schema):
    id: int
    name: str
    op: str
    value: Decimal
    measure: str
    metric: str
    actual: Decimal | None
    state: str

    @staticmethod
    def resolve_actual(target):
        return target.actual()

    @staticmethod
    def resolve_state(target):
        return target.current_state


class ItemOut(Schema):
    id: int
    plan_id: int
    unit_code: str
    month: int
    date: datetime.date | None
    text: str
    category: str
    owner: str
    status: str
    postponed_to: int | None
    note: str
    overdue: bool

    @staticmethod
    def resolve_unit_code(item):
        return item.unit.code

    @staticmethod
    def resolve_overdue(item):
        return item.overdue if hasattr(item, "overdue") else item.is_overdue(timezone.localdate())


class PlanDetailOut(PlanOut):
    guiding: str
    sections: list[SectionOut]
    targets: list[TargetOut]
    items: list[ItemOut]

    @staticmethod
    def resolve_sections(plan):
        return plan.outline()

    @staticmethod
    def resolve_targets(plan):
        return plan.progress.targets

    @staticmethod
    def resolve_items(plan):
        return plan.progress.items


class ItemStatusIn(Schema):
    status: ItemStatus
    postponed_to: int | None = None
    note: str = ""


@router.get("/plans", response=list[PlanOut])
@paginate(Pagination)
def list_plans(request, year: int | None = None, unit: str = ""):
    plans = Plan.objects.visible_to(request.user, "plans.view").select_related("unit")
    if year is not None:
        plans = plans.filter(year=year)
    if unit:
        plans = plans.filter(unit__code=unit)
    return plans.with_item_counts().order_by("-year", "unit__path", "pk")


@router.get("/plans/{plan_id}", response=PlanDetailOut)
def get_plan(request, plan_id: int):
    plans = Plan.objects.visible_to(request.user, "plans.view").select_related("unit").with_item_counts()
    plan = get_object_or_404(plans, pk=plan_id)
    plan.progress = services.plan_progress(plan)
    return plan


@router.post("/items/{item_id}/status", response=ItemOut)
def set_item_status(request, item_id: int, payload: ItemStatusIn):
    """Update an item assigned to a unit the user holds ``plans.update_items`` on."""
    items = ScheduleItem.objects.visible_to(request.user, "plans.update_items").select_related("plan", "unit")
    item = get_object_or_404(items, pk=item_id)
    try:
        services.item_set_status(
            item=item,
            status=payload.status,
            postponed_to=payload.postponed_to,
            note=payload.note,
            user=request.user,
        )
    except services.PlanError as error:
        raise HttpError(422, str(error)) from error
    return item
