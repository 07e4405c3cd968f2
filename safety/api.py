"""Safety in the JSON API: inspections and hazards within reach (read-only)."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from api.pagination import Pagination
from core.params import RecordId, Year
from safety.models import Hazard, HazardStatus, Inspection

router = Router(tags=["safety"])


class InspectionOut(Schema):
    id: int
    unit_id: int
    place: str
    inspected_on: datetime.date
    failed_items: list[str]


class HazardOut(Schema):
    id: int
    unit_id: int
    inspection_id: int
    description: str
    severity: str
    department: str
    deadline: datetime.date
    status: str


@router.get("/inspections/", response=list[InspectionOut])
@paginate(Pagination)
def list_inspections(request, year: Year | None = None):
    found = Inspection.objects.visible_to(request.user, "safety.view").order_by("-inspected_on", "-id")
    return found.in_year(year) if year else found


@router.get("/hazards/", response=list[HazardOut])
@paginate(Pagination)
def list_hazards(request, status: HazardStatus | None = None):
    found = Hazard.objects.visible_to(request.user, "safety.view").order_by("deadline", "id")
    return found.filter(status=status) if status else found


@router.get("/hazards/{hazard_id}/", response=HazardOut)
def get_hazard(request, hazard_id: RecordId):
    return get_object_or_404(Hazard.objects.visible_to(request.user, "safety.view"), pk=hazard_id)
