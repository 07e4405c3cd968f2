"""Workflows of the federation's year: calls with deadlines, report calls, targets handed down,
deadline reminders and API tokens. Filing and review themselves are in ``federation.filing``."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import calendar
from core.errors import Refusal
from core.figures import metric_value, metrics
from core.language import written_date
from core.notifications import notify
from core.unique import once
from federation import filing as machine
from federation.kinds import plan_snapshot, snapshot_title, summary_snapshot
from federation.models import (
    ApiToken,
    CallKind,
    Filing,
    FilingCall,
    FilingStatus,
    HandedDownTarget,
    ReminderSent,
    ReportField,
    TargetShare,
    UnitState,
    hash_token,
)
from orgs.models import OrgUnit, RoleAssignment
from orgs.roles import roles_with
from plans.models import PERCENT_MEASURES

REMINDER_WORKDAYS = 3


class FederationError(Refusal):
    """A translated reason the step cannot be taken; ``field`` names the form field it concerns, if one does."""


def officers_of(unit_ids, permission="federation.file"):
    """The people who act for exactly these units with ``permission`` (not those of units above)."""
    assignments = RoleAssignment.objects.filter(
        unit_id__in=list(unit_ids), role__in=roles_with(permission), user__is_active=True
    ).select_related("user")
    found = {}
    for assignment in assignments:
        found.setdefault(assignment.unit_id, {})[assignment.user_id] = assignment.user
    return {unit_id: list(users.values()) for unit_id, users in found.items()}


# --- calls -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    label: str
    metric: str = ""
    measure: str = ""


def _check_due(due, *, today, year):
    if due < today:
        raise FederationError(_("截止日期不能早于今天。"), field="due")
    # A call for a year is filed within it or in the following year's first months (a year's summary):
    # 2099 or 9999 is a slip of the year, and every unit would be told of it.
    if due.year > year + 1:
        raise FederationError(_("截止日期晚于%(year)s年底，请核对年份。") % {"year": year + 1}, field="due")


def _refuse_second_call(unit, kind, year):
    """A unit files one plan and one summary a year: a second call for them would ask every unit below
    to file the same document again, and split their filings between two calls. Report calls differ
    in their fields, and a year may have many."""
    existing = FilingCall.objects.filter(unit=unit, kind=kind, year=year).first()
    if existing is not None:
        raise FederationError(
            _(
                "本单位已下达%(year)s年的%(kind)s报送任务“%(title)s”（%(due)s截止），不必重复下达；"
                "如需调整截止日期或说明，请在该任务中修改。"
            )
            % {"year": year, "kind": CallKind(kind).label, "title": existing.title, "due": written_date(existing.due)},
            field="kind",
        )


def call_issue(
    *,
    unit,
    kind: str,
    year: int,
    title: str,
    due: datetime.date,
    by,
    today: datetime.date,
    instructions: str = "",
    fields: list[FieldSpec] = (),
) -> FilingCall:
    """Ask every unit directly below ``unit`` to file something by ``due``; their officers are told.
    A deadline before ``today`` is refused: every unit would be late the moment it is asked."""
    _check_due(due, today=today, year=year)
    if kind == CallKind.REPORT and not fields:
        raise FederationError(_("报表至少要有一个栏目。"))
    unknown = [f.metric for f in fields if f.metric and f.metric not in metrics()]
    if unknown:
        raise FederationError(_("没有这项统计数据：%(key)s") % {"key": unknown[0]})
    with transaction.atomic():
        if kind != CallKind.REPORT:
            # Under the unit's row lock, so that two officers issuing the same call at once get one.
            OrgUnit.objects.select_for_update().only("pk").get(pk=unit.pk)
            _refuse_second_call(unit, kind, year)
        call = FilingCall.objects.create(
            unit=unit, kind=kind, year=year, title=title, due=due, created_by=by, instructions=instructions
        )
        ReportField.objects.bulk_create(
            ReportField(call=call, order=i, label=f.label, metric=f.metric, measure=f.measure)
            for i, f in enumerate(fields, start=1)
        )
        units = machine.units_called(call)
        text = gettext_lazy("%(unit)s下达：%(title)s，请于%(due)s前报送。")
        params = {"unit": unit.name, "title": title, "due": written_date(due)}
        url = reverse("federation:call", args=[call.pk])
        for users in officers_of(u.pk for u in units).values():
            for user in users:
                notify(user, text=text, params=params, url=url, kind="federation.call")
    return call


def call_move_deadline(*, call, due: datetime.date, by, today: datetime.date) -> FilingCall:
    """The parent moves a call's deadline; filings keep their copy in step, and units not yet done
    will be reminded of the new date (reminders are kept per deadline). It cannot move to a day before
    ``today``; a deadline already passed and sent back as it was is left alone, not refused."""
    if due != call.due:
        _check_due(due, today=today, year=call.year)
    with transaction.atomic():
        call.due = due
        call.save(update_fields=["due"])
        Filing.objects.filter(call=call).update(due=due)
    return call


def call_revise(*, call, title: str, instructions: str, by) -> bool:
    """The parent corrects a call's title or instructions (a typo, a requirement left out) without taking it
    back, whoever has filed. Report filings carry the call's title and keep it in step; the officers asked
    are told, since they may have read the old text. Returns whether anything changed."""
    title, instructions = title.strip(), instructions.strip()
    if not title:
        raise FederationError(_("请填写任务的标题。"))
    with transaction.atomic():
        call = FilingCall.objects.select_for_update().select_related("unit").filter(pk=call.pk).first()
        if call is None:
            raise FederationError(_("这项任务已经撤回。"))
        if (call.title, call.instructions) == (title, instructions):
            return False
        call.title, call.instructions = title, instructions
        call.save(update_fields=["title", "instructions"])
        Filing.objects.filter(call=call, kind=CallKind.REPORT).update(title=title)
        text = gettext_lazy("%(unit)s修改了任务“%(title)s”的标题或说明，请查看。")
        params = {"unit": call.unit.name, "title": title}
        url = reverse("federation:call", args=[call.pk])
        for users in officers_of(u.pk for u in machine.units_called(call)).values():
            for user in users:
                notify(user, text=text, params=params, url=url, kind="federation.call")
    return True


def call_withdraw(*, call, by, reason: str) -> None:
    """Take back a call issued by mistake (the wrong year, the wrong units, a title to issue again), while no
    unit below has filed or saved anything for it: it goes, with its deadline reminders and its to-dos, and
    the officers who were asked are told why. Once a unit has, its filing is kept, and the deadline moves
    instead. Under the call's row lock: a filing being saved for it meanwhile holds the row, and is seen."""
    reason = reason.strip()
    if not reason:
        raise FederationError(_("撤回任务时请写明原因。"), field="reason")
    with transaction.atomic():
        call = FilingCall.objects.select_for_update().select_related("unit").get(pk=call.pk)
        if Filing.objects.filter(call=call).exists():
            raise FederationError(_("已有单位按这项任务报送或保存了草稿，不能撤回；如需调整，请修改截止日期。"))
        units = machine.units_called(call)
        text = gettext_lazy("%(unit)s撤回了任务“%(title)s”：%(reason)s")
        params = {"unit": call.unit.name, "title": call.title, "reason": reason}
        for users in officers_of(u.pk for u in units).values():
            for user in users:
                notify(user, text=text, params=params, url=reverse("federation:index"), kind="federation.call")
        call.delete()


# --- report calls --------------------------------------------------------------------------------


def report_prefill(call, unit) -> dict[str, str]:
    """Each field's value from the unit's own data where it has a metric; typed fields start empty."""
    values = {}
    for field in call.fields.all():
        if field.metric:
            value = metric_value(field.metric, unit=unit, year=call.year)
            values[field.key] = "" if value is None else _plain(value)
        else:
            values[field.key] = ""
    return values


def _plain(value: Decimal) -> str:
    value = Decimal(value).quantize(Decimal("0.01"))
    return str(value.normalize()) if value != value.to_integral_value() else str(int(value))


def report_values(call, unit) -> tuple[dict[str, str], Filing | None]:
    """What the unit's form shows: its saved draft or filing, else the prefilled figures."""
    filing = Filing.objects.filter(call=call, unit=unit).first()
    if filing is not None and filing.data:
        return dict(filing.data), filing
    return report_prefill(call, unit), filing


def _asked(call, unit):
    """Refuse a unit the call does not ask (the pages and the API reach a call only from such a unit; a
    command or a future caller must not file for another)."""
    if not call.addresses(unit):
        raise machine.FilingError(_("“%(call)s”没有要求%(unit)s报送。") % {"call": call.title, "unit": unit.name})


def report_submit(*, call, unit, values: dict[str, str], by, submit: bool = True, now=None) -> Filing:
    """Save the unit's figures, and file them (again, after a return) when ``submit``."""
    _asked(call, unit)
    keys = {f.key for f in call.fields.all()}
    data = {key: str(values.get(key, "")).strip() for key in keys}
    filing = machine.filing_for(kind=CallKind.REPORT, unit=unit, title=call.title, call=call)
    if not submit:
        return machine.filing_save(filing=filing, data=data)
    return machine.filing_file(filing=filing, by=by, data=data, now=now)


def record_for(call, unit):
    """The unit's plan or year-end summary that ``call`` (of either kind) asks for, or None."""
    from plans.models import Plan, YearSummary

    if call.kind == CallKind.PLAN:
        return Plan.objects.filter(unit=unit, year=call.year).prefetch_related("sections", "targets", "items").first()
    return YearSummary.objects.filter(unit=unit, year=call.year).first()


def calls_for_record(unit, kind, year) -> list[tuple[FilingCall, Filing | None]]:
    """The calls of ``kind`` for ``year`` that ask ``unit`` (its plan or summary), each with the unit's
    filing so far: what the record's own page says about handing it in."""
    calls = list(FilingCall.objects.addressed_to([unit]).filter(kind=kind, year=year).select_related("unit"))
    filings = {f.call_id: f for f in Filing.objects.filter(call__in=calls, unit=unit)}
    return [(call, filings.get(call.pk)) for call in calls]


@transaction.atomic
def record_file(*, call, unit, by, now=None) -> Filing:
    """File the unit's plan or summary for ``call``, as it stands now (a snapshot kept as the filing's
    version). All or nothing: a refused filing leaves no draft behind."""
    _asked(call, unit)
    record = record_for(call, unit)
    if record is None:
        raise machine.FilingError(_("还没有可以报送的内容。"))
    snapshot = plan_snapshot(record) if call.kind == CallKind.PLAN else summary_snapshot(record)
    title = snapshot_title(call.kind, record)
    filing = machine.filing_for(kind=call.kind, unit=unit, title=title, call=call)
    return machine.filing_file(filing=filing, by=by, data=snapshot, title=title, now=now)


@dataclass(frozen=True)
class ReportRow:
    unit: OrgUnit
    state: str  # a UnitState value
    cells: list  # a number per field, or the text typed, or "" before the unit submits

    def sheet_row(self):
        return [self.unit.name, UnitState(self.state).label, *self.cells]


def report_table(call, *, today) -> tuple[list[ReportField], list[ReportRow], list]:
    """One row per unit called (blank until it submits), and the totals of each field; a rate has no
    total (two schools at 92.9% and 87.6% are not at 180.5%), its cell left empty."""
    fields = list(call.fields.all())
    states = machine.call_states(call, today=today)
    rows = []
    totals = [Decimal(0)] * len(fields)
    rates = {index for index, field in enumerate(fields) if field.measure.strip() in PERCENT_MEASURES}
    for entry in states:
        submitted = entry.filing is not None and entry.filing.status in (FilingStatus.FILED, FilingStatus.ACCEPTED)
        data = _filed_data(entry.filing) if submitted else {}
        cells = []
        for index, field in enumerate(fields):
            number = _number(data.get(field.key, ""))
            if number is not None:
                totals[index] += number
            cells.append(_as_cell(number) if number is not None else data.get(field.key, ""))
        rows.append(ReportRow(entry.unit, entry.state, cells))
    return fields, rows, ["" if index in rates else _as_cell(total) for index, total in enumerate(totals)]


def _filed_data(filing):
    """The figures as last filed (a draft being revised after a return is not counted)."""
    latest = filing.versions.order_by("-number").first()
    return latest.data if latest else {}


def _number(text):
    try:
        return Decimal(str(text).replace(",", "").strip()) if str(text).strip() else None
    except ArithmeticError:
        return None


def _as_cell(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class Reminded:
    told: int  # units whose officers were told now
    unreachable: list  # units not submitted that have no officer's account to tell
    reachable: int = 0  # units not submitted that have one (told now, or already today)


def report_remind(*, call, by, today) -> Reminded:
    """Remind the officers of every unit that has not submitted. A unit without an officer's account is
    told nothing and counted apart, for the reviewer to reach it another way."""
    waiting = [e.unit for e in machine.call_states(call, today=today) if e.state not in _DONE]
    officers = officers_of(u.pk for u in waiting)
    reachable = [u for u in waiting if officers.get(u.pk)]
    unreachable = [u for u in waiting if not officers.get(u.pk)]
    told = _remind(call, reachable, today=today, manual=True, officers=officers)
    return Reminded(told, unreachable, reachable=len(reachable))


_DONE = {UnitState.FILED, UnitState.ACCEPTED}


# --- reminders -----------------------------------------------------------------------------------


def _remind(call, units, *, today, manual, officers=None) -> int:
    """Tell each unit's officers about ``call``'s deadline, at most once per unit and day (manual) or
    once per deadline (the job). Returns the number of units told now."""
    if officers is None:
        officers = officers_of(u.pk for u in units)
    url = reverse("federation:call", args=[call.pk])
    text = gettext_lazy("提醒：%(title)s将于%(due)s截止，请及时报送。")
    params = {"title": call.title, "due": written_date(call.due)}
    told = 0
    for unit in units:
        already = ReminderSent.objects.filter(call=call, unit=unit, due=call.due, manual=manual)
        if (already.filter(sent_on=today) if manual else already).exists():
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(call=call, unit=unit, due=call.due, sent_on=today, manual=manual)
                for user in officers.get(unit.pk, []):
                    notify(user, text=text, params=params, url=url, kind="federation.reminder")
        except IntegrityError:  # a second run at the same moment got there first
            continue
        told += 1
    return told


def send_deadline_reminders(*, today: datetime.date, workdays: int = REMINDER_WORKDAYS) -> int:
    """Remind the units that have not filed of every call due within ``workdays`` working days.

    Idempotent: each unit is reminded once per deadline, however often the job runs (a deadline
    moved later is reminded again). Returns the number of units reminded by this run.
    """
    horizon = calendar.add_workdays(today, workdays)
    told = 0
    for call in FilingCall.objects.filter(due__gte=today, due__lte=horizon).select_related("unit"):
        waiting = [e.unit for e in machine.call_states(call, today=today) if e.state not in _DONE]
        told += _remind(call, waiting, today=today, manual=False)
    return told


# --- targets handed down ----------------------------------------------------------------------------


def share_problem(target, value) -> str:
    """Why ``value`` cannot be a unit's share of ``target`` (the default or one unit's own), or ""."""
    if value < 0:
        return _("分解值不能小于 0。")
    if target.is_percentage and value > 100:
        return _("这是百分比目标，分解值不能大于 100。")
    return ""


def target_hand_down(*, target, default_value, shares: dict[int, Decimal] | None = None) -> HandedDownTarget:
    """Hand the federation's own ``target`` down to every unit directly below it, with ``default_value``
    for every unit without a share of its own.

    ``shares`` are the units' own shares, replacing those set before (a share equal to the default is no
    share of its own: the unit follows the default). Without ``shares`` (the target handed down again, with
    a new default) the shares set unit by unit are kept: they were agreed with each unit, and a new default
    is for the units that have none. Units that already have a plan for the year get the target in it now;
    plans created later get it when they are created (federation.signals).
    """
    problem = share_problem(target, default_value)
    if problem:
        raise FederationError(problem, field="default_value")
    if shares is not None:
        for unit_id, value in shares.items():
            problem = share_problem(target, value)
            if problem:
                raise FederationError(problem, field=f"share-{unit_id}")
        shares = {unit_id: value for unit_id, value in shares.items() if value != default_value}
    plan = target.plan
    with transaction.atomic():
        handed, _created = HandedDownTarget.objects.update_or_create(
            target=target, defaults={"unit": plan.unit, "default_value": default_value}
        )
        if shares is not None:
            handed.shares.exclude(unit_id__in=list(shares)).delete()
            for unit_id, value in shares.items():
                TargetShare.objects.update_or_create(handed_down=handed, unit_id=unit_id, defaults={"value": value})
        from plans.models import Plan

        children = OrgUnit.objects.filter(depth=plan.unit.depth + 1).in_subtree(plan.unit)
        for child_plan in Plan.objects.filter(unit__in=children, year=plan.year):
            copy_handed_down_targets(child_plan, only=[handed])
    return handed


def share_for(handed, unit_id) -> Decimal:
    share = next((s for s in handed.shares.all() if s.unit_id == unit_id), None)
    return share.value if share else handed.default_value


def copy_handed_down_targets(plan, *, only=None) -> int:
    """Put every target handed down to ``plan``'s unit for its year into the plan (or update its value)."""
    from plans.models import Target

    parent = OrgUnit.objects.get_parent(plan.unit)
    if parent is None:
        return 0
    handed = only or list(
        HandedDownTarget.objects.filter(unit=parent, target__plan__year=plan.year)
        .select_related("target")
        .prefetch_related("shares")
    )
    count = 0
    for hd in handed:
        source = hd.target
        Target.objects.update_or_create(
            plan=plan,
            handed_down_from=source,
            defaults={
                "name": source.name,
                "measure": source.measure,
                "op": source.op,
                "metric": source.metric,
                "value": share_for(hd, plan.unit_id),
                "order": source.order,
                "note": _("%(unit)s下达") % {"unit": parent.name},
            },
        )
        count += 1
    return count


def roll_up_typed_actuals(source_target) -> None:
    """A typed (not live) handed-down target: the federation's own actual is the sum of the units'."""
    from plans.models import Target

    if source_target.metric:
        return  # a live figure over the federation's subtree already counts every unit below
    total = Target.objects.filter(handed_down_from=source_target).aggregate(total=Sum("actual_manual"))["total"]
    Target.objects.filter(pk=source_target.pk).update(actual_manual=total)


@dataclass(frozen=True)
class ShareRow:
    unit: OrgUnit
    value: Decimal
    actual: Decimal | None
    has_plan: bool
    own: bool = False  # the unit has a share of its own, not the default

    @property
    def met(self):
        return self.actual is not None and self.actual >= self.value


def target_rows(handed, *, today=None) -> list[ShareRow]:
    """Each unit's share and actual: typed in the unit's copy, or the live metric of its subtree
    (grouped queries for the metrics federation.figures computes, unit by unit for the others)."""
    from federation.figures import metric_by_unit
    from plans.models import Target

    source = handed.target
    year = source.plan.year
    children = list(
        OrgUnit.objects.filter(depth=handed.unit.depth + 1, is_active=True).in_subtree(handed.unit).order_by("path")
    )
    copies = {t.plan.unit_id: t for t in Target.objects.filter(handed_down_from=source).select_related("plan")}
    shares = {s.unit_id: s.value for s in handed.shares.all()}
    live = None
    if source.metric:
        live = metric_by_unit(handed.unit, source.metric, year, today=today or timezone.localdate(), children=children)
    rows = []
    for unit in children:
        copy = copies.get(unit.pk)
        if not source.metric:
            actual = copy.actual_manual if copy else None
        elif live is not None:
            actual = live[unit.pk]
        else:
            actual = metric_value(source.metric, unit=unit, year=year)
        own = unit.pk in shares
        rows.append(ShareRow(unit, shares.get(unit.pk, handed.default_value), actual, copy is not None, own))
    return rows


# --- API tokens -----------------------------------------------------------------------------------


def api_token_create(*, user, scope: str, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with the raw value, which is shown once and never stored."""
    raw = ApiToken.new_raw()
    name = (name or _("API 令牌 %(date)s") % {"date": timezone.localdate().isoformat()}).strip()[:60]
    taken = FederationError(_("已有同名的有效令牌“%(name)s”，请换一个名称。") % {"name": name})
    if ApiToken.objects.active().filter(user=user, name=name).exists():
        raise taken
    with once(taken):  # the same form sent twice at once (a double tap) both passed the check above
        token = ApiToken.objects.create(user=user, name=name, scope=scope, token_hash=hash_token(raw), hint=raw[-4:])
    return token, raw


def api_token_revoke(*, user, name: str, now=None) -> int:
    """Revoke the user's active token(s) called ``name``; returns how many were revoked."""
    return ApiToken.objects.active().filter(user=user, name=name).update(revoked_at=now or timezone.now())
