"""Answers about other unions' members that the roster's rules cannot avoid giving, logged there.

One person is a member once, wherever in the tree: the member form and the roster import must say
that a typed ID number is already a member's, even when that member belongs to a union the officer
may not see. Each such answer tells the officer that this person is a member somewhere; it is
written to the access log of the unit that holds the member, so that its chair sees who asked.
"""

from django.utils.translation import gettext_lazy

from core.audit import log_sensitive_reads
from orgs.access import has_permission

ID_CHECK = gettext_lazy("身份证号（重复登记查验）")


def log_id_checks(request, holders, *, user=None):
    """Log, for each of ``holders`` (members with their unit) that the reader may not see on the roster,
    that a check of an ID number found them (one INSERT; nothing when all are in scope). The reader is
    ``request.user``, or ``user`` for work done without a request (an import in a background task)."""
    reader = request.user if request is not None else user
    hidden = [m for m in holders if not has_permission(reader, "members.view", m.unit)]
    if hidden:
        log_sensitive_reads(request, hidden, [ID_CHECK], user=reader)
