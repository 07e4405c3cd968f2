from django.db import models
from django.db.models import Q

from orgs.access import EVERYTHING, UnitScopedQuerySet, ancestor_paths, scope_paths, subtree_q


class DemocracyQuerySet(UnitScopedQuerySet):
    def readable_by(self, user):
        """Rows a person may read: those of units they oversee (democracy.view), and, as a member
        (democracy.propose on a group or a union), those of their own union and the units above
        it: a group's member reads the school's board, notices and ballots."""
        if not user.is_authenticated:
            return self.none()
        condition = self.readable_condition(user)
        return self if condition is None else self.filter(condition)

    def readable_condition(self, user):
        """The filter of ``readable_by`` for a signed-in person, None when they read everything; a
        queryset that grants more (a ballot to its voters) adds to it."""
        overseen = scope_paths(user, "democracy.view")
        if overseen is EVERYTHING:
            return None
        own = scope_paths(user, "democracy.propose")
        condition = subtree_q(overseen, "unit__path") | subtree_q(own, "unit__path")
        above = ancestor_paths(own)
        if above:
            condition |= Q(unit__path__in=above)
        return condition


class RemembersLoaded(models.Model):
    """Keeps the values of ``COUNTED_FIELDS`` as last loaded or saved, so that a save handler can tell
    whether any of them changed and from what (Django's documented "customizing model loading")."""

    COUNTED_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if set(cls.COUNTED_FIELDS) <= set(field_names):
            instance.remember_counted()
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or set(self.COUNTED_FIELDS) <= set(fields):
            self.remember_counted()

    def remember_counted(self, values=None):
        """Take ``values`` (by default the instance's own) as what the database holds now."""
        self._counted_as_stored = self.counted_values() if values is None else values

    def counted_values(self) -> dict:
        return {name: getattr(self, name) for name in self.COUNTED_FIELDS}

    def counted_values_stored(self) -> dict | None:
        """The values as last loaded or saved; None for a record not (yet) read from the database."""
        return getattr(self, "_counted_as_stored", None)
