"""Integer lookups for record numbers that come from outside (a form's ticked boxes, a crafted POST)."""

from django.db.models import ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In

# No integer column holds a number outside a signed 64-bit integer (SQLite's and PostgreSQL's widest).
SMALLEST, LARGEST = -(2**63), 2**63 - 1


def _storable(values):
    return [value for value in values if not isinstance(value, int) or SMALLEST <= value <= LARGEST]


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """``pk__in=[...]`` with a number no row can have leaves that number out. Django already does so for
    exact and range lookups on integers (IntegerFieldOverflow) but not for ``in``, where SQLite refuses
    to bind it (OverflowError, a server error) for a form of ticked members posted with one past 64 bits."""

    def get_prep_lookup(self):
        prepared = super().get_prep_lookup()
        return _storable(prepared) if self.rhs_is_direct_value() else prepared


@ForeignKey.register_lookup
class ForeignKeyIn(RelatedIn):
    """The same for ``unit__in=[...]``: a foreign key's list goes through RelatedIn, not the integer
    field's lookup, so it needs the same care (units or members ticked in a form are such lists)."""

    def get_prep_lookup(self):
        prepared = super().get_prep_lookup()
        return _storable(prepared) if self.rhs_is_direct_value() else prepared
