"""What the roster tells other apps, for them to keep what they hold of a member in step."""

from django.dispatch import Signal

# Sent in the transaction of the change, after a member moved to another unit (a transfer accepted, an officer's move,
# an import) or their status changed (left, died, rejoined): ``members`` as they now are, ``on`` the day it took effect.
# A receiver reconciles, as nothing says what each member was before: it must do nothing where nothing is out of step.
roster_changed = Signal()
