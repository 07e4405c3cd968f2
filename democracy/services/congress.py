"""Congress terms, representatives (with the quota check), sessions, check-in, quorum, resolutions."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import site_language, written_date
from core.unique import once
from democracy.models import Attendance, Congress, Representative, Resolution, Session, SessionStatus
from democracy.models.congress import ResolutionStatus, share_reached
from democracy.services import DemocracyError
from members.models import Gender

YOUNG_AGE = 35


@dataclass(frozen=True)
class QuotaCheck:
    label: str
    required_share: int  # percent
    count: int
    total: int

    @property
    def met(self):
        return self.total == 0 or self.count * 100 >= self.required_share * self.total


def quota_checks(congress, *, today) -> list[QuotaCheck]:
    """The congress's quotas (women, frontline, young) against its representatives in office, in one query."""
    rows = list(
        Representative.objects.serving(today)
        .filter(congress=congress)
        .values_list("member__gender", "is_frontline", "member__birth_date")
    )
    total = len(rows)
    young_born_after = datetime.date(today.year - YOUNG_AGE, today.month, min(today.day, 28))
    women = sum(1 for gender, _f, _b in rows if gender == Gender.FEMALE)
    frontline = sum(1 for _g, frontline, _b in rows if frontline)
    young = sum(1 for _g, _f, birth in rows if birth and birth > young_born_after)
    checks = [
        QuotaCheck(_("女代表"), congress.women_share, women, total),
        QuotaCheck(_("一线教职工代表"), congress.frontline_share, frontline, total),
        QuotaCheck(_("青年代表（35岁以下）"), congress.young_share, young, total),
    ]
    return [c for c in checks if c.required_share]


def representative_add(*, congress, member, delegation=None, is_frontline=True, elected_on=None) -> Representative:
    """Elect ``member`` to the term: at its start, or later in a by-election (补选) on ``elected_on``
    (today unless given)."""
    elected_on = elected_on or timezone.localdate()
    if not member.unit.is_in_subtree_of(congress.unit):
        raise DemocracyError(_("%(name)s不是本单位的会员，不能当选代表。") % {"name": member.name})
    if elected_on < congress.starts_on or (congress.ends_on and elected_on >= congress.ends_on):
        raise DemocracyError(_("当选日期应在本届任期之内。"), field="elected_on")
    if elected_on > timezone.localdate():
        raise DemocracyError(_("当选日期不能晚于今天。"), field="elected_on")
    earlier = Representative.objects.filter(congress=congress, member=member).first()
    if earlier is not None and earlier.left_on:
        raise DemocracyError(
            _("%(name)s已于%(date)s卸任本届代表。") % {"name": member.name, "date": written_date(earlier.left_on)}
        )
    refused = DemocracyError(_("%(name)s已经是本届代表。") % {"name": member.name})
    if earlier is not None:
        raise refused
    if delegation is None and member.unit_id != congress.unit_id:
        delegation = member.unit  # the delegation (代表团) of the sub-union or group they work in
    with once(refused):
        return Representative.objects.create(
            congress=congress,
            unit=congress.unit,
            member=member,
            delegation=delegation,
            is_frontline=is_frontline,
            elected_on=elected_on,
        )


def _locked_representative(representative) -> Representative:
    try:
        return Representative.objects.select_for_update(of=("self",)).select_related("member").get(pk=representative.pk)
    except Representative.DoesNotExist:  # taken back by another officer since the page was read
        raise DemocracyError(_("%(name)s已被移出本届代表。") % {"name": representative.member.name}) from None


def representative_leave(*, representative, on, reason) -> Representative:
    """The representative leaves office from ``on`` (调离、退休、辞去代表职务): sessions held from that
    day count their quorum without them; those before keep them. Not before a session they attended."""
    with transaction.atomic():
        representative = _locked_representative(representative)
        name = representative.member.name
        if representative.left_on:
            raise DemocracyError(
                _("%(name)s已于%(date)s卸任。") % {"name": name, "date": written_date(representative.left_on)}
            )
        if on <= representative.elected_on:
            raise DemocracyError(
                _("卸任日期应晚于当选日期（%(date)s）。") % {"date": written_date(representative.elected_on)},
                field="left_on",
            )
        attended = (
            Session.objects.filter(attendances__representative=representative, held_on__gte=on)
            .order_by("-held_on")
            .first()
        )
        if attended is not None:
            raise DemocracyError(
                _("%(name)s出席了%(date)s的%(session)s，卸任日期应在这之后。")
                % {"name": name, "date": written_date(attended.held_on), "session": attended.short_name},
                field="left_on",
            )
        representative.left_on, representative.left_reason = on, reason
        representative.save(update_fields=["left_on", "left_reason"])
        return representative


def representatives_follow_roster(*, members, on) -> int:
    """Seats that end because the roster changed (members.signals.roster_changed): a representative who
    leaves the union (退会、去世) or moves out of the unit whose congress elected them (调离) is no longer its
    representative (代表资格自行终止), from ``on``, or the day after the last session they attended or the
    day they were elected if later. Seats still in step are left alone. Returns how many ended."""
    by_pk = {m.pk: m for m in members}
    seats = Representative.objects.filter(member__in=list(by_pk), left_on__isnull=True).select_related("congress__unit")
    ended = 0
    for seat in seats.select_for_update(of=("self",)):
        member = by_pk[seat.member_id]
        if member.in_union and member.unit.path.startswith(seat.congress.unit.path):
            continue
        with site_language():  # a record of the union's, read by everyone
            seat.left_reason = (
                _("%(status)s，代表资格终止") % {"status": member.get_status_display()}
                if not member.in_union
                else _("调离本单位（转至%(unit)s），代表资格终止") % {"unit": member.unit.name}
            )[:100]
        last = seat.attendances.order_by("-session__held_on").values_list("session__held_on", flat=True).first()
        seat.left_on = max([on] + [day + datetime.timedelta(days=1) for day in (last, seat.elected_on) if day])
        seat.save(update_fields=["left_on", "left_reason"])
        ended += 1
    return ended


def representative_remove(*, representative) -> None:
    """Take back a representative added by mistake. One who has attended a session is part of its
    record and leaves office instead (representative_leave)."""
    with transaction.atomic():
        representative = _locked_representative(representative)
        if representative.attendances.exists():
            raise DemocracyError(
                _("%(name)s已出席过会议，不能删除；如不再担任代表，请登记卸任。") % {"name": representative.member.name}
            )
        representative.delete()


def session_check_in(*, session, representative, by, now=None) -> Attendance:
    """Check a representative in (scanned code or ticked name); checking in twice changes nothing."""
    now = now or timezone.now()
    if representative.congress_id != session.congress_id:
        raise DemocracyError(_("%(name)s不是本届代表。") % {"name": representative.member.name})
    if session.status == SessionStatus.CLOSED:
        raise DemocracyError(_("会议已闭幕，不能再签到。"))
    with transaction.atomic():
        # Locked, so that a representative taken back or leaving at this moment is not checked in too.
        representative = _locked_representative(representative)
        if not Representative.objects.serving(session.held_on).filter(pk=representative.pk).exists():
            raise DemocracyError(
                _("%(name)s在%(date)s不是在任代表。")
                % {"name": representative.member.name, "date": written_date(session.held_on)}
            )
        attendance, _created = Attendance.objects.get_or_create(
            session=session, representative=representative, defaults={"checked_in_at": now, "checked_in_by": by}
        )
    return attendance


@dataclass(frozen=True)
class Quorum:
    present: int
    total: int
    numerator: int
    denominator: int

    @property
    def reached(self):
        return share_reached(self.present, self.total, self.numerator, self.denominator, strictly=False)

    @property
    def needed(self):
        """Representatives needed present: the smallest n with n/total ≥ the share."""
        return -(-self.total * self.numerator // self.denominator)


def in_office_at(session):
    """The representatives of ``session``'s term serving on the day it is held: its quorum's whole."""
    return Representative.objects.serving(session.held_on).filter(congress_id=session.congress_id)


def quorum_of(session) -> Quorum:
    congress = session.congress
    return Quorum(
        present=session.attendances.count(),
        total=in_office_at(session).count(),
        numerator=congress.quorum_numerator,
        denominator=congress.quorum_denominator,
    )


def resolution_add(*, session, title) -> Resolution:
    """A matter for the session to vote on; none once the session has closed. The session's row is
    locked so that a matter cannot slip in while it is being closed."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status == SessionStatus.CLOSED:
            raise DemocracyError(_("会议已经闭幕，不能再添加表决事项。"))
        return Resolution.objects.create(session=session, unit_id=session.unit_id, title=title)


def resolution_open(*, resolution) -> Resolution:
    """Open the vote on a matter: only while the quorum is present and the session has not closed."""
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().select_related("session__congress").get(pk=resolution.pk)
        if resolution.status != ResolutionStatus.DRAFT:
            raise DemocracyError(_("这一事项已经表决过了。"))
        if resolution.session.status == SessionStatus.CLOSED:
            raise DemocracyError(_("会议已经闭幕，不能再开始表决。"))
        quorum = quorum_of(resolution.session)
        if not quorum.reached:
            raise DemocracyError(
                _("到会代表%(present)s人，不足应到%(total)s人的规定比例（需%(needed)s人），不能开始表决。")
                % {"present": quorum.present, "total": quorum.total, "needed": quorum.needed}
            )
        resolution.status = ResolutionStatus.VOTING
        resolution.present_when_opened = quorum.present
        resolution.save(update_fields=["status", "present_when_opened"])
        return resolution


def resolution_record(*, resolution, votes_for: int, votes_against: int, votes_abstain: int) -> Resolution:
    """Record the count: passed with more than the configured share of all representatives in office."""
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().select_related("session__congress").get(pk=resolution.pk)
        if resolution.status != ResolutionStatus.VOTING:
            raise DemocracyError(_("请先在到会人数足够时开始表决。"))
        if votes_for + votes_against + votes_abstain > resolution.present_when_opened:
            raise DemocracyError(
                _("赞成、反对、弃权合计不能超过到会代表%(present)s人。") % {"present": resolution.present_when_opened}
            )
        congress = resolution.session.congress
        total = in_office_at(resolution.session).count()
        passed = share_reached(votes_for, total, congress.pass_numerator, congress.pass_denominator, strictly=True)
        resolution.votes_for, resolution.votes_against, resolution.votes_abstain = (
            votes_for,
            votes_against,
            votes_abstain,
        )
        resolution.status = ResolutionStatus.PASSED if passed else ResolutionStatus.FAILED
        resolution.save(update_fields=["votes_for", "votes_against", "votes_abstain", "status"])
        return resolution


def session_close(*, session, by, minutes="", now=None) -> Session:
    """Close the session; the plan item it fulfils is then done. Not while a vote is open: its count
    must be recorded first, or the minutes would close on a matter with no result."""
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("schedule_item").get(pk=session.pk)
        if session.status == SessionStatus.CLOSED:
            raise DemocracyError(_("会议已经闭幕。"))
        voting = session.resolutions.filter(status=ResolutionStatus.VOTING).values_list("title", flat=True)[:1]
        if voting:
            raise DemocracyError(_("“%(title)s”正在表决，请先记录表决结果再闭幕。") % {"title": voting[0]})
        session.status = SessionStatus.CLOSED
        session.closed_at = now
        if minutes:
            session.minutes = minutes
        session.save(update_fields=["status", "closed_at", "minutes"])
        item = session.schedule_item
        if item is not None and not item.is_done:
            item.mark_done(
                by=by,
                note=_("已召开%(name)s，到会代表%(present)s人。")
                % {"name": session.name, "present": session.attendances.count()},
            )
        return session


def congress_create(*, unit, number, starts_on, **rules) -> Congress:
    refused = DemocracyError(_("第%(n)s届已经建立。") % {"n": number})
    if Congress.objects.filter(unit=unit, number=number).exists():
        raise refused
    with once(refused):
        return Congress.objects.create(unit=unit, number=number, starts_on=starts_on, **rules)


def session_add(*, congress, session) -> Session:
    """A meeting of the congress from the officer's form, once per number."""
    session.congress, session.unit = congress, congress.unit
    refused = DemocracyError(_("这一次会议已经建立。"), field="number")
    if Session.objects.filter(congress=congress, number=session.number).exists():
        raise refused
    with once(refused):
        session.save()
    return session


def session_update(*, session, fields) -> Session:
    """Save the officer's changes to ``fields`` of a session (a new date or place, the agenda) until it
    closes; only those, so that its state, changed meanwhile by another officer, is left as it is."""
    with transaction.atomic():
        stored = Session.objects.select_for_update().get(pk=session.pk)
        if stored.status == SessionStatus.CLOSED:
            raise DemocracyError(_("会议已经闭幕，不能再修改。"))
        refused = DemocracyError(_("这一次会议已经建立。"), field="number")
        if Session.objects.filter(congress_id=stored.congress_id, number=session.number).exclude(pk=stored.pk).exists():
            raise refused
        with once(refused):
            session.save(update_fields=fields)
        return session
