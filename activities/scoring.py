"""Judges' scores and weighted scoring items of competitions at work, independent of the database."""

from decimal import ROUND_HALF_UP, Decimal

DROP_EXTREMES_FROM = 5  # with this many judges or more, the highest and lowest scores are dropped
CENT = Decimal("0.01")


def combine_judges(scores):
    """One score from several judges: the mean, without the highest and lowest when five or more judged.

    Dropping one highest and one lowest is what contests in China announce ("去掉一个最高分，
    去掉一个最低分"); with fewer than five judges it would leave too few scores to mean anything.
    Returns None when nobody has scored yet.
    """
    values = sorted(Decimal(s) for s in scores)
    if not values:
        return None
    if len(values) >= DROP_EXTREMES_FROM:
        values = values[1:-1]
    return (sum(values) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_total(item_scores, weights):
    """Total of item scores (each on the item's 0-100 scale) weighted by percentages summing to 100.

    ``item_scores`` and ``weights`` are dicts keyed by item; an item nobody scored counts 0,
    so a contestant who skipped an item cannot overtake one who took it.
    """
    total = sum(
        (Decimal(item_scores.get(item) or 0) * Decimal(weight) / 100 for item, weight in weights.items()),
        Decimal(0),
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)
