"""Writes a unique constraint guards: the second of two at once is told why, not met with a 500."""

from contextlib import contextmanager

from django.db import IntegrityError, transaction


@contextmanager
def once(refused):
    """Run the block in a savepoint; when the database refuses it as a duplicate, raise ``refused``
    instead, leaving the caller's transaction usable.

    It follows the friendly check (``exists()`` and the same message), which answers the common case
    without a failed statement; this answers the two requests (a double tap, two officers) that both
    passed that check at the same moment. Keep the block to the insert the constraint guards, so that
    an IntegrityError in it can only mean the duplicate."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise refused from None
