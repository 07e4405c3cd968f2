"""Activities over the JSON API: what a phone app or the county's portal needs to list
activities and register, thin over the same queryset rules and services as the pages."""

from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from activities import services
from activities.models import Activity, RegistrationStatus, Status
from activities.views.common import member_of
from api.pagination import Pagination
from api.schemas import Error
from core.params import RecordId
from orgs.access import has_permission

router = Router(tags=["activities"])


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    unit_id: int
    starts_at: datetime
    place: str
    status: str
    capacity: int | None
    registered: int
    waiting: int

    @staticmethod
    def resolve_registered(obj):
        return obj.registered_count

    @staticmethod
    def resolve_waiting(obj):
        return obj.waiting_count


class RegistrationOut(Schema):
    id: int
    activity_id: int
    status: str
    waiting_position: int | None
    checked_in_at: datetime | None


class RegistrantOut(Schema):
    id: int
    member_id: int
    name: str
    unit_id: int
    status: str
    walk_in: bool
    checked_in_at: datetime | None

    @staticmethod
    def resolve_name(obj):
        return obj.member.name

    @staticmethod
    def resolve_unit_id(obj):
        return obj.member.unit_id


def _visible(request):
    return (
        Activity.objects.visible_to(request.user, "activities.view")
        .exclude(status=Status.DRAFT)
        .with_counts()
        .order_by("-starts_at", "-id")
    )


def _registration_out(registration):
    position = services.waiting_position(registration) if registration.status == RegistrationStatus.WAITING else None
    return {
        "id": registration.pk,
        "activity_id": registration.activity_id,
        "status": registration.status,
        "waiting_position": position,
        "checked_in_at": registration.checked_in_at,
    }


@router.get("/activities", response=list[ActivityOut])
@paginate(Pagination)
def list_activities(request, status: Status | None = None):
    activities = _visible(request)
    return activities.filter(status=status) if status else activities


@router.get("/activities/{activity_id}", response=ActivityOut)
def get_activity(request, activity_id: RecordId):
    return get_object_or_404(_visible(request), pk=activity_id)


@router.post("/activities/{activity_id}/registration", response={200: RegistrationOut, 409: Error})
def register(request, activity_id: RecordId):
    """Register the signed-in member; a full activity puts them on the waiting list."""
    activity = get_object_or_404(Activity.objects.visible_to(request.user, "activities.register"), pk=activity_id)
    member = member_of(request.user)
    if member is None:
        raise Http404
    try:
        registration = services.registration_add(activity=activity, member=member, by=request.user)
    except services.ActivityError as error:
        return Reply(409, {"message": str(error)})
    return Reply(200, _registration_out(registration))


@router.delete("/activities/{activity_id}/registration", response={200: RegistrationOut, 409: Error})
def cancel(request, activity_id: RecordId):
    activity = get_object_or_404(Activity.objects.visible_to(request.user, "activities.register"), pk=activity_id)
    member = member_of(request.user)
    registration = activity.registrations.filter(member=member).exclude(status=RegistrationStatus.CANCELLED).first()
    if member is None or registration is None:
        raise Http404
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except services.ActivityError as error:
        return Reply(409, {"message": str(error)})
    registration.refresh_from_db()
    return Reply(200, _registration_out(registration))


@router.get("/activities/{activity_id}/registrations", response=list[RegistrantOut])
@paginate(Pagination)
def registrations(request, activity_id: RecordId):
    """The registration list, for officers who check people in."""
    activity = get_object_or_404(_visible(request), pk=activity_id)
    if not has_permission(request.user, "activities.checkin", activity.unit):
        raise Http404
    return activity.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("member")
