"""Workflows of democratic management, one module per part; each function keyword-only, in one
transaction, raising DemocracyError with a translated message that the page shows as it is."""

from core.errors import Refusal


class DemocracyError(Refusal):
    """A rule refused the action; ``str(error)`` is the message for the person."""
