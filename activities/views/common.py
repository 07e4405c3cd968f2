"""What every activities page needs: the access helpers that return an activity or raise 404,
the member behind a login, and the breadcrumbs."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from activities.models import Activity
from members.models import Member
from orgs.access import has_permission


def member_of(user):
    """The roster record linked to the login, or None (officers often have none); with its unit,
    which eligibility and the pages read. Without the ID number and phone: no activities page shows
    them, so they are not decrypted (and not held in the worker's memory) for every tap on 报名."""
    if not user.is_authenticated:
        return None
    try:
        return Member.objects.select_related("unit").defer("id_number", "phone").get(user=user)
    except ObjectDoesNotExist:
        return None


def get_activity(request, pk, permission):
    """The activity if the user holds ``permission`` for it, else 404."""
    return get_object_or_404(Activity.objects.visible_to(request.user, permission).select_related("unit"), pk=pk)


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
