"""Workflows of activities: registration and the waiting list, check-in, recording an event
as held, and summaries sent up the tree. Each runs in one transaction.

Registration locks the activity's row (SELECT ... FOR UPDATE) before counting places, so
that many members tapping "register" for the last place at once queue up on the lock and
each sees the count the previous one left: exactly ``capacity`` get a place, the rest wait.
The state, the count and the new row are one statement (Registration.objects.add_in_turn), sent
with the lock as one query on PostgreSQL, so the lock is held while the server runs that statement.
"""

import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from activities.models import (
    ACTIVE_REGISTRATION,
    Activity,
    Registration,
    RegistrationStatus,
    Status,
    Summary,
    SummaryPhoto,
    SummaryStatus,
)
from core.errors import Refusal
from core.files import ImageRefused, open_image
from core.language import written_time
from core.notifications import notify
from members.models import Member
from rollups import refresh as rollups

PHOTO_MAX_SIDE = 1600  # pixels: sharp on a phone and a projector, a few hundred kB each
PHOTO_MAX_BYTES = 15 * 1024 * 1024
PHOTOS_PER_SUMMARY = 12


class ActivityError(Refusal):
    """A workflow step that cannot be done, with the message to show; ``field`` names the form field it
    concerns (core.forms.refusal_on_form shows it there), None for the record's state."""


# --- registration and the waiting list


# What decides whether registration_add may write (Activity.registration_state, closed_message), read
# again to say why it refused.
STATE_FIELDS = ["status", "registration_opens_at", "registration_closes_at"]


def registration_add(*, activity, member, by, now=None):
    """Register ``member``: a place while there is one, else the end of the waiting list.

    ``by`` is the user acting: the member themselves, or an officer registering them on
    their behalf (officers may do so outside the registration window, not for an
    activity that is a draft, held or cancelled, nor for an ineligible member).
    """
    return registration_add_counted(activity=activity, member=member, by=by, now=now)[0]


def registration_add_counted(*, activity, member, by, now=None):
    """registration_add, and the counts of registration_counts as the new registration left them
    (None for an activity without a capacity): the statement that wrote it read them too, so the card
    a member sees after tapping "register" costs no further query."""
    on_behalf = getattr(member, "user_id", None) != by.pk
    # Who may join does not depend on the places left: checked before the lock. The state is checked
    # under it, by the statement that counts the places and writes the registration.
    problem = activity.eligibility_problem(member)
    duplicate = False
    if not problem:
        try:
            added = Registration.objects.add_in_turn(
                activity=activity, member=member, by=by, now=now, any_time=on_behalf
            )
        except IntegrityError:
            # The member already has a live registration (the database's constraint): said below.
            added, duplicate = None, True
        if added is not None:
            return added
    # Refused. An earlier registration is said first, as it is the likelier reason (a second tap), then
    # the state as it is now, then eligibility.
    activity.refresh_from_db(fields=STATE_FIELDS)
    state = activity.registration_state(now)
    if state != "open" and not (on_behalf and state in ("not_yet", "closed")):
        refusal = closed_message(activity, state)
    elif duplicate:
        refusal = _("%(name)s已经报名，无需重复报名。") % {"name": member.name}
    else:
        # Eligible, and open again by the time it was read (an officer reopened it meanwhile).
        refusal = problem or closed_message(activity, "closed")
    raise ActivityError(_already_registered(activity, member) or refusal)


def _already_registered(activity, member):
    """What to tell ``member`` about their live registration for ``activity``, or ""."""
    existing = Registration.objects.filter(
        activity_id=activity.pk, member=member, status__in=ACTIVE_REGISTRATION
    ).first()
    if existing is None:
        return ""
    if existing.status == RegistrationStatus.WAITING:
        return _("%(name)s已在候补名单中（第 %(position)s 位）。") % {
            "name": member.name,
            "position": waiting_position(existing),
        }
    return _("%(name)s已经报名，无需重复报名。") % {"name": member.name}


def closed_message(activity, state):
    if state == "not_yet":
        return _("报名尚未开始，开始时间为 %(time)s。") % {"time": written_time(activity.registration_opens_at)}
    if state == "closed":
        return _("报名已截止。")
    if state == "held":
        return _("活动已经举办，不能再报名。")
    if state == "cancelled":
        return _("活动已取消。")
    return _("活动尚未发布，暂不能报名。")


def _waiting_up_to(registration):
    """Registrations on the waiting list up to ``registration`` (itself included), in the list's order."""
    return Q(status=RegistrationStatus.WAITING) & (
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, id__lte=registration.id)
    )


def waiting_position(registration):
    """1 for the first person on the waiting list."""
    return Registration.objects.filter(_waiting_up_to(registration), activity_id=registration.activity_id).count()


def registration_counts(activity, mine=None):
    """``{"registered_count", "waiting_count", "position"}`` of ``activity`` in one query; ``position`` is
    ``mine``'s place in the waiting list (waiting_position), None unless it waits."""
    figures = {
        "registered_count": Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
        "waiting_count": Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
    }
    waits = mine is not None and mine.status == RegistrationStatus.WAITING
    if waits:
        figures["position"] = Count("pk", filter=_waiting_up_to(mine))
    counts = Registration.objects.filter(activity_id=activity.pk).aggregate(**figures)
    return {**counts, "position": counts["position"] if waits else None}


def registration_cancel(*, registration, by, now=None):
    """Cancel a registration; a freed place goes to the first person waiting, in the same transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
        if activity.status in (Status.HELD, Status.CANCELLED):
            raise ActivityError(_("活动已经结束，不能再取消报名。"))
        registration = Registration.objects.select_related("member").get(pk=registration.pk)
        if not registration.is_live:
            raise ActivityError(_("这条报名已经取消。"))
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        return fill_places(activity=activity, now=now)


# What an officer may no longer change: the activity took place, or its members were told it will not.
FINISHED = (Status.HELD, Status.CANCELLED)


def registrations_follow_roster(*, members, now=None) -> int:
    """Registrations that end because the roster changed (members.signals.roster_changed): a member who left the
    union, or moved out of the unit an activity is for, no longer holds a place or a turn on its waiting list for
    an activity still to come (as registration_add would refuse them now); the place goes to the first waiting.
    Activities already held keep their record, and one of a unit above both old and new unit is still theirs.
    Returns how many ended."""
    now = now or timezone.now()
    by_pk = {m.pk: m for m in members}
    live = (
        Registration.objects.filter(member__in=list(by_pk), status__in=ACTIVE_REGISTRATION)
        .filter(activity__starts_at__gt=now)
        .exclude(activity__status__in=FINISHED)
        .select_related("activity__unit", "member__user")
    )
    ended = 0
    for registration in live:
        member = by_pk[registration.member_id]
        if member.in_union and member.unit.path.startswith(registration.activity.unit.path):
            continue
        with transaction.atomic():
            activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
            updated = Registration.objects.filter(pk=registration.pk, status__in=ACTIVE_REGISTRATION).update(
                status=RegistrationStatus.CANCELLED, cancelled_at=now
            )
            if updated:
                fill_places(activity=activity, now=now)
                _tell_place_given_up(registration, activity)
                ended += 1
    return ended


def _tell_place_given_up(registration, activity):
    """Tell the member why their registration ended: they might otherwise come on the day."""
    user = registration.member.user
    if user is not None:
        notify(
            user,
            text=gettext_lazy("您已不在%(unit)s，“%(title)s”的报名已取消，名额让给候补的会员。"),
            params={"unit": activity.unit.name, "title": activity.title},
            url=reverse("activities:detail", args=[activity.pk]),
            kind="activities.place_given_up",
        )


def _check_schedule_item(activity):
    """The plan item linked is one the activity can fulfil (Activity.schedule_item_problem): the form
    says so beside the field, and this refuses a link set any other way."""
    problem = activity.schedule_item_problem()
    if problem:
        raise ActivityError(problem, field="schedule_item")


def activity_create(*, activity, by, publish=False) -> Activity:
    """Save a new activity an officer filled in, as a draft or published for registration."""
    _check_schedule_item(activity)
    activity.created_by = by
    activity.status = Status.OPEN if publish else Status.DRAFT
    activity.save()
    return activity


def activity_update(*, activity, publish=False) -> list:
    """Save an officer's changes to ``activity`` (publishing a draft if asked) and, since a larger
    capacity frees places, move the waiting list up at once. Returns the registrations promoted.

    Not once it was held or cancelled. The form's copy was read before the row is locked here: saved
    as it is, it would write back the status it was read with, bringing a cancelled activity (whose
    members were told) back to 报名中, or undoing a record of it as held. So the status is the row's."""
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status in FINISHED:
            raise ActivityError(_("已举办或已取消的活动不能再修改。"))
        activity.status = locked.status
        _check_schedule_item(activity)  # a new item, or a start moved to another year than its item's
        if publish and activity.status == Status.DRAFT:
            activity.status = Status.OPEN
        activity.save()
        return fill_places(activity=activity)


def activity_step(*, activity, action) -> Activity:
    """Publish a draft, close or reopen registration (Activity.STEPS), from the status the row has
    under its lock: a page read before the activity was cancelled or held must not reopen it."""
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if not locked.take_step(action):
            raise ActivityError(_("当前状态下不能这样操作。"))
        return locked


def fill_places(*, activity, now=None):
    """Move people from the waiting list onto free places, first come first served; tell each.

    Call with the activity row locked (cancellation, a larger capacity). Returns those promoted.
    """
    now = now or timezone.now()
    registered = activity.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    free = None if activity.capacity is None else activity.capacity - registered
    queue = activity.registrations.waiting().select_related("member__user")
    promoted = list(queue if free is None else queue[: max(free, 0)])
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        _tell_promoted(registration, activity)
    return promoted


def _tell_promoted(registration, activity):
    """Tell the member their place came free: in the app, and by the channels they chose."""
    user = registration.member.user
    if user is None:
        return
    notify(
        user,
        text=gettext_lazy("候补成功：您已获得“%(title)s”的名额。"),
        params={"title": activity.title},
        url=reverse("activities:detail", args=[activity.pk]),
        kind="activities.promoted",
    )


# --- check-in


def check_in(*, registration, by, now=None):
    """Mark a registration as attended (scanned or ticked); a person waiting who came is in.

    Not at an activity that was cancelled (its members were told not to come; their registrations stay
    as they were) or never published, as for a walk-in. The activity's row is locked first, as
    cancelling it and a walk-in lock it, so that a cancellation cannot slip in between."""
    now = now or timezone.now()
    with transaction.atomic():
        activity = Activity.objects.select_for_update().only("status").get(pk=registration.activity_id)
        if activity.status in (Status.DRAFT, Status.CANCELLED):
            raise ActivityError(_("活动未发布或已取消，不能签到。"))
        registration = Registration.objects.select_for_update().select_related("member").get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise ActivityError(_("%(name)s的报名已取消，请作为现场加入登记。") % {"name": registration.member.name})
        if registration.checked_in_at is None:
            registration.checked_in_at = now
            registration.checked_in_by = by
            registration.status = RegistrationStatus.REGISTERED
            registration.save(update_fields=["checked_in_at", "checked_in_by", "status"])
            _refresh_participant_times(registration.activity_id)
        return registration


def check_in_undo(*, registration):
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(checked_in_at=None, checked_in_by=None)
        _refresh_participant_times(registration.activity_id)
        rollups.touch(Member.objects.filter(pk=registration.member_id).values_list("unit_id", flat=True))
    registration.refresh_from_db()
    return registration


def walk_in_add(*, activity, member, by, now=None):
    """Someone who came without registering: registered and checked in at once, places or not."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status in (Status.DRAFT, Status.CANCELLED):
            raise ActivityError(_("活动未发布或已取消，不能签到。"))
        existing = locked.registrations.filter(member=member, status__in=ACTIVE_REGISTRATION).first()
        if existing is not None:
            return check_in(registration=existing, by=by, now=now)
        registration = Registration.objects.create(
            activity=locked,
            member=member,
            status=RegistrationStatus.REGISTERED,
            registered_by=by,
            created_at=now,
            checked_in_at=now,
            checked_in_by=by,
            walk_in=True,
        )
        _refresh_participant_times(locked.pk)
        return registration


def _refresh_participant_times(activity_id):
    """Once an activity is recorded as held, late check-ins keep its count of attendances true."""
    activity = Activity.objects.get(pk=activity_id)
    if activity.is_held:
        attended = activity.registrations.filter(checked_in_at__isnull=False).count()
        if (activity.participant_times or 0) < attended:
            Activity.objects.filter(pk=activity_id).update(participant_times=attended)
            rollups.touch([activity.unit_id])  # update() sends no signal


# --- held, and the plan item it fulfils


def activity_record_held(*, activity, by, participant_times, spend=None, now=None):
    """Record the activity as held with its participant-times; the linked plan item is then done."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Activity.objects.select_for_update(of=("self",)).select_related("schedule_item__plan").get(pk=activity.pk)
        )
        if locked.status in (Status.CANCELLED, Status.DRAFT):
            raise ActivityError(_("草稿或已取消的活动不能记录为已举办。"))
        if timezone.localtime(locked.starts_at).date() > timezone.localtime(now).date():
            raise ActivityError(_("活动还没有到举办日期。"))
        attended = locked.registrations.filter(checked_in_at__isnull=False).count()
        if participant_times < attended:
            raise ActivityError(_("参与人次不能少于已签到人数（%(count)s）。") % {"count": attended})
        if locked.schedule_item is not None and locked.schedule_item_problem():
            # Linked before the rule (Activity.schedule_item_problem): its item is not done by this one.
            raise ActivityError(
                _(
                    "对应的计划事项属于%(item_year)s年的工作计划，与活动的举办年份不符：请先修改活动，改选或清除计划事项。"
                )
                % {"item_year": locked.schedule_item.plan.year}
            )
        locked.status = Status.HELD
        locked.participant_times = participant_times
        locked.held_at = now
        locked.held_by = by
        if spend is not None:
            locked.spend = spend
        locked.save(update_fields=["status", "participant_times", "held_at", "held_by", "spend"])
        item = locked.schedule_item
        if item is not None and not item.is_done:
            # A recurring item ("每月开展一次……") is fulfilled for the activity's month only.
            item.mark_done(
                by=by,
                note=_("已举办“%(title)s”，参与 %(count)s 人次。")
                % {"title": locked.title, "count": participant_times},
                month=timezone.localtime(locked.starts_at).month,
            )
        return locked


def activity_cancel(*, activity, by):
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.is_held:
            raise ActivityError(_("已举办的活动不能取消。"))
        locked.status = Status.CANCELLED
        locked.save(update_fields=["status"])
        for registration in locked.registrations.filter(status__in=ACTIVE_REGISTRATION).select_related("member__user"):
            if registration.member.user_id:
                notify(
                    registration.member.user,
                    text=gettext_lazy("活动“%(title)s”已取消。"),
                    params={"title": locked.title},
                    url=reverse("activities:detail", args=[locked.pk]),
                    kind="activities.cancelled",
                )
        return locked


# --- summaries sent up the tree


def process_photo(upload):
    """A JPEG no larger than PHOTO_MAX_SIDE, turned upright as the camera's EXIF says, metadata dropped."""
    if upload.size > PHOTO_MAX_BYTES:
        raise ActivityError(
            _("照片“%(name)s”超过 %(mb)s MB。") % {"name": upload.name, "mb": PHOTO_MAX_BYTES // (1024 * 1024)}
        )
    try:
        with open_image(upload, name=upload.name) as image:
            # A JPEG is decoded at the smallest of 1/2, 1/4, 1/8 that still covers the box: a 48-megapixel
            # phone photo took 360 MB and 3 s decoded whole, for a picture of 1600 pixels.
            image.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # No exif= argument: location and device data in the original stay out of the archive.
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ImageRefused as refused:
        raise ActivityError(str(refused)) from None
    except (UnidentifiedImageError, OSError):
        raise ActivityError(_("“%(name)s”不是可识别的图片文件。") % {"name": upload.name}) from None
    name = Path(upload.name).stem[:40] or "photo"
    return ContentFile(out.getvalue(), name=f"{name}.jpg"), image.size


def summary_save(*, activity, text, photos=(), by, submit=False, now=None) -> Summary:
    """Write or revise the summary while it is a draft or was returned; photos are added. With
    ``submit`` it is filed with the parent unit in the same transaction (summary_submit): a refused
    submission leaves the summary as it was, neither the new text nor the photos kept."""
    written = []  # photo files stored on the way: a rollback does not take them away
    try:
        with transaction.atomic():
            summary, _created = Summary.objects.select_for_update().get_or_create(
                activity=activity, defaults={"text": text}
            )
            if not summary.is_editable:
                raise ActivityError(_("总结已报送，审阅前不能修改。"))
            if summary.photos.count() + len(photos) > PHOTOS_PER_SUMMARY:
                raise ActivityError(_("每篇总结最多 %(count)s 张照片。") % {"count": PHOTOS_PER_SUMMARY})
            processed = [process_photo(upload) for upload in photos]
            summary.text = text
            summary.save(update_fields=["text", "updated_at"])
            for content, (width, height) in processed:
                photo = SummaryPhoto(summary=summary, width=width, height=height)
                photo.image.save(content.name, content, save=False)
                written.append(photo.image.name)
                photo.save()
            if submit:
                summary = summary_submit(summary=summary, by=by, now=now)
            return summary
    except BaseException:
        for name in written:
            SummaryPhoto._meta.get_field("image").storage.delete(name)
        raise


def summary_photo_delete(*, photo):
    """Take a photo out of a summary still being written. Under the summary's row lock, which its
    submission takes too: a photo is never deleted from a version being filed. The file goes once the
    row has gone for good (a rolled-back deletion keeps it)."""
    with transaction.atomic():
        summary = Summary.objects.select_for_update().get(pk=photo.summary_id)
        if not summary.is_editable:
            raise ActivityError(_("总结已报送，审阅前不能修改。"))
        image = photo.image
        photo.delete()
        transaction.on_commit(lambda: image.delete(save=False))


def summary_submit(*, summary, by, now=None):
    """File the summary with the parent unit (federation.filing keeps the version filed)."""
    from activities import filing

    with transaction.atomic():
        summary = Summary.objects.select_for_update().select_related("activity__unit").get(pk=summary.pk)
        if not summary.is_editable:
            raise ActivityError(_("总结已报送。"))
        if not summary.text.strip():
            raise ActivityError(_("请先填写总结内容。"))
        try:
            filing.machine.filing_file(filing=filing.filing_of(summary), by=by, data=filing.snapshot(summary), now=now)
        except filing.machine.FilingError as error:
            raise ActivityError(str(error)) from None
        summary.refresh_from_db()
        return summary


def summary_review(*, summary, by, accept, comment="", now=None):
    """The parent unit accepts a submitted summary or returns it with a comment saying what to change;
    the group is told either way (federation.filing)."""
    from activities import filing

    with transaction.atomic():
        summary = Summary.objects.select_for_update().select_related("activity__unit").get(pk=summary.pk)
        if summary.status != SummaryStatus.SUBMITTED:
            raise ActivityError(_("只能审阅已报送的总结。"))
        if not accept and not comment.strip():
            raise ActivityError(_("退回时请写明需要修改的地方。"))
        found = filing.filing_of(summary)
        try:
            if accept:
                filing.machine.filing_accept(filing=found, by=by, comment=comment, now=now)
            else:
                filing.machine.filing_return(filing=found, by=by, comment=comment, now=now)
        except filing.machine.FilingError as error:
            raise ActivityError(str(error)) from None
        summary.refresh_from_db()
        return summary
