"""Collective contracts in the JSON API: the contracts within reach and a unit's coverage (read-only)."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from api.pagination import Pagination
from contracts import services
from contracts.models import Contract
from core.params import RecordId
from orgs.models import OrgUnit

router = Router(tags=["contracts"])


class ContractOut(Schema):
    id: int
    unit_id: int
    kind: str
    title: str
    employer: str
    starts_on: datetime.date
    ends_on: datetime.date
    workers_covered: int
    stage: str
    signed_on: datetime.date | None
    filed_on: datetime.date | None


class CoverageOut(Schema):
    unit_id: int
    unions: int
    unions_covered: int
    workers: int
    workers_covered: int
    rate: Decimal | None


@router.get("/contracts/", response=list[ContractOut])
@paginate(Pagination)
def list_contracts(request, expiring: bool = False):
    found = Contract.objects.visible_to(request.user, "contracts.view").order_by("ends_on", "id")
    return found.expiring(timezone.localdate()) if expiring else found


@router.get("/coverage/{unit_id}/", response=CoverageOut)
def coverage(request, unit_id: RecordId):
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user, "contracts.view"), pk=unit_id)
    figures = services.coverage(unit)
    return CoverageOut(unit_id=unit.pk, rate=figures.rate, **vars(figures))
