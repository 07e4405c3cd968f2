"""Democratic management's figures in the roll-ups (rollups.registry): proposals and suggestions a
federation ranks its units by, counts only. Keys, per unit's own records, in year Y of the day
submitted (as democracy.figures and the year-end summary count a year's proposals), for each kind
(``proposal``, ``suggestion``):

- ``democracy.received.<kind>``: every one written in the year (handling_figures' "received");
- ``democracy.answered.<kind>``: those answered at least once (``first_answered_on``), closed or not;
- ``democracy.adopted``: suggestions adopted in full or in part (the suggestions_adopted metric).
"""

from collections import defaultdict

from django.db.models import Count, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from democracy.models import Kind, Outcome, Proposal
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
        "democracy.answered.": _("已答复的提案和建议"),
        "democracy.adopted": _("合理化建议采纳条数"),
    },
)
def democracy_figures(unit_ids):
    found = defaultdict(dict)
    adopted = Q(kind=Kind.SUGGESTION, outcome__in=[Outcome.ADOPTED, Outcome.PARTLY])
    for chunk in chunks(unit_ids):
        rows = (
            Proposal.objects.filter(unit_id__in=chunk)
            .values("unit_id", "kind")
            .annotate(
                year=DateYear("submitted_on"),
                n=Count("id"),
                answered=Count("id", filter=Q(first_answered_on__isnull=False)),
                adopted=Count("id", filter=adopted),
            )
            .order_by()
        )
        for row in rows:
            unit_id, year, kind = row["unit_id"], row["year"], row["kind"]
            add(found, unit_id, year, f"democracy.received.{kind}", row["n"])
            add(found, unit_id, year, f"democracy.answered.{kind}", row["answered"])
            add(found, unit_id, year, "democracy.adopted", row["adopted"])
    return found


# Every write of a proposal or suggestion saves it (democracy.services.proposals); its two update() calls set
# only the reminder dates, which count nowhere.
@receiver([post_save, post_delete], sender=Proposal, dispatch_uid="democracy.rollup.proposal")
def proposal_changed(instance, **kwargs):
    touch([instance.unit_id], now=registry.in_transaction(NAME))
