"""Workflows of union money: budgets approved and adjusted, payments checked against standards and
the budget, approved by a second officer, reversed (never deleted), income and dues, the audit
committee's sample and findings, and the reconciliation of every line with its payments.

Every write that moves a line's executed total locks the line row and updates the total in the
same transaction, so ``ledger_check`` finds no difference on a healthy database.
"""

import random
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refusal
from core.language import site_language
from core.unique import once
from finance.categories import FALLBACK_SPENDING_LINE, INCOME_LINE_OF_KIND, STANDARD_LINES, keys_for_purpose
from finance.models import (
    MAX_AMOUNT,
    ZERO,
    Audit,
    AuditStatus,
    Budget,
    BudgetLine,
    BudgetStatus,
    Direction,
    Finding,
    Income,
    IncomeKind,
    Payment,
    PaymentStatus,
    Purpose,
    Settings,
    Standard,
    StandardKind,
    yuan,
)
from orgs.access import ancestor_paths


class FinanceError(Refusal):
    """A rule refused the write; ``message`` says why, ``field`` which form field it concerns."""


class NeedsConfirmation(FinanceError):
    """The write is allowed, but the officer must confirm having read ``message`` first (overspend)."""


def settings_for(unit) -> Settings:
    """The unit's money rules, or the defaults (unsaved) when its chair never set them."""
    return Settings.objects.filter(unit=unit).first() or Settings(unit=unit)


def exact_amount(value, *, field="amount") -> Decimal:
    """A positive amount in yuan with at most two decimals (fen): money is never rounded silently."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise FinanceError(_("金额必须是数字。"), field=field) from None
    if not amount.is_finite() or amount <= 0:
        raise FinanceError(_("金额必须大于 0。"), field=field)
    if amount > MAX_AMOUNT:
        raise FinanceError(_("金额不能超过 %(limit)s 元，请核对位数。") % {"limit": f"{MAX_AMOUNT:,.2f}"}, field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise FinanceError(_("金额最多保留两位小数（到分）。"), field=field)
    return amount.quantize(Decimal("0.01"))


# --- budgets


def budget_create(*, unit, year, by, copy_from: Budget | None = None) -> Budget:
    """A new draft budget with the standard lines (or last year's lines and amounts)."""
    with transaction.atomic():
        refused = FinanceError(_("%(year)s年的预算已经存在。") % {"year": year})
        if Budget.objects.filter(unit=unit, year=year).exists():
            raise refused
        with once(refused):
            budget = Budget.objects.create(unit=unit, year=year, created_by=by)
        if copy_from is not None:
            lines = [
                BudgetLine(
                    budget=budget,
                    direction=line.direction,
                    key=line.key,
                    category=line.category,
                    name=line.name,
                    amount=line.budgeted,
                    note=line.note,
                    position=line.position,
                )
                for line in copy_from.lines.all()
            ]
        else:
            # Written in the site's language whoever creates it: the record reads the same to everyone, and
            # the pages label a standard line in the reader's language by its key.
            with site_language():
                lines = [
                    BudgetLine(
                        budget=budget,
                        direction=line.direction,
                        key=line.key,
                        category=str(line.category),
                        name=str(line.name),
                        position=i,
                    )
                    for i, line in enumerate(STANDARD_LINES)
                ]
        BudgetLine.objects.bulk_create(lines)
        return budget


def _lock_draft(budget) -> None:
    """Lock the budget's row and refuse once it is approved: an edit that raced the committee's
    approval would change the figures the meeting approved (checked on the row, not the caller's copy)."""
    if Budget.objects.select_for_update().get(pk=budget.pk).is_approved:
        raise FinanceError(_("预算已经批准，只能通过“预算调整”修改。"))


def budget_update_lines(*, budget, amounts: dict[int, Decimal], notes: dict[int, str] | None = None) -> Budget:
    """Set the amounts (and notes) of a draft budget's lines."""
    with transaction.atomic():
        _lock_draft(budget)
        for line in budget.lines.select_for_update():
            if line.pk in amounts:
                line.amount = amounts[line.pk]
            if notes and line.pk in notes:
                line.note = notes[line.pk]
            line.save(update_fields=["amount", "note"])
    return budget


def budget_line_add(*, budget, direction, category, name, amount=ZERO) -> BudgetLine:
    with transaction.atomic():
        _lock_draft(budget)
        # Two lines of one name would split a heading's figures and leave payments to pick one by chance.
        wanted = (category.strip(), name.strip())
        for line in budget.lines.filter(direction=direction):
            if wanted in {(line.category, line.name), (line.category_label, line.label)}:
                raise FinanceError(_("预算中已有“%(line)s”。") % {"line": line}, field="name")
        last = budget.lines.order_by("-position").values_list("position", flat=True).first() or 0
        return BudgetLine.objects.create(
            budget=budget, direction=direction, category=category, name=name, amount=amount, position=last + 1
        )


def _money(amount) -> str:
    """An amount as messages write it: 15,255.50 (thousands separated, two decimals)."""
    return f"{amount:,.2f}"


def budget_approve(*, budget, meeting: str, on, by) -> Budget:
    """The committee approved the budget at ``meeting`` on ``on``. Once only: the row is locked so that
    a second approval (another chair, a double tap) cannot overwrite the meeting of the first."""
    if not meeting.strip():
        raise FinanceError(_("请写明批准预算的会议。"), field="meeting")
    # A budget is approved late in the year before or during its year (a day to come: the form refuses it).
    if not budget.year - 1 <= on.year <= budget.year:
        raise FinanceError(
            _("%(year)s年预算的批准日期应在%(before)s年或%(year)s年内，请核对年份。")
            % {"year": budget.year, "before": budget.year - 1},
            field="on",
        )
    with transaction.atomic():
        if Budget.objects.select_for_update().get(pk=budget.pk).is_approved:
            raise FinanceError(_("预算已经批准过了。"))
        budget.status = BudgetStatus.APPROVED
        budget.approved_at = on
        budget.approval_meeting = meeting.strip()
        budget.save(update_fields=["status", "approved_at", "approval_meeting"])
        entries_place(budget=budget)
    return budget


def _unplaced(model, budget, date_field):
    """``model``'s entries of the budget's year booked before it was approved (no line), by the units
    whose accounts it keeps (accounting_unit), locked."""
    found = (
        model.objects.select_for_update()
        .in_subtree(budget.unit)
        .filter(line__isnull=True, **{f"{date_field}__year": budget.year})
        .select_related("unit")
    )
    owners = {}
    for entry in found:
        if entry.unit_id not in owners:
            owners[entry.unit_id] = accounting_unit(entry.unit, budget.year)
        if owners[entry.unit_id] == budget.unit:
            yield entry


def entries_place(*, budget) -> int:
    """Put the year's income and payments recorded before the budget was approved (January's dues
    before a March meeting, a care payment) on the lines of their kind, and count them there: they
    were received and spent in the year the budget covers. Returns how many were placed."""
    if not budget.is_approved:
        return 0
    lines = budget.lines.select_for_update()
    income_lines = {line.key: line for line in lines.income().exclude(key="")}
    placed = 0
    for income in _unplaced(Income, budget, "received_on"):
        line = income_lines.get(INCOME_LINE_OF_KIND[income.kind])
        if line is not None:
            income.line = line
            income.save(update_fields=["line"])
            BudgetLine.objects.filter(pk=line.pk).update(actual=F("actual") + income.amount)
            placed += 1
    spending_lines = {}  # by purpose: one look-up per purpose, not per payment
    for payment in _unplaced(Payment, budget, "paid_on"):
        if payment.purpose not in spending_lines:
            spending_lines[payment.purpose] = line_for_purpose(budget.unit, budget.year, payment.purpose)
        line = spending_lines[payment.purpose]
        if line is not None and payment.status != PaymentStatus.REJECTED:
            payment.line, payment.unit = line, budget.unit  # as payment_assign_line books it
            payment.save(update_fields=["line", "unit"])
            if payment.status == PaymentStatus.APPROVED:
                BudgetLine.objects.filter(pk=line.pk).update(actual=F("actual") + payment.amount)
            placed += 1
    return placed


def budget_adjust(*, budget, amounts: dict[int, Decimal], meeting: str, on) -> Budget:
    """A mid-year adjustment: the adjusted amounts are kept beside the original ones. A spending line is
    never set below what it has already spent (the figures would show an overspend nobody made)."""
    if not meeting.strip():
        raise FinanceError(_("请写明批准调整的会议。"), field="meeting")
    if on.year != budget.year:
        raise FinanceError(_("调整日期应在%(year)s年内。") % {"year": budget.year}, field="on")
    with transaction.atomic():
        locked = Budget.objects.select_for_update().get(pk=budget.pk)
        if not locked.is_approved:
            raise FinanceError(_("草稿预算直接修改即可，批准后才需要调整。"))
        if locked.approved_at and on < locked.approved_at:
            raise FinanceError(_("调整日期不能早于预算批准日期。"), field="on")
        for line in budget.lines.select_for_update():
            below = line.direction == Direction.SPENDING and amounts.get(line.pk, line.budgeted) < line.actual
            if below and amounts[line.pk] != line.budgeted:
                raise FinanceError(
                    _("“%(line)s”已执行 %(actual)s 元，调整后的预算不能低于已执行数。")
                    % {"line": line, "actual": _money(line.actual)},
                    field=f"line-{line.pk}",
                )
            if line.pk in amounts and amounts[line.pk] != line.budgeted:
                line.adjusted_amount = amounts[line.pk]
                line.save(update_fields=["adjusted_amount"])
        budget.adjusted_at = on
        budget.adjustment_meeting = meeting.strip()
        budget.save(update_fields=["adjusted_at", "adjustment_meeting"])
    return budget


def accounting_unit(unit, year):
    """The unit whose budget pays for ``unit``'s spending: itself or the nearest unit above it that keeps
    a budget for ``year`` (a union group spends from its union's budget); None when nobody does."""
    paths = [*ancestor_paths([unit.path]), unit.path]
    budget = (
        Budget.objects.filter(year=year, unit__path__in=paths).select_related("unit").order_by("-unit__depth").first()
    )
    return budget.unit if budget else None


def line_for_purpose(unit, year, purpose) -> BudgetLine | None:
    """The spending line a payment of ``purpose`` goes to by default, in the unit's approved budget."""
    lines = BudgetLine.objects.filter(
        budget__unit=unit, budget__year=year, budget__status=BudgetStatus.APPROVED, direction=Direction.SPENDING
    )
    return lines.filter(key__in=keys_for_purpose(purpose)).first() or lines.filter(key=FALLBACK_SPENDING_LINE).first()


# --- payments: the checks


@dataclass(frozen=True)
class PaymentInput:
    unit: object
    line: BudgetLine | None
    amount: Decimal
    purpose: str
    paid_on: object
    people: int | None = None
    member: object = None


def standards_check(entry: PaymentInput) -> None:
    """Refuse a payment over one of the unit's spending standards, saying which and why."""
    for standard in Standard.objects.filter(unit=entry.unit, purpose=entry.purpose):
        if standard.kind == StandardKind.PER_PAYMENT and entry.amount > standard.amount:
            raise FinanceError(
                _("超出开支标准“%(name)s”：每笔不超过 %(limit)s 元，本笔 %(amount)s 元。")
                % {"name": standard.name, "limit": _money(standard.amount), "amount": _money(entry.amount)},
                field="amount",
            )
        if standard.kind == StandardKind.PER_PARTICIPANT:
            _per_person_check(entry, standard, _("人均"))
        if standard.kind == StandardKind.PER_MEMBER_YEAR:
            if entry.member is not None:
                _member_year_check(entry, standard)
            else:
                _per_person_check(entry, standard, _("每人每年"))


def _per_person_check(entry, standard, how):
    if not entry.people:
        raise FinanceError(
            _("“%(name)s”按人计算，请填写人数。") % {"name": standard.name},
            field="people",
        )
    each = (entry.amount / entry.people).quantize(Decimal("0.01"))
    if each > standard.amount:
        raise FinanceError(
            _(
                "超出开支标准“%(name)s”：%(how)s不超过 %(limit)s 元，本笔 %(people)s 人合计 %(amount)s 元，人均 %(each)s 元。"
            )
            % {
                "name": standard.name,
                "how": how,
                "limit": _money(standard.amount),
                "people": entry.people,
                "amount": _money(entry.amount),
                "each": _money(each),
            },
            field="amount",
        )


def _member_year_check(entry, standard):
    given = Payment.objects.filter(
        unit=entry.unit, member=entry.member, purpose=entry.purpose, paid_on__year=entry.paid_on.year
    ).exclude(status=PaymentStatus.REJECTED)
    so_far = given.total()
    if so_far + entry.amount > standard.amount:
        raise FinanceError(
            _(
                "超出开支标准“%(name)s”：每人每年不超过 %(limit)s 元，%(member)s今年已发 %(so_far)s 元，本笔 %(amount)s 元。"
            )
            % {
                "name": standard.name,
                "limit": _money(standard.amount),
                "member": entry.member.name,
                "so_far": _money(so_far),
                "amount": _money(entry.amount),
            },
            field="amount",
        )


def overspend_check(line: BudgetLine, amount: Decimal, unit) -> str:
    """'' when the line has room; a warning when ``amount`` takes it over its budget; a refusal (raised)
    beyond the unit's tolerance. Call with ``line`` locked."""
    budgeted = line.budgeted
    after = line.actual + amount
    if after <= budgeted:
        return ""
    tolerance = settings_for(unit).overspend_tolerance
    ceiling = (budgeted * (100 + tolerance) / 100).quantize(Decimal("0.01"))
    if after > ceiling:
        raise FinanceError(
            _(
                "“%(line)s”预算 %(budget)s 元，已执行 %(actual)s 元，本笔后将超支 %(over)s 元，超过允许的 %(tolerance)s%%，不能登记。请先调整预算。"
            )
            % {
                "line": line,
                "budget": _money(budgeted),
                "actual": _money(line.actual),
                "over": _money(after - budgeted),
                "tolerance": tolerance,
            },
            field="amount",
        )
    return _("“%(line)s”预算 %(budget)s 元，本笔后执行数 %(after)s 元，将超支 %(over)s 元。确认仍要登记吗？") % {
        "line": line,
        "budget": _money(budgeted),
        "after": _money(after),
        "over": _money(after - budgeted),
    }


# --- payments: the writes


def _check_spending_line(line, unit, paid_on):
    """A spend goes on a spending line of the unit's own approved budget for the year it is paid in:
    a draft's figures are not yet the committee's, and its lines record nothing until approval."""
    if line.budget.unit_id != unit.pk or line.direction != Direction.SPENDING:
        raise FinanceError(_("请选择本单位预算中的支出科目。"), field="line")
    if not line.budget.is_approved:
        raise FinanceError(
            _("“%(budget)s”还是草稿，经委员会批准后才能登记支出。") % {"budget": line.budget}, field="line"
        )
    if line.budget.year != paid_on.year:
        raise FinanceError(
            _("支付日期在 %(year)s 年，请选择该年度预算中的科目。") % {"year": paid_on.year}, field="paid_on"
        )


def payment_record(
    *,
    unit,
    by,
    line: BudgetLine | None,
    amount,
    paid_on,
    payee: str,
    description: str,
    purpose: str = Purpose.OTHER,
    people: int | None = None,
    member=None,
    voucher=None,
    activity=None,
    schedule_item=None,
    campaign=None,
    confirm_overspend: bool = False,
    now=None,
) -> Payment:
    """Record a spend. Below the unit's approval threshold it counts at once; above it waits for a
    second officer. A line that would overspend asks for confirmation, and beyond the tolerance refuses."""
    amount = exact_amount(amount)
    if line is not None:
        _check_spending_line(line, unit, paid_on)
    entry = PaymentInput(unit, line, amount, purpose, paid_on, people, member)
    standards_check(entry)
    needs_approval = amount >= settings_for(unit).approval_threshold
    with transaction.atomic():
        locked = BudgetLine.objects.select_for_update().get(pk=line.pk) if line is not None else None
        warning = overspend_check(locked, amount, unit) if locked is not None else ""
        if warning and not confirm_overspend:
            raise NeedsConfirmation(warning, field="amount")
        payment = Payment.objects.create(
            unit=unit,
            line=locked,
            amount=amount,
            paid_on=paid_on,
            payee=payee.strip(),
            description=description.strip(),
            purpose=purpose,
            people=people,
            member=member,
            voucher=voucher or "",
            activity=activity,
            schedule_item=schedule_item,
            campaign=campaign,
            status=PaymentStatus.PENDING if needs_approval else PaymentStatus.APPROVED,
            entered_by=by,
            entered_at=now or timezone.now(),
            approved_by=None if needs_approval else by,
            approved_at=None if needs_approval else now or timezone.now(),
        )
        if not needs_approval:
            _count(payment)
    return payment


def payment_approve(*, payment, by, now=None) -> Payment:
    """The second officer's approval: never the one who entered it; the overspend limit still holds."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if not payment.is_pending:
            raise FinanceError(_("这笔支出已经处理过了。"))
        if payment.entered_by_id == by.pk:
            raise FinanceError(_("超过审批额度的支出须由登记人以外的另一位干部审批。"))
        if payment.line_id is not None:
            line = BudgetLine.objects.select_for_update().get(pk=payment.line_id)
            overspend_check(line, payment.amount, payment.unit)
        payment.status = PaymentStatus.APPROVED
        payment.approved_by = by
        payment.approved_at = now or timezone.now()
        payment.save(update_fields=["status", "approved_by", "approved_at"])
        _count(payment)
    return payment


def payment_reject(*, payment, by, now=None) -> Payment:
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if not payment.is_pending:
            raise FinanceError(_("这笔支出已经处理过了。"))
        payment.status = PaymentStatus.REJECTED
        payment.approved_by = by
        payment.approved_at = now or timezone.now()
        payment.save(update_fields=["status", "approved_by", "approved_at"])
    return payment


def _locked_for_reversal(entry, reason, *, reversed_already):
    """``entry`` (a payment or an income) locked, once it may be reversed: a reason given, not itself a
    reversal, not reversed before (``reversed_already`` says so)."""
    if not reason.strip():
        raise FinanceError(_("请写明冲销的原因。"), field="reason")
    model = type(entry)
    entry = model.objects.select_for_update().get(pk=entry.pk)
    if entry.is_reversal:
        raise FinanceError(_("冲销记录本身不能再冲销。"))
    if model.objects.filter(reverses=entry).exists():
        raise FinanceError(reversed_already)
    return entry


def payment_reverse(*, payment, by, reason: str, on=None, now=None) -> Payment:
    """Undo a counted payment by an entry of the opposite amount that points at it; nothing is deleted."""
    with transaction.atomic():
        payment = _locked_for_reversal(payment, reason, reversed_already=_("这笔支出已经冲销过了。"))
        if payment.status != PaymentStatus.APPROVED:
            raise FinanceError(_("只有已入账的支出才需要冲销；待审批的支出请直接不予批准。"))
        if payment.line_id is not None:
            BudgetLine.objects.select_for_update().get(pk=payment.line_id)
        reversal = Payment.objects.create(
            unit=payment.unit,
            line=payment.line,
            amount=-payment.amount,
            paid_on=on or timezone.localdate(),
            payee=payment.payee,
            description=_("冲销：%(reason)s") % {"reason": reason.strip()},
            purpose=payment.purpose,
            member=payment.member,
            activity=payment.activity,
            schedule_item=payment.schedule_item,
            campaign=payment.campaign,
            reverses=payment,
            status=PaymentStatus.APPROVED,
            entered_by=by,
            entered_at=now or timezone.now(),
            approved_by=by,
            approved_at=now or timezone.now(),
        )
        _count(reversal)
    return reversal


def payment_assign_line(*, payment, line: BudgetLine) -> Payment:
    """Put a payment booked without a line (a care payment before the budget existed) on a line of
    its unit's budget, or of the union above it that pays for it."""
    if payment.line_id is not None:
        raise FinanceError(_("这笔支出已有科目；如记错科目，请冲销后重新登记。"))
    budget_unit = line.budget.unit
    if not payment.unit.path.startswith(budget_unit.path) or line.direction != Direction.SPENDING:
        raise FinanceError(_("请选择本单位预算中的支出科目。"), field="line")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        payment.line = BudgetLine.objects.select_for_update().get(pk=line.pk)
        payment.unit = budget_unit
        payment.save(update_fields=["line", "unit"])
        if payment.status == PaymentStatus.APPROVED:
            BudgetLine.objects.filter(pk=line.pk).update(actual=F("actual") + payment.amount)
    return payment


def payment_attach_voucher(*, payment, voucher) -> Payment:
    if not voucher:
        raise FinanceError(_("请选择凭证的照片或扫描件。"), field="voucher")
    payment.voucher = voucher
    payment.save(update_fields=["voucher"])
    return payment


def _count(payment):
    """A payment now counts: its line's executed total and its activity's spend move with it."""
    if payment.line_id is not None:
        BudgetLine.objects.filter(pk=payment.line_id).update(actual=F("actual") + payment.amount)
    if payment.activity_id is not None:
        activity_spend_refresh(payment.activity)


def activity_spend_refresh(activity) -> Decimal:
    """An activity's spend is what was paid for it: the sum of its counted payments."""
    total = Payment.objects.filter(activity=activity).counted().total()
    type(activity).objects.filter(pk=activity.pk).update(spend=total)
    return total


def assistance_book(*, assistance) -> Payment | None:
    """Book an approved care payment (care.Assistance) as the finance payment it is: one record,
    never typed twice. Idempotent; goods are booked at their value."""
    if assistance.status != "approved":
        return None
    existing = Payment.objects.filter(assistance=assistance).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        unit = accounting_unit(assistance.unit, assistance.given_on.year) or assistance.unit
        line = line_for_purpose(unit, assistance.given_on.year, Purpose.CARE)
        if line is not None:
            line = BudgetLine.objects.select_for_update().get(pk=line.pk)
        payment = Payment.objects.create(
            unit=unit,
            line=line,
            amount=assistance.amount,
            paid_on=assistance.given_on,
            payee=assistance.recipient,
            description=assistance.get_purpose_display(),
            purpose=Purpose.CARE,
            member=assistance.member,
            assistance=assistance,
            campaign=assistance.campaign,
            status=PaymentStatus.APPROVED,
            entered_by=assistance.entered_by,
            entered_at=assistance.entered_at,
            approved_by=assistance.approved_by or assistance.entered_by,
            approved_at=assistance.approved_at or assistance.entered_at,
        )
        _count(payment)
    return payment


# --- income


def income_record(
    *,
    unit,
    by,
    kind,
    amount,
    received_on,
    payer="",
    member=None,
    dues_year=None,
    dues_month=None,
    headcount=None,
    note="",
) -> Income:
    """Record money received, on the budget's income line of its kind when the year's budget is approved."""
    amount = exact_amount(amount)
    if kind == IncomeKind.DUES and (not dues_year or not dues_month):
        raise FinanceError(_("会费请写明所属年月。"), field="dues_month")
    if dues_month is not None and not 1 <= dues_month <= 12:
        raise FinanceError(_("月份应在 1 到 12 之间。"), field="dues_month")
    # Dues are paid in their month, in arrears or a year ahead at most: further is a slip of the year.
    if dues_year is not None and not received_on.year - 1 <= dues_year <= received_on.year + 1:
        raise FinanceError(
            _("会费所属年度应在到账年度的前后一年内（%(first)s–%(last)s年）。")
            % {"first": received_on.year - 1, "last": received_on.year + 1},
            field="dues_year",
        )
    with transaction.atomic():
        # Dues a group hands in are its union's income: booked on the budget of the unit that keeps the
        # accounts, as a group's care payments are paid from it (accounting_unit).
        owner = accounting_unit(unit, received_on.year) or unit
        line = (
            BudgetLine.objects.select_for_update()
            .filter(
                budget__unit=owner,
                budget__year=received_on.year,
                budget__status=BudgetStatus.APPROVED,
                direction=Direction.INCOME,
                key=INCOME_LINE_OF_KIND[kind],
            )
            .first()
        )
        income = Income.objects.create(
            unit=unit,
            kind=kind,
            line=line,
            amount=amount,
            received_on=received_on,
            payer=payer,
            member=member,
            dues_year=dues_year,
            dues_month=dues_month,
            headcount=headcount,
            note=note,
            entered_by=by,
        )
        if line is not None:
            BudgetLine.objects.filter(pk=line.pk).update(actual=F("actual") + amount)
    return income


def income_reverse(*, income, by, reason: str, on=None, now=None) -> Income:
    """Undo money recorded by mistake (a wrong amount, the wrong member's dues) by an entry of the opposite
    amount that points at it, on its budget line; nothing is deleted. Dues it covered are unpaid again."""
    with transaction.atomic():
        income = _locked_for_reversal(income, reason, reversed_already=_("这笔收入已经冲销过了。"))
        if income.line_id is not None:
            BudgetLine.objects.filter(pk=income.line_id).update(actual=F("actual") - income.amount)
        return Income.objects.create(
            unit=income.unit,
            kind=income.kind,
            line=income.line,
            amount=-income.amount,
            received_on=on or timezone.localdate(),
            payer=income.payer,
            member=income.member,
            dues_year=income.dues_year,
            dues_month=income.dues_month,
            headcount=income.headcount,
            note=_("冲销：%(reason)s") % {"reason": reason.strip()},
            reverses=income,
            entered_by=by,
            entered_at=now or timezone.now(),
        )


def dues_unpaid(unit, year, month):
    """Members of ``unit``'s subtree in the union with no dues for that month: neither paid
    themselves nor covered by a lump their group handed in (a reversed payment covers nobody)."""
    from members.models import Member

    paid = Income.objects.filter(
        kind=IncomeKind.DUES, dues_year=year, dues_month=month, reverses__isnull=True, reversed_by__isnull=True
    )
    return (
        Member.objects.in_subtree(unit)
        .in_union()
        .exclude(pk__in=paid.filter(member__isnull=False).values("member"))
        .exclude(unit__in=paid.filter(member__isnull=True).values("unit"))
    )


@dataclass(frozen=True)
class UpwardShare:
    kind_label: str
    received: Decimal
    ratio: Decimal
    owed: Decimal


def upward_shares(unit, year) -> list[UpwardShare]:
    """What the unit owes the federation above from the year's dues and 拨缴经费, by its configured ratios."""
    settings = settings_for(unit)
    received = dict(
        Income.objects.in_accounts_of(unit)
        .filter(received_on__year=year, kind__in=[IncomeKind.DUES, IncomeKind.ALLOCATION])
        .values_list("kind")
        .annotate(total=Sum("amount"))
    )
    shares = []
    for kind, ratio in (
        (IncomeKind.DUES, settings.dues_upward_share),
        (IncomeKind.ALLOCATION, settings.allocation_upward_share),
    ):
        total = yuan(received.get(kind))
        shares.append(UpwardShare(str(kind.label), total, ratio, (total * ratio / 100).quantize(Decimal("0.01"))))
    return shares


# --- the audit committee


def audit_open(*, unit, year, title, by, sample_size=10, campaign=None, rng=None, today=None) -> Audit:
    """Open an audit of the year (or of a campaign) with a random sample of its counted payments.

    A year still to come, or one (or a campaign) without a counted payment, is refused: there is
    nothing to sample, and the audit left behind would be empty (a slip of the year, mostly)."""
    if not title.strip():
        raise FinanceError(_("请填写审查名称。"), field="title")
    this_year = (today or timezone.localdate()).year
    if year > this_year:
        raise FinanceError(_("审查年度不能晚于今年（%(year)s年）。") % {"year": this_year}, field="year")
    payments = Payment.objects.filter(unit=unit, reverses__isnull=True).counted()
    payments = payments.filter(campaign=campaign) if campaign is not None else payments.in_year(year)
    ids = list(payments.values_list("pk", flat=True)[:5000])
    if not ids and campaign is not None:
        raise FinanceError(_("这次慰问活动还没有入账的支出，没有可抽查的凭证。"), field="campaign")
    if not ids:
        raise FinanceError(_("%(year)s年没有入账的支出，没有可抽查的凭证，请核对年度。") % {"year": year}, field="year")
    chosen = (rng or random.SystemRandom()).sample(ids, min(sample_size, len(ids)))
    with transaction.atomic():
        audit = Audit.objects.create(unit=unit, year=year, title=title.strip(), campaign=campaign, opened_by=by)
        audit.sampled.set(chosen)
    return audit


def _lock_open_audit(audit, refusal) -> None:
    """Lock the audit's row and refuse with ``refusal`` once it is closed: a finding added or a second
    closing while it is being closed would change a review that has ended (its report, its conclusion)."""
    if not Audit.objects.select_for_update().get(pk=audit.pk).is_open:
        raise FinanceError(refusal)


def _lock_open_finding(finding) -> None:
    """Lock the finding's row and refuse once it is closed (销号): its response and date are then final."""
    if Finding.objects.select_for_update().get(pk=finding.pk).is_closed:
        raise FinanceError(_("这条意见已经销号。"))


def finding_add(*, audit, text, by, payment=None) -> Finding:
    if not text.strip():
        raise FinanceError(_("请填写审查意见。"), field="text")
    if payment is not None and payment.unit_id != audit.unit_id:
        raise FinanceError(_("只能对本单位的支出提出意见。"), field="payment")
    with transaction.atomic():
        _lock_open_audit(audit, _("审查已经结束，不能再添加意见。"))
        return Finding.objects.create(audit=audit, text=text.strip(), payment=payment, created_by=by)


def finding_respond(*, finding, response, by, now=None) -> Finding:
    if not response.strip():
        raise FinanceError(_("请填写整改说明。"), field="response")
    with transaction.atomic():
        _lock_open_finding(finding)
        finding.response = response.strip()
        finding.responded_by = by
        finding.responded_at = now or timezone.now()
        finding.save(update_fields=["response", "responded_by", "responded_at"])
    return finding


def finding_close(*, finding, now=None) -> Finding:
    with transaction.atomic():
        _lock_open_finding(finding)
        if not finding.response:
            raise FinanceError(_("单位答复整改情况后才能销号。"))
        finding.closed_at = now or timezone.now()
        finding.save(update_fields=["closed_at"])
    return finding


def audit_delete(*, audit) -> None:
    """Remove an audit opened by mistake (the wrong year, a second one), while it is still open and
    has no finding: one with findings or a conclusion is the committee's record and stays."""
    with transaction.atomic():
        locked = Audit.objects.select_for_update().get(pk=audit.pk)  # finding_add locks it too
        if not locked.is_deletable:
            raise FinanceError(_("只有还在进行、尚未提出审查意见的审查可以删除。"))
        locked.delete()


def audit_close(*, audit, conclusion, now=None) -> Audit:
    """End the review with its conclusion, once: a second closing (another tab, a double tap) would
    overwrite the conclusion and the date the report gives."""
    if not conclusion.strip():
        raise FinanceError(_("请填写审查结论。"), field="conclusion")
    with transaction.atomic():
        _lock_open_audit(audit, _("审查已经结束。"))
        if audit.findings.filter(closed_at__isnull=True).exists():
            raise FinanceError(_("还有未销号的审查意见，全部整改销号后才能结束审查。"))
        audit.status = AuditStatus.CLOSED
        audit.conclusion = conclusion.strip()
        audit.closed_at = now or timezone.now()
        audit.save(update_fields=["status", "conclusion", "closed_at"])
    return audit


# --- reconciliation


@dataclass(frozen=True)
class Difference:
    line: BudgetLine
    recorded: Decimal
    computed: Decimal


def ledger_check(*, unit=None) -> list[Difference]:
    """Every budget line whose executed total differs from the sum of its counted payments (or income)."""
    lines = BudgetLine.objects.select_related("budget__unit")
    if unit is not None:
        lines = lines.filter(budget__unit__path__startswith=unit.path)
    spent = dict(
        Payment.objects.counted()
        .filter(line__in=lines)
        .values_list("line")
        .annotate(total=Sum("amount"))
        .values_list("line", "total")
    )
    received = dict(
        Income.objects.filter(line__in=lines)
        .values_list("line")
        .annotate(total=Sum("amount"))
        .values_list("line", "total")
    )
    differences = []
    for line in lines.iterator(chunk_size=2000):
        source = spent if line.direction == Direction.SPENDING else received
        computed = yuan(source.get(line.pk))
        if yuan(line.actual) != computed:
            differences.append(Difference(line, yuan(line.actual), computed))
    return differences


UNPLACED_LISTED = 200  # entries ledger_unplaced names; the rest are counted (a province early in the year)


def _off_every_line(unit):
    incomes = Income.objects.filter(line__isnull=True)
    payments = Payment.objects.counted().filter(line__isnull=True)
    if unit is not None:
        incomes, payments = incomes.in_subtree(unit), payments.in_subtree(unit)
    return incomes, payments


def ledger_unplaced(*, unit=None, limit=UNPLACED_LISTED) -> tuple[list, int]:
    """Income and counted payments on no budget line: they count in no figure (recorded for a year
    whose budget is not approved, or by a unit no budget covers). The first ``limit`` of each kind,
    and how many there are in all."""
    incomes, payments = _off_every_line(unit)
    listed = [
        *incomes.select_related("unit").order_by("received_on", "pk")[:limit],
        *payments.select_related("unit").order_by("paid_on", "pk")[:limit],
    ]
    return listed, incomes.count() + payments.count()


def ledger_place(*, unit=None) -> int:
    """Place every unplaced entry that an approved budget can now take (entries_place); the count."""
    incomes, payments = _off_every_line(unit)
    years = {d.year for d in incomes.dates("received_on", "year")} | {d.year for d in payments.dates("paid_on", "year")}
    budgets = Budget.objects.filter(status=BudgetStatus.APPROVED, year__in=years).order_by("-unit__depth")
    if unit is not None:
        budgets = budgets.filter(unit__path__startswith=unit.path)
    with transaction.atomic():
        return sum(entries_place(budget=budget) for budget in budgets)


def ledger_fix(differences: list[Difference]) -> None:
    """Set each drifted line to what its payments add up to."""
    with transaction.atomic():
        for difference in differences:
            BudgetLine.objects.filter(pk=difference.line.pk).update(actual=difference.computed)


def lines_spent_by_month(budget) -> dict[int, dict[int, Decimal]]:
    """{line id: {month: spent}} for a budget's spending lines, in one query."""
    rows = (
        Payment.objects.counted()
        .filter(line__budget=budget)
        .values_list("line", "paid_on__month")
        .annotate(total=Sum("amount"))
    )
    found: dict[int, dict[int, Decimal]] = {}
    for line_id, month, total in rows:
        found.setdefault(line_id, {})[month] = yuan(total)
    return found


def spending_by(unit, year, field) -> list[tuple]:
    """(linked record id, total) of the year's counted payments by activity or by campaign."""
    return list(
        Payment.objects.filter(unit=unit)
        .counted()
        .in_year(year)
        .filter(~Q(**{f"{field}__isnull": True}))
        .values_list(field)
        .annotate(total=Sum("amount"))
        .order_by("-total")
    )
