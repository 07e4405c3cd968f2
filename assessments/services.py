"""Workflows of assessments: schemes from templates, rounds, self-checks, review, closing a round."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import rules
from assessments.models import (
    CheckStatus,
    Criterion,
    Evidence,
    Objection,
    Round,
    RoundStatus,
    Scheme,
    Score,
    SelfCheck,
    Visit,
)
from assessments.scheme_templates import TEMPLATES
from core.calendar import add_workdays, years_later
from core.errors import Refusal
from core.language import site_language, written_date
from core.notifications import notify
from orgs.access import EVERYTHING, has_permission, scope_paths
from orgs.models import RoleAssignment
from orgs.roles import roles_with


class AssessmentError(Refusal):
    """A step that cannot be taken; ``str(error)`` is the translated reason for the page."""


# --- schemes -----------------------------------------------------------------------------------


@transaction.atomic
def scheme_create(*, unit, template: str = "", title: str = "", description: str = "") -> Scheme:
    """A new scheme of ``unit``: a template's title and criteria when one is chosen, else an empty one
    to fill in criterion by criterion."""
    if template:
        return scheme_from_template(unit=unit, key=template)
    return Scheme.objects.create(unit=unit, title=title, description=description)


@transaction.atomic
def scheme_from_template(*, unit, key: str) -> Scheme:
    """The template's scheme with all its criteria, or nothing at all."""
    template = TEMPLATES.get(key)
    if template is None:
        raise AssessmentError(_("没有这个模板。"))
    scheme = Scheme.objects.create(
        unit=unit, title=str(template.title), description=str(template.description), template_key=key
    )
    Criterion.objects.bulk_create(
        Criterion(
            scheme=scheme,
            order=number,
            group=str(c.group),
            title=str(c.title),
            points=Decimal(c.points),
            evidence=str(c.evidence),
            rule=c.rule,
            metric=c.metric,
            threshold=None if c.threshold is None else Decimal(c.threshold),
        )
        for number, c in enumerate(template.criteria, start=1)
    )
    return scheme


def _lock_unused_scheme(scheme_id) -> Scheme:
    """The scheme's row, locked, if no round uses it yet: every self-check of a round scores the same lines."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme_id)
    if scheme.rounds.exists():
        raise AssessmentError(_("考核方案已用于评比，考核细则不能再改动。"))
    return scheme


def criterion_save(*, criterion: Criterion) -> Criterion:
    """Add or change a line of a scheme no round uses yet. Under the scheme's row lock, which opening a
    round takes too: a line changed while a round opens would score its self-checks differently."""
    with transaction.atomic():
        _lock_unused_scheme(criterion.scheme_id)
        criterion.save()
    return criterion


def criterion_delete(*, criterion: Criterion) -> None:
    with transaction.atomic():
        _lock_unused_scheme(criterion.scheme_id)
        criterion.delete()


# --- rounds and self-checks ---------------------------------------------------------------------

PUBLICITY_MAX_WORKDAYS = 30
AWARD_MAX_YEARS = 10  # a title is held for a few years (3 is usual); 2026 typed here would be held for ever
FIRST_YEAR = 2000


@transaction.atomic
def round_open(
    *,
    scheme,
    unit,
    year: int,
    title: str,
    deadline,
    award_title: str,
    award_years: int,
    award_min_score: Decimal,
    invited=(),
    publicity_workdays: int = 5,
) -> Round:
    # The scheme's lines stay as they are while the round's self-checks are made (criterion_save).
    Scheme.objects.select_for_update().get(pk=scheme.pk)
    if not scheme.criteria.exists():
        raise AssessmentError(_("考核方案还没有考核细则，请先添加。"))
    _check_terms(scheme, award_min_score, award_years, publicity_workdays, year=year)
    round_ = Round.objects.create(
        scheme=scheme,
        unit=unit,
        year=year,
        title=title,
        deadline=deadline,
        award_title=award_title,
        award_years=award_years,
        award_min_score=award_min_score,
        publicity_workdays=publicity_workdays,
    )
    round_.invited.set(invited)
    _invite(round_, invited)
    return round_


ROUND_TERMS = ("year", "title", "deadline", "award_title", "award_years", "award_min_score", "publicity_workdays")


@transaction.atomic
def round_update(*, round, invited=(), **terms) -> Round:
    """Correct an open round's terms (ROUND_TERMS): a deadline put off, a title mistyped. Units may be
    invited in addition, never dropped (their self-check may be under way). A moved deadline is told to
    every unit whose self-check is not yet submitted."""
    round_ = Round.objects.select_for_update().select_related("scheme", "unit").get(pk=round.pk)
    if not round_.is_open:
        raise AssessmentError(_("评比结果已经公示或评比已经结束，不能再修改。"))
    _check_terms(
        round_.scheme, terms["award_min_score"], terms["award_years"], terms["publicity_workdays"], year=terms["year"]
    )
    moved = terms["deadline"] != round_.deadline
    changed = [name for name in ROUND_TERMS if getattr(round_, name) != terms[name]]
    for name in changed:
        setattr(round_, name, terms[name])
    if changed:
        round_.save(update_fields=changed)
    already = set(round_.invited.values_list("pk", flat=True))
    added = [unit for unit in invited if unit.pk not in already]
    round_.invited.add(*added)
    _invite(round_, added)
    if moved:
        url = reverse("assessments:round", args=[round_.pk])
        drafts = round_.checks.filter(status=CheckStatus.DRAFT).exclude(unit__in=added).select_related("unit")
        for check in drafts:
            _tell(
                check.unit,
                "assessments.manage",
                text=gettext_lazy("“%(title)s”的自评截止日期改为%(due)s。"),
                params={"title": round_.title, "due": written_date(round_.deadline)},
                url=url,
                kind="assessments.deadline_moved",
            )
    return round_


def latest_year(today=None) -> int:
    """The latest year a round may assess: this one, or the next when it is organised ahead."""
    return (today or timezone.localdate()).year + 1


def _check_terms(scheme, award_min_score, award_years, publicity_workdays, *, year):
    # The form says so on its fields; checked again here under the lock, against the lines as they are now.
    # A year such as 20266 was taken, and the rules reading the record then failed on dates past 9999.
    if not FIRST_YEAR <= year <= latest_year():
        raise AssessmentError(
            _("年度应在%(first)s到%(latest)s年之间。") % {"first": FIRST_YEAR, "latest": latest_year()}, field="year"
        )
    most = scheme.total_points()
    if not (0 <= award_min_score <= most):
        raise AssessmentError(_("最低得分应在0到%(total)s分之间。") % {"total": most})
    if not 1 <= award_years <= AWARD_MAX_YEARS:
        raise AssessmentError(_("称号有效期应为1到%(most)s年。") % {"most": AWARD_MAX_YEARS}, field="award_years")
    if not 1 <= publicity_workdays <= PUBLICITY_MAX_WORKDAYS:
        raise AssessmentError(_("公示期应为1到%(most)s个工作日。") % {"most": PUBLICITY_MAX_WORKDAYS})


def _invite(round_, units):
    for invited_unit in units:
        check = selfcheck_start(round=round_, unit=invited_unit)
        _tell(
            invited_unit,
            "assessments.manage",
            text=gettext_lazy("%(unit)s发起了“%(title)s”，请在%(due)s前完成自评。"),
            params={"unit": round_.unit.name, "title": round_.title, "due": written_date(round_.deadline)},
            url=reverse("assessments:check", args=[check.pk]),
            kind="assessments.invited",
        )


def _below(round_, unit) -> bool:
    return unit.path.startswith(round_.unit.path) and unit.pk != round_.unit_id


@transaction.atomic
def selfcheck_start(*, round, unit) -> SelfCheck:
    """The unit's self-check in ``round`` (opened now if it was not), one score row per criterion."""
    if not round.is_open:
        raise AssessmentError(_("本次考核评比已经结束。"))
    if not _below(round, unit):
        raise AssessmentError(_("只有%(unit)s的下级单位可以参加。") % {"unit": round.unit.name})
    check, created = SelfCheck.objects.get_or_create(round=round, unit=unit)
    if created:
        Score.objects.bulk_create(Score(selfcheck=check, criterion=c) for c in round.scheme.criteria.all())
    return check


@dataclass(frozen=True)
class Line:
    """One criterion of a self-check as the page shows it."""

    score: Score
    criterion: Criterion
    by_rule: bool  # a rule scores it (the unit cannot)
    claimed: Decimal | None  # the rule's score (live while a draft) or the unit's own
    value: str  # what the record holds
    evidence: list  # [(label, url)]

    @property
    def final(self):
        return self.score.final()


def lines(check) -> list[Line]:
    """Every criterion of ``check``: a draft's rules read the record now, a submitted one's are frozen."""
    found = []
    scores = check.scores.select_related("criterion").order_by("criterion__order", "criterion_id")
    for score in scores:
        criterion = score.criterion
        by_rule = bool(rules.get(criterion.rule))
        if check.is_draft and by_rule:
            outcome = rules.outcome_for(criterion, unit=check.unit, year=check.round.year)
            claimed = rules.points_for(criterion, outcome)
            if claimed is None:  # the record cannot say: the unit scores it itself
                found.append(Line(score, criterion, False, score.claimed, outcome.value, outcome.evidence))
            else:
                found.append(Line(score, criterion, True, claimed, outcome.value, outcome.evidence))
        else:
            found.append(
                Line(
                    score,
                    criterion,
                    by_rule and score.rule_value != "",
                    score.claimed,
                    score.rule_value,
                    [tuple(e) for e in score.rule_evidence],
                )
            )
    return found


def total(values) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


# What a self-check's texts may hold: a note per criterion, the unit's summary, a reviewer's reason
# (the reason column's length); longer is refused with the input kept, never cut short unseen.
NOTE_MAX, SUMMARY_MAX, REASON_MAX, OBJECTION_MAX = 2000, 5000, 300, 1000


def _draft_to_change(check, *, submitted_message) -> SelfCheck:
    """``check`` locked, while the unit may still change it: a draft in a round still open.

    The page's copy may have been read before another officer of the unit submitted it (or the
    round closed); under the row's lock the status is the one submission left, so nothing is
    written into a self-check whose scores and total were sent up for review."""
    check = SelfCheck.objects.select_for_update().select_related("round").get(pk=check.pk)
    if not check.is_draft:
        raise AssessmentError(submitted_message)
    if not check.round.is_open:
        raise AssessmentError(_("本次考核评比已经结束。"))
    return check


@transaction.atomic
def selfcheck_save(*, check, scores: dict[int, Decimal | None], notes: dict[int, str], summary: str) -> SelfCheck:
    """Store the unit's own scores (criteria a rule cannot score) and notes; rules' scores stay theirs."""
    check = _draft_to_change(check, submitted_message=_("自评已经提交，不能再修改。"))
    for score in check.scores.select_related("criterion"):
        value = scores.get(score.criterion_id)
        if value is not None and not (0 <= value <= score.criterion.points):
            raise AssessmentError(
                _("“%(title)s”的自评分应在0到%(points)s分之间。")
                % {"title": score.criterion.title, "points": score.criterion.points}
            )
        _check_one_decimal(value, score.criterion.title)
        score.claimed = value
        score.note = notes.get(score.criterion_id, "")
        if len(score.note) > NOTE_MAX:
            raise AssessmentError(
                _("“%(title)s”的说明不能超过%(max)s字。") % {"title": score.criterion.title, "max": NOTE_MAX}
            )
        score.save(update_fields=["claimed", "note"])
    if len(summary) > SUMMARY_MAX:
        raise AssessmentError(_("自评说明不能超过%(max)s字。") % {"max": SUMMARY_MAX})
    check.summary = summary
    check.save(update_fields=["summary"])
    return check


@transaction.atomic
def selfcheck_submit(*, check, by, now=None) -> SelfCheck:
    """Freeze the rules' scores with their evidence, and send the self-check up for review."""
    check = SelfCheck.objects.select_for_update().select_related("round__unit", "unit").get(pk=check.pk)
    if not check.is_draft:
        raise AssessmentError(_("自评已经提交。"))
    if not check.round.is_open:
        raise AssessmentError(_("本次考核评比已经结束。"))
    with site_language():  # what the record says is frozen here and read by the reviewer above
        current = lines(check)
    missing = [line.criterion.title for line in current if line.claimed is None]
    if missing:
        raise AssessmentError(_("请先给这些细则打分：%(titles)s") % {"titles": _("、").join(missing[:5])})
    for line in current:
        if line.by_rule:
            line.score.claimed = line.claimed
            line.score.rule_value = line.value[:200]
            line.score.rule_evidence = [list(e) for e in line.evidence]
            line.score.save(update_fields=["claimed", "rule_value", "rule_evidence"])
    check.status = CheckStatus.SUBMITTED
    check.submitted_at = now or timezone.now()
    check.submitted_by = by
    check.self_total = total(line.claimed for line in current)
    check.save()
    _tell(
        check.round.unit,
        "assessments.review",
        text=gettext_lazy("%(unit)s提交了“%(title)s”的自评，请审核。"),
        params={"unit": check.unit.name, "title": check.round.title},
        url=reverse("assessments:review", args=[check.pk]),
        kind="assessments.submitted",
    )
    return check


@transaction.atomic
def evidence_add(*, check, by, criterion=None, text: str = "", file=None) -> Evidence:
    check = _draft_to_change(check, submitted_message=_("自评已经提交，不能再添加佐证材料。"))
    if not text.strip() and not file:
        raise AssessmentError(_("请填写文字说明或选择文件。"))
    return Evidence.objects.create(
        unit=check.unit, selfcheck=check, criterion=criterion, text=text, file=file, added_by=by
    )


# --- review ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    agreed: bool
    score: Decimal | None = None
    reason: str = ""


@transaction.atomic
def selfcheck_review(*, check, by, decisions: dict[int, Decision], now=None) -> SelfCheck:
    """The parent agrees with each criterion's score or adjusts it, giving a reason; then the total."""
    check = SelfCheck.objects.select_for_update().select_related("round", "unit").get(pk=check.pk)
    if check.status != CheckStatus.SUBMITTED:
        raise AssessmentError(_("只能审核已提交的自评。"))
    if not check.round.is_open:
        raise AssessmentError(_("本次考核评比已经结束。"))
    scores = list(check.scores.select_related("criterion"))
    for score in scores:
        _apply(score, decisions.get(score.criterion_id))
    Score.objects.bulk_update(scores, ["agreed", "reviewed", "reason"])
    check.status = CheckStatus.REVIEWED
    check.reviewed_at = now or timezone.now()
    check.reviewed_by = by
    check.total = total(s.final() for s in scores)
    check.save()
    _tell(
        check.unit,
        "assessments.manage",
        text=gettext_lazy("“%(title)s”的自评已审核，得分%(total)s。"),
        params={"title": check.round.title, "total": check.total},
        url=reverse("assessments:check", args=[check.pk]),
        kind="assessments.reviewed",
    )
    return check


def _check_one_decimal(value, title) -> None:
    """Scores are kept to one decimal (the columns' and the tables'): 6.25 would be stored as 6.2 unseen,
    and the total, summed before the rounding, would not be the sum of the lines the result shows."""
    if value is not None and value != value.quantize(Decimal("0.1")):
        raise AssessmentError(_("“%(title)s”的分数最多保留一位小数。") % {"title": title})


def _apply(score, decision):
    """One criterion's review: an adjustment needs a score within the points and a reason."""
    title = score.criterion.title
    if decision is None:
        raise AssessmentError(_("请审核“%(title)s”。") % {"title": title})
    if decision.agreed:
        score.agreed, score.reviewed, score.reason = True, None, ""
        return
    if decision.score is None or not (0 <= decision.score <= score.criterion.points):
        raise AssessmentError(
            _("“%(title)s”的审核分应在0到%(points)s分之间。") % {"title": title, "points": score.criterion.points}
        )
    _check_one_decimal(decision.score, title)
    reason = decision.reason.strip()
    if not reason:
        raise AssessmentError(_("调整“%(title)s”的分数，请写明理由。") % {"title": title})
    if len(reason) > REASON_MAX:
        raise AssessmentError(_("“%(title)s”的调整理由不能超过%(max)s字。") % {"title": title, "max": REASON_MAX})
    score.agreed, score.reviewed, score.reason = False, decision.score, reason


@transaction.atomic
def visit_add(*, check, visited_on: datetime.date, visitors: str, notes: str) -> Visit:
    """An inspection on site is part of the review: from submission until the review is done, in a
    round still open (the review page offers it only then; a page read before the review was done
    or the round closed must not add to a result already sent to the unit)."""
    check = SelfCheck.objects.select_for_update().select_related("round").get(pk=check.pk)
    if check.is_draft:
        raise AssessmentError(_("自评提交后才能登记实地检查。"))
    if check.status == CheckStatus.REVIEWED:
        raise AssessmentError(_("自评已经审核，不能再登记实地检查。"))
    if not check.round.is_open:
        raise AssessmentError(_("本次考核评比已经结束。"))
    return Visit.objects.create(unit=check.unit, selfcheck=check, visited_on=visited_on, visitors=visitors, notes=notes)


# --- closing a round --------------------------------------------------------------------------


def ranks(totals: list[Decimal]) -> list[int]:
    """Competition ranking of ``totals``: equal scores share a rank and the next rank skips (1, 1, 3)."""
    ordered = sorted(totals, reverse=True)
    return [ordered.index(value) + 1 for value in totals]


@transaction.atomic
def round_publicize(*, round, by, today: datetime.date) -> Round:
    """Rank the reviewed units and publish the result for the round's 公示 period: the units at or
    above the minimum are proposed for the title, conferred only when the period ends (round_close)."""
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if not round_.is_open:
        raise AssessmentError(_("本次考核评比的结果已经公示或已经结束。"))
    if round_.checks.filter(status=CheckStatus.SUBMITTED).exists():
        raise AssessmentError(_("还有已提交的自评没有审核。"))
    reviewed = list(round_.checks.filter(status=CheckStatus.REVIEWED).select_related("unit"))
    if not reviewed:
        raise AssessmentError(_("还没有审核过的自评，没有可以公示的结果。"))
    for check, rank in zip(reviewed, ranks([c.total for c in reviewed]), strict=True):
        check.rank = rank
    SelfCheck.objects.bulk_update(reviewed, ["rank"])
    round_.status = RoundStatus.PUBLICIZING
    round_.publicity_from = today
    round_.publicity_until = add_workdays(today, round_.publicity_workdays)
    round_.save(update_fields=["status", "publicity_from", "publicity_until"])
    url = reverse("assessments:round", args=[round_.pk])
    for check in reviewed:
        _tell(
            check.unit,
            "assessments.manage",
            text=gettext_lazy("“%(title)s”结果公示中：%(unit)s第%(rank)s名，公示至%(until)s；有异议请在公示期内提出。"),
            params={
                "title": round_.title,
                "unit": check.unit.name,
                "rank": check.rank,
                "until": written_date(round_.publicity_until),
            },
            url=url,
            kind="assessments.publicized",
        )
    return round_


@transaction.atomic
def objection_raise(*, round, text: str, by, unit, today: datetime.date, selfcheck=None) -> Objection:
    """An objection within the 公示 period, from an officer of ``unit``; the organizer is told."""
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if not round_.may_object(today):
        raise AssessmentError(_("现在不在公示期内，不能提出异议。"))
    text = text.strip()
    if not text:
        raise AssessmentError(_("请写明异议的内容和理由。"), field="text")
    if len(text) > OBJECTION_MAX:
        raise AssessmentError(_("异议不能超过%(max)s字。") % {"max": OBJECTION_MAX}, field="text")
    if selfcheck is not None and (selfcheck.round_id != round_.pk or selfcheck.rank is None):
        raise AssessmentError(_("请从公示的名单中选择单位。"), field="selfcheck")
    objection = Objection.objects.create(
        round=round_, selfcheck=selfcheck, text=text, raised_by=by, raised_unit=unit, received_on=today
    )
    _tell(
        round_.unit,
        "assessments.review",
        text=gettext_lazy("“%(title)s”的结果公示收到%(unit)s的异议，请答复。"),
        params={"title": round_.title, "unit": unit.name},
        url=reverse("assessments:round", args=[round_.pk]),
        kind="assessments.objection",
    )
    return objection


@transaction.atomic
def objection_answer(*, objection, answer: str, upheld: bool, by, today: datetime.date) -> Objection:
    """The organizer's answer. An upheld objection withdraws the published result: the round goes back
    to review (the unit objected about back to 待审核) and is published again after correction."""
    # The round first, as objection_raise and round_close take it.
    round_ = Round.objects.select_for_update().get(pk=objection.round_id)
    objection = Objection.objects.select_for_update(of=("self",)).select_related("raised_unit").get(pk=objection.pk)
    if objection.is_answered:
        raise AssessmentError(_("这条异议已经答复过了。"))
    if not round_.is_publicizing:
        raise AssessmentError(_("本次考核评比不在公示期，异议已随结果处理。"))
    answer = answer.strip()
    if not answer:
        raise AssessmentError(_("请填写答复内容。"), field="answer")
    if len(answer) > OBJECTION_MAX:
        raise AssessmentError(_("答复不能超过%(max)s字。") % {"max": OBJECTION_MAX}, field="answer")
    objection.answer, objection.upheld, objection.answered_on = answer, upheld, today
    objection.save(update_fields=["answer", "upheld", "answered_on"])
    if upheld:
        _withdraw_result(round_, objection)
    if objection.raised_unit is not None:
        _tell(
            objection.raised_unit,
            "assessments.manage",
            text=gettext_lazy("您对“%(title)s”结果公示提出的异议已答复：%(verdict)s。"),
            params={"title": round_.title, "verdict": _verdict(upheld)},
            url=reverse("assessments:round", args=[round_.pk]),
            kind="assessments.objection_answered",
        )
    return objection


def _verdict(upheld):
    return gettext_lazy("异议成立，结果撤回重新审核") if upheld else gettext_lazy("异议不成立")


def _withdraw_result(round_, objection):
    # The unit objected about goes back to review; an objection to the whole result, every unit ranked
    # (else the round reopened with nothing the reviewer could correct, only the same result to publish).
    to_review = (
        round_.checks.filter(pk=objection.selfcheck_id)
        if objection.selfcheck_id
        else round_.checks.filter(rank__isnull=False)
    )
    to_review.update(status=CheckStatus.SUBMITTED, reviewed_at=None, reviewed_by=None)
    round_.checks.update(rank=None)
    # The other objections of the withdrawn result are settled with it.
    round_.objections.filter(answered_on__isnull=True).exclude(pk=objection.pk).update(
        answer=_("公示结果已因其他异议撤回，重新审核后另行公示。"), upheld=False, answered_on=objection.answered_on
    )
    round_.status = RoundStatus.OPEN
    round_.publicity_from = round_.publicity_until = None
    round_.save(update_fields=["status", "publicity_from", "publicity_until"])


@transaction.atomic
def round_close(*, round, by, today: datetime.date) -> Round:
    """After the 公示 period, with every objection answered: confer the title on the units at or above
    the minimum and tell every unit its final place."""
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if not round_.is_publicizing:
        raise AssessmentError(_("请先公示评比结果，公示期满后才能确认。"))
    if not round_.publicity_over(today):
        raise AssessmentError(
            _("公示期到%(until)s结束，期满后才能确认结果。") % {"until": written_date(round_.publicity_until)}
        )
    if round_.objections.filter(answered_on__isnull=True).exists():
        raise AssessmentError(_("还有未答复的异议，答复后才能确认结果。"))
    ranked = list(round_.checks.filter(rank__isnull=False).select_related("unit"))
    for check in ranked:
        if check.total >= round_.award_min_score:
            check.awarded_on = today
            check.expires_on = years_later(today, round_.award_years)
    SelfCheck.objects.bulk_update(ranked, ["awarded_on", "expires_on"])
    round_.status = RoundStatus.CLOSED
    round_.closed_on = today
    round_.save(update_fields=["status", "closed_on"])
    url = reverse("assessments:round", args=[round_.pk])
    for check in ranked:
        _tell(
            check.unit,
            "assessments.manage",
            text=gettext_lazy("“%(title)s”结果已公布：%(unit)s第%(rank)s名。"),
            params={"title": round_.title, "unit": check.unit.name, "rank": check.rank},
            url=url,
            kind="assessments.closed",
        )
    return round_


# --- the daily reminders ----------------------------------------------------------------------

REMINDER_WORKDAYS = 3
EXPIRY_WARNING_DAYS = 90


def send_reminders(*, today: datetime.date, workdays: int = REMINDER_WORKDAYS) -> int:
    """Tell units whose self-check is due within ``workdays`` working days, and the units whose title
    expires within 90 days (with the federation that awarded it, to re-assess). Each once: rerun freely."""
    told = 0
    horizon = add_workdays(today, workdays)
    due = SelfCheck.objects.filter(
        status=CheckStatus.DRAFT,
        round__status=RoundStatus.OPEN,
        round__deadline__gte=today,
        round__deadline__lte=horizon,
    ).exclude(reminded_deadline=F("round__deadline"))
    for check in due.select_related("round", "unit"):
        _tell(
            check.unit,
            "assessments.manage",
            text=gettext_lazy("提醒：“%(title)s”的自评将于%(due)s截止，请及时提交。"),
            params={"title": check.round.title, "due": written_date(check.round.deadline)},
            url=reverse("assessments:check", args=[check.pk]),
            kind="assessments.reminder",
        )
        SelfCheck.objects.filter(pk=check.pk).update(reminded_deadline=check.round.deadline)
        told += 1
    expiring = SelfCheck.objects.filter(
        expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    ).exclude(reminded_expiry=F("expires_on"))
    for check in expiring.select_related("round__unit", "unit"):
        values = {"unit": check.unit.name, "award": check.round.award_title, "date": written_date(check.expires_on)}
        url = reverse("assessments:titles")
        _tell(
            check.unit,
            "assessments.manage",
            text=gettext_lazy("“%(award)s”称号将于%(date)s到期，请准备重新考核"),
            params=values,
            url=url,
            kind="assessments.title_expiring",
        )
        _tell(
            check.round.unit,
            "assessments.review",
            text=gettext_lazy("%(unit)s的“%(award)s”称号将于%(date)s到期，安排重新考核"),
            params=values,
            url=reverse("assessments:round", args=[check.round_id]),
            kind="assessments.reassess",
        )
        SelfCheck.objects.filter(pk=check.pk).update(reminded_expiry=check.expires_on)
        told += 1
    return told


def _tell(unit, permission, *, text, params, url, kind):
    """Those holding ``permission`` on the unit itself (not every officer above it), each in their language."""
    assignments = RoleAssignment.objects.filter(unit=unit, role__in=roles_with(permission), user__is_active=True)
    for user in {a.user for a in assignments.select_related("user")}:
        notify(user, text=text, params=params, url=url, kind=kind)


def can_review(user, check) -> bool:
    return has_permission(user, "assessments.review", check.round.unit)


def can_manage(user, check) -> bool:
    """The self-check is the unit's own work: its own officers fill it in; officers above review it."""
    paths = scope_paths(user, "assessments.manage")
    return paths is EVERYTHING or check.unit.path in paths
