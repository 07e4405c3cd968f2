from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from orgs.models import OrgUnit

router = Router(tags=["orgs"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    headcount: int
    is_active: bool
    depth: int


@router.get("/units", response=list[UnitOut])
@paginate(LimitOffsetPagination)
def list_units(request, q: str = ""):
    units = OrgUnit.objects.visible_to(request.user, "orgs.view")
    if q:
        units = units.filter(name__contains=q)
    return units


@router.get("/units/{code}", response=UnitOut)
def get_unit(request, code: str):
    return get_object_or_404(OrgUnit.objects.visible_to(request.user, "orgs.view"), code=code)
