"""Integer lookups for record numbers that come from outside (a form's ticked boxes, a crafted POST)."""

from django.db.models import IntegerField
from django.db.models.lookups import In

# No integer column holds a number outside a signed 64-bit integer (SQLite's and PostgreSQL's widest).
SMALLEST, LARGEST = -(2**63), 2**63 - 1


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """``pk__in=[...]`` with a number no row can have leaves that number out. Django already does so for
    exact and range lookups on integers (IntegerFieldOverflow) but not for ``in``, where SQLite refuses
    to bind it (OverflowError, a server error) for a form of ticked members posted with one past 64 bits."""

    def get_prep_lookup(self):
        prepared = super().get_prep_lookup()
        if not self.rhs_is_direct_value():
            return prepared
        return [value for value in prepared if not isinstance(value, int) or SMALLEST <= value <= LARGEST]
