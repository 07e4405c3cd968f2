"""Care workflows: files and their life, assistance with caps and approvals, campaigns, visits,
pairing, insurance renewals and rights cases. Each is one transaction and raises CareError with a
translated message naming what is wrong; nothing is written when it is raised."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from care import rollup
from care.models import (
    Assistance,
    AssistanceCap,
    Campaign,
    CampaignEntry,
    CampaignKind,
    CareSettings,
    CareTag,
    CaseStatus,
    CaseStep,
    EventKind,
    FamilyMember,
    FileStatus,
    HealthCheck,
    Household,
    HouseholdEvent,
    InsuranceClaim,
    InsuranceEnrollment,
    InsuranceProduct,
    Level,
    Pairing,
    PairingContact,
    Purpose,
    RightsCase,
    TagKind,
    Visit,
    settings_for,
)
from care.models.archive import EARLIEST_FILE, add_months, early_date_problem, id_number_index
from care.models.assistance import AssistanceKind, AssistanceStatus
from core import cleaning, idnumber
from core.audit import log_sensitive_reads
from core.errors import Refusal
from core.language import site_language, written_date
from core.notifications import notify
from core.pinyin import full_pinyin
from core.unique import once
from members.models import IN_UNION, Member
from members.models import id_number_index as member_id_index
from orgs.access import has_permission
from orgs.models import OrgUnit, RoleAssignment
from orgs.roles import roles_with


def money(value) -> str:
    """1500 -> "1500.00": amounts in messages as officers write them (SQLite sums drop the decimals)."""
    return f"{Decimal(value or 0):.2f}"


class CareError(Refusal):
    """A rule refused the change; ``str(error)`` says which, in the reader's language."""


# --- a unit's care rules


def settings_save(*, unit, values: dict) -> CareSettings:
    """A unit's own care rules (SettingsForm's fields), made or changed: two officers saving a unit's first
    rules at once write one row, the later values kept (update_or_create catches the second insert)."""
    return CareSettings.objects.update_or_create(unit=unit, defaults=values)[0]


def cap_save(*, unit, purpose, per, max_times, max_amount) -> AssistanceCap:
    """A unit's cap for a purpose, made or changed (one per unit and purpose), as settings_save."""
    values = {"per": per, "max_times": max_times, "max_amount": max_amount}
    return AssistanceCap.objects.update_or_create(unit=unit, purpose=purpose, defaults=values)[0]


def cap_delete(*, unit, pk) -> bool:
    """Remove one of ``unit``'s own caps. A cap of a unit above applies here too (cap_check takes the nearest),
    but it is that unit's rule to remove: it is not found. False when there was nothing to remove (removed
    meanwhile from another page)."""
    deleted, _rows = AssistanceCap.objects.filter(unit=unit, pk=pk).delete()
    return bool(deleted)


def care_officers(unit, *, exclude=None):
    """Users who hold care.manage on ``unit`` (a role on it or on a unit above)."""
    steplen = type(unit).steplen
    paths = [unit.path[:end] for end in range(steplen, len(unit.path) + 1, steplen)]
    found = (
        RoleAssignment.objects.filter(role__in=roles_with("care.manage"), unit__path__in=paths, unit__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    users = {a.user_id: a.user for a in found if a.user.is_active}
    if exclude is not None:
        users.pop(exclude.pk, None)
    return list(users.values())


def officer_choices(unit):
    """The care officers of ``unit`` to choose from in a form, in name order."""
    return get_user_model().objects.filter(pk__in=[u.pk for u in care_officers(unit)]).in_name_order()


# --- the hardship file and its life


def _parse_id(value):
    try:
        return idnumber.parse(value)
    except idnumber.InvalidIdNumber as error:
        raise CareError(_("身份证号：%(error)s") % {"error": error}, field="id_number") from None


FILE_CHECK = gettext_lazy("身份证号（建档查重）")


def household_create(*, unit, by, name, id_number, level, categories, situation, today, **fields) -> Household:
    """Open a household's file; the member with that ID number is linked when the roster of ``unit``'s
    subtree has them."""
    parsed = _parse_id(id_number)
    if not categories:
        raise CareError(_("困难类别：请至少选择一项。"), field="categories")
    if (fields.get("entered_on") or today) > today:
        raise CareError(_("建档日期：不能晚于今天。"), field="entered_on")
    if (fields.get("entered_on") or today) < EARLIEST_FILE:
        raise CareError(_("建档日期：不能早于1990年1月1日。"), field="entered_on")
    if fields.get("phone"):
        fields["phone"] = _clean_phone(fields["phone"])
    refused = CareError(_("身份证号：该户已有困难档案，请直接查找并复核。"), field="id_number")
    existing = Household.objects.current().filter(id_number_index=id_number_index(parsed.value)).select_related("unit")
    if existing := existing.first():
        # One file per household, wherever it is kept: the answer tells the officer this person has a file, a
        # read of it logged in the union keeping it when the officer may not read it (before any transaction,
        # so that the refusal does not take the log with it).
        if not has_permission(by, "care.view", existing.unit):
            log_sensitive_reads(None, [existing], [FILE_CHECK], user=by)
        raise refused
    with transaction.atomic():
        # Linked only to a member of the file's own union or the units below it: the ID number of someone
        # elsewhere in the tree must not turn into their name on this file (nor plant a file on them).
        member = Member.objects.in_subtree(unit).filter(id_number_index=member_id_index(parsed.value)).first()
        household = Household(
            unit=unit,
            member=member,
            name=name,
            id_number=parsed.value,
            level=level,
            categories=list(categories),
            situation=situation,
            entered_on=fields.pop("entered_on", None) or today,
            created_by=by,
            **fields,
        )
        household.next_review_on = add_months(household.entered_on, household.cycle_months())
        with once(refused):  # another officer filed the same household at the same moment
            household.save()
        HouseholdEvent.objects.create(
            household=household, kind=EventKind.ENTERED, on=household.entered_on, reason="", level=level, by=by
        )
        return household


def _clean_phone(value):
    """A contact phone as the roster and the household import take it (core.cleaning.clean_phone): a mobile,
    or a landline with its area code (a household's may be its only phone)."""
    try:
        return cleaning.clean_phone(value)
    except cleaning.CellError as error:
        raise CareError(_("联系电话：%(error)s") % {"error": error}, field="phone") from None


def _not_before_the_file(day, household, *, field):
    """Nothing is done for a household before its file was opened, nor for anyone before the files began
    (models.archive.early_date_problem): a review dated 1800 set the next one in 1801, due for ever. For the
    dates an officer gives; a deletion is dated by the system, today."""
    if problem := early_date_problem(day, household):
        raise CareError(problem, field=field)


def _log_event(household, *, kind, on, reason, by, level="", today=None):
    # What happened to a household is recorded after it happened (and a date centuries ahead would
    # overflow the next review's date).
    if on > (today or timezone.localdate()):
        raise CareError(_("日期：不能晚于今天。"), field="on")
    if not (reason or "").strip():
        raise CareError(_("原因：请写明原因。"), field="reason")
    HouseholdEvent.objects.create(household=household, kind=kind, on=on, reason=reason, level=level, by=by)


def household_review(*, household, by, on, reason, level=None, today=None) -> Household:
    """A review (复核): the file is confirmed, maybe at another level, and the next review is set."""
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if locked.status != FileStatus.IN_HARDSHIP:
            raise CareError(_("已脱困的档案无需复核；如再次陷入困难，请登记返困。"))
        if level and level != locked.level:
            locked.level = level
        _not_before_the_file(on, locked, field="on")
        _log_event(locked, kind=EventKind.REVIEWED, on=on, reason=reason, by=by, level=locked.level, today=today)
        locked.next_review_on = add_months(on, locked.cycle_months())
        locked.save()
        return locked


def household_lift(*, household, by, on, reason, today=None) -> Household:
    """Lifted out of hardship (脱困): the file stays, out of the worklists."""
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if locked.status != FileStatus.IN_HARDSHIP:
            raise CareError(_("该户已登记脱困。"))
        _not_before_the_file(on, locked, field="on")
        _log_event(locked, kind=EventKind.LIFTED, on=on, reason=reason, by=by, today=today)
        locked.status = FileStatus.LIFTED
        locked.next_review_on = None
        locked.save()
        return locked


def household_return(*, household, by, on, reason, level, today=None) -> Household:
    """Fallen back into hardship (返困)."""
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if locked.status != FileStatus.LIFTED:
            raise CareError(_("只有已脱困的档案才能登记返困。"))
        if level not in Level.values:
            raise CareError(_("困难程度：请选择。"), field="level")
        _not_before_the_file(on, locked, field="on")
        _log_event(locked, kind=EventKind.RETURNED, on=on, reason=reason, by=by, level=level, today=today)
        locked.status = FileStatus.IN_HARDSHIP
        locked.level = level
        locked.next_review_on = add_months(on, locked.cycle_months())
        locked.save()
        return locked


HOUSEHOLD_EDITABLE = frozenset(
    {"unit", "name", "phone", "address", "categories", "level", "situation", "monthly_income", "review_months"}
)


def household_update(*, household, by, values: dict, reason="", today=None) -> Household:
    """Save an officer's corrections to a file (HouseholdEditForm's fields, ``values``). What is part of the file's
    life is recorded as the review records it: a new level is an event (调整困难程度) with its reason, a new
    review cycle sets the next review from the last one as a review would have, and a new unit is a move with
    its event (_file_moved_by_hand). ``reason`` is asked for when the level or the unit changes."""
    if unknown := set(values) - HOUSEHOLD_EDITABLE:
        raise TypeError(f"not editable on a file: {sorted(unknown)}")
    today = today or timezone.localdate()
    values = dict(values)
    if "categories" in values and not values["categories"]:
        raise CareError(_("困难类别：请至少选择一项。"), field="categories")
    if "level" in values and values["level"] not in Level.values:
        raise CareError(_("困难程度：请选择。"), field="level")
    if values.get("phone"):
        values["phone"] = _clean_phone(values["phone"])
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if locked.deleted_at:
            raise CareError(_("该档案已删除。"))
        old_level, old_unit, old_cycle = locked.level, locked.unit, locked.cycle_months()
        for name, value in values.items():
            setattr(locked, name, value)
        level_changed, unit_changed = locked.level != old_level, locked.unit_id != old_unit.pk
        if (level_changed or unit_changed) and not (reason or "").strip():
            raise CareError(_("调整原因：修改困难程度或所在单位时，请写明原因。"), field="reason")
        if unit_changed:
            _file_moved_by_hand(locked, old_unit, by=by, reason=reason, on=today)
            rollup.mark([old_unit.pk])  # the save below marks the new unit: the old one loses the file
        if level_changed:
            _log_event(locked, kind=EventKind.LEVEL, on=today, reason=reason, by=by, level=locked.level, today=today)
        # The unit's own cycle applies when the file has none: a move can change it too.
        if locked.status == FileStatus.IN_HARDSHIP and locked.cycle_months() != old_cycle:
            locked.next_review_on = add_months(locked.review_cycle_start(), locked.cycle_months())
        locked.save()
        return locked


def _file_moved_by_hand(household, old, *, by, reason, on):
    """An officer moves a file to another unit within their reach: one filed at the union belongs to a group, or
    the other way round. Kept on the edit page because an unlinked file has no other way to move. But a member's
    file follows the member (hardship_files_follow_roster): it may go only to the member's unit or one above
    it, and a member who moves elsewhere is transferred on the roster, the file going along. As on that move,
    pairings kept by a unit that no longer holds the file end that day."""
    new = household.unit
    if not new.is_active or not has_permission(by, "care.manage", new):
        raise CareError(_("所在单位：只能转到您维护帮扶档案的单位。"), field="unit")
    member = household.member
    if member is not None and member.in_union and not member.unit.path.startswith(new.path):
        raise CareError(
            _(
                "所在单位：该档案随会员%(name)s（%(unit)s）保管，只能转到其所在单位或上级单位；会员调往别处的，请在会员名册办理调动，档案随之转移。"
            )
            % {"name": member.name, "unit": member.unit.name},
            field="unit",
        )
    with site_language():  # a record of the file's, read by the officers of both units
        moved = _("由%(old)s转至%(new)s：%(reason)s") % {"old": old.name, "new": new.name, "reason": reason.strip()}
    _log_event(household, kind=EventKind.UNIT, on=on, reason=moved[:300], by=by, today=on)
    active = Pairing.objects.filter(household=household, ended_on__isnull=True).select_related("unit")
    left = [pairing.pk for pairing in active if not new.path.startswith(pairing.unit.path)]
    Pairing.objects.filter(pk__in=left).update(ended_on=on)


def hardship_files_follow_roster(*, members, on) -> int:
    """Files that move because the roster changed (members.signals.roster_changed): the file of a member who moves
    out of the unit holding it (a transfer accepted, an officer's move, an import) goes with them to their new unit,
    whose care officers take over and are told; the old unit's pairings with the household end that day. One file per
    household across the tree means the new union could not open its own. A member who leaves the union or dies keeps
    the file where it is: a family's hardship often begins there. Returns how many files moved."""
    by_pk = {m.pk: m for m in members if m.in_union}
    # Without the encrypted fields: nothing here reads them, so nothing is decrypted.
    files = Household.objects.current().filter(member__in=list(by_pk)).select_related("unit")
    files = files.only("member_id", "unit__path", "unit__name").select_for_update(of=("self",))
    moved = 0
    for household in files:
        member = by_pk[household.member_id]
        if member.unit.path.startswith(household.unit.path):
            continue
        old = household.unit
        with site_language():  # a record of the file's, read by the officers of both units
            reason = _("随会员由%(old)s转至%(new)s") % {"old": old.name, "new": member.unit.name}
        HouseholdEvent.objects.create(household=household, kind=EventKind.MOVED, on=on, reason=reason[:300])
        Household.objects.filter(pk=household.pk).update(unit=member.unit, updated_at=timezone.now())
        rollup.mark([old.pk, member.unit_id])  # update() sends no signal: both units' figures change
        Pairing.objects.filter(household=household, ended_on__isnull=True).update(ended_on=on)
        _tell_file_moved_in(household.pk, member)
        moved += 1
    return moved


def _tell_file_moved_in(household_id, member):
    url = reverse("care:household_detail", args=[household_id])
    text = gettext_lazy("%(name)s转入本单位，其困难职工档案已随之转来，请及时复核、安排帮扶。")
    for officer in care_officers(member.unit):
        notify(officer, text=text, params={"name": member.name}, url=url, kind="care.household_moved")


def household_delete(*, household, by, reason, now) -> Household:
    """A soft delete: out of every list, kept (and readable by the log) for the archive period."""
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if locked.deleted_at:
            raise CareError(_("该档案已删除。"))
        day = timezone.localdate(now)
        _log_event(locked, kind=EventKind.DELETED, on=day, reason=reason, by=by, today=day)
        locked.deleted_at = now
        locked.deleted_by = by
        locked.delete_reason = reason
        locked.keep_until = add_months(timezone.localdate(now), 12 * settings_for(locked.unit).archive_years)
        locked.save()
        return locked


def family_member_add(*, household, member: FamilyMember) -> FamilyMember:
    """Put a family member (a form's unsaved one) on the file. The file counts as updated, which takes it
    off the "一年未更新" worklist: both are written or neither."""
    with transaction.atomic():
        member.household = household
        member.save()
        Household.objects.filter(pk=household.pk).update(updated_at=timezone.now())
        return member


def family_member_update(*, member: FamilyMember) -> FamilyMember:
    """Save a family member's changes (a child now at university, a parent's illness); the file counts as
    updated, as when a member is added."""
    with transaction.atomic():
        member.save()
        Household.objects.filter(pk=member.household_id).update(updated_at=timezone.now())
        return member


def family_member_remove(*, member: FamilyMember) -> None:
    """Take a family member off the file (moved out, passed away, entered by mistake); the file counts as updated."""
    with transaction.atomic():
        FamilyMember.objects.filter(pk=member.pk).delete()
        Household.objects.filter(pk=member.household_id).update(updated_at=timezone.now())


def review_reminders_send(*, today, days_ahead=30) -> int:
    """Tell each care officer how many files in their reach are due for review (one message each).

    Run daily by ``manage.py care_reminders``; returns the number of messages sent.
    """
    due = Household.objects.in_hardship().filter(next_review_on__lte=today + datetime.timedelta(days=days_ahead))
    by_unit = dict(due.values("unit").annotate(n=Count("id")).values_list("unit", "n"))
    if not by_unit:
        return 0
    from orgs.models import OrgUnit

    counts = {}
    for unit in OrgUnit.objects.filter(pk__in=by_unit):
        for officer in care_officers(unit):
            counts[officer] = counts.get(officer, 0) + by_unit[unit.pk]
    for officer, n in counts.items():
        notify(
            officer,
            text=gettext_lazy("有 %(n)s 份困难职工档案将在30天内到期复核。"),
            params={"n": n},
            url=reverse("care:households") + "?list=due",
            kind="care.review_due",
        )
    return len(counts)


# --- assistance: caps and approvals


@dataclass(frozen=True)
class CapCheck:
    allowed: bool
    reason: str = ""


def _recipient_q(*, household, member, recipient):
    if household is not None:
        return Q(household=household)
    if member is not None:
        return Q(member=member)
    return Q(recipient=recipient, household__isnull=True, member__isnull=True)


def cap_check(*, unit, purpose, amount, given_on, household=None, member=None, recipient="", subject="") -> CapCheck:
    """Whether one more payment fits the unit's cap for the purpose and year (nearest unit's cap applies)."""
    steplen = type(unit).steplen
    paths = [unit.path[:end] for end in range(steplen, len(unit.path) + 1, steplen)]
    cap = (
        AssistanceCap.objects.filter(unit__path__in=paths, purpose=purpose)
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )
    if cap is None:
        return CapCheck(True)
    earlier = Assistance.objects.not_rejected().filter(
        _recipient_q(household=household, member=member, recipient=recipient),
        purpose=purpose,
        given_on__year=given_on.year,
    )
    if cap.per == AssistanceCap.Per.SUBJECT:
        earlier = earlier.filter(subject=subject)
    so_far = earlier.aggregate(times=Count("id"), total=Sum("amount"))
    label = Purpose(purpose).label
    what = _("同一事由“%(subject)s”") % {"subject": subject} if cap.per == AssistanceCap.Per.SUBJECT else ""
    if cap.max_times is not None and so_far["times"] >= cap.max_times:
        return CapCheck(
            False,
            _("超过上限：%(unit)s规定%(what)s“%(purpose)s”每人每年最多%(max)s次，%(year)s年已发放%(times)s次。")
            % {
                "unit": cap.unit.name,
                "what": what,
                "purpose": label,
                "max": cap.max_times,
                "year": given_on.year,
                "times": so_far["times"],
            },
        )
    total = (so_far["total"] or Decimal(0)) + amount
    if cap.max_amount is not None and total > cap.max_amount:
        return CapCheck(
            False,
            _(
                "超过上限：%(unit)s规定%(what)s“%(purpose)s”每人每年最多%(max)s元，%(year)s年已发放%(sum)s元，本次%(amount)s元。"
            )
            % {
                "unit": cap.unit.name,
                "what": what,
                "purpose": label,
                "max": money(cap.max_amount),
                "year": given_on.year,
                "sum": money(so_far["total"]),
                "amount": money(amount),
            },
        )
    return CapCheck(True)


def _positive_amount(amount) -> Decimal:
    amount = Decimal(amount)
    if amount <= 0:
        raise CareError(_("金额：应大于0。"), field="amount")
    return amount


def _recipient_and_member(recipient, member, household):
    """A household's payment goes to the household and its member unless told otherwise; someone must be named."""
    if household is not None:
        recipient = recipient or household.name
        member = member or household.member
    if not (recipient or "").strip():
        raise CareError(_("受助人：请填写。"), field="recipient")
    return recipient, member


def _lock_household(household):
    if household is not None:
        # Two officers entering for the same household at once must not both slip under the cap.
        Household.objects.select_for_update().filter(pk=household.pk).first()


def _check_cap(payment):
    """Refuse a payment that would take its recipient over the cap for its purpose this year."""
    check = cap_check(
        unit=payment.unit,
        purpose=payment.purpose,
        amount=payment.amount,
        given_on=payment.given_on,
        household=payment.household,
        member=payment.member,
        recipient=payment.recipient,
        subject=payment.subject,
    )
    if not check.allowed:
        raise CareError(check.reason, field="amount")


def _save_approved_or_pending(payment, by):
    """Up to the unit's threshold the entering officer's entry is the approval; above it a second officer signs."""
    needs_approval = payment.amount > settings_for(payment.unit).approval_threshold
    payment.status = AssistanceStatus.PENDING if needs_approval else AssistanceStatus.APPROVED
    if not needs_approval:
        payment.approved_by = by
        payment.approved_at = timezone.now()
    payment.save()
    if needs_approval:
        _ask_for_approval(payment, by)


def _ask_for_approval(payment, by):
    """Tell the unit's other care officers once the payment is committed: no one is asked about a rollback."""
    amount = payment.amount
    url = reverse("care:assistance_detail", args=[payment.pk])
    text = gettext_lazy("一笔%(amount)s元的帮扶发放超过审批额度，等待您审批。")
    for officer in care_officers(payment.unit, exclude=by):
        transaction.on_commit(
            lambda officer=officer: notify(officer, text=text, params={"amount": amount}, url=url, kind="care.approve")
        )


def assistance_give(
    *,
    unit,
    by,
    recipient,
    amount,
    purpose,
    given_on,
    kind="money",
    household=None,
    member=None,
    subject="",
    goods="",
    budget_line="",
    campaign=None,
    receipt=None,
    note="",
    today=None,
) -> Assistance:
    """Record money or goods handed over. Above the unit's threshold it waits for a second officer."""
    if kind not in AssistanceKind.values:
        # The column does not check its choices: an unknown kind would be stored and paid out as money.
        raise CareError(_("发放方式只能是慰问金或慰问品。"), field="kind")
    amount = _positive_amount(amount)
    _recorded_after_the_fact(given_on, today, field="given_on")
    _not_before_the_file(given_on, household, field="given_on")
    if kind == AssistanceKind.GOODS and not (goods or "").strip():
        raise CareError(_("慰问品：请写明送的是什么。"), field="goods")
    recipient, member = _recipient_and_member(recipient, member, household)
    with transaction.atomic():
        payment = Assistance(
            unit=unit,
            household=household,
            member=member,
            recipient=recipient,
            kind=kind,
            amount=amount,
            goods=goods,
            purpose=purpose,
            subject=subject,
            given_on=given_on,
            budget_line=budget_line,
            campaign=campaign,
            note=note,
            entered_by=by,
        )
        if receipt:
            payment.receipt = receipt
        _lock_household(household)
        _check_cap(payment)
        _save_approved_or_pending(payment, by)
        return payment


def _recorded_after_the_fact(day, today, *, field):
    """Money handed over and visits made are recorded after the fact: a later date is a slip of the
    year, which would count the record in a year still to come (its caps, its figures). The pages'
    forms say so beside the field before asking; this is the rule for every caller."""
    if day > (today or timezone.localdate()):
        raise CareError(_("日期不能晚于今天。"), field=field)


def assistance_approve(*, assistance, by, now=None) -> Assistance:
    """The second officer's approval: never the one who entered it."""
    with transaction.atomic():
        locked = Assistance.objects.select_for_update().get(pk=assistance.pk)
        if not locked.is_pending:
            raise CareError(_("这笔发放已经审批过了。"))
        if locked.entered_by_id == by.pk:
            raise CareError(_("超过审批额度的发放须由另一位帮扶干部或主席审批，不能由登记人本人审批。"))
        locked.status = AssistanceStatus.APPROVED
        locked.approved_by = by
        locked.approved_at = now or timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
        return locked


def assistance_reject(*, assistance, by, reason, now=None) -> Assistance:
    """Decide a pending payment against (a wrong amount, the wrong person, over what the rules allow): it was
    never handed over, counts towards no cap or figure, and a campaign's list entry it recorded is open again.
    The officer who entered it may withdraw it too."""
    if not reason.strip():
        raise CareError(_("请写明不予批准的原因。"), field="reason")
    with transaction.atomic():
        locked = Assistance.objects.select_for_update().get(pk=assistance.pk)
        if not locked.is_pending:
            raise CareError(_("这笔发放已经审批过了。"))
        locked.status = AssistanceStatus.REJECTED
        locked.approved_by = by
        locked.approved_at = now or timezone.now()
        locked.reject_reason = reason.strip()
        locked.save(update_fields=["status", "approved_by", "approved_at", "reject_reason"])
        CampaignEntry.objects.filter(payment=locked).update(payment=None, done_on=None)
        return locked


def assistance_attach_receipt(*, assistance, receipt) -> Assistance:
    if not receipt:
        raise CareError(_("签收单：请选择照片或扫描件。"), field="receipt")
    assistance.receipt = receipt
    assistance.save(update_fields=["receipt"])
    return assistance


# --- campaigns


CAMPAIGN_PURPOSE = {
    CampaignKind.SPRING: Purpose.SONGNUAN,
    CampaignKind.MIDAUTUMN: Purpose.SONGNUAN,
    CampaignKind.SCHOOL: Purpose.SCHOOL,
    CampaignKind.COOLING: Purpose.COOLING,
    CampaignKind.OTHER: Purpose.FESTIVAL,
}


@dataclass(frozen=True)
class Candidate:
    unit_id: int
    name: str
    reason: str
    household_id: int | None = None
    member_id: int | None = None


@dataclass(frozen=True)
class CampaignDates:
    year: int
    starts_on: datetime.date
    ends_on: datetime.date


def campaign_dates(kind, *, today) -> CampaignDates:
    """When a campaign of ``kind`` usually runs next: the three weeks before 春节 or 中秋 (lunar dates
    from core.calendar), 金秋助学 through August, 夏季送清凉 through July and August."""
    from core import calendar

    def before(festival):
        for year in (today.year, today.year + 1):
            day = calendar.festivals(year)[festival]
            if day > today:
                return CampaignDates(year, day - datetime.timedelta(days=21), day - datetime.timedelta(days=1))
        raise AssertionError("a festival falls in every year")

    if kind == CampaignKind.SPRING:
        return before("chunjie")
    if kind == CampaignKind.MIDAUTUMN:
        return before("zhongqiu")
    year = today.year if today.month <= 8 else today.year + 1
    if kind == CampaignKind.SCHOOL:
        return CampaignDates(year, datetime.date(year, 8, 1), datetime.date(year, 8, 31))
    if kind == CampaignKind.COOLING:
        return CampaignDates(year, datetime.date(year, 7, 1), datetime.date(year, 8, 31))
    return CampaignDates(today.year, today, today + datetime.timedelta(days=30))


def campaign_candidates(campaign, *, today) -> list[Candidate]:
    """Who the campaign's rules put on the list, each once (a household first, then a member)."""
    found: list[Candidate] = []
    seen_members: set[int] = set()
    households = Household.objects.in_subtree(campaign.unit).in_hardship()
    if campaign.levels:
        for household in households.filter(level__in=campaign.levels).order_by("id"):
            found.append(Candidate(household.unit_id, household.name, household.level, household_id=household.pk))
            if household.member_id:
                seen_members.add(household.member_id)
    if campaign.include_university:
        seen_households = {c.household_id for c in found}
        children = households.filter(family__university_year=campaign.year).distinct().order_by("id")
        for household in children:
            if household.pk not in seen_households:
                found.append(Candidate(household.unit_id, household.name, "university", household_id=household.pk))
                if household.member_id:
                    seen_members.add(household.member_id)
    members = Member.objects.in_subtree(campaign.unit).filter(status__in=IN_UNION)

    def add_members(queryset, reason):
        for member_id, unit_id, name in queryset.order_by("id").values_list("id", "unit_id", "name"):
            if member_id not in seen_members:
                seen_members.add(member_id)
                found.append(Candidate(unit_id, name, reason, member_id=member_id))

    if campaign.include_retirees:
        add_members(members.filter(Q(is_retiree=True) | Q(status="retired")), "retiree")
    for flag, kind in (
        (campaign.include_sick_leave, TagKind.SICK_LEAVE),
        (campaign.include_model_workers, TagKind.MODEL_WORKER),
    ):
        if flag:
            tagged = CareTag.objects.active_on(today).filter(kind=kind).values("member_id")
            add_members(members.filter(pk__in=tagged), kind)
    return found


def campaign_create(*, unit, by, today, **fields) -> Campaign:
    with transaction.atomic():
        campaign = Campaign(unit=unit, created_by=by, **fields)
        if campaign.ends_on < campaign.starts_on:
            raise CareError(_("结束日期：不能早于开始日期。"), field="ends_on")
        # The year the campaign counts in (a 春节 one begun in December counts in the next): 9999 was taken.
        if not campaign.starts_on.year - 1 <= campaign.year <= campaign.ends_on.year + 1:
            raise CareError(
                _("年度：%(year)s年与活动日期（%(start)s至%(end)s）不符，请核对。")
                % {
                    "year": campaign.year,
                    "start": written_date(campaign.starts_on),
                    "end": written_date(campaign.ends_on),
                },
                field="year",
            )
        # The same kind over the same days is the same campaign made twice: a family on both lists would be
        # visited and paid twice. (Two 送温暖 of a year, 春节 and 中秋, do not overlap.) Checked under the
        # unit's lock, so that a double tap makes one.
        OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()
        twin = Campaign.objects.filter(
            unit=unit, kind=campaign.kind, starts_on__lte=campaign.ends_on, ends_on__gte=campaign.starts_on
        ).first()
        if twin is not None:
            raise CareError(
                _("已有同类的慰问活动“%(title)s”（%(start)s至%(end)s），日期重叠；同一批人会被慰问两次。")
                % {"title": twin.title, "start": written_date(twin.starts_on), "end": written_date(twin.ends_on)},
                field="starts_on",
            )
        campaign.save()
        campaign_build_list(campaign=campaign, today=today)
        return campaign


def _lock_running(campaign_id, refusal) -> None:
    """Lock the campaign's row and refuse with ``refusal`` once it has ended: its closing counted the
    people and money into the plan item, and nobody can be visited on a closed list."""
    if not Campaign.objects.select_for_update().get(pk=campaign_id).is_running:
        raise CareError(refusal)


def campaign_build_list(*, campaign, today) -> int:
    """Add whoever the rules now find and the list lacks; entries already there (and their work) stay.
    Not once the campaign has ended."""
    with transaction.atomic():
        # Builds of one list queue on the campaign's row: two at once would both add whoever is missing.
        _lock_running(campaign.pk, _("活动已结束，不能再补充名单。"))
        have = set(campaign.entries.values_list("household_id", "member_id"))
        have_households = {h for h, _m in have if h}
        have_members = {m for _h, m in have if m}
        new = [
            CampaignEntry(
                campaign=campaign,
                unit_id=c.unit_id,
                household_id=c.household_id,
                member_id=c.member_id,
                name=c.name,
                name_pinyin=full_pinyin(c.name)[:120],  # bulk_create does not call save()
                reason=c.reason,
            )
            for c in campaign_candidates(campaign, today=today)
            if not (c.household_id in have_households or c.member_id in have_members)
        ]
        CampaignEntry.objects.bulk_create(new)
        return len(new)


def campaign_split(*, campaign, officers) -> int:
    """Share the entries nobody has yet among ``officers``, unit by unit so each walks one place; not once
    the campaign has ended (the officers would be told of visits nobody may record)."""
    if not officers:
        raise CareError(_("走访人：请至少选择一人。"), field="officers")
    with transaction.atomic():
        _lock_running(campaign.pk, _("活动已结束，不能再分配走访人。"))
        open_entries = list(
            campaign.entries.filter(officer__isnull=True, done_on__isnull=True).order_by("unit__path", "id")
        )
        per = -(-len(open_entries) // len(officers)) if open_entries else 0
        for index, entry in enumerate(open_entries):
            entry.officer = officers[index // per]
        CampaignEntry.objects.bulk_update(open_entries, ["officer"])
        url = reverse("care:campaign_detail", args=[campaign.pk]) + "?mine=1"
        shares = {}
        for entry in open_entries:
            shares[entry.officer] = shares.get(entry.officer, 0) + 1
        for officer, n in shares.items():
            notify(
                officer,
                text=gettext_lazy("“%(title)s”分给您 %(n)s 人走访慰问。"),
                params={"title": campaign.title, "n": n},
                url=url,
                kind="care.campaign_assigned",
            )
        return len(open_entries)


def campaign_record(
    *, entry, by, amount, given_on, kind="money", goods="", receipt=None, note="", today=None
) -> CampaignEntry:
    """One visit or payment of the campaign, recorded on the spot (from a phone). The campaign's row is
    locked before the entry's, in the order a split takes them (campaign, then its entries): taken the
    other way round, a split and a recording at the same moment could each wait for the other."""
    with transaction.atomic():
        campaign_id = CampaignEntry.objects.values_list("campaign_id", flat=True).get(pk=entry.pk)
        _lock_running(campaign_id, _("活动已结束，不能再登记。"))
        locked = CampaignEntry.objects.select_for_update().select_related("campaign").get(pk=entry.pk)
        campaign = locked.campaign
        if locked.done_on:
            raise CareError(_("此人已登记过慰问。"))
        if problem := campaign.date_problem(given_on):
            raise CareError(problem, field="given_on")
        household = Household.objects.filter(pk=locked.household_id).first() if locked.household_id else None
        member = Member.objects.filter(pk=locked.member_id).first() if locked.member_id else None
        payment = assistance_give(
            unit=locked.unit,
            by=by,
            recipient=locked.name,
            amount=amount,
            purpose=CAMPAIGN_PURPOSE[campaign.kind],
            given_on=given_on,
            kind=kind,
            household=household,
            member=member,
            goods=goods,
            budget_line=campaign.budget_line,
            campaign=campaign,
            receipt=receipt,
            note=note,
            today=today,
        )
        locked.payment = payment
        locked.done_on = given_on
        if locked.officer_id is None:
            locked.officer = by
        locked.save(update_fields=["payment", "done_on", "officer"])
        return locked


@dataclass(frozen=True)
class UnitProgress:
    unit_name: str
    total: int
    done: int
    amount: Decimal

    @property
    def percent(self):
        return round(self.done * 100 / self.total) if self.total else 0


def campaign_progress(campaign) -> list[UnitProgress]:
    rows = (
        campaign.entries.values("unit__name", "unit__path")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(done_on__isnull=False)),
            amount=Sum("payment__amount", filter=Q(payment__status=AssistanceStatus.APPROVED)),
        )
        .order_by("unit__path")
    )
    return [UnitProgress(r["unit__name"], r["total"], r["done"], r["amount"] or Decimal(0)) for r in rows]


def campaign_close(*, campaign, by, now=None) -> Campaign:
    """End the campaign; its plan item is then done, with the totals as the note."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
        if not locked.is_running:
            raise CareError(_("活动已经结束。"))
        locked.closed_at = now or timezone.now()
        locked.save(update_fields=["closed_at"])
        figures = locked.payments.given().aggregate(n=Count("id"), total=Sum("amount"))
        item = locked.schedule_item
        if item is not None and not item.is_done:
            item.mark_done(
                by=by,
                note=_("已完成“%(title)s”，慰问 %(n)s 人次，金额 %(total)s 元。")
                % {"title": locked.title, "n": figures["n"], "total": money(figures["total"])},
            )
        return locked


# --- visits, pairing


def visit_record(
    *,
    unit,
    by,
    person,
    kind,
    visited_on,
    visitors,
    member=None,
    household=None,
    given="",
    note="",
    amount=None,
    receipt=None,
    today=None,
) -> Visit:
    _recorded_after_the_fact(visited_on, today, field="visited_on")
    _not_before_the_file(visited_on, household, field="visited_on")
    with transaction.atomic():
        payment = None
        if amount:
            payment = assistance_give(
                unit=unit,
                by=by,
                recipient=person,
                amount=amount,
                purpose=Purpose.BIRTHDAY if kind == "birthday" else Purpose.VISIT,
                given_on=visited_on,
                household=household,
                member=member,
                subject=kind,
                receipt=receipt,
                today=today,
            )
        return Visit.objects.create(
            unit=unit,
            member=member,
            household=household,
            person=person,
            kind=kind,
            visited_on=visited_on,
            visitors=visitors,
            given=given,
            note=note,
            payment=payment,
            entered_by=by,
        )


def visit_update(*, visit, fields) -> Visit:
    """Save the corrected ``fields`` of a visit's record (VisitEditForm's changed data), under its row lock."""
    if not fields:
        return visit
    with transaction.atomic():
        Visit.objects.select_for_update().filter(pk=visit.pk).first()
        visit.save(update_fields=fields)
        return visit


def visit_delete(*, visit) -> None:
    """Take back a visit recorded by mistake. One that handed over money stays: the money is a record of
    its own (assistance, its payment), corrected by reversing the payment."""
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.payment_id is not None:
            raise CareError(_("这次走访登记了慰问金发放，走访记录与发放记录一同保留，不能删除。"))
        visit.delete()


def claim_file(*, enrollment, filed_on, reason, amount, paid_on=None, today=None) -> InsuranceClaim:
    """Record a claim under a member's enrolment, linked to the member's hardship file when there is one.
    Filed on a day of the enrolment's cover up to today, for an amount above 0; paid (when the money has
    already arrived) on a day from its filing up to today."""
    today = today or timezone.localdate()
    if problem := enrollment.filing_problem(filed_on, today=today):
        raise CareError(problem, field="filed_on")
    claim = InsuranceClaim(
        unit_id=enrollment.unit_id, enrollment=enrollment, filed_on=filed_on, reason=reason, paid_on=paid_on
    )
    if paid_on is not None and (problem := claim.payout_problem(paid_on, today=today)):
        raise CareError(problem, field="paid_on")
    claim.amount = _positive_amount(amount)
    claim.household = enrollment.member.hardship_files.filter(deleted_at__isnull=True).first()
    with transaction.atomic():
        # A second tap on 保存 (or the form sent again from another tab) queues on the enrolment and finds
        # the first: one claim, not two of the same money.
        InsuranceEnrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
        same_day = InsuranceClaim.objects.filter(enrollment=enrollment, filed_on=filed_on, amount=claim.amount)
        if any(c.reason == claim.reason for c in same_day.only("reason")):  # encrypted: compared here
            raise CareError(_("这笔理赔已经登记过（同一天、同样的事由和金额），没有重复登记。"))
        claim.save()
    return claim


def claim_paid(*, claim: InsuranceClaim, paid_on, amount, today=None) -> InsuranceClaim:
    """Record a claim's payout when the insurer's money arrives, weeks after it was filed: once."""
    amount = _positive_amount(amount)
    with transaction.atomic():
        claim = InsuranceClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.paid_on:
            raise CareError(_("这笔理赔已于%(date)s登记到账。") % {"date": written_date(claim.paid_on)})
        if problem := claim.payout_problem(paid_on, today=today or timezone.localdate()):
            raise CareError(problem, field="paid_on")
        claim.paid_on, claim.amount = paid_on, amount
        claim.save(update_fields=["paid_on", "amount"])
        return claim


def tag_add(*, member, kind, since, until=None, note="") -> CareTag:
    """Mark a member for care (a long sick leave, a model worker), kept by the member's unit. A second mark of the
    same kind over days the member already has one is refused: the member would be listed twice (the visit
    reminders, the campaigns' lists); a changed sick leave is the old mark taken off and a new one made."""
    if until is not None and until < since:
        raise CareError(_("截止日期：不能早于起始日期。"), field="until")
    with transaction.atomic():
        # Two officers marking the same member at once queue here: the second sees the first's mark.
        Member.objects.select_for_update().filter(pk=member.pk).first()
        overlapping = CareTag.objects.filter(member=member, kind=kind).filter(
            Q(until__isnull=True) | Q(until__gte=since)
        )
        if until is not None:
            overlapping = overlapping.filter(since__lte=until)
        if found := overlapping.order_by("since").first():
            raise CareError(
                _("%(name)s已有“%(kind)s”标记（%(since)s起），与所填日期重叠；情况有变的，请先移除原标记再重新标记。")
                % {"name": member.name, "kind": found.get_kind_display(), "since": written_date(found.since)},
                field="kind",
            )
        return CareTag.objects.create(unit=member.unit, member=member, kind=kind, since=since, until=until, note=note)


def tag_remove(*, tag: CareTag) -> None:
    """Take a care mark off (back at work after a sick leave, marked by mistake): the campaigns' lists
    and the visit reminders read the marks as they are, so nothing else needs undoing."""
    CareTag.objects.filter(pk=tag.pk).delete()


def pairing_end(*, pairing, on) -> Pairing:
    """End a pairing (the family out of hardship, the student graduated): it leaves the list and the
    reminders to keep in touch; its contacts stay on record."""
    with transaction.atomic():
        pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if pairing.ended_on:
            raise CareError(_("这一结对已于%(date)s结束。") % {"date": written_date(pairing.ended_on)})
        if on < pairing.started_on:
            raise CareError(
                _("结束日期不能早于结对日期（%(date)s）。") % {"date": written_date(pairing.started_on)},
                field="ended_on",
            )
        pairing.ended_on = on
        pairing.save(update_fields=["ended_on"])
        return pairing


def pairing_contact_add(*, pairing, by, on, how, note) -> PairingContact:
    if not (note or "").strip():
        raise CareError(_("内容：请填写这次联系的情况。"), field="note")
    return PairingContact.objects.create(pairing=pairing, by=by, on=on, how=how, note=note)


# --- insurance


def eligible_members(product, *, on):
    """Members of the product's unit subtree who qualify on ``on``."""
    from members.models import birth_range_for_ages

    members = Member.objects.in_subtree(product.unit).filter(status__in=IN_UNION)
    if not product.include_retirees:
        members = members.exclude(status="retired").exclude(is_retiree=True)
    if product.women_only:
        members = members.filter(gender="F")
    if product.min_age is not None or product.max_age is not None:
        members = members.filter(
            birth_date__range=birth_range_for_ages(product.min_age or 0, product.max_age or 150, on)
        )
    return members


@dataclass(frozen=True)
class RenewalDiff:
    renewed: list
    not_renewed: list  # enrolled last year, still qualify, not yet this year
    newly_qualifies: list  # qualify now, were not enrolled last year, not yet this year
    left: list  # enrolled last year, no longer qualify


def renewal_diff(*, product, year, today) -> RenewalDiff:
    last = set(InsuranceEnrollment.objects.filter(product=product, year=year - 1).values_list("member_id", flat=True))
    this = set(InsuranceEnrollment.objects.filter(product=product, year=year).values_list("member_id", flat=True))
    eligible = {m.pk: m for m in eligible_members(product, on=today).select_related("unit")}
    everyone = {m.pk: m for m in Member.objects.filter(pk__in=(last | this) - set(eligible)).select_related("unit")}
    everyone.update(eligible)

    def people(ids):
        return sorted((everyone[i] for i in ids if i in everyone), key=lambda m: (m.name_pinyin, m.pk))

    return RenewalDiff(
        renewed=people(last & this),
        not_renewed=people((last & set(eligible)) - this),
        newly_qualifies=people(set(eligible) - last - this),
        left=people(last - set(eligible) - this),
    )


def insurance_enroll(*, product, year, members, today) -> int:
    """Enroll ``members`` for ``year`` at the product's premium; those already enrolled are skipped."""
    with transaction.atomic():
        # Enrolments in one product queue on its row: a second submission of the same list skips them.
        InsuranceProduct.objects.select_for_update().filter(pk=product.pk).first()
        have = set(
            InsuranceEnrollment.objects.filter(product=product, year=year, member__in=members).values_list(
                "member_id", flat=True
            )
        )
        eligible = set(
            eligible_members(product, on=today).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True)
        )
        refused = [m.name for m in members if m.pk not in eligible]
        if refused:
            raise CareError(_("不符合参保条件：%(names)s。") % {"names": _("、").join(refused[:10])})
        new = [
            InsuranceEnrollment(
                product=product, unit_id=m.unit_id, member=m, year=year, premium=product.premium, enrolled_on=today
            )
            for m in members
            if m.pk not in have
        ]
        InsuranceEnrollment.objects.bulk_create(new)
        return len(new)


# --- rights cases


def case_submit(
    *,
    unit,
    name,
    phone,
    category,
    account,
    now,
    employer="",
    amount_claimed=0,
    member=None,
    from_public_form=False,
    consent=False,
    by=None,
) -> RightsCase:
    if from_public_form and not consent:
        raise CareError(_("请先阅读并同意个人信息处理说明。"), field="consent")
    with transaction.atomic():
        case = RightsCase.objects.create(
            unit=unit,
            member=member,
            name=name,
            phone=phone,
            employer=employer,
            category=category,
            account=account,
            amount_claimed=amount_claimed or 0,
            from_public_form=from_public_form,
            consent_at=now if consent else None,
            deadline=timezone.localdate(now) + datetime.timedelta(days=7),
        )
        CaseStep.objects.create(case=case, kind=CaseStep.Kind.INTAKE, on=timezone.localdate(now), by=by)
        url = reverse("care:case_detail", args=[case.pk])
        text = gettext_lazy("收到一件新的维权求助，请在7天内受理。")
        for officer in care_officers(unit):
            transaction.on_commit(lambda officer=officer: notify(officer, text=text, url=url, kind="care.case_new"))
        return case


def _lock_open_case(case) -> None:
    """Lock the case's row and refuse once it is closed (办结): its outcome and steps are then the
    record, and a second closing or a late assignment (another tab, a double tap) would rewrite it."""
    if RightsCase.objects.select_for_update().get(pk=case.pk).status == CaseStatus.CLOSED:
        raise CareError(_("案件已办结。"))


def case_assign(*, case, by, to, deadline, on=None) -> RightsCase:
    with transaction.atomic():
        _lock_open_case(case)
        case.assigned_to = to
        case.deadline = deadline
        if case.status == CaseStatus.NEW:
            case.status = CaseStatus.OPEN
        case.save(update_fields=["assigned_to", "deadline", "status"])
        CaseStep.objects.create(
            case=case,
            kind=CaseStep.Kind.ASSIGN,
            on=on or timezone.localdate(),
            note=str(to),  # whom it went to: a name, readable in any language
            by=by,
        )
        notify(
            to,
            text=gettext_lazy("一件维权案件交由您承办。"),
            url=reverse("care:case_detail", args=[case.pk]),
            kind="care.case_assigned",
        )
        return case


def case_add_step(*, case, by, kind, on, note) -> CaseStep:
    if not (note or "").strip():
        raise CareError(_("记录：请填写。"), field="note")
    with transaction.atomic():
        _lock_open_case(case)
        if case.status == CaseStatus.NEW:
            case.status = CaseStatus.OPEN
            case.save(update_fields=["status"])
        return CaseStep.objects.create(case=case, kind=kind, on=on, note=note, by=by)


def case_close(*, case, by, on, outcome, recovered) -> RightsCase:
    if not (outcome or "").strip():
        raise CareError(_("办理结果：请填写。"), field="outcome")
    if recovered is None or recovered < 0:
        raise CareError(_("挽回金额：不能为负数。"), field="recovered")
    with transaction.atomic():
        _lock_open_case(case)
        case.status = CaseStatus.CLOSED
        case.outcome = outcome
        case.recovered = recovered
        case.closed_on = on
        case.save(update_fields=["status", "outcome", "recovered", "closed_on"])
        CaseStep.objects.create(case=case, kind=CaseStep.Kind.CLOSE, on=on, note=outcome, by=by)
        return case


# --- women staff


def health_checks_record(*, due, member_ids, year, on) -> int:
    """Record as checked in ``year`` (on ``on``) the women among ``due`` (those the officer's page lists
    as not yet checked, within their reach) whose ids are ``member_ids``. An id outside ``due`` (another
    unit's member, someone already recorded) is left alone, as is a check recorded meanwhile by a second
    submission of the same list. Returns how many were recorded."""
    chosen = list(due.filter(pk__in=member_ids).values_list("pk", "unit_id"))
    HealthCheck.objects.bulk_create(
        [HealthCheck(unit_id=unit_id, member_id=pk, year=year, attended_on=on) for pk, unit_id in chosen],
        ignore_conflicts=True,  # the member and year are unique: a double submission records once
    )
    return len(chosen)
