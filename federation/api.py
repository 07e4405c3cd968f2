"""The federation's year for other systems: calls issued, each unit's state, a report call's figures,
the calls a unit must answer, and the person's to-do list. Thin over federation.filing and
federation.services; who sees a call is ``FilingCall.objects`` (``visible_to``, ``reviewed_or_filed_by``),
as on the pages."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from api.pagination import Pagination
from core.params import RecordId, Year
from core.todo import todos_for
from federation import filing as machine
from federation import services
from federation.models import FILE, REVIEW, FilingCall

router = Router(tags=["federation"])


class CallOut(Schema):
    id: int
    unit_code: str
    kind: str
    year: int
    title: str
    due: datetime.date

    @staticmethod
    def resolve_unit_code(call):
        return call.unit.code


class CallDetailOut(CallOut):
    instructions: str


class UnitStateOut(Schema):
    unit_code: str
    unit_name: str
    state: str
    filed_at: datetime.datetime | None
    filed_late: bool


class ReportRowOut(Schema):
    unit_code: str
    unit_name: str
    state: str
    values: dict[str, str]


class ReportOut(Schema):
    fields: list[str]
    rows: list[ReportRowOut]
    total: dict[str, str]


class TodoOut(Schema):
    kind: str
    title: str
    url: str
    due: datetime.date | None
    unit_name: str
    urgent: bool


def _call(request, call_id):
    """A call its reviewers follow: every unit's state and figures are theirs to read, not a filer's."""
    return get_object_or_404(FilingCall.objects.visible_to(request.user, REVIEW).select_related("unit"), pk=call_id)


@router.get("/calls", response=list[CallOut])
@paginate(Pagination)
def list_calls(request, year: Year | None = None, to_file: bool = False):
    """Calls issued by the units the user reviews for (plans, summaries, report calls), latest deadline first;
    with ``to_file=true``, the calls the units where the user files must answer, from the unit above them."""
    calls = FilingCall.objects.visible_to(request.user, FILE if to_file else REVIEW).select_related("unit")
    return calls.filter(year=year) if year else calls


@router.get("/calls/{call_id}", response=CallDetailOut)
def get_call(request, call_id: RecordId):
    """One call, for its reviewers and for the filers of the units it asks, as their pages show it."""
    return get_object_or_404(FilingCall.objects.reviewed_or_filed_by(request.user).select_related("unit"), pk=call_id)


@router.get("/calls/{call_id}/states", response=list[UnitStateOut])
def call_states(request, call_id: RecordId):
    """Each unit the call asked: not_started, draft, filed, returned, accepted or late."""
    states = machine.call_states(_call(request, call_id), today=timezone.localdate())
    return [
        {
            "unit_code": s.unit.code,
            "unit_name": s.unit.name,
            "state": s.state,
            "filed_at": s.filing.filed_at if s.filing else None,
            "filed_late": s.filed_late,
        }
        for s in states
    ]


@router.get("/calls/{call_id}/report", response=ReportOut)
def call_report(request, call_id: RecordId):
    """A report call's figures as filed: a row per unit (empty values until it submits) and the totals."""
    fields, rows, total = services.report_table(_call(request, call_id), today=timezone.localdate())
    labels = [f.label for f in fields]
    return {
        "fields": labels,
        "rows": [
            {
                "unit_code": row.unit.code,
                "unit_name": row.unit.name,
                "state": row.state,
                "values": {label: str(cell) for label, cell in zip(labels, row.cells, strict=True)},
            }
            for row in rows
        ],
        "total": {label: str(cell) for label, cell in zip(labels, total, strict=True)},
    }


@router.get("/todo", response=list[TodoOut])
def my_todos(request):
    """What waits for the user (or the token's user), urgent first, then by deadline."""
    return todos_for(request.user, today=timezone.localdate())
