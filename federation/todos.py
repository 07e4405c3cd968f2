"""The to-dos of the work between units, and of plan items and transfers, for core.todo.

Each source keeps to a few queries: it reads the units where the person holds a role (their own
units, not every unit below them: a county officer is not asked to review a school's groups), and
lists a bounded number of records.
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.calendar import years_later
from core.todo import Todo, todo_source
from federation import filing as machine
from federation.models import FILE, Filing, FilingCall, FilingStatus
from orgs.access import units_with

LISTED = 20  # at most this many to-dos of one kind; the title of the last says how many more


def _ids(units):
    return [unit.pk for unit in units]


def _capped(todos, more_title, count_all=None):
    """The first LISTED - 1 to-dos, and one saying how many more. ``count_all`` counts them all when the
    list was read only as far as LISTED + 1 (else "还有 2 份" however many wait); asked only then."""
    if len(todos) <= LISTED:
        return todos
    rest = (count_all() if count_all is not None else len(todos)) - LISTED + 1
    last = todos[LISTED - 1]
    return [*todos[: LISTED - 1], Todo(kind=last.kind, title=more_title % {"count": rest}, url=last.url)]


@todo_source
def returned_work(user, *, today):
    """Work the unit above sent back: first on the list, it is the unit's to fix and file again."""
    units = _ids(units_with(user, FILE))
    filings = (
        Filing.objects.filter(status=FilingStatus.RETURNED)
        .filter(Q(unit_id__in=units) | Q(filed_by=user))
        .select_related("unit")
        .order_by("due", "-reviewed_at")[: LISTED + 1]
    )
    return [
        Todo(
            kind=f"{f.kind}.returned",
            title=_("修改后重新报送：%(title)s（退回意见：%(comment)s）") % {"title": f.title, "comment": f.comment},
            url=machine.filing_url(f),
            due=f.due,
            unit_name=f.unit.name,
            urgent=True,
        )
        for f in filings
    ]


@todo_source
def calls_to_file(user, *, today):
    """Calls from the unit above not yet filed (drafts included), with their deadline. A filing sent
    back is not listed here: ``returned_work`` lists it, with the reason."""
    units = units_with(user, FILE)
    if not units:
        return []
    calls = list(
        FilingCall.objects.visible_to(user, FILE).filter(due__gte=years_later(today, -1)).select_related("unit")
    )
    if not calls:
        return []
    done = set(
        Filing.objects.filter(call__in=calls, unit_id__in=_ids(units))
        .exclude(status=FilingStatus.DRAFT)
        .values_list("call_id", "unit_id")
    )
    todos = []
    for call in calls:
        for unit in units:
            if call.addresses(unit) and (call.pk, unit.pk) not in done:
                todos.append(
                    Todo(
                        kind=f"{call.kind}.due",
                        title=_("报送：%(title)s") % {"title": call.title},
                        url=reverse("federation:call", args=[call.pk]),
                        due=call.due,
                        unit_name=unit.name,
                        urgent=call.due < today,
                    )
                )
    return _capped(sorted(todos, key=lambda t: t.due), _("还有 %(count)d 项报送任务"))


@todo_source
def filings_to_review(user, *, today):
    """What units directly below the person's own units filed and nobody has reviewed yet."""
    conditions = [
        Q(parent_id__in=parents, kind__in=kinds)
        for permission, kinds in machine.kinds_by_review_permission().items()
        if (parents := _ids(units_with(user, permission)))
    ]
    if not conditions:  # no role that reviews anything: nothing to read
        return []
    waiting = Filing.objects.filter(reduce(or_, conditions), status=FilingStatus.FILED)
    filings = list(waiting.select_related("unit").order_by("filed_at")[: LISTED + 1])
    todos = [
        Todo(
            kind=f"{f.kind}.review",
            title=_("审阅%(unit)s报送的：%(title)s") % {"unit": f.unit.name, "title": f.title},
            url=machine.review_url(f),
            due=None,
            unit_name=f.unit.name,
        )
        for f in filings
    ]
    return _capped(todos, _("还有 %(count)d 份待审阅的报备"), waiting.count)


@todo_source
def plan_items_due(user, *, today):
    """Schedule items of the person's own units due this month or overdue, not done yet."""
    from plans.models import ItemStatus, PlanStatus, ScheduleItem

    units = _ids(units_with(user, "plans.update_items"))
    if not units:
        return []
    due = (
        ScheduleItem.objects.filter(unit_id__in=units, plan__year=today.year, plan__status=PlanStatus.PUBLISHED)
        .filter(
            Q(month__gte=1, month__lte=today.month) & ~Q(status=ItemStatus.POSTPONED)
            | Q(status=ItemStatus.POSTPONED, postponed_to__lte=today.month)
        )
        .exclude(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])
    )
    todos = []
    for item in due.select_related("unit").order_by("month", "order", "pk")[: LISTED + 1]:
        month = item.postponed_to if item.status == ItemStatus.POSTPONED else item.month
        end = _month_end(today.year, month)
        todos.append(
            Todo(
                kind="plans.item_due",
                title=_("完成计划事项：%(text)s") % {"text": item.text[:60]},
                url=reverse("plans:item", args=[item.pk]),
                due=end,
                unit_name=item.unit.name,
                urgent=end < today,
            )
        )
    return _capped(todos, _("还有 %(count)d 项计划事项"), due.count)


def _month_end(year, month):
    import calendar as cal
    import datetime

    return datetime.date(year, month, cal.monthrange(year, month)[1])


@todo_source
def transfers_to_accept(user, *, today):
    """Members transferred into the person's own units, waiting for acceptance."""
    from members.models import Transfer, TransferStatus

    units = _ids(units_with(user, "members.transfer"))
    if not units:
        return []
    waiting = Transfer.objects.filter(to_unit_id__in=units, status=TransferStatus.PENDING)
    transfers = list(waiting.select_related("member", "to_unit").order_by("pk")[: LISTED + 1])
    todos = [
        Todo(
            kind="members.transfer_incoming",
            title=_("接收转入会员：%(name)s") % {"name": t.member.name},
            url=reverse("members:transfers"),
            unit_name=t.to_unit.name,
        )
        for t in transfers
    ]
    return _capped(todos, _("还有 %(count)d 名转入会员待接收"), waiting.count)
