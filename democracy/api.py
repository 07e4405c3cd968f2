"""Democratic management over the JSON API: sessions, proposals (write, co-sign, answer, rate),
ballots (vote, results after close) and the public disclosure board, thin over the same
querysets and services as the pages."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from api.pagination import Pagination
from api.schemas import Error
from core.params import Line, RecordId, Text
from democracy.models import Ballot, BallotStatus, Choice, DisclosureItem, Proposal, Session
from democracy.models.proposals import Kind, ProposalStatus
from democracy.services import DemocracyError
from democracy.services import ballots as ballot_svc
from democracy.services import proposals as proposal_svc
from orgs.models import OrgUnit

router = Router(tags=["democracy"])
TEXT_MAX = 5000  # characters of a reason, a measure or an answer: a few pages


class SessionOut(Schema):
    id: int
    unit_id: int
    name: str
    short_name: str
    held_on: date
    status: str
    proposals_open_on: date
    proposals_close_on: date


class ProposalOut(Schema):
    id: int
    unit_id: int
    kind: str
    session_id: int | None
    number: int | None
    title: str
    reasons: str
    measures: str
    status: str
    submitted_on: date
    category: str
    department: str
    due_on: date | None
    first_answered_on: date | None
    reopened: bool


class ProposalIn(Schema):
    # Bounded like the columns they fill (PostgreSQL refuses a longer title; text fields get a page's worth).
    session_id: int
    title: Line(100)
    reasons: Text(TEXT_MAX)
    measures: Text(TEXT_MAX)


class AnswerIn(Schema):
    text: Text(TEXT_MAX)
    outcome: Text(10) = ""


class RateIn(Schema):
    rating: Text(20)
    reason: Text(500) = ""  # required with not_satisfied


class BallotOut(Schema):
    id: int
    unit_id: int
    title: str
    kind: str
    method: str
    seats: int
    status: str
    eligible_count: int
    cast_count: int


class VoteIn(Schema):
    # Per candidate id one of the choices: anything else is a 422 naming it, never a blank ballot counted.
    choices: dict[int, Choice] = Field({}, max_length=500)
    write_ins: list[Line(50)] = Field([], max_length=100)


class ResultOut(Schema):
    name: str
    votes: int
    elected: bool
    is_write_in: bool


class DisclosureOut(Schema):
    id: int
    title: str
    category: str
    period_label: str
    published_on: date
    content: str


def _today():
    return timezone.localdate()


def _proposal(request, proposal_id):
    return get_object_or_404(Proposal.objects.for_user(request.user), pk=proposal_id)


@router.get("/sessions", response=list[SessionOut])
@paginate(Pagination)
def list_sessions(request):
    return (
        Session.objects.readable_by(request.user).select_related("congress__unit", "unit").order_by("-held_on", "-pk")
    )


@router.get("/proposals", response=list[ProposalOut])
@paginate(Pagination)
def list_proposals(request, status: ProposalStatus | None = None, kind: Kind | None = None):
    items = Proposal.objects.for_user(request.user).order_by("-submitted_on", "-pk")
    if status:
        items = items.filter(status=status)
    if kind:
        items = items.filter(kind=kind)
    return items


@router.get("/proposals/{proposal_id}", response=ProposalOut)
def get_proposal(request, proposal_id: RecordId):
    return _proposal(request, proposal_id)


@router.post("/proposals", response={201: ProposalOut, 409: Error})
def submit_proposal(request, payload: ProposalIn):
    """A representative's proposal in the session's window."""
    session = get_object_or_404(
        Session.objects.filter(congress__representatives__member__user=request.user).distinct(), pk=payload.session_id
    )
    try:
        proposal = proposal_svc.proposal_submit(
            session=session,
            author=request.user,
            title=payload.title,
            reasons=payload.reasons,
            measures=payload.measures,
            today=_today(),
        )
    except DemocracyError as error:
        return Reply(409, {"message": error.message})
    return Reply(201, proposal)


@router.post("/proposals/{proposal_id}/cosign", response={200: ProposalOut, 409: Error})
def cosign(request, proposal_id: RecordId):
    try:
        proposal = proposal_svc.proposal_cosign(
            proposal=_proposal(request, proposal_id), user=request.user, today=_today()
        )
    except DemocracyError as error:
        return Reply(409, {"message": error.message})
    return Reply(200, proposal)


@router.post("/proposals/{proposal_id}/answer", response={200: ProposalOut, 409: Error})
def answer(request, proposal_id: RecordId, payload: AnswerIn):
    proposal = _proposal(request, proposal_id)
    try:
        proposal_svc.item_answer(
            proposal=proposal, by=request.user, text=payload.text, outcome=payload.outcome, today=_today()
        )
    except DemocracyError as error:
        return Reply(409, {"message": error.message})
    proposal.refresh_from_db()
    return Reply(200, proposal)


@router.post("/proposals/{proposal_id}/rating", response={200: ProposalOut, 409: Error})
def rate(request, proposal_id: RecordId, payload: RateIn):
    try:
        proposal = proposal_svc.item_rate(
            proposal=_proposal(request, proposal_id),
            by=request.user,
            rating=payload.rating,
            reason=payload.reason,
            today=_today(),
        )
    except DemocracyError as error:
        return Reply(409, {"message": error.message})
    return Reply(200, proposal)


@router.get("/ballots", response=list[BallotOut])
@paginate(Pagination)
def list_ballots(request):
    return Ballot.objects.readable_by(request.user).exclude(status=BallotStatus.DRAFT).order_by("-pk")


@router.post("/ballots/{ballot_id}/vote", response={204: None, 409: Error})
def vote(request, ballot_id: RecordId, payload: VoteIn):
    """Cast the signed-in voter's ballot; nothing returned says what was chosen."""
    ballot = get_object_or_404(Ballot.objects.readable_by(request.user), pk=ballot_id)
    paper = ballot_svc.BallotPaper(choices=dict(payload.choices), write_ins=payload.write_ins)
    try:
        ballot_svc.ballot_vote(ballot=ballot, user=request.user, paper=paper)
    except DemocracyError as error:
        return Reply(409, {"message": error.message})
    return Reply(204, None)


@router.get("/ballots/{ballot_id}/results", response={200: list[ResultOut], 409: Error})
def results(request, ballot_id: RecordId):
    """The count, sealed until the ballot closes (for everyone, superusers included)."""
    ballot = get_object_or_404(Ballot.objects.readable_by(request.user), pk=ballot_id)
    try:
        found = ballot_svc.ballot_results(ballot)
    except DemocracyError as error:
        return Reply(409, {"message": error.message})
    return Reply(
        200,
        [{"name": r.name, "votes": r.votes, "elected": r.elected, "is_write_in": r.is_write_in} for r in found.rows],
    )


@router.get("/public/{code}/disclosure", response=list[DisclosureOut], auth=None)
@paginate(Pagination)
def public_disclosure(request, code: str):
    """Items a unit has published on its external board; no login needed."""
    unit = get_object_or_404(OrgUnit.objects.filter(is_active=True), code=code)
    return DisclosureItem.objects.public().filter(unit=unit).order_by("-published_on", "pk")
