"""Judges' scores and weighted items of competitions at work."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from activities.scoring import combine_judges, weighted_total

judge_scores = st.lists(st.decimals(min_value=0, max_value=100, places=1), min_size=1, max_size=11)


def test_with_five_judges_the_highest_and_lowest_are_dropped():
    assert combine_judges([90, 85, 88, 70, 99]) == Decimal("87.67")


def test_with_four_judges_every_score_counts():
    assert combine_judges([90, 85, 88, 70]) == Decimal("83.25")


def test_no_scores_yet_give_no_result():
    assert combine_judges([]) is None


@given(judge_scores)
def test_combined_score_lies_between_lowest_and_highest(scores):
    combined = combine_judges(scores)
    assert min(scores) - Decimal("0.01") <= combined <= max(scores) + Decimal("0.01")


@given(judge_scores.filter(lambda s: len(s) >= 5), st.decimals(min_value=0, max_value=100, places=1))
def test_one_extreme_judge_cannot_move_a_panel_of_five(scores, outlier):
    highest = max(scores)
    raised = [*scores]
    raised[raised.index(highest)] = max(highest, outlier)
    assert combine_judges(raised) == combine_judges(scores)


def test_weighted_total_uses_percent_weights():
    assert weighted_total({"a": 80, "b": 90}, {"a": 60, "b": 40}) == Decimal("84.00")


def test_an_item_not_scored_counts_zero():
    assert weighted_total({"a": 80}, {"a": 50, "b": 50}) == Decimal("40.00")


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=6))
def test_weighted_total_lies_between_item_scores_when_weights_add_to_100(item_scores):
    n = len(item_scores)
    weights = {i: Decimal(100) / n for i in range(n)}
    total = weighted_total(dict(enumerate(item_scores)), weights)
    assert min(item_scores) - Decimal("0.01") <= total <= max(item_scores) + Decimal("0.01")
