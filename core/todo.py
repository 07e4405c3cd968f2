"""What waits for a person: the to-do registry every app contributes to.

An app registers a source from its AppConfig.ready() (importing the module that holds it):

    @todo_source
    def proposals_to_answer(user, *, today):
        return [Todo(kind="democracy.answer", title=..., url=..., due=..., unit_name=...)]

A source takes the user and ``today`` (a date, passed in so tests need no frozen clock) and
returns the list of Todo for that person; it must keep to a bounded number of queries however
many records there are (aggregate, or cap what it lists and say how many more in the title).
``todos_for`` gathers them, soonest deadline first; the /todo/ page, the home page and the
navbar count all read it, so each app writes its to-dos once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

_sources: list[Callable] = []


@dataclass(frozen=True)
class Todo:
    kind: str  # "<app>.<what>", e.g. "activities.summary_returned"; stable, for tests and filters
    title: str  # already translated, says what to do: "修改并重新报送活动总结：三八节趣味运动会"
    url: str  # where the person does it
    due: date | None = None
    unit_name: str = ""  # whose work it is, when the person acts for several units
    urgent: bool = False  # returned work and anything past its deadline

    def is_overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


def todo_source(func):
    """Register ``func(user, *, today) -> list[Todo]``."""
    if func not in _sources:
        _sources.append(func)
    return func


def todos_for(user, *, today: date) -> list[Todo]:
    """Everything waiting for ``user``: urgent first, then by deadline (none last), then by title."""
    if not user.is_authenticated:
        return []
    found = []
    for source in _sources:
        found.extend(source(user, today=today) or [])
    return sorted(found, key=lambda t: (not t.urgent, t.due is None, t.due or date.max, t.title))
