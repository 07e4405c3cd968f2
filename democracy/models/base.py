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
