"""What every activities page needs: the access helpers that return an activity or raise 404,
the member behind a login, and the breadcrumbs."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from activities.models import Activity
from members.models import Member
from orgs.access import has_permission

# What a tap on 报名 reads (activities.register): of the member, what eligibility and the messages use;
# of the activity, its state, places and audience and what the registration card shows. Loading these
# alone took the request from about 13,300 Python calls to 11,650 (bench/registrations.py); a field the
# card comes to show without being listed here costs a query, which its tests count.
REGISTERING_MEMBER = (
    "name",
    "gender",
    "birth_date",
    "status",
    "is_retiree",
    "user",
    *(f"unit__{f}" for f in ("path", "name", "short_name")),
)
REGISTERING_ACTIVITY = (
    *("unit", "status", "capacity", "participant_times", "registration_opens_at", "registration_closes_at"),
    *("audience", "audience_unit", "max_age", "starts_at"),
    *(f"unit__{f}" for f in ("path", "name", "short_name")),
)


def member_of(user, only=None):
    """The roster record linked to the login (Member.objects.of_login), without the ID number and
    phone: no activities page shows them, so they are not decrypted (and not held in the worker's
    memory) for every tap on 报名. ``only``: these fields alone (REGISTERING_MEMBER)."""
    members = Member.objects.only(*only) if only else Member.objects.defer("id_number", "phone")
    return members.of_login(user)


def get_activity(request, pk, permission, only=None):
    """The activity if the user holds ``permission`` for it, else 404; ``only``: these fields alone."""
    activities = Activity.objects.visible_to(request.user, permission).select_related("unit")
    return get_object_or_404(activities.only(*only) if only else activities, pk=pk)


def get_managed_activity(request, pk, permission="activities.manage"):
    """For officers' actions: the permission must hold on the activity's own unit, not an ancestor's view."""
    activity = get_activity(request, pk, "activities.view")
    if not has_permission(request.user, permission, activity.unit):
        raise Http404
    return activity


def breadcrumbs(activity=None, *extra):
    crumbs = [{"label": _("活动"), "url": reverse("activities:list")}]
    if activity is not None:
        crumbs.append({"label": activity.title, "url": reverse("activities:detail", args=[activity.pk])})
    crumbs.extend({"label": label, "url": ""} for label in extra)
    return crumbs
