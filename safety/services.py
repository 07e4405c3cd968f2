"""Safety workflows: enroll in the 安康杯, record an inspection with its hazards, fix and close a hazard,
and score the 安康杯 from the record."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Refusal
from core.language import written_date
from core.notifications import notify
from core.unique import once
from safety.models import CHECKLIST, Enrollment, Hazard, HazardStatus, Inspection


class SafetyError(Refusal):
    """A safety rule refused the change (core.errors.Refusal)."""


def enroll(*, unit, year, by) -> Enrollment:
    with once(SafetyError(_("%(unit)s已报名%(year)s年安康杯。") % {"unit": unit.name, "year": year})):
        return Enrollment.objects.create(unit=unit, year=year, enrolled_by=by)


@dataclass(frozen=True)
class HazardInput:
    description: str
    severity: str
    department: str
    deadline: object
    photo: object


def inspection_record(
    *, unit, by, place, inspected_on, failed: list[str], note="", hazards=(), today=None
) -> Inspection:
    """Record an inspection: every checklist item passed unless listed in ``failed``, and the hazards found."""
    today = today or timezone.localdate()
    if inspected_on > today:
        raise SafetyError(_("检查日期不能晚于今天。"), field="inspected_on")
    for hazard in hazards:
        if not hazard.photo:
            raise SafetyError(_("每处隐患请拍一张照片。"), field="photo")
        if hazard.deadline < inspected_on:
            raise SafetyError(_("整改期限不能早于检查日期。"), field="deadline")
    with transaction.atomic():
        inspection = Inspection.objects.create(
            unit=unit,
            place=place.strip(),
            inspected_on=inspected_on,
            inspector=by,
            checklist=_checklist(failed),
            note=note.strip(),
        )
        for hazard in hazards:
            Hazard.objects.create(
                inspection=inspection,
                unit=unit,
                description=hazard.description.strip(),
                severity=hazard.severity,
                department=hazard.department.strip(),
                deadline=hazard.deadline,
                photo=hazard.photo,
            )
    return inspection


def _checklist(failed):
    failed = {str(f) for f in failed}
    return [{"item": item, "ok": str(i) not in failed} for i, item in enumerate(CHECKLIST)]


def inspection_update(*, inspection, place, inspected_on, failed: list[str], note="", today=None) -> Inspection:
    """Correct an inspection's record. Its date stays no later than today and than any of its hazards'
    deadlines, which were set from it (a later date would make them overdue before the inspection)."""
    today = today or timezone.localdate()
    if inspected_on > today:
        raise SafetyError(_("检查日期不能晚于今天。"), field="inspected_on")
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        earliest = inspection.hazards.order_by("deadline").values_list("deadline", flat=True).first()
        if earliest is not None and inspected_on > earliest:
            raise SafetyError(
                _("检查日期不能晚于本次发现的隐患的整改期限（%(date)s）。") % {"date": written_date(earliest)},
                field="inspected_on",
            )
        inspection.place = place.strip()
        inspection.inspected_on = inspected_on
        inspection.checklist = _checklist(failed)
        inspection.note = note.strip()
        inspection.save(update_fields=["place", "inspected_on", "checklist", "note"])
    return inspection


def hazard_add(*, inspection, hazard: HazardInput) -> Hazard:
    """One more hazard of an inspection, under the rules of those recorded with it: a photo, and a
    deadline no earlier than the inspection (one before it would be overdue the moment it is written)."""
    if not hazard.photo:
        raise SafetyError(_("每处隐患请拍一张照片。"), field="photo")
    if hazard.deadline < inspection.inspected_on:
        raise SafetyError(_("整改期限不能早于检查日期。"), field="deadline")
    return Hazard.objects.create(
        inspection=inspection,
        unit=inspection.unit,
        description=hazard.description.strip(),
        severity=hazard.severity,
        department=hazard.department.strip(),
        deadline=hazard.deadline,
        photo=hazard.photo,
    )


def _locked(hazard) -> Hazard:
    return Hazard.objects.select_for_update().get(pk=hazard.pk)


def hazard_fix(*, hazard, by, photo, note="", close=False, now=None) -> Hazard:
    """The responsible side shows the fix with a photo; an officer who may close hazards can close it at once.

    Once, while the hazard is open: its row is locked and its status read afresh, so that a second fix
    (a page opened before the first, a double tap) neither replaces the first's photo and time, which
    decide whether it was fixed on time, nor reopens a hazard an officer has just closed."""
    now = now or timezone.now()
    with transaction.atomic():
        hazard = _locked(hazard)
        if hazard.status == HazardStatus.CLOSED:
            raise SafetyError(_("这处隐患已经销号。"))
        if hazard.status == HazardStatus.FIXED:
            raise SafetyError(_("这处隐患已经登记了整改，等待销号。"))
        if not photo:
            raise SafetyError(_("请拍一张整改后的照片。"), field="fix_photo")
        hazard.fix_photo = photo
        hazard.fix_note = note.strip()
        hazard.return_note = ""
        hazard.fixed_at = now
        hazard.fixed_by = by
        hazard.status = HazardStatus.CLOSED if close else HazardStatus.FIXED
        if close:
            hazard.closed_at, hazard.closed_by = now, by
        hazard.save()
    return hazard


def hazard_return(*, hazard, by, reason) -> Hazard:
    """An officer sends a fix back (the photo does not show it done): the hazard is open again, its
    deadline unchanged, and whoever showed the fix is told why. The next fix's time decides whether it
    was fixed on time."""
    reason = reason.strip()
    if not reason:
        raise SafetyError(_("请写明退回的原因，如“照片看不出已更换”。"), field="reason")
    with transaction.atomic():
        hazard = _locked(hazard)
        if hazard.status != HazardStatus.FIXED:
            raise SafetyError(_("只有已登记整改、等待销号的隐患可以退回。"))
        fixer = hazard.fixed_by
        hazard.status = HazardStatus.OPEN
        hazard.return_note = reason[:300]
        hazard.fix_photo, hazard.fixed_at, hazard.fixed_by = "", None, None
        hazard.save(update_fields=["status", "return_note", "fix_photo", "fixed_at", "fixed_by"])
        if fixer is not None and fixer != by:
            notify(
                fixer,
                text=gettext_lazy("隐患“%(what)s”的整改被退回：%(reason)s"),
                params={"what": hazard.description[:30], "reason": reason[:100]},
                url=reverse("safety:hazard", args=[hazard.pk]),
                kind="safety.returned",
            )
    return hazard


def hazard_close(*, hazard, by, now=None) -> Hazard:
    """An officer closes a hazard shown fixed, once: the row is locked and its status read afresh."""
    with transaction.atomic():
        hazard = _locked(hazard)
        if hazard.status == HazardStatus.CLOSED:
            raise SafetyError(_("这处隐患已经销号。"))
        if hazard.status != HazardStatus.FIXED:
            raise SafetyError(_("整改后的照片上传后才能销号。"))
        hazard.status = HazardStatus.CLOSED
        hazard.closed_at, hazard.closed_by = now or timezone.now(), by
        hazard.save(update_fields=["status", "closed_at", "closed_by"])
    return hazard


@dataclass(frozen=True)
class CupRow:
    unit: object
    inspections: int
    hazards: int
    closed: int
    closed_on_time: int
    overdue: int
    score: Decimal


INSPECTIONS_EXPECTED = 12  # one a month


def cup_standings(*, year, enrollments, today) -> list[CupRow]:
    """The 安康杯 table: 40 points for inspecting monthly (pro rata up to 12 a year) and 60 for closing
    hazards on time: the share closed by their deadline of the hazards settled (closed, or past their
    deadline; one still within its time counts neither way). A unit with no hazard settled earns the 60
    as it earns the 40, by its inspections: a unit that never inspected found nothing and earns nothing.
    Each count is one grouped query over the units enrolled."""
    units = [e.unit for e in enrollments]
    ids = [u.pk for u in units]
    inspections = dict(
        Inspection.objects.filter(unit__in=ids, inspected_on__year=year).values_list("unit").annotate(n=Count("id"))
    )
    hazards = {
        row["unit"]: row
        for row in Hazard.objects.filter(unit__in=ids, inspection__inspected_on__year=year)
        .values("unit")
        .annotate(
            n=Count("id"),
            closed=Count("id", filter=Q(status=HazardStatus.CLOSED)),
            settled=Count("id", filter=Q(status=HazardStatus.CLOSED) | Q(deadline__lt=today)),
            overdue=Count("id", filter=Q(status=HazardStatus.OPEN, deadline__lt=today)),
        )
    }
    on_time = _closed_on_time(ids, year)
    rows = []
    for unit in units:
        found = hazards.get(unit.pk, {"n": 0, "closed": 0, "settled": 0, "overdue": 0})
        done = inspections.get(unit.pk, 0)
        timely = on_time.get(unit.pk, 0)
        inspected = Decimal(min(done, INSPECTIONS_EXPECTED)) / INSPECTIONS_EXPECTED
        score = Decimal(40) * inspected
        score += Decimal(60) * (Decimal(timely) / found["settled"] if found["settled"] else inspected)
        rows.append(
            CupRow(unit, done, found["n"], found["closed"], timely, found["overdue"], score.quantize(Decimal("0.1")))
        )
    return sorted(rows, key=lambda r: (-r.score, r.unit.path))


def _closed_on_time(unit_ids, year) -> dict[int, int]:
    """Hazards closed with their fix no later than the deadline, per unit (compared in Python: a
    date-of-datetime against a date column differs between SQLite and PostgreSQL time zones)."""
    counts: dict[int, int] = {}
    closed = Hazard.objects.filter(unit__in=unit_ids, inspection__inspected_on__year=year, status=HazardStatus.CLOSED)
    for unit_id, fixed_at, closed_at, deadline in closed.values_list(
        "unit", "fixed_at", "closed_at", "deadline"
    ).iterator():
        if timezone.localdate(fixed_at or closed_at) <= deadline:
            counts[unit_id] = counts.get(unit_id, 0) + 1
    return counts
