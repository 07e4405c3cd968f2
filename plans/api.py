"""Plans in JSON: the list, one plan with its sections, targets and items, and item status updates."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from api.pagination import Pagination
from api.schemas import Error, field_refusal
from core.params import RecordId, SearchText, Text, Year
from plans import services
from plans.models import ItemStatus, Plan, ScheduleItem

router = Router(tags=["plans"])


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
    """A target as ``services.TargetStatus`` computed it."""

    id: int = Field(alias="target.id")
    name: str = Field(alias="target.name")
    op: str = Field(alias="target.op")
    value: Decimal = Field(alias="target.value")
    measure: str = Field(alias="target.measure")
    metric: str = Field(alias="target.metric")
    actual: Decimal | None
    state: str


class ItemOut(Schema):
    """An item as ``services.ItemRow`` shows it."""

    id: int = Field(alias="item.id")
    plan_id: int = Field(alias="item.plan_id")
    unit_code: str = Field(alias="item.unit.code")
    month: int = Field(alias="item.month")
    date: datetime.date | None = Field(alias="item.date")
    text: str = Field(alias="item.text")
    category: str = Field(alias="item.category")
    owner: str = Field(alias="item.owner")
    status: str = Field(alias="item.status")
    postponed_to: int | None = Field(alias="item.postponed_to")
    note: str = Field(alias="item.note")
    overdue: bool
    recurring: bool = Field(alias="item.recurring")
    months_done: int  # of a recurring item, the months whose turn is done
    months_due: int


@dataclass
class PlanDetail:
    """One plan with its progress, computed once for the answer."""

    plan: Plan
    progress: services.Progress


class PlanDetailOut(Schema):
    id: int = Field(alias="plan.id")
    unit_code: str = Field(alias="plan.unit.code")
    unit_name: str = Field(alias="plan.unit.name")
    year: int = Field(alias="plan.year")
    title: str = Field(alias="plan.title")
    status: str = Field(alias="plan.status")
    items_planned: int = Field(alias="progress.total.planned")
    items_done: int = Field(alias="progress.total.done")
    guiding: str = Field(alias="plan.guiding")
    sections: list[SectionOut]
    targets: list[TargetOut] = Field(alias="progress.targets")
    items: list[ItemOut] = Field(alias="progress.items")

    @staticmethod
    def resolve_sections(detail):
        outline = detail.plan.outline(has_targets=bool(detail.progress.targets), has_items=bool(detail.progress.items))
        return [
            {"number": e.number, "level": e.level, "heading": e.heading, "body": e.body}
            for e in outline
            if e.section is not None
        ]


class ItemStatusIn(Schema):
    status: ItemStatus
    postponed_to: int | None = None
    note: Text(200) = ""  # ScheduleItem.note's length: PostgreSQL refuses more
    whole: bool = False  # a monthly item closed for the year, not this month's turn


@router.get("/plans", response=list[PlanOut])
@paginate(Pagination)
def list_plans(request, year: Year | None = None, unit: SearchText = ""):
    plans = Plan.objects.visible_to(request.user, "plans.view").select_related("unit")
    if year is not None:
        plans = plans.filter(year=year)
    if unit:
        plans = plans.filter(unit__code=unit)
    return plans.with_item_counts().order_by("-year", "unit__path", "pk")


@router.get("/plans/{plan_id}", response=PlanDetailOut)
def get_plan(request, plan_id: RecordId):
    plan = get_object_or_404(Plan.objects.visible_to(request.user, "plans.view").select_related("unit"), pk=plan_id)
    return PlanDetail(plan, services.plan_progress(plan))


@router.post("/items/{item_id}/status", response={200: ItemOut, 409: Error})
def set_item_status(request, item_id: RecordId, payload: ItemStatusIn):
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
            whole=payload.whole,
        )
    except services.PlanError as error:
        return Reply(409, {"message": field_refusal(ScheduleItem, error.field, error.message)})
    [row] = services.item_rows([item])
    return Reply(200, row)
