"""The overview page of democratic management: what waits for this person, and where to go."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from democracy.models import Ballot, BallotStatus, Notice, NoticeStatus, Proposal, Representative, Session
from democracy.models.proposals import OPEN_STATUSES
from democracy.views.common import MANAGE, VIEW, home_union, today
from orgs.access import has_permission
from orgs.models import UnitKind

MINE_SHOWN = 5  # of one's own proposals and suggestions on the overview


@login_required
def index(request):
    union = home_union(request)
    user = request.user
    day = today()
    representative = (
        Representative.objects.serving(day).filter(member__user=user).select_related("congress__unit").first()
    )
    sessions = Session.objects.readable_by(user).filter(unit=union).select_related("congress__unit", "unit")[:5]
    # The latest few of one's own, and how many in all (counted only when there may be more): the rest are
    # on the list of proposals, filtered to one's own (?author=me).
    mine = Proposal.objects.filter(author=user).order_by("-submitted_on", "-pk")
    latest_mine = list(mine[:MINE_SHOWN])
    return render(
        request,
        "democracy/index.html",
        {
            "union": union,
            "representative": representative,
            "sessions": sessions,
            "open_window": [s for s in sessions if s.window_open(day)] if representative else [],
            "mine": latest_mine,
            "mine_count": mine.count() if len(latest_mine) == MINE_SHOWN else len(latest_mine),
            "to_answer": Proposal.objects.filter(handler=user, status__in=OPEN_STATUSES).order_by("due_on")[:10],
            "ballots": Ballot.objects.readable_by(user).filter(unit=union, status=BallotStatus.OPEN)[:5],
            "notices": Notice.objects.readable_by(user).filter(unit=union, status=NoticeStatus.PUBLISHED)[:5],
            # An officer of a federation oversees the unions' proposals; the page does not ask him for one.
            "is_federation": union.kind == UnitKind.FEDERATION,
            "can_view": has_permission(user, VIEW, union),
            "can_manage": has_permission(user, MANAGE, union),
            "today": day,
        },
    )
