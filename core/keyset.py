"""Keyset pages for lists shown newest first (activities by their date, ...).

An OFFSET page makes the database walk past every earlier row, and a page count needs a COUNT(*)
of the whole filtered subtree on every view; at a province both grow with the data. Here a page
is "the next N rows after (value, id) of the last row shown", in (value desc, id desc) order, and
the total is counted only up to COUNT_CAP rows. The roster's own alphabetical version is
members/paging.py.
"""

import base64
import datetime
import heapq
import itertools
import json
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q

COUNT_CAP = 2_000


@dataclass
class KeysetPage:
    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str
    previous_cursor: str
    count: int
    count_capped: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def take(window, size, *, backwards):
    """One page's rows from ``window`` (walked in reverse when paging back, so turned round here),
    and whether more lie beyond them: one row more than the page is read to know."""
    rows = list(window[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return rows, more


class CappedCount(NamedTuple):
    value: int  # at most COUNT_CAP
    more: bool  # whether there are more rows than that


def capped_count(queryset) -> CappedCount:
    """The rows of ``queryset`` counted up to COUNT_CAP, and whether there are more: bounded work."""
    total = queryset.order_by()[: COUNT_CAP + 1].count()
    return CappedCount(min(total, COUNT_CAP), total > COUNT_CAP)


def _cursor(value, pk):
    return f"{value.isoformat()}~{pk}"


def _parse(cursor):
    text, _sep, pk = (cursor or "").rpartition("~")
    if not pk.isdigit():
        return None
    try:
        return datetime.datetime.fromisoformat(text), int(pk)
    except ValueError:
        return None


def keyset_page(queryset, *, field, after="", before="", size=30, count=True):
    """A page of ``queryset`` in (``field`` desc, id desc) order after or before a cursor."""
    queryset = queryset.order_by(f"-{field}", "-id")
    key = _parse(before) if before else _parse(after)
    backwards = bool(before) and key is not None
    if key is not None:
        value, pk = key
        # The first condition alone bounds an index range; the OR after it only settles ties.
        if backwards:
            window = queryset.filter(Q(**{f"{field}__gte": value}), Q(**{f"{field}__gt": value}) | Q(id__gt=pk))
            window = window.order_by(field, "id")
        else:
            window = queryset.filter(Q(**{f"{field}__lte": value}), Q(**{f"{field}__lt": value}) | Q(id__lt=pk))
    else:
        window = queryset
    rows, more = take(window, size, backwards=backwards)
    total, capped = capped_count(queryset) if count else (0, False)
    first, last = (rows[0], rows[-1]) if rows else (None, None)
    return KeysetPage(
        object_list=rows,
        has_next=(more if not backwards else True) and bool(rows),
        has_previous=(key is not None and not backwards) or (backwards and more),
        next_cursor=_cursor(getattr(last, field), last.pk) if last else "",
        previous_cursor=_cursor(getattr(first, field), first.pk) if first else "",
        count=total,
        count_capped=capped,
    )


# --- Pages in any column order ----------------------------------------------------------------


def _encode(values):
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor, width):
    """The values of a cursor of ``width`` columns, or None for anything else (a first page)."""
    if not cursor or len(cursor) > 500:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != width:
        return None
    if not all(isinstance(v, int | str) and not isinstance(v, bool) for v in values):
        return None
    return values


def _beyond(order, values, *, backwards):
    """Rows after ``values`` in ``order`` (before them when ``backwards``): the lexicographic
    comparison spelled out, the first column alone bounding an index range."""
    condition = Q()
    for n, (field, descending) in enumerate(order):
        later = "__lt" if descending != backwards else "__gt"
        step = Q(**{f"{f}": v for (f, _d), v in zip(order[:n], values[:n], strict=True)}) & Q(
            **{f"{field}{later}": values[n]}
        )
        condition |= step
    return condition


def _lookup(row, field):
    value = row
    for part in field.split("__"):
        value = getattr(value, part)
    return value


def _ordering(order, *, backwards):
    return [f"-{f}" if d != backwards else f for f, d in order]


# Values of the first column read one at a time before the rest is read in one window.
LEADING_STEPS = 2


def _by_leading_value(queryset, order, key, *, backwards, size, leading):
    """(rows, more) of a page read one value of the first column at a time, in ``leading`` (that
    column's values in the order's direction, a superset will do): each window then has the first
    column fixed, which an index on the others walks in order, instead of every row being joined
    and sorted (a province's plans of every year, in year and then tree order). After LEADING_STEPS
    values the rest comes in one window: a unit with one plan a year takes two queries, not thirty."""
    field, descending = order[0]
    down = descending != backwards  # the first column's values fall as the walk goes on
    values = list(leading)[:: -1 if backwards else 1]
    if key is not None:
        values = [v for v in values if (v <= key[0] if down else v >= key[0])]
    rows = []
    for step, value in enumerate(values):
        if step == LEADING_STEPS:
            beyond = {f"{field}__{'lt' if down else 'gt'}": values[step - 1]}
            window = queryset.filter(**beyond).order_by(*_ordering(order, backwards=backwards))
        else:
            window = queryset.filter(**{field: value}).order_by(*_ordering(order[1:], backwards=backwards))
            if key is not None and value == key[0]:
                window = window.filter(_beyond(order[1:], key[1:], backwards=backwards))
        rows.extend(window[: size + 1 - len(rows)])
        if len(rows) > size or step == LEADING_STEPS:
            break
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return rows, more


def ordered_page(queryset, *, order, after="", before="", size=30, count=True, leading=None):
    """A keyset page of ``queryset`` in ``order``, a list of (field, descending) ending with a unique
    column (the id): no OFFSET walk and a count up to COUNT_CAP. Fields may follow relations
    (``plan__unit__path``), each a column the rows select (select_related). ``leading``: the few
    values the first column takes, in the order's direction, to read a value at a time."""
    key = _decode(before, len(order)) if before else _decode(after, len(order))
    backwards = bool(before) and key is not None
    if leading is not None:
        rows, more = _by_leading_value(queryset, order, key, backwards=backwards, size=size, leading=leading)
    else:
        rows, more = take(_window(queryset, order, key, backwards=backwards), size, backwards=backwards)
    total = capped_count(queryset) if count else CappedCount(0, False)
    return _page(rows, more, order=order, key=key, backwards=backwards, total=total)


def merged_page(querysets, *, order, after="", before="", size=30, count=True):
    """A keyset page, as ordered_page's, of the union of disjoint ``querysets``: each is read in
    ``order`` up to a page and the reads are merged. For a list whose rows meet one condition or
    another (a month's items: scheduled for it, or postponed to it), where each condition has an
    index walked in that order but their OR has none and would sort every row of a province.
    Every column of ``order`` runs the same direction."""
    if len({descending for _field, descending in order}) != 1:
        raise ValueError("merged_page needs every column of the order in one direction")
    key = _decode(before, len(order)) if before else _decode(after, len(order))
    backwards = bool(before) and key is not None
    reads = [list(_window(queryset, order, key, backwards=backwards)[: size + 1]) for queryset in querysets]
    falling = order[0][1] != backwards

    def values(row):
        return tuple(_lookup(row, field) for field, _d in order)

    rows = list(itertools.islice(heapq.merge(*reads, key=values, reverse=falling), size + 1))
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    total = CappedCount(0, False)
    if count:
        counts = [capped_count(queryset) for queryset in querysets]
        value = sum(c.value for c in counts)
        total = CappedCount(min(value, COUNT_CAP), value > COUNT_CAP or any(c.more for c in counts))
    return _page(rows, more, order=order, key=key, backwards=backwards, total=total)


def _window(queryset, order, key, *, backwards):
    window = queryset.order_by(*_ordering(order, backwards=backwards))
    return window.filter(_beyond(order, key, backwards=backwards)) if key is not None else window


def _page(rows, more, *, order, key, backwards, total):
    def cursor(row):
        return _encode([_lookup(row, f) for f, _d in order]) if row is not None else ""

    return KeysetPage(
        object_list=rows,
        has_next=(more if not backwards else True) and bool(rows),
        has_previous=(key is not None and not backwards) or (backwards and more),
        next_cursor=cursor(rows[-1] if rows else None),
        previous_cursor=cursor(rows[0] if rows else None),
        count=total.value,
        count_capped=total.more,
    )
