"""League tables, ranked events and place points."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from activities.brackets import round_robin
from activities.standings import PointsRule, Result, league_table, place_points, ranked

scores = st.integers(min_value=0, max_value=5)


@st.composite
def leagues(draw):
    n = draw(st.integers(min_value=2, max_value=8))
    results = [
        Result(p.home, p.away, draw(scores), draw(scores))
        for p in round_robin(range(n))
        if draw(st.booleans()) or n < 4
    ]
    return n, results


@given(leagues())
def test_points_handed_out_match_the_results(league):
    n, results = league
    rule = PointsRule(win=3, draw=1, loss=0)
    table = league_table(range(n), results, rule)
    expected = sum(2 if r.home_score == r.away_score else 3 for r in results)
    assert sum(row.points for row in table) == expected
    assert sum(row.played for row in table) == 2 * len(results)
    assert sum(row.won for row in table) == sum(row.lost for row in table)


@given(leagues())
def test_places_follow_points_and_start_at_one(league):
    n, results = league
    table = league_table(range(n), results)
    assert table[0].place == 1
    assert [row.points for row in table] == sorted((row.points for row in table), reverse=True)
    for before, after in zip(table, table[1:], strict=False):
        assert before.place <= after.place
        if before.place != after.place:
            assert after.place == table.index(after) + 1


def test_head_to_head_decides_before_score_difference():
    # a and b finish level on points; a beat b, though b won its other matches by more.
    results = [
        Result("a", "b", 3, 2),
        Result("b", "c", 3, 0),
        Result("c", "a", 3, 2),
        Result("a", "d", 3, 0),
        Result("b", "d", 3, 0),
        Result("c", "d", 0, 3),
    ]
    table = league_table("abcd", results)
    by = {row.entrant: row for row in table}
    assert by["a"].points == by["b"].points
    assert by["b"].difference > by["a"].difference
    assert [row.entrant for row in table][:2] == ["a", "b"]


def test_equal_on_every_rule_share_a_place():
    table = league_table("abc", [Result("a", "b", 3, 1), Result("c", "a", 3, 1), Result("b", "c", 3, 1)])
    assert {row.place for row in table} == {1}


def test_a_walkover_gives_the_loser_no_points():
    table = league_table("ab", [Result("a", "b", 0, 3, forfeit="a")])
    by = {row.entrant: row for row in table}
    assert (by["a"].points, by["b"].points) == (0, 2)


def test_ranked_by_time_puts_the_fastest_first_and_shares_ties():
    rows = ranked({"x": "61.5", "y": "59.2", "z": "61.5", "w": "70"}, lower_is_better=True)
    assert [(r.entrant, r.place) for r in rows] == [("y", 1), ("x", 2), ("z", 2), ("w", 4)]


def test_ranked_by_score_puts_the_highest_first():
    rows = ranked({"x": 120, "y": 150}, lower_is_better=False)
    assert [r.entrant for r in rows] == ["y", "x"]


def test_tied_places_share_their_points():
    assert place_points({"a": 1, "b": 2, "c": 2, "d": 4}) == {
        "a": Decimal("9.00"),
        "b": Decimal("6.50"),
        "c": Decimal("6.50"),
        "d": Decimal("5.00"),
    }


@given(st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=12))
def test_place_points_never_depend_on_how_ties_were_broken(raw_places):
    # Turn arbitrary numbers into a valid competition ranking, then compare with the tie broken.
    values = dict(enumerate(raw_places))
    rows = ranked(values, lower_is_better=True)
    places = {r.entrant: r.place for r in rows}
    broken = {r.entrant: i + 1 for i, r in enumerate(rows)}
    # Shares are rounded to the cent, so a three-way tie may lose a cent or two.
    difference = sum(place_points(places).values()) - sum(place_points(broken).values())
    assert abs(difference) <= Decimal("0.01") * len(values)
