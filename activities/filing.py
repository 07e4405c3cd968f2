"""Activity summaries go up the tree through the one filing machine (federation.filing).

The machine keeps each filed version and tells the group when its summary is returned or accepted;
the Summary row keeps a copy of the state for this app's own lists (who has not submitted).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Summary, SummaryStatus
from core.language import site_language
from federation import filing as machine
from federation.models import FilingStatus

KIND = "activities.summary"

_STATUS = {
    FilingStatus.DRAFT: SummaryStatus.DRAFT,
    FilingStatus.FILED: SummaryStatus.SUBMITTED,
    FilingStatus.RETURNED: SummaryStatus.RETURNED,
    FilingStatus.ACCEPTED: SummaryStatus.ACCEPTED,
}


def _url(filing):
    return reverse("activities:summary", args=[filing.subject.activity_id])


def _sync(filing):
    """Copy the filing's state onto the summary, in the same transaction."""
    Summary.objects.filter(pk=filing.subject_id).update(
        status=_STATUS[filing.status],
        submitted_at=filing.filed_at,
        submitted_by=filing.filed_by,
        reviewed_at=filing.reviewed_at if filing.status != FilingStatus.FILED else None,
        reviewed_by=filing.reviewed_by if filing.status != FilingStatus.FILED else None,
        review_comment=filing.comment,
    )


machine.register_kind(
    machine.FilingKind(
        key=KIND,
        label=gettext_lazy("活动总结"),
        url=_url,
        on_change=_sync,
        review_permission="activities.manage",
        file_permission="activities.manage",
    )
)


def filing_of(summary):
    """The summary's filing; one filed before summaries moved onto the machine is filed on it now."""
    activity = summary.activity
    with site_language():  # the filing's title is read up the tree, not only by whoever files it
        title = _("%(title)s的活动总结") % {"title": activity.title}
    filing = machine.filing_for(
        kind=KIND,
        unit=activity.unit,
        subject=summary,
        title=title,
        year=timezone.localtime(activity.starts_at).year,
    )
    if filing.status == FilingStatus.DRAFT and summary.status == SummaryStatus.SUBMITTED:
        filing = machine.filing_file(
            filing=filing, by=summary.submitted_by, data=snapshot(summary), now=summary.submitted_at
        )
    return filing


def snapshot(summary):
    return {"text": summary.text, "photos": list(summary.photos.values_list("pk", flat=True))}
