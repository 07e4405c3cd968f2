"""Answers about ID numbers that the roster's rules cannot avoid giving, logged where the member belongs.

One person is a member once, wherever in the tree: the member form and the roster import must say
that a typed ID number is already a member's, even when that member belongs to a union the officer
may not see. Each such answer tells the officer that this person is a member somewhere; it is
written to the access log of the unit that holds the member, so that its chair sees who asked.

The roster search finds a member by a full ID number typed in it. The mask hides all but the first
four digits (core.encryption.mask_id_number), but beside the birth date, the gender and the unit the
page shows, a few hundred candidates remain, and each search answers whether one is the number: so
every member a full number finds is logged, though the reader may see them on the roster, and
each search counts against the same hourly budget as the member form's checks (id_check_allowed).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import idnumber, throttle
from core.audit import log_sensitive_reads
from core.errors import Refusal
from orgs.access import has_permission

ID_CHECK = gettext_lazy("身份证号（重复登记查验）")
ID_SEARCH = gettext_lazy("身份证号（按完整号码查找）")

# Each check of a typed ID number answers whether that person is a member (of any union, for the
# member form's duplicate check; of the reader's subtree, for the search). Typing members in by hand
# is tens an hour; a group leader who posted candidates (with a date that kept anything from being
# saved) rebuilt a masked ID number in 2,648 checks. A roster of more goes through the import, which
# matches the importing unit's own subtree only.
ID_CHECKS_PER_HOUR = 60


class IdSearchRefused(Refusal):
    """The reader has used this hour's checks of full ID numbers."""


def id_check_allowed(user) -> bool:
    """Count one check of a typed ID number against ``user``'s hourly budget; False once it is spent."""
    return bool(throttle.allow(f"member-id-check:{user.pk}", limit=ID_CHECKS_PER_HOUR, seconds=3600))


def log_id_checks(request, holders, *, user=None):
    """Log, for each of ``holders`` (members with their unit) that the reader may not see on the roster,
    that a check of an ID number found them (one INSERT; nothing when all are in scope). The reader is
    ``request.user``, or ``user`` for work done without a request (an import in a background task)."""
    reader = request.user if request is not None else user
    hidden = [m for m in holders if not has_permission(reader, "members.view", m.unit)]
    if hidden:
        log_sensitive_reads(request, hidden, [ID_CHECK], user=reader)


def count_id_search(user, refusal):
    """Count a page's search by a full ID number (the roster's, the hardship list's) against ``user``'s
    hourly budget (id_check_allowed); past it raise IdSearchRefused with ``refusal``, which says what
    else that page's search box finds."""
    if not id_check_allowed(user):
        raise IdSearchRefused(refusal)


def search(request, members, query, *, user=None):
    """``members`` matching ``query``: a full ID number by its blind index, each member it finds logged
    as read by ``request.user`` (or ``user``, for a background export); anything else by
    MemberQuerySet.search (name, pinyin, the phone's last four).

    A full number searched from a page counts against the reader's hourly budget (count_id_search),
    and past it raises IdSearchRefused: else the few hundred candidates the page leaves could be tried
    one by one. A background export repeats the search its page already counted, so it is not counted."""
    number = idnumber.typed(query)
    if not number:
        return members.search(query)
    if request is not None:
        count_id_search(request.user, _("按身份证号查找过于频繁，请一小时后再试；可以按姓名、拼音或手机号后四位查找。"))
    found = list(members.with_id_number(number))
    log_sensitive_reads(request, found, [ID_SEARCH], user=user)
    return members.filter(pk__in=[member.pk for member in found])
