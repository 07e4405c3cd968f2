"""Workflows of democratic management, one module per part; each function keyword-only, in one
transaction, raising DemocracyError with a translated message that the page shows as it is."""


class DemocracyError(Exception):
    """A rule refused the action; ``str(error)`` is the message for the person."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
