"""Assessments in the JSON API (read-only): rounds, the self-checks a person may read, a round's ranking."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from api.pagination import Pagination
from assessments import selectors
from assessments.models import Round, SelfCheck
from core.params import RecordId

router = Router(tags=["assessments"])


class RoundOut(Schema):
    id: int
    unit_id: int
    scheme_id: int
    year: int
    title: str
    deadline: datetime.date
    award_title: str
    award_years: int
    status: str
    publicity_from: datetime.date | None = None
    publicity_until: datetime.date | None = None


class ScoreOut(Schema):
    criterion_id: int
    group: str
    title: str
    points: Decimal
    claimed: Decimal | None
    agreed: bool | None
    reviewed: Decimal | None
    reason: str

    @staticmethod
    def resolve_group(score):
        return score.criterion.group

    @staticmethod
    def resolve_title(score):
        return score.criterion.title

    @staticmethod
    def resolve_points(score):
        return score.criterion.points


class CheckOut(Schema):
    id: int
    round_id: int
    unit_id: int
    unit_name: str
    status: str
    self_total: Decimal | None
    total: Decimal | None
    rank: int | None
    awarded_on: datetime.date | None
    expires_on: datetime.date | None

    @staticmethod
    def resolve_unit_name(check):
        return check.unit.name


class CheckDetailOut(CheckOut):
    scores: list[ScoreOut]

    @staticmethod
    def resolve_scores(check):
        # Submitted scores are frozen; a draft's rule scores are live and read on its page.
        return list(check.scores.select_related("criterion").order_by("criterion__order", "criterion_id"))


@router.get("/rounds", response=list[RoundOut])
@paginate(Pagination)
def list_rounds(request):
    return Round.objects.visible_to(request.user, "assessments.view").order_by("-year", "-id")


@router.get("/rounds/{round_id}/ranking", response=list[CheckOut])
@paginate(Pagination)
def round_ranking(request, round_id: RecordId):
    round_ = get_object_or_404(Round.objects.visible_to(request.user, "assessments.view"), pk=round_id)
    return selectors.ranking(request.user, round_)


@router.get("/checks", response=list[CheckOut])
@paginate(Pagination)
def list_checks(request):
    return SelfCheck.objects.visible_to(request.user, "assessments.view").select_related("unit").order_by("-id")


@router.get("/checks/{check_id}", response=CheckDetailOut)
def get_check(request, check_id: RecordId):
    return get_object_or_404(
        SelfCheck.objects.visible_to(request.user, "assessments.view").select_related("unit"), pk=check_id
    )
