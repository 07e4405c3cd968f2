"""Collective contract workflows: open the bargaining, record its steps, sign after the congress
approved it, file with the labour authority, renew; and the coverage figures a federation reads."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Contract, Stage, Step, StepKind
from core.calendar import years_later
from core.errors import Refusal, refuse_together
from core.language import written_date
from orgs.models import OrgUnit, UnitKind


class ContractError(Refusal):
    """A contract rule refused the change (core.errors.Refusal)."""


MAX_TERM_YEARS = 3  # 《集体合同规定》第三十八条：集体合同或专项集体合同期限一般为1至3年


def _check_term(starts_on, ends_on) -> None:
    """A term that ends after it starts and runs no longer than the regulation's three years: a typed
    9999 for 2029 would otherwise count its workers as covered for ever and never fall due for renewal."""
    if ends_on <= starts_on:
        raise ContractError(_("终止日期应晚于起始日期。"), field="ends_on")
    longest = years_later(starts_on, MAX_TERM_YEARS)  # the same day 3 years on, as many contracts write the term
    if ends_on > longest:
        raise ContractError(
            _("集体合同的期限一般为1至3年，终止日期不能晚于%(date)s。") % {"date": written_date(longest)},
            field="ends_on",
        )


def _check_not_after_today(day, today, field) -> None:
    """What the record says happened (a request, a round, the signing, the filing) happened by today."""
    if day > today:
        raise ContractError(_("日期不能晚于今天（%(today)s）。") % {"today": written_date(today)}, field=field)


def contract_open(
    *,
    unit,
    by,
    kind,
    title,
    employer,
    starts_on,
    ends_on,
    workers_covered,
    requested_on,
    renews=None,
    today: datetime.date | None = None,
) -> Contract:
    """Start bargaining: the contract as proposed, and the request to bargain as its first step."""
    if renews is not None and renews.unit_id != unit.pk:
        raise ContractError(_("只能续签本单位的合同。"), field="renews")
    refuse_together(
        lambda: _check_term(starts_on, ends_on),
        lambda: _check_not_after_today(requested_on, today or timezone.localdate(), "requested_on"),
        lambda: _check_workers_covered(unit, workers_covered),
    )
    with transaction.atomic():
        if renews is not None:
            renews = _renewable(renews)
        contract = Contract.objects.create(
            unit=unit,
            kind=kind,
            title=title.strip(),
            employer=employer.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            workers_covered=workers_covered,
            renews=renews,
            created_by=by,
        )
        Step.objects.create(
            contract=contract, kind=StepKind.REQUEST, on=requested_on, note=_("工会提出协商要约。"), by=by
        )
    return contract


TERMS = ("kind", "title", "employer", "starts_on", "ends_on", "workers_covered")


def contract_update(*, contract, **terms) -> Contract:
    """Correct the terms (TERMS) while bargaining lasts: they change as the two sides negotiate. Once signed,
    the signed text is the contract, and the record keeps what was signed. Only changed fields are written."""
    with transaction.atomic():
        contract = _locked(contract)
        if contract.stage != Stage.BARGAINING:
            raise ContractError(_("合同已经签订，条款以签订的文本为准，不能再修改。"))
        refuse_together(
            lambda: _check_term(terms["starts_on"], terms["ends_on"]),
            lambda: _check_workers_covered(contract.unit, terms["workers_covered"]),
        )
        terms["title"], terms["employer"] = terms["title"].strip(), terms["employer"].strip()
        changed = [name for name in TERMS if getattr(contract, name) != terms[name]]
        for name in changed:
            setattr(contract, name, terms[name])
        if changed:
            contract.save(update_fields=changed)
    return contract


def _check_workers_covered(unit, workers_covered) -> None:
    """Refused, not only warned: a contract binds the employer and 本单位的全体职工 (《集体合同规定》
    第六条), and a grassroots union is the union of one workplace whose groups and teams are parts of
    it (DOMAIN.md), so no contract covers more workers than its unit's subtree counts, the same
    headcount the coverage rate and the membership rate divide by. A headcount out of date is put
    right on the unit, not around it here."""
    headcount = unit.subtree_headcount()
    if workers_covered <= headcount:
        return
    if not headcount:
        raise ContractError(
            _("本单位还没有登记职工人数。请先在单位信息中填写本单位及下级单位的职工人数，再登记合同覆盖的职工。"),
            field="workers_covered",
        )
    raise ContractError(
        _(
            "覆盖职工人数不能超过本单位（含下级单位）的职工人数%(headcount)s人。"
            "如果职工人数有变化，请先在单位信息中更新。"
        )
        % {"headcount": headcount},
        field="workers_covered",
    )


def _locked(contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


def _renewable(contract) -> Contract:
    """The contract being renewed, locked: renewed once (a second renewal, from a page opened before
    the first or a double tap, was a database error), and only a contract that was signed."""
    contract = _locked(contract)
    if contract.stage == Stage.BARGAINING:
        raise ContractError(_("这份合同还在协商中，签订后才能续签。"), field="renews")
    if Contract.objects.filter(renews=contract).exists():
        raise ContractError(_("这份合同已经续签过了。"), field="renews")
    return contract


def step_add(*, contract, by, kind, on, note="", today: datetime.date | None = None) -> Step:
    """A step of the bargaining while it lasts: once the contract is signed its record is closed, and a
    step added afterwards (from a page opened before the signing) would read as bargaining after it.
    Dated between the request to bargain and today: the record is of what happened, in its order."""
    if kind in (StepKind.SIGNING, StepKind.FILING):
        raise ContractError(_("签字和备案请用专门的按钮登记。"), field="kind")
    _check_not_after_today(on, today or timezone.localdate(), "on")
    with transaction.atomic():
        contract = _locked(contract)
        if contract.stage != Stage.BARGAINING:
            raise ContractError(_("合同已经签订，协商记录不能再添加。"))
        requested_on = contract.steps.filter(kind=StepKind.REQUEST).aggregate(on=Min("on"))["on"]
        if requested_on and on < requested_on:
            raise ContractError(
                _("日期不能早于提出协商要约的日期（%(date)s）。") % {"date": written_date(requested_on)}, field="on"
            )
        step = Step.objects.create(contract=contract, kind=kind, on=on, note=note.strip(), by=by)
        if kind == StepKind.CONGRESS and note.strip() and not contract.congress_approval:
            contract.congress_approval = note.strip()[:100]
            contract.save(update_fields=["congress_approval"])
    return step


def contract_sign(
    *, contract, by, signed_on, congress_approval, document=None, today: datetime.date | None = None
) -> Contract:
    """Signing follows the staff congress's approval (职代会审议通过), which the law requires, and so
    every step of the bargaining: it is dated on or after the last of them, and not after today. The row
    is locked and its stage read afresh: two pages signing at once sign it once, with one signing step."""
    _check_not_after_today(signed_on, today or timezone.localdate(), "signed_on")
    with transaction.atomic():
        contract = _locked(contract)
        if contract.stage != Stage.BARGAINING:
            raise ContractError(_("这份合同已经签订。"))
        last_step = contract.steps.aggregate(on=Max("on"))["on"]
        if last_step and signed_on < last_step:
            raise ContractError(
                _("签订日期不能早于协商记录中最后一个环节的日期（%(date)s）。") % {"date": written_date(last_step)},
                field="signed_on",
            )
        # The headcount may have fallen since the terms were written (staff left, a group closed): the
        # signed contract must not cover more workers than the unit has.
        headcount = contract.unit.subtree_headcount()
        if contract.workers_covered > headcount:
            raise ContractError(
                _(
                    "合同条款中的覆盖职工人数（%(covered)s人）超过本单位（含下级单位）现在的职工人数%(headcount)s人。"
                    "请先修改合同条款中的覆盖人数，或在单位信息中更新职工人数，再登记签订。"
                )
                % {"covered": contract.workers_covered, "headcount": headcount}
            )
        congress_approval = (congress_approval or contract.congress_approval).strip()
        if not congress_approval:
            raise ContractError(
                _("集体合同草案须经职工代表大会审议通过后才能签订，请写明审议通过的会议。"),
                field="congress_approval",
            )
        contract.stage = Stage.SIGNED
        contract.signed_on = signed_on
        contract.congress_approval = congress_approval
        if document:
            contract.document = document
        contract.save()
        Step.objects.create(contract=contract, kind=StepKind.SIGNING, on=signed_on, note=congress_approval, by=by)
    return contract


def contract_attach(*, contract, document) -> Contract:
    """The scan of the signed text, brought after the signing: once, since what was signed does not change."""
    with transaction.atomic():
        contract = _locked(contract)
        if contract.stage == Stage.BARGAINING:
            raise ContractError(_("合同签订时再上传签订的文本。"))
        if contract.document:
            raise ContractError(_("这份合同的文本已经上传。"))
        contract.document = document
        contract.save(update_fields=["document"])
    return contract


def contract_file(*, contract, by, filed_on, filed_with, today: datetime.date | None = None) -> Contract:
    """Record the filing with the labour authority, once: the row is locked and its stage read afresh."""
    _check_not_after_today(filed_on, today or timezone.localdate(), "filed_on")
    with transaction.atomic():
        contract = _locked(contract)
        if contract.stage == Stage.FILED:
            raise ContractError(_("这份合同已经备案。"))
        if contract.stage != Stage.SIGNED:
            raise ContractError(_("签订后才能报送备案。"))
        if not filed_with.strip():
            raise ContractError(_("请写明备案的劳动保障部门。"), field="filed_with")
        if filed_on < contract.signed_on:
            raise ContractError(_("备案日期不能早于签订日期。"), field="filed_on")
        contract.stage = Stage.FILED
        contract.filed_on = filed_on
        contract.filed_with = filed_with.strip()
        contract.save(update_fields=["stage", "filed_on", "filed_with"])
        Step.objects.create(contract=contract, kind=StepKind.FILING, on=filed_on, note=filed_with.strip(), by=by)
    return contract


@dataclass(frozen=True)
class Coverage:
    unions: int
    unions_covered: int
    workers: int
    workers_covered: int

    @property
    def rate(self) -> Decimal | None:
        """Share of workers under an in-force contract (建制率 by workers)."""
        if not self.workers:
            return None
        return (Decimal(min(self.workers_covered, self.workers)) * 100 / self.workers).quantize(Decimal("0.1"))


def coverage(unit, today=None) -> Coverage:
    """The workers of the unit's whole subtree (OrgUnit.subtree_headcount: every active unit's own
    headcount, a school's union groups and the federation's own staff too, as the membership rate
    counts them), and those an in-force contract covers (each union counted once, by its widest
    contract, so a wage contract beside the comprehensive one is not counted twice)."""
    today = today or timezone.localdate()
    units = OrgUnit.objects.all().in_subtree(unit).filter(is_active=True)
    # One pass over the subtree's units for both figures: a province has 20,000 unions among 100,000.
    totals = units.aggregate(n=Sum("headcount"), count=Count("id", filter=Q(kind=UnitKind.UNION)))
    covered = dict(
        Contract.objects.in_subtree(unit).in_force(today).values_list("unit").annotate(n=Max("workers_covered"))
    )
    return Coverage(
        unions=totals["count"],
        unions_covered=len(covered),
        workers=totals["n"] or 0,
        workers_covered=sum(covered.values()),
    )


def coverage_by_child(unit, children, today=None) -> dict[str, tuple[int, int]]:
    """{child path: (workers of its whole subtree, workers covered)} for the units directly below, in
    two grouped queries."""
    today = today or timezone.localdate()
    if not children:
        return {}
    step = len(children[0].path)
    workers = dict(
        OrgUnit.objects.all()
        .in_subtree(unit)
        .filter(is_active=True, depth__gt=unit.depth)
        .annotate(branch=Substr("path", 1, step))
        .order_by()  # the manager's ordering by path would split each branch into its units
        .values_list("branch")
        .annotate(n=Sum("headcount"))
    )
    per_union = (
        Contract.objects.in_subtree(unit)
        .in_force(today)
        .exclude(unit=unit)
        .values_list("unit__path")
        .annotate(n=Max("workers_covered"))
    )
    covered: dict[str, int] = {}
    for path, n in per_union:
        covered[path[:step]] = covered.get(path[:step], 0) + n
    return {child.path: (workers.get(child.path, 0) or 0, covered.get(child.path, 0)) for child in children}
