"""Reads shared by the parts of one page: the home page's cards and to-do sources ask some of
the same questions (the unit's roll-up figures, the proposals waiting for this person).

A view opens ``shared_reads()`` around the calls; inside it ``shared(key, compute)`` computes a
value once and hands the same value to every later caller with that key. Outside such a block
``shared`` simply computes, so every function keeps working alone (tests, other pages). The
store lives in a context variable set for the block only: nothing outlives the request.
"""

from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar

_store: ContextVar[dict | None] = ContextVar("gonghui_shared_reads", default=None)


@contextmanager
def shared_reads():
    token = _store.set({})
    try:
        yield
    finally:
        _store.reset(token)


def shared(key: Hashable, compute: Callable):
    """``compute()``, read once per ``shared_reads()`` block for ``key`` (which must name
    everything the value depends on, e.g. the user's and the unit's ids)."""
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]
