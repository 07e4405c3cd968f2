"""Rate limits, kept in the cache: the one place that says how often something may be done. The cache
is Redis in production (shared by every app server) and local memory otherwise.

Two kinds, with one answer (a ``Verdict``, true when the use is allowed):

- ``allow``: a fixed window, counted by an atomic add-then-increment. Cheap, for refusing a flood from
  one source: the public pages count by address (portal: sign-in, join applications; care: the
  public help form), the member form counts each officer's checks of ID numbers against the whole
  roster (members.services). A burst across the end of one window and the start of the next may
  pass twice the limit, which does not matter for a flood.
- ``allow_sliding``: the times of the uses in the last ``seconds``, read against ``now``, and
  optionally a least ``gap`` between two uses. For a limit that a person is told about and that
  must hold at every moment (an SMS sign-in code for a number: once a minute, five an hour); tests
  and callers with a moment of their own pass ``now``.
"""

import enum

from django.core.cache import cache
from django.utils import timezone

from core import audit

# How long a sliding count may take before its mark lapses: a crashed request blocks its key this long.
BUSY_SECONDS = 10


class Verdict(enum.Enum):
    """Whether a use is allowed and, when it is not, why. Only ALLOWED is true."""

    ALLOWED = "allowed"
    LIMIT = "limit"  # used ``limit`` times within the window
    GAP = "gap"  # used less than ``gap`` seconds ago
    BUSY = "busy"  # another use of the key is being counted at this very moment

    def __bool__(self):
        return self is Verdict.ALLOWED


def allow(key: str, *, limit: int, seconds: int) -> Verdict:
    """Count one more use of ``key`` in its fixed window of ``seconds``; LIMIT once it has been used
    ``limit`` times in the window (refused uses count too: a flood keeps its window full)."""
    key = f"throttle:{key}"
    if cache.add(key, 1, timeout=seconds):
        return Verdict.ALLOWED
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return Verdict.ALLOWED
    return Verdict.ALLOWED if count <= limit else Verdict.LIMIT


def allow_sliding(key: str, *, limit: int, seconds: int, gap: int = 0, now=None) -> Verdict:
    """Count one use of ``key`` at ``now`` (a datetime, the clock by default) unless it was used
    ``limit`` times in the ``seconds`` before (LIMIT) or less than ``gap`` seconds before (GAP). A
    refused use is not counted, so the limits say when the next one will pass.

    The times are read, then written: a second use of the key in the same moment (a double tap, a
    script) is refused as BUSY while the first is counted, else both would read the same times and
    pass. The mark is an atomic cache.add (Redis SET NX) and outlives a crash by BUSY_SECONDS only.
    A limiter errs on the side of refusing; with a ``gap``, the second use is within it anyway.
    """
    moment = (now or timezone.now()).timestamp()
    key = f"throttle:{key}"
    busy, times = f"{key}:busy", f"{key}:times"
    if not cache.add(busy, True, timeout=BUSY_SECONDS):
        return Verdict.BUSY
    try:
        recent = [t for t in cache.get(times, []) if t > moment - seconds]
        if len(recent) >= limit:
            return Verdict.LIMIT
        if recent and moment - max(recent) < gap:
            return Verdict.GAP
        cache.set(times, [*recent, moment], timeout=seconds)
        return Verdict.ALLOWED
    finally:
        cache.delete(busy)


def client_ip(request) -> str:
    """The client's address, through the proxy-aware reader the login lock-out uses too."""
    return audit.client_ip(request) or ""
