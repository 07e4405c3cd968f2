"""Draws: property tests over any number of entrants."""

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from activities.brackets import (
    elimination_rounds,
    next_position,
    round_robin,
    seed_order,
    single_elimination,
)

entrant_counts = st.integers(min_value=2, max_value=40)


@given(entrant_counts)
def test_a_round_robin_of_n_has_n_times_n_minus_1_over_2_matches(n):
    assert len(round_robin(range(n))) == n * (n - 1) // 2


@given(entrant_counts)
def test_in_a_round_robin_every_pair_meets_exactly_once(n):
    met = Counter(frozenset((p.home, p.away)) for p in round_robin(range(n)))
    assert set(met) == {frozenset(pair) for pair in combinations(range(n), 2)}
    assert set(met.values()) == {1}


@given(entrant_counts)
def test_in_a_round_robin_nobody_plays_twice_in_a_round(n):
    pairings = round_robin(range(n))
    rounds = n - 1 if n % 2 == 0 else n
    assert {p.round for p in pairings} == set(range(1, rounds + 1))
    for number in range(1, rounds + 1):
        playing = [e for p in pairings if p.round == number for e in (p.home, p.away)]
        assert len(playing) == len(set(playing))
        assert len(playing) == n - n % 2


@given(entrant_counts)
def test_round_robin_sides_are_balanced(n):
    home = Counter(p.home for p in round_robin(range(n)))
    away = Counter(p.away for p in round_robin(range(n)))
    assert all(abs(home[e] - away[e]) <= 1 for e in range(n))


def test_round_robin_rejects_an_entrant_twice():
    with pytest.raises(ValueError):
        round_robin([1, 2, 2])


def test_fewer_than_two_entrants_make_no_draw():
    assert round_robin([1]) == []
    assert single_elimination([1]) == []


def test_seed_order_keeps_top_seeds_apart():
    assert seed_order(8) == [1, 8, 4, 5, 2, 7, 3, 6]
    order = seed_order(16)
    assert order.index(1) < 8 <= order.index(2)


def _play_out(n, rng):
    """Run a knockout to the end with random winners; return each round's matches."""
    first = single_elimination(list(range(n)))
    rounds = [[(p.home, p.away) for p in first]]
    advancing = {}
    for p in first:
        winner = p.home if p.is_bye else rng.choice([p.home, p.away])
        position, side = next_position(p.position)
        advancing.setdefault(position, {})[side] = winner
    while len(advancing) >= 1 and not (len(advancing) == 1 and len(advancing[0]) == 1):
        matches = [(advancing[pos].get("home"), advancing[pos].get("away")) for pos in sorted(advancing)]
        rounds.append(matches)
        following = {}
        for position, (home, away) in enumerate(matches):
            winner = rng.choice([home, away])
            target, side = next_position(position)
            following.setdefault(target, {})[side] = winner
        advancing = following
        if len(matches) == 1:
            break
    return rounds


@given(entrant_counts, st.randoms(use_true_random=False))
def test_knockout_every_entrant_plays_and_byes_fall_only_in_round_one(n, rng):
    rounds = _play_out(n, rng)
    first = rounds[0]
    in_first = [e for match in first for e in match if e is not None]
    assert sorted(in_first) == list(range(n))
    byes = [m for m in first if m[1] is None]
    assert len(byes) == len(first) * 2 - n
    assert all(m[0] is not None for m in first)  # never a bye against a bye
    for later in rounds[1:]:
        assert all(home is not None and away is not None for home, away in later)
    assert len(rounds) == elimination_rounds(n)
    assert len(rounds[-1]) == 1


@given(entrant_counts)
def test_byes_go_to_the_top_seeds(n):
    first = single_elimination(list(range(n)))
    with_bye = sorted(p.home for p in first if p.is_bye)
    assert with_bye == list(range(len(with_bye)))


def test_top_two_seeds_can_only_meet_in_the_final():
    first = single_elimination(list(range(13)))
    positions = {e: p.position for p in first for e in (p.home, p.away) if e is not None}
    assert positions[0] < len(first) // 2 <= positions[1]


def test_a_knockout_of_five_gives_three_byes():
    first = single_elimination(["a", "b", "c", "d", "e"])
    assert [(p.home, p.away) for p in first] == [("a", None), ("d", "e"), ("b", None), ("c", None)]
    assert elimination_rounds(5) == 3
