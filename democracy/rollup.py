"""Democratic management's figures in the roll-ups (rollups.registry): proposals and suggestions a
federation ranks its units by, counts only. Keys, per unit's own records, in year Y of the day
submitted (as democracy.figures and the year-end summary count a year's proposals), for each kind
(``proposal``, ``suggestion``), of those received (all but the withdrawn):

- ``democracy.received.<kind>``: every one written in the year (handling_figures' "received");
- ``democracy.accepted.<kind>``: those accepted (立案) and routed, whatever became of them since;
- ``democracy.answered.<kind>``: those answered at least once (``first_answered_on``), closed or not;
- ``democracy.on_time.<kind>``: of those, answered the first time by the deadline it then had (按期答复);
- ``democracy.rated.<kind>`` and ``democracy.satisfied.<kind>``: those whose first answer the proposer
  rated, and rated 满意 or 基本满意 (the satisfaction rate is satisfied / rated);
- ``democracy.adopted``: suggestions adopted in full or in part (the suggestions_adopted metric).

Counts only: a federation's rates are read from the sums (handling_of), exact over any set of units.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from democracy.models import Answer, Kind, Proposal, ProposalStatus
from democracy.models.proposals import ACCEPTED, ADOPTED, SATISFIED
from rollups import registry
from rollups.refresh import touch
from rollups.sources import DateYear, add, chunks

NAME = "democracy"


# A unit's proposals are a few dozen a year, each changed by one person at a time (submitted, vetted,
# answered, rated), and the officer who just answered or vetted one looks for it in the figures: in the
# transaction, exact the moment the change is visible.
@registry.source(
    NAME,
    refresh=registry.TRANSACTION,
    labels={
        "democracy.received.": _("提案和建议"),
        "democracy.accepted.": _("立案的提案和建议"),
        "democracy.answered.": _("已答复的提案和建议"),
        "democracy.on_time.": _("按期答复的提案和建议"),
        "democracy.rated.": _("提出人已评价的提案和建议"),
        "democracy.satisfied.": _("提出人满意和基本满意的提案和建议"),
        "democracy.adopted": _("合理化建议采纳条数"),
    },
)
def democracy_figures(unit_ids):
    found = defaultdict(dict)
    adopted = Q(kind=Kind.SUGGESTION, outcome__in=ADOPTED)
    for chunk in chunks(unit_ids):
        rows = (
            Proposal.objects.received()
            .filter(unit_id__in=chunk)
            .values("unit_id", "kind")
            .annotate(
                year=DateYear("submitted_on"),
                n=Count("id"),
                accepted=Count("id", filter=Q(status__in=ACCEPTED)),
                answered=Count("id", filter=Q(first_answered_on__isnull=False)),
                on_time=Count("id", filter=Q(answered_on_time=True)),
                adopted=Count("id", filter=adopted),
            )
            .order_by()
        )
        for row in rows:
            unit_id, year, kind = row["unit_id"], row["year"], row["kind"]
            for name in ("accepted", "answered", "on_time"):
                add(found, unit_id, year, f"democracy.{name}.{kind}", row[name])
            add(found, unit_id, year, f"democracy.received.{kind}", row["n"])
            add(found, unit_id, year, "democracy.adopted", row["adopted"])
        # One first answer per proposal (democracy_unique_answer_round): counted without a DISTINCT.
        rated = (
            Answer.objects.filter(round=1, proposal__unit_id__in=chunk)
            .exclude(rating="")
            .exclude(proposal__status=ProposalStatus.WITHDRAWN)
            .values("proposal__unit_id", "proposal__kind")
            .annotate(
                year=DateYear("proposal__submitted_on"),
                n=Count("id"),
                satisfied=Count("id", filter=Q(rating__in=SATISFIED)),
            )
            .order_by()
        )
        for row in rated:
            unit_id, year, kind = row["proposal__unit_id"], row["year"], row["proposal__kind"]
            add(found, unit_id, year, f"democracy.rated.{kind}", row["n"])
            add(found, unit_id, year, f"democracy.satisfied.{kind}", row["satisfied"])
    return found


@dataclass(frozen=True)
class Handling:
    """One kind's handling figures read from the roll-ups: handling_figures' counts, summed over units."""

    received: int
    accepted: int
    answered: int
    on_time: int
    rated: int
    satisfied: int

    @property
    def on_time_rate(self):
        return None if not self.answered else Decimal(self.on_time * 100) / self.answered

    @property
    def satisfaction_rate(self):
        return None if not self.rated else Decimal(self.satisfied * 100) / self.rated


def handling_of(overview, kind=Kind.PROPOSAL) -> Handling:
    """The handling figures of ``kind`` in a rollups.read.Overview (a unit's subtree or its own records)."""
    keys = ("received", "accepted", "answered", "on_time", "rated", "satisfied")
    return Handling(**{name: overview.get(f"democracy.{name}.{kind}") for name in keys})


# --- marking changed units: only when what a record counts as changes


def _proposal_counts(values) -> tuple | None:
    """(unit, year, keys) a proposal with these COUNTED_FIELDS values adds one to; None for none."""
    if values["status"] == ProposalStatus.WITHDRAWN:
        return None
    kind, answered = values["kind"], values["first_answered_on"]
    keys = {
        f"democracy.received.{kind}": True,
        f"democracy.accepted.{kind}": values["status"] in ACCEPTED,
        f"democracy.answered.{kind}": answered is not None,
        f"democracy.on_time.{kind}": values["answered_on_time"] is True,
        "democracy.adopted": kind == Kind.SUGGESTION and values["outcome"] in ADOPTED,
    }
    return values["unit_id"], values["submitted_on"].year, frozenset(key for key, counts in keys.items() if counts)


def _rating_counts(values) -> tuple[bool, bool]:
    """(rated, satisfied) an answer adds to its proposal's unit: the first round's rating only."""
    if values is None or values["round"] != 1:
        return False, False
    return values["rating"] != "", values["rating"] in SATISFIED


def _counted_changed(sender, update_fields) -> bool:
    """Whether a save may have changed what the record counts as: a save of other fields did not."""
    if update_fields is None:
        return True
    return bool(set(sender.COUNTED_FIELDS) & {sender._meta.get_field(name).attname for name in update_fields})


def _mark(unit_ids):
    touch(unit_ids, now=registry.in_transaction(NAME))


@receiver(pre_save, sender=Proposal, dispatch_uid="democracy.rollup.proposal_before")
@receiver(pre_save, sender=Answer, dispatch_uid="democracy.rollup.answer_before")
def record_saving(sender, instance, update_fields=None, **kwargs):
    # A record saved without having been read (built by hand with its pk): what it counted as is read now.
    if instance._state.adding or instance.counted_values_stored() is not None:
        return
    if not _counted_changed(sender, update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).only(*sender.COUNTED_FIELDS).first()
    if stored is not None:
        instance.remember_counted(stored.counted_values())


@receiver(post_save, sender=Proposal, dispatch_uid="democracy.rollup.proposal")
def proposal_saved(instance, created=False, update_fields=None, **kwargs):
    before = None if created else instance.counted_values_stored()
    instance.remember_counted()
    if not _counted_changed(Proposal, update_fields):
        return
    was, now = (None if before is None else _proposal_counts(before)), _proposal_counts(instance.counted_values())
    if was != now:
        # Both units when it moved: the one it left counts it no more.
        _mark({counts[0] for counts in (was, now) if counts})


@receiver(post_delete, sender=Proposal, dispatch_uid="democracy.rollup.proposal_deleted")
def proposal_deleted(instance, **kwargs):
    counts = _proposal_counts(instance.counted_values_stored() or instance.counted_values())
    if counts:
        _mark([counts[0]])


def _answer_moved(answer, was, now):
    if _rating_counts(was) != _rating_counts(now):
        _mark(Proposal.objects.filter(pk=answer.proposal_id).values_list("unit_id", flat=True))


@receiver(post_save, sender=Answer, dispatch_uid="democracy.rollup.answer")
def answer_saved(instance, created=False, update_fields=None, **kwargs):
    # An answer counts by its rating (the first round's); the day answered counts by the proposal's save.
    before = None if created else instance.counted_values_stored()
    instance.remember_counted()
    if _counted_changed(Answer, update_fields):
        _answer_moved(instance, before, instance.counted_values())


@receiver(post_delete, sender=Answer, dispatch_uid="democracy.rollup.answer_deleted")
def answer_deleted(instance, **kwargs):
    # With its proposal (whose own delete marks the unit too), or alone.
    _answer_moved(instance, instance.counted_values_stored() or instance.counted_values(), None)
