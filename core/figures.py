"""Figures that apps contribute to other apps, without importing each other.

Three kinds, each registered with a decorator from the contributing app's
AppConfig.ready() (importing the module that holds the decorated functions):

- ``metric``: a live value for a plan target (``plans`` reads them); the function
  takes ``unit`` (an OrgUnit, meaning its whole subtree) and ``year`` and returns a
  number (Decimal or int) or None when the figure cannot be computed.
- ``home_card``: figures and to-dos on a unit's home page; the function takes
  ``request`` and ``unit`` and returns a list of ``Card`` (empty when the user may
  not see the app's data). Each card function must keep to a bounded number of queries.
- ``summary_section``: a part of the year-end summary; takes ``unit`` and ``year``
  and returns a ``SummarySection`` or None when there is nothing to say.
- ``evidence``: the records that prove plan schedule items were carried out; takes a
  list of item ids and returns {item_id: [Evidence, ...]} in one query.
- ``calendar_source``: dated records for the calendar; takes ``user``, ``unit``,
  ``start`` and ``end`` (dates, inclusive) and returns a list of ``CalendarEntry``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # lazy translation
    measure: str  # the unit it counts in: "%", "人", "人次", "次", "元" ...
    compute: Callable  # (unit, year) -> Decimal | int | None


@dataclass
class Card:
    title: str
    value: str = ""
    note: str = ""
    url: str = ""
    todos: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    order: int = 100
    as_of: datetime.datetime | None = None  # when the figure was computed, if read from the roll-ups


@dataclass
class SummarySection:
    heading: str
    paragraphs: list[str]
    figures: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    order: int = 100


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str = ""
    permission: str = ""  # what a reader needs on the item's unit to follow ``url`` (shown as text otherwise)


@dataclass(frozen=True)
class CalendarEntry:
    date: object  # datetime.date
    title: str
    url: str = ""
    kind: str = ""  # the contributing app, e.g. "activities"


_metrics: dict[str, Metric] = {}
_home_cards: list[Callable] = []
_summary_sections: list[Callable] = []
_evidence: list[Callable] = []
_calendar_sources: list[Callable] = []


def metric(key, label, measure):
    def decorator(func):
        _metrics[key] = Metric(key=key, label=label, measure=measure, compute=func)
        return func

    return decorator


def home_card(func):
    if func not in _home_cards:
        _home_cards.append(func)
    return func


def summary_section(func):
    if func not in _summary_sections:
        _summary_sections.append(func)
    return func


def evidence(func):
    if func not in _evidence:
        _evidence.append(func)
    return func


def calendar_source(func):
    if func not in _calendar_sources:
        _calendar_sources.append(func)
    return func


def metrics() -> dict[str, Metric]:
    return dict(_metrics)


def metric_value(key, *, unit, year) -> Decimal | None:
    found = _metrics.get(key)
    if found is None:
        return None
    value = found.compute(unit, year)
    return None if value is None else Decimal(value)


def home_cards(request, unit) -> list[Card]:
    cards = []
    for func in _home_cards:
        cards.extend(func(request, unit) or [])
    return sorted(cards, key=lambda c: c.order)


def summary_sections(unit, year) -> list[SummarySection]:
    sections = [s for s in (func(unit, year) for func in _summary_sections) if s]
    return sorted(sections, key=lambda s: s.order)


def evidence_for(item_ids) -> dict[int, list[Evidence]]:
    found: dict[int, list[Evidence]] = {}
    for func in _evidence:
        for item_id, entries in (func(list(item_ids)) or {}).items():
            found.setdefault(item_id, []).extend(entries)
    return found


def calendar_entries(user, unit, start, end) -> list[CalendarEntry]:
    entries = []
    for func in _calendar_sources:
        entries.extend(func(user, unit, start, end) or [])
    return sorted(entries, key=lambda e: (e.date, e.title))
