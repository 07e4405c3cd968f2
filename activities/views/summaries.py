"""Summaries after the event: a unit writes and submits, its parent accepts or returns them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import services
from activities.forms import ReviewForm, SummaryForm
from activities.models import Activity, Status, Summary, SummaryPhoto, SummaryStatus
from activities.views.common import breadcrumbs, get_activity
from core.files import serve
from core.pagination import paginate
from orgs.access import has_permission
from orgs.models import OrgUnit


def _reviewer_unit(activity):
    return OrgUnit.objects.get_parent(activity.unit)


def can_review(user, activity):
    parent = _reviewer_unit(activity)
    return parent is not None and has_permission(user, "activities.manage", parent)


@login_required
def summary(request, pk):
    """The summary of one activity: written by its unit, read (and reviewed) by the unit above."""
    activity = get_activity(request, pk, "activities.view")
    can_write = has_permission(request.user, "activities.manage", activity.unit)
    reviewer = can_review(request.user, activity)
    if not (can_write or reviewer):
        raise Http404
    existing = Summary.objects.filter(activity=activity).prefetch_related("photos").first()
    form = None
    if can_write and (existing is None or existing.is_editable) and activity.status == Status.HELD:
        form = SummaryForm(
            request.POST or None, request.FILES or None, initial={"text": existing.text if existing else ""}
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.summary_save(
                    activity=activity,
                    text=form.cleaned_data["text"],
                    photos=request.FILES.getlist("photos"),
                    by=request.user,
                    submit="submit" in request.POST,
                )
            except services.ActivityError as error:
                form.add_error(None, str(error))
            else:
                if "submit" in request.POST:
                    messages.success(request, _("总结已报送上级工会。"))
                else:
                    messages.success(request, _("总结已保存，确认无误后请报送。"))
                return redirect("activities:summary", activity.pk)
    return _summary_page(request, activity, existing, form=form, reviewer=reviewer)


def _summary_page(request, activity, existing, *, form, reviewer, review_form=None):
    """The summary's page: ``form`` for its unit to write, and for the unit above a review form
    (``review_form``: one sent back with its comment and what is wrong with it)."""
    reviewing = reviewer and existing and existing.status == SummaryStatus.SUBMITTED
    return render(
        request,
        "activities/summary.html",
        {
            "activity": activity,
            "summary": existing,
            "form": form,
            "review_form": (review_form or ReviewForm()) if reviewing else None,
            "reviewer_unit": _reviewer_unit(activity),
            "breadcrumbs": breadcrumbs(activity, _("活动总结")),
        },
    )


@login_required
@require_POST
def review(request, pk):
    activity = get_activity(request, pk, "activities.view")
    if not can_review(request.user, activity):
        raise Http404
    existing = get_object_or_404(Summary.objects.prefetch_related("photos"), activity=activity)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        # A comment the form refused is neither dropped (the summary accepted without it, or a return
        # refused for having none) nor lost: the page comes back with it, to be shortened.
        return _summary_page(request, activity, existing, form=None, reviewer=True, review_form=form)
    try:
        services.summary_review(
            summary=existing,
            by=request.user,
            accept=request.POST.get("decision") == "accept",
            comment=form.cleaned_data["comment"],
        )
    except services.ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已审阅。"))
    return redirect("activities:summary", activity.pk)


def _get_photo(request, pk):
    """A photo of a summary the user writes or reviews, else 404; the query decides. Both hold
    activities.manage on the activity's unit: its own officers, and those of the unit above
    (can_review), whose role covers the units below."""
    photos = SummaryPhoto.objects.visible_to(request.user, "activities.manage")
    return get_object_or_404(photos.select_related("summary"), pk=pk)


@login_required
def photo(request, pk):
    """Photos are served through the access rule, not from a public media URL."""
    return serve(_get_photo(request, pk).image)


@login_required
@require_POST
def photo_delete(request, pk):
    found = _get_photo(request, pk)
    try:
        services.summary_photo_delete(photo=found)
    except services.ActivityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已删除照片。"))
    return redirect("activities:summary", found.summary.activity_id)


@login_required
def received(request):
    """For a parent unit: summaries its groups submitted, and held activities still without one."""
    unit = request.unit
    if unit is None or not has_permission(request.user, "activities.manage", unit):
        raise Http404
    below = (
        Activity.objects.visible_to(request.user, "activities.view")
        .in_subtree(unit)
        .exclude(unit=unit)
        .filter(status=Status.HELD)
        .select_related("unit", "summary")
    )
    state = request.GET.get("state", "pending")
    waiting_review = Q(summary__status=SummaryStatus.SUBMITTED)
    missing = Q(summary__isnull=True) | Q(summary__status__in=[SummaryStatus.DRAFT, SummaryStatus.RETURNED])
    if state == "missing":
        shown = below.filter(missing)
    elif state == "done":
        shown = below.filter(summary__status=SummaryStatus.ACCEPTED)
    else:
        state = "pending"
        shown = below.filter(waiting_review)
    # Only direct children's summaries are this unit's to review; deeper ones go to their own parents.
    shown = shown.filter(unit__depth=unit.depth + 1).order_by("unit__path", "-starts_at")
    not_submitted = (
        below.filter(missing, unit__depth=unit.depth + 1)
        .values("unit__id", "unit__name", "unit__short_name", "unit__path")
        .annotate(missing=Count("id"))
        .order_by("unit__path")
    )
    return render(
        request,
        "activities/received.html",
        {
            "page": paginate(request, shown),
            "state": state,
            "not_submitted": list(not_submitted[:50]),
            "breadcrumbs": breadcrumbs(None, _("活动总结")),
        },
    )
