"""The registry of rolled-up figures: an app declares a source that counts its records per unit.

    from rollups.registry import WORKER, source

    @source("care", refresh=WORKER, labels={"care.visits": _("走访慰问户次")})
    def care_figures(unit_ids):
        ...  # one or a few GROUP BY queries over the given units' own records
        return {(unit_id, year): {"care.visits": 12}, ...}

An app's source and the handlers that mark its changes live in the app's own ``rollup.py``,
imported from its AppConfig.ready (rollups.sources holds the first apps', and the helpers
``chunks``, ``fen``, ``add`` every source may use). The statistics page reads the keys through
rollups.read.Overview and lists them in rollups.statistics.FIGURES.

``compute(unit_ids)`` returns the figures of those units' *own* records for every year they have
(year 0 for figures tied to no year), as whole numbers; zeros may be left out. The roll-up adds
them up the tree. The app then marks changed units with ``rollups.touch(unit_ids)`` in the
transaction of the change (a signal handler, or a line after a bulk write).

``refresh`` is each source's choice, stated where it registers:
- ``WORKER``: the change only marks its unit; the worker recomputes marked units within
  ``rollups.refresh.DELAY_SECONDS`` and pages say "截至 10:42". For figures moved by bulk writes
  (imports) or by many people at once, which must not all wait for one row of the province.
- ``TRANSACTION``: the change recomputes its unit and the unit's ancestors before it commits,
  so the figure is exact the moment the change is visible. For rare, small changes whose
  author expects to see the effect at once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

WORKER = "worker"
TRANSACTION = "transaction"


@dataclass(frozen=True)
class Source:
    name: str
    compute: Callable
    refresh: str
    labels: dict = field(default_factory=dict)  # key or key prefix -> lazy label


_sources: dict[str, Source] = {}


def source(name, *, refresh, labels=None):
    if refresh not in (WORKER, TRANSACTION):
        raise ValueError(f"refresh must be {WORKER!r} or {TRANSACTION!r}")

    def decorator(func):
        _sources[name] = Source(name=name, compute=func, refresh=refresh, labels=dict(labels or {}))
        return func

    return decorator


def sources() -> list[Source]:
    return list(_sources.values())


def get(name) -> Source:
    return _sources[name]


def in_transaction(name) -> bool:
    """Whether changes to ``name``'s records recompute the roll-ups before they commit (``touch(now=)``)."""
    return _sources[name].refresh == TRANSACTION
