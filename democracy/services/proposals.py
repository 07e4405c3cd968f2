"""The one machine for proposals and suggestions: submit, co-sign, vet, route with a deadline in
working days, answer, rate (not satisfied reopens once), close; reminders and statistics."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar import add_workdays, workdays_between
from core.cleaning import without_controls
from core.language import written_date
from core.notifications import notify
from democracy.models import (
    Answer,
    CoSign,
    Kind,
    NumberSequence,
    Outcome,
    Proposal,
    ProposalStatus,
    Rating,
    Representative,
)
from democracy.models.proposals import ACCEPTED, OPEN_STATUSES, SATISFIED, largest_amount
from democracy.services import DemocracyError

SUGGESTION_WORKDAYS = 15
REMIND_WORKDAYS_BEFORE = 3


class Decision:
    ACCEPT = "accept"
    REJECT = "reject"
    TO_SUGGESTION = "to_suggestion"
    MERGE = "merge"


def is_representative(user, congress) -> bool:
    return Representative.objects.serving(timezone.localdate()).filter(congress=congress, member__user=user).exists()


def _locked(proposal) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("session__congress").get(pk=proposal.pk)


def _url(proposal):
    return reverse("democracy:proposal", args=[proposal.pk])


def _written(*, title: str, reasons: str, measures: str) -> dict[str, str]:
    """The three parts as stored, less stray spaces and control characters. Each is required, as the
    page's form requires it; checked here so that the API and every other caller meet the rule too."""
    texts = {
        "title": without_controls(title).strip(),
        "reasons": without_controls(reasons, lines=True).strip(),
        "measures": without_controls(measures, lines=True).strip(),
    }
    missing = [name for name, text in texts.items() if not text]
    if missing:
        labels = "、".join(str(Proposal._meta.get_field(name).verbose_name) for name in missing)
        raise DemocracyError(_("请填写%(fields)s。") % {"fields": labels}, field=missing[0])
    return texts


def _refuse_a_repeat(*, author, kind, texts, today):
    """Refuse the same text from the same person the same day (a double click, a resent form), which
    the committee then had no way to remove. Called in a transaction: the author's row is locked, so
    two requests at once are counted one after the other."""
    get_user_model().objects.select_for_update().filter(pk=author.pk).first()
    # One withdrawn (a mistake taken back) may be sent again.
    same = Proposal.objects.received().filter(author=author, kind=kind, submitted_on=today, **texts)
    if same.exists():
        raise DemocracyError(
            _("您今天已经提交过内容相同的%(kind)s，请勿重复提交：可以在“我的提案和建议”里找到它。")
            % {"kind": Kind(kind).label}
        )


def proposal_submit(*, session, author, title, reasons, measures, today) -> Proposal:
    """A representative's proposal, in the session's window; it then gathers co-signers."""
    texts = _written(title=title, reasons=reasons, measures=measures)
    with transaction.atomic():
        _refuse_a_repeat(author=author, kind=Kind.PROPOSAL, texts=texts, today=today)
        return _proposal_create(session=session, author=author, texts=texts, today=today)


def _proposal_create(*, session, author, texts, today) -> Proposal:
    """The proposal, if the window is open and its author a representative of the session's term."""
    if not session.window_open(today):
        raise DemocracyError(
            _("提案征集时间为%(start)s至%(end)s，现在不在征集期内，不能提交。")
            % {"start": written_date(session.proposals_open_on), "end": written_date(session.proposals_close_on)}
        )
    if not is_representative(author, session.congress):
        raise DemocracyError(_("只有本届代表可以提交提案；其他教职工可以提合理化建议。"))
    required = session.congress.cosigners_required
    return Proposal.objects.create(
        unit=session.unit,
        kind=Kind.PROPOSAL,
        session=session,
        author=author,
        **texts,
        status=ProposalStatus.COSIGNING if required else ProposalStatus.SUBMITTED,
        submitted_on=today,
    )


def suggestion_submit(*, unit, author, title, reasons, measures, today) -> Proposal:
    """A rationalization suggestion from any member, at any time."""
    texts = _written(title=title, reasons=reasons, measures=measures)
    with transaction.atomic():
        _refuse_a_repeat(author=author, kind=Kind.SUGGESTION, texts=texts, today=today)
        return Proposal.objects.create(
            unit=unit,
            kind=Kind.SUGGESTION,
            author=author,
            **texts,
            status=ProposalStatus.SUBMITTED,
            submitted_on=today,
        )


def may_withdraw(proposal, user) -> bool:
    """The author may take back an item nobody has acted on: still gathering co-signers, or waiting
    for the committee (not one it turned into a suggestion, which carries its decision)."""
    return (
        proposal.author_id == user.pk
        and proposal.status in (ProposalStatus.COSIGNING, ProposalStatus.SUBMITTED)
        and not proposal.vetting_reason
    )


def item_withdraw(*, proposal, by, today) -> Proposal:
    """The author withdraws an item not yet vetted (a duplicate, a mistake). It is kept as 已撤回, not
    removed: its co-signers put their names to it and the committee may have read it, so both still
    find it (the author and the committee; Proposal.objects.for_user). It had no number and no decision
    and is not counted as received. Its co-signers are told."""
    with transaction.atomic():
        proposal = _locked(proposal)
        if not may_withdraw(proposal, by):
            raise DemocracyError(_("只有提出人可以撤回，并且只能在审查之前撤回。"))
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.closed_on = today
        proposal.save(update_fields=["status", "closed_on"])
        params = {"kind": Kind(proposal.kind).label, "title": proposal.title}
        for cosign in proposal.cosigns.select_related("user"):
            notify(
                cosign.user,
                text=gettext_lazy("您附议的%(kind)s“%(title)s”已由提出人撤回。"),
                params=params,
                url=reverse("democracy:proposals"),
                kind="democracy.withdrawn",
            )
        return proposal


def proposal_cosign(*, proposal, user, today) -> Proposal:
    """A representative seconds a proposal; with enough co-signers it goes to the committee."""
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status != ProposalStatus.COSIGNING:
            raise DemocracyError(_("这件提案已不在征集附议阶段。"))
        if not proposal.session.window_open(today):
            raise DemocracyError(_("提案征集已截止，不能再附议。"))
        if proposal.author_id == user.pk:
            raise DemocracyError(_("提案人不能为自己的提案附议。"))
        if not is_representative(user, proposal.session.congress):
            raise DemocracyError(_("只有本届代表可以附议。"))
        _cosign, created = CoSign.objects.get_or_create(proposal=proposal, user=user, defaults={"signed_on": today})
        if not created:
            raise DemocracyError(_("您已经附议过这件提案。"))
        if proposal.cosigns.count() >= proposal.session.congress.cosigners_required:
            proposal.status = ProposalStatus.SUBMITTED
            proposal.save(update_fields=["status"])
            notify(
                proposal.author,
                text=gettext_lazy("您的提案“%(title)s”附议人数已够，已提交提案委员会审查。"),
                params={"title": proposal.title},
                url=_url(proposal),
                kind="democracy.proposal_submitted",
            )
        return proposal


def _give_number(proposal) -> Proposal:
    """Give the item the next number of its sequence (Proposal.numbered_within), with no gap. Called in the
    numbering transaction: the sequence's row stays locked until it commits, so that another officer
    numbering in the same sequence at the same moment waits, then counts this number (PostgreSQL; SQLite's
    IMMEDIATE transactions take turns anyway). The database refuses a number given twice."""
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(**proposal.numbered_within())
    proposal.sequence = sequence
    proposal.number = proposal.next_number(sequence)
    proposal.save(update_fields=["sequence", "number"])
    return proposal


def proposal_vet(*, proposal, decision, by, today, reason="", merged_into=None, routing=None) -> Proposal:
    """The committee's decision on a submitted item: accept (and route), reject with a reason,
    turn a proposal into a suggestion, or merge it into another."""
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status != ProposalStatus.SUBMITTED:
            raise DemocracyError(_("只有待审查的提案或建议可以审查。"))
        if decision == Decision.ACCEPT:
            if not routing:
                raise DemocracyError(_("立案时请选择类别和承办人。"))
            _give_number(proposal)
            return _route(proposal, today=today, **routing)
        if decision in (Decision.REJECT, Decision.TO_SUGGESTION, Decision.MERGE) and not reason.strip():
            raise DemocracyError(_("请写明审查意见（理由）。"), field="reason")
        proposal.vetting_reason = reason.strip()
        if decision == Decision.REJECT:
            proposal.status = ProposalStatus.REJECTED
            proposal.closed_on = today
        elif decision == Decision.TO_SUGGESTION:
            if not proposal.is_proposal:
                raise DemocracyError(_("这已经是一条建议。"))
            proposal.kind = Kind.SUGGESTION
            proposal.from_proposal = True
            proposal.status = ProposalStatus.SUBMITTED
        elif decision == Decision.MERGE:
            if merged_into is None or merged_into.pk == proposal.pk or merged_into.unit_id != proposal.unit_id:
                raise DemocracyError(_("请选择要并入的同一单位的另一件提案。"), field="merged_into")
            proposal.status = ProposalStatus.MERGED
            proposal.merged_into = merged_into
            proposal.closed_on = today
        else:
            raise DemocracyError(_("未知的审查决定。"))
        proposal.save(update_fields=["vetting_reason", "status", "kind", "from_proposal", "merged_into", "closed_on"])
        notify(
            proposal.author,
            text=gettext_lazy("“%(title)s”审查结果：%(status)s。"),
            params={"title": proposal.title, "status": ProposalStatus(proposal.status).label},
            url=_url(proposal),
            kind="democracy.vetted",
        )
        return proposal


def deadline_for(proposal, *, start) -> object:
    """The deadline in working days (China's calendar, swapped workdays included) from ``start``."""
    days = proposal.session.congress.answer_workdays if proposal.session_id else SUGGESTION_WORKDAYS
    return add_workdays(start, days)


def _route(proposal, *, today, category, handler, department="", co_handlers=()) -> Proposal:
    proposal.category = category
    proposal.handler = handler
    proposal.department = department
    proposal.routed_on = today
    proposal.due_on = deadline_for(proposal, start=today)
    proposal.status = ProposalStatus.ROUTED
    proposal.save(update_fields=["category", "handler", "department", "routed_on", "due_on", "status"])
    proposal.co_handlers.set([u for u in co_handlers if u.pk != handler.pk])
    text = gettext_lazy("请在%(due)s前答复%(kind)s“%(title)s”。")
    params = {"due": written_date(proposal.due_on), "kind": Kind(proposal.kind).label, "title": proposal.title}
    for person in [handler, *proposal.co_handlers.all()]:
        notify(person, text=text, params=params, url=_url(proposal), kind="democracy.routed")
    return proposal


def item_route(*, proposal, today, category, handler, department="", co_handlers=()) -> Proposal:
    """Route a submitted suggestion (proposals are routed when accepted, by ``proposal_vet``)."""
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.is_proposal or proposal.status != ProposalStatus.SUBMITTED:
            raise DemocracyError(_("只有待审查的建议可以直接交办；提案请先立案。"))
        _give_number(proposal)
        return _route(
            proposal, today=today, category=category, handler=handler, department=department, co_handlers=co_handlers
        )


def item_reassign(*, proposal, handler, department, due_on, note, today) -> Proposal:
    """The chair changes who handles a routed (or reopened) item, the department or the deadline, saying
    why: a handler who left, a wrong department, a deadline that cannot be met. The new handler is told,
    and the one relieved of it too; reminders follow the new deadline."""
    note = without_controls(note or "").strip()
    if not note:
        raise DemocracyError(_("请写明改派的原因。"), field="note")
    if due_on < today:
        raise DemocracyError(_("办理期限不能早于今天。"), field="due_on")
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status not in OPEN_STATUSES:
            raise DemocracyError(_("只有办理中的提案或建议可以改派。"))
        previous = proposal.handler
        proposal.handler, proposal.department, proposal.due_on = handler, department.strip(), due_on
        proposal.reassign_note = note
        proposal.save(update_fields=["handler", "department", "due_on", "reassign_note"])
        params = {"kind": Kind(proposal.kind).label, "title": proposal.title, "due": written_date(due_on), "note": note}
        notify(
            handler,
            text=gettext_lazy("%(kind)s“%(title)s”已交由您办理，请在%(due)s前答复（%(note)s）。"),
            params=params,
            url=_url(proposal),
            kind="democracy.reassigned",
        )
        if previous is not None and previous.pk != handler.pk:
            notify(
                previous,
                text=gettext_lazy("%(kind)s“%(title)s”已改由他人办理（%(note)s）。"),
                params=params,
                url=_url(proposal),
                kind="democracy.reassigned",
            )
        return proposal


def item_answer(*, proposal, by, text, today, outcome="", implementation="", benefit=None, reward=None) -> Answer:
    """The lead handler's answer (the first, or the second after a "not satisfied")."""
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status not in OPEN_STATUSES:
            raise DemocracyError(_("这件%(kind)s现在不需要答复。") % {"kind": proposal.get_kind_display()})
        if proposal.handler_id != by.pk:
            raise DemocracyError(_("只有交办的主办人可以答复；协办人请把意见交给主办人。"))
        if not text.strip():
            raise DemocracyError(_("请填写答复内容。"), field="text")
        if not proposal.is_proposal and outcome not in Outcome.values:
            raise DemocracyError(_("请选择建议的采纳情况。"), field="outcome")
        for name, amount in (("benefit", benefit), ("reward", reward)):
            if amount is not None and not 0 <= amount <= largest_amount(name):
                raise DemocracyError(
                    _("金额应在0到%(limit_value)s元之间。") % {"limit_value": largest_amount(name)}, field=name
                )
        answer = Answer.objects.create(
            proposal=proposal, round=2 if proposal.reopened else 1, by=by, text=text.strip(), answered_on=today
        )
        proposal.status = ProposalStatus.ANSWERED
        if proposal.first_answered_on is None:
            proposal.first_answered_on = today
            proposal.answered_on_time = today <= proposal.due_on
        if not proposal.is_proposal:
            proposal.outcome = outcome
            proposal.implementation = implementation
            proposal.benefit = benefit
            proposal.reward = reward
        proposal.save(
            update_fields=[
                "status",
                "first_answered_on",
                "answered_on_time",
                "outcome",
                "implementation",
                "benefit",
                "reward",
            ]
        )
        notify(
            proposal.author,
            text=gettext_lazy("“%(title)s”已答复，请评价办理结果。"),
            params={"title": proposal.title},
            url=_url(proposal),
            kind="democracy.answered",
        )
        return answer


def item_rate(*, proposal, by, rating, today, reason="") -> Proposal:
    """The proposer rates the latest answer. "Not satisfied" on the first answer reopens the item
    once, with a new deadline; after a second answer the rating stands and the committee closes it.
    "Not satisfied" says why (``reason``): the handler answers that the second time, and it stays on
    the record beside the rating."""
    reason = without_controls(reason or "", lines=True).strip()
    if rating == Rating.NOT_SATISFIED and not reason:
        raise DemocracyError(_("请写明不满意的理由：承办部门据此再次办理。"), field="reason")
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.author_id != by.pk:
            raise DemocracyError(_("只有提出人可以评价办理结果。"))
        if proposal.status != ProposalStatus.ANSWERED:
            raise DemocracyError(_("还没有可以评价的答复。"))
        if rating not in Rating.values:
            raise DemocracyError(_("请选择满意、基本满意或不满意。"), field="rating")
        answer = proposal.answers.order_by("-round").first()
        if answer.rating:
            raise DemocracyError(_("这次答复已经评价过了。"))
        answer.rating = rating
        answer.rated_on = today
        answer.rating_reason = reason
        answer.save(update_fields=["rating", "rated_on", "rating_reason"])
        if rating == Rating.NOT_SATISFIED and not proposal.reopened:
            proposal.status = ProposalStatus.REOPENED
            proposal.reopened = True
            proposal.due_on = deadline_for(proposal, start=today)
            proposal.save(update_fields=["status", "reopened", "due_on"])
            notify(
                proposal.handler,
                text=gettext_lazy("提出人对“%(title)s”的答复不满意（%(reason)s），请在%(due)s前再次答复。"),
                params={"title": proposal.title, "reason": reason[:100], "due": written_date(proposal.due_on)},
                url=_url(proposal),
                kind="democracy.reopened",
            )
        elif rating != Rating.NOT_SATISFIED:
            proposal.status = ProposalStatus.CLOSED
            proposal.closed_on = today
            proposal.save(update_fields=["status", "closed_on"])
        return proposal


def item_close(*, proposal, today) -> Proposal:
    """The committee closes an answered item (after a second answer, or one never rated)."""
    with transaction.atomic():
        proposal = _locked(proposal)
        if proposal.status != ProposalStatus.ANSWERED:
            raise DemocracyError(_("只有已答复的提案或建议可以办结。"))
        proposal.status = ProposalStatus.CLOSED
        proposal.closed_on = today
        proposal.save(update_fields=["status", "closed_on"])
        return proposal


def reminders_send(*, today) -> int:
    """Remind handlers of items due within three working days and of items past due, once per
    deadline however often it runs (a reopened item has a new deadline and is reminded again).
    Run daily: ``manage.py democracy_remind``. Returns how many reminders were sent."""
    soon = add_workdays(today, REMIND_WORKDAYS_BEFORE)
    due = Proposal.objects.filter(status__in=OPEN_STATUSES, due_on__lte=soon).select_related("handler")
    sent = 0
    for proposal in due.exclude(reminded_late_for=F("due_on")):
        late = proposal.due_on < today
        if not late and proposal.reminded_soon_for == proposal.due_on:
            continue
        if late:
            text = gettext_lazy("“%(title)s”已超过办理期限%(days)s个工作日，请尽快答复。")
            params = {"title": proposal.title, "days": workdays_between(proposal.due_on, today)}
            Proposal.objects.filter(pk=proposal.pk).update(reminded_late_for=proposal.due_on)
        else:
            text = gettext_lazy("“%(title)s”将于%(due)s到期，请按时答复。")
            params = {"title": proposal.title, "due": written_date(proposal.due_on)}
            Proposal.objects.filter(pk=proposal.pk).update(reminded_soon_for=proposal.due_on)
        notify(proposal.handler, text=text, params=params, url=_url(proposal), kind="democracy.reminder")
        sent += 1
    return sent


# --- statistics


@dataclass(frozen=True)
class HandlingRow:
    label: str
    received: int
    accepted: int
    answered: int
    on_time: int
    rated: int
    satisfied: int  # 满意 and 基本满意
    # Not accepted (yet): received = accepted + cosigning + to_vet + rejected + merged.
    cosigning: int
    to_vet: int
    rejected: int
    merged: int

    @property
    def on_time_rate(self):
        return None if not self.answered else Decimal(self.on_time * 100) / self.answered

    @property
    def satisfaction_rate(self):
        return None if not self.rated else Decimal(self.satisfied * 100) / self.rated


def handling_figures(queryset, *, group_by=None) -> list[HandlingRow]:
    """Received, accepted (or still co-signing, to vet, rejected, merged), answered, answered on time
    and satisfaction, overall or per ``group_by`` (e.g. "department"), in one aggregate query. The
    withdrawn are not received (democracy.rollup counts alike)."""
    queryset = queryset.received()
    first_rating = Q(answers__round=1) & ~Q(answers__rating="")
    aggregates = {
        "received": Count("pk", distinct=True),
        "accepted": Count("pk", filter=Q(status__in=ACCEPTED), distinct=True),
        "cosigning": Count("pk", filter=Q(status=ProposalStatus.COSIGNING), distinct=True),
        "to_vet": Count("pk", filter=Q(status=ProposalStatus.SUBMITTED), distinct=True),
        "rejected": Count("pk", filter=Q(status=ProposalStatus.REJECTED), distinct=True),
        "merged": Count("pk", filter=Q(status=ProposalStatus.MERGED), distinct=True),
        "answered": Count("pk", filter=Q(first_answered_on__isnull=False), distinct=True),
        "on_time": Count("pk", filter=Q(answered_on_time=True), distinct=True),
        "rated": Count("pk", filter=first_rating, distinct=True),
        "satisfied": Count(
            "pk",
            filter=first_rating & Q(answers__rating__in=SATISFIED),
            distinct=True,
        ),
    }
    if group_by is None:
        row = queryset.aggregate(**aggregates)
        return [HandlingRow(label=_("合计"), **row)]
    rows = queryset.values(group_by).annotate(**aggregates).order_by(group_by)
    return [HandlingRow(label=row.pop(group_by) or _("未交办"), **row) for row in rows]


# --- similar earlier proposals


def bigrams(text: str) -> set[str]:
    """Character bigrams of the Chinese (and other word) characters of ``text``: no segmenter
    needed, and robust to the ordering of words that Chinese phrasing varies."""
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


SIMILAR_POOL = 500
SIMILAR_THRESHOLD = 0.18


def similar_items(*, unit, user, title, reasons="", exclude_pk=None, limit=3) -> list[tuple[Proposal, float]]:
    """Earlier proposals and suggestions of the unit (this year and past years) that ``user`` may read
    (as their pages allow: a title, status or answer of another's is not shown by this back door) and
    that resemble the text, by bigram Jaccard over title and reasons; one query over the latest few hundred."""
    target = bigrams(title) | bigrams(reasons[:300])
    pool = (
        Proposal.objects.for_user(user)
        .filter(unit=unit)
        .exclude(pk=exclude_pk)
        .only("pk", "title", "reasons", "submitted_on", "status", "kind")
        .order_by("-submitted_on", "-pk")[:SIMILAR_POOL]
    )
    scored = []
    for candidate in pool:
        title_score = similarity(bigrams(title), bigrams(candidate.title))
        score = max(title_score, similarity(target, bigrams(candidate.title) | bigrams(candidate.reasons[:300])))
        if score >= SIMILAR_THRESHOLD:
            scored.append((candidate, score))
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]


def latest_answers(proposals) -> dict[int, Answer]:
    """The last answer of each proposal, in one query."""
    found = {}
    for answer in Answer.objects.filter(proposal__in=[p.pk for p in proposals]).order_by("proposal", "round"):
        found[answer.proposal_id] = answer
    return found
