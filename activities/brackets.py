"""Draws for sports events, independent of the database: round robin and single elimination.

Entrants are any hashable values (the caller passes entry ids); ``None`` stands for a bye.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Pairing:
    round: int  # 1-based
    position: int  # 0-based within the round
    home: object
    away: object  # None: ``home`` has a bye (single elimination) or sits out (round robin)

    @property
    def is_bye(self):
        return self.away is None


def round_robin(entrants):
    """Every entrant meets every other once: the circle method.

    With an even number n there are n-1 rounds of n/2 matches; with an odd number one
    entrant sits out each round (n rounds of (n-1)/2 matches). Sitting out is not returned
    as a pairing, so the result holds exactly n(n-1)/2 matches. The first entrant stays
    put while the others rotate; home and away alternate so nobody is always "home".
    """
    players = list(entrants)
    if len(set(players)) != len(players):
        raise ValueError("entrants must be distinct")
    if len(players) < 2:
        return []
    if len(players) % 2:
        players.append(None)
    count = len(players)
    pairings = []
    for round_index in range(count - 1):
        position = 0
        for i in range(count // 2):
            home, away = players[i], players[count - 1 - i]
            if home is None or away is None:
                continue
            # The fixed entrant alternates sides; the others spend half the rounds in the
            # top row (home) and half in the bottom row as they rotate.
            if i == 0 and round_index % 2:
                home, away = away, home
            pairings.append(Pairing(round=round_index + 1, position=position, home=home, away=away))
            position += 1
        players = [players[0], players[-1], *players[1:-1]]
    return pairings


def seed_order(size):
    """Bracket line of each seed, so that seeds 1 and 2 can meet only in the final.

    For 8: [1, 8, 4, 5, 2, 7, 3, 6]: each first-round match pairs seeds that add up to size + 1.
    """
    order = [1]
    while len(order) < size:
        total = 2 * len(order) + 1
        order = [seed for s in order for seed in (s, total - s)]
    return order


def bracket_size(count):
    size = 1
    while size < count:
        size *= 2
    return size


def elimination_rounds(count):
    """How many rounds a knockout of ``count`` entrants takes (4 for 9 to 16 entrants)."""
    return max(bracket_size(count).bit_length() - 1, 0)


def single_elimination(entrants):
    """The first round of a knockout, entrants given in seed order (best first).

    The bracket grows to the next power of two; the missing places are byes, which fall to
    the top seeds, and only in the first round: a bye's winner simply takes its place in
    round two. Since fewer than half the lines are byes, no match is a bye against a bye.
    Later rounds are fed by ``next_position`` and are not drawn in advance.
    """
    players = list(entrants)
    if len(set(players)) != len(players):
        raise ValueError("entrants must be distinct")
    if len(players) < 2:
        return []
    size = bracket_size(len(players))
    lines = [players[seed - 1] if seed <= len(players) else None for seed in seed_order(size)]
    pairings = []
    for position in range(size // 2):
        home, away = lines[2 * position], lines[2 * position + 1]
        if home is None:
            home, away = away, home
        pairings.append(Pairing(round=1, position=position, home=home, away=away))
    return pairings


def next_position(position):
    """Where the winner of a knockout match at ``position`` plays next, and on which side."""
    return position // 2, "home" if position % 2 == 0 else "away"
