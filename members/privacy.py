"""Answers about ID numbers that the roster's rules cannot avoid giving, logged where the member belongs.

One person is a member once, wherever in the tree: the member form and the roster import must say
that a typed ID number is already a member's, even when that member belongs to a union the officer
may not see. Each such answer tells the officer that this person is a member somewhere; it is
written to the access log of the unit that holds the member, so that its chair sees who asked.

The roster search finds a member by a full ID number typed in it. The mask hides all but the first
four digits (core.encryption.mask_id_number), but beside the birth date, the gender and the unit the
page shows, a few hundred candidates remain, and each search answers whether one is the number: so
every member a full number finds is logged, though the reader may see them on the roster.
"""

from django.utils.translation import gettext_lazy

from core import idnumber
from core.audit import log_sensitive_reads
from orgs.access import has_permission

ID_CHECK = gettext_lazy("身份证号（重复登记查验）")
ID_SEARCH = gettext_lazy("身份证号（按完整号码查找）")


def log_id_checks(request, holders, *, user=None):
    """Log, for each of ``holders`` (members with their unit) that the reader may not see on the roster,
    that a check of an ID number found them (one INSERT; nothing when all are in scope). The reader is
    ``request.user``, or ``user`` for work done without a request (an import in a background task)."""
    reader = request.user if request is not None else user
    hidden = [m for m in holders if not has_permission(reader, "members.view", m.unit)]
    if hidden:
        log_sensitive_reads(request, hidden, [ID_CHECK], user=reader)


def typed_id_number(query) -> str:
    """``query`` as a full ID number (18 characters, the last a digit or X), normalised, or ""."""
    number = idnumber.normalize(query)
    return number if len(number) == 18 and number[:17].isdecimal() and number[17] in "0123456789X" else ""


def search(request, members, query, *, user=None):
    """``members`` matching ``query``: a full ID number by its blind index, each member it finds logged
    as read by ``request.user`` (or ``user``, for a background export); anything else by
    MemberQuerySet.search (name, pinyin, the phone's last four)."""
    number = typed_id_number(query)
    if not number:
        return members.search(query)
    found = list(members.with_id_number(number))
    log_sensitive_reads(request, found, [ID_SEARCH], user=user)
    return members.filter(pk__in=[member.pk for member in found])
