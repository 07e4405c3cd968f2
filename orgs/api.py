from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from api.pagination import Pagination
from core.params import SearchText
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
@paginate(Pagination)
def list_units(request, q: SearchText = ""):
    units = OrgUnit.objects.visible_to(request.user, "orgs.view")
    if q:
        units = units.filter(name__contains=q)
    return units


@router.get("/units/{code}", response=UnitOut)
def get_unit(request, code: Annotated[str, Field(max_length=60)]):
    return get_object_or_404(OrgUnit.objects.visible_to(request.user, "orgs.view"), code=code)
