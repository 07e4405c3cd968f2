"""What activities contribute to other apps: plan metrics, evidence, calendar entries,
the year-end summary section and the home-page card. Registered from ActivitiesConfig.ready()."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.urls import reverse, reverse_lazy
from django.utils import dateformat, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from activities.models import (
    ACTIVE_REGISTRATION,
    Activity,
    Kind,
    Registration,
    RegistrationStatus,
    Status,
    SummaryStatus,
)
from core.figures import (
    CalendarEntry,
    Card,
    Evidence,
    SummarySection,
    calendar_source,
    evidence,
    home_card,
    metric,
    summary_section,
)
from core.money import yuan_figure
from members.models import Member
from orgs.access import has_permission
from orgs.models import OrgUnit


def money(value):
    """Yuan to the fen, whatever the database's SUM returned (SQLite drops the scale)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def year_figures(unit, year):
    """Held activities of the subtree in the year: count, participant-times, budget and spend (one query)."""
    return (
        Activity.objects.in_subtree(unit)
        .held()
        .in_year(year)
        .aggregate(
            held=Count("id"),
            participant_times=Sum("participant_times"),
            budget=Sum("budget"),
            spend=Sum("spend"),
        )
    )


def participation(unit, year):
    """(members who attended at least once in the year, members in the union) in the subtree."""
    took_part = (
        Registration.objects.filter(
            checked_in_at__isnull=False,
            activity__starts_at__year=year,
            activity__status=Status.HELD,
        )
        .filter(member__in=Member.objects.in_subtree(unit).in_union())
        .values("member")
        .distinct()
        .count()
    )
    return took_part, Member.objects.in_subtree(unit).in_union().count()


@metric("activities.held", gettext_lazy("举办活动次数"), "次")
def held_count(unit, year):
    return year_figures(unit, year)["held"]


@metric("activities.participant_times", gettext_lazy("活动参与人次"), "人次")
def participant_times(unit, year):
    return year_figures(unit, year)["participant_times"] or 0


@metric("activities.participation_rate", gettext_lazy("会员活动参与率"), "%")
def participation_rate(unit, year):
    took_part, members = participation(unit, year)
    if not members:
        return None
    return (Decimal(took_part) * 100 / members).quantize(Decimal("0.1"))


@evidence
def activities_for_items(item_ids):
    found = {}
    rows = Activity.objects.filter(schedule_item_id__in=item_ids).exclude(status=Status.CANCELLED).order_by("starts_at")
    for activity in rows.only("id", "title", "status", "starts_at", "participant_times", "schedule_item_id"):
        if activity.status == Status.HELD:
            label = _("活动“%(title)s”已举办（%(date)s，%(count)s 人次）") % {
                "title": activity.title,
                "date": date_format(timezone.localtime(activity.starts_at)),
                "count": activity.participant_times or 0,
            }
        else:
            label = _("活动“%(title)s”（%(status)s）") % {
                "title": activity.title,
                "status": activity.get_status_display(),
            }
        found.setdefault(activity.schedule_item_id, []).append(
            Evidence(label=label, url=reverse("activities:detail", args=[activity.pk]), permission="activities.view")
        )
    return found


# Activities drawn in a month of the work calendar, which writes three things in a day's cell.
CALENDAR_ACTIVITIES = 300


@calendar_source
def activity_dates(user, unit, start, end):
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    last = datetime.datetime.combine(end, datetime.time.max, tzinfo=tz)
    rows = (
        Activity.objects.visible_to(user, "activities.view")
        .around(unit)
        .filter(starts_at__range=(first, last))
        .exclude(status__in=[Status.DRAFT, Status.CANCELLED])
        .only("id", "title", "starts_at")
        # The month's first ones, in the order of the start-time index (a province holds thousands).
        .order_by("starts_at", "id")[:CALENDAR_ACTIVITIES]
    )
    return [
        CalendarEntry(
            date=timezone.localtime(a.starts_at).date(),
            title=a.title,
            # Resolved when a page shows the entry: a month's grid writes three a day of hundreds.
            url=reverse_lazy("activities:detail", args=[a.pk]),
            kind="activities",
        )
        for a in rows
    ]


def kinds_held(unit, year):
    labels = dict(Kind.choices)
    rows = (
        Activity.objects.in_subtree(unit)
        .held()
        .in_year(year)
        .values("kind")
        .annotate(n=Count("id"), times=Sum("participant_times"))
        .order_by("-n")
    )
    return [(labels.get(r["kind"], r["kind"]), r["n"], r["times"] or 0) for r in rows]


def months_held(unit, year):
    rows = (
        Activity.objects.in_subtree(unit)
        .held()
        .in_year(year)
        .annotate(month=ExtractMonth("starts_at"))
        .values("month")
        .annotate(n=Count("id"), times=Sum("participant_times"))
    )
    by_month = {r["month"]: (r["n"], r["times"] or 0) for r in rows}
    return [(m, *by_month.get(m, (0, 0))) for m in range(1, 13)]


@summary_section
def year_summary(unit, year):
    totals = year_figures(unit, year)
    if not totals["held"]:
        return None
    kinds = kinds_held(unit, year)
    took_part, members = participation(unit, year)
    paragraphs = [
        _("全年共举办各类活动%(held)s次，参与%(times)s人次。其中%(kinds)s。")
        % {
            "held": totals["held"],
            "times": totals["participant_times"] or 0,
            "kinds": "、".join(_("%(kind)s%(n)s次") % {"kind": label, "n": n} for label, n, _times in kinds),
        }
    ]
    if members:
        paragraphs.append(
            _("%(took)s名会员至少参加过一次活动，占会员总数的%(rate)s%%。")
            % {"took": took_part, "rate": (Decimal(took_part) * 100 / members).quantize(Decimal("0.1"))}
        )
    figures = [
        (_("举办活动"), _("%(n)s 次") % {"n": totals["held"]}),
        (_("参与人次"), str(totals["participant_times"] or 0)),
    ]
    if totals["budget"] is not None or totals["spend"] is not None:
        # The spend of every activity held in the subtree: where units below held some, the sum says so, or
        # it reads as a second figure for the line the unit's own books (the finance section) give.
        below = Activity.objects.in_subtree(unit).held().in_year(year).exclude(unit=unit).exists()
        text = (
            _("活动预算%(budget)s元，实际支出%(spend)s元（含下级单位举办的活动）。")
            if below
            else _("活动预算%(budget)s元，实际支出%(spend)s元。")
        )
        paragraphs.append(text % {"budget": yuan_figure(totals["budget"]), "spend": yuan_figure(totals["spend"])})
        figures.append((_("活动支出（元）"), str(money(totals["spend"]))))
    return SummarySection(heading=_("文体活动"), paragraphs=paragraphs, figures=figures, order=40)


OPEN_SHOWN = 3  # open activities listed on the home card
HELD_SOON_COUNTED = 99  # beyond this, the card says "more than 99": a province need not count them all


def _held_soon_note(count):
    if not count:
        return _("未来 7 天内没有活动举办")
    if count > HELD_SOON_COUNTED:
        return _("未来 7 天内举办 %(n)s 场以上活动") % {"n": HELD_SOON_COUNTED}
    return _("未来 7 天内举办 %(n)s 场活动") % {"n": count}


MINE_SHOWN = 3  # a member's coming registrations listed on the home card


@home_card
def my_registrations_card(request, unit):
    """The signed-in member's own coming registrations, each a tap from its check-in code (or, while
    waiting for a place, from the activity). Personal, whatever unit is chosen; none, no card."""
    if not request.user.is_authenticated:
        return []
    coming = list(
        Registration.objects.filter(
            member__user=request.user, status__in=ACTIVE_REGISTRATION, activity__starts_at__gte=timezone.now()
        )
        .exclude(activity__status=Status.CANCELLED)
        .select_related("activity")
        .only("status", "activity__title", "activity__starts_at")
        .order_by("activity__starts_at", "pk")[: MINE_SHOWN + 1]
    )
    if not coming:
        return []
    shown = coming[:MINE_SHOWN]
    return [
        Card(
            title=_("我的报名"),
            value=_("%(n)s 场以上") % {"n": MINE_SHOWN}
            if len(coming) > MINE_SHOWN
            else _("%(n)s 场") % {"n": len(shown)},
            note=_("参加活动时出示签到码"),
            url=reverse("activities:mine"),
            todos=[
                (
                    _("%(title)s（%(date)s，%(status)s）")
                    % {
                        "title": r.activity.title,
                        "date": dateformat.format(timezone.localtime(r.activity.starts_at), _("n月j日")),
                        "status": r.get_status_display(),
                    },
                    reverse(
                        "activities:my_qr" if r.status == RegistrationStatus.REGISTERED else "activities:detail",
                        args=[r.activity_id],
                    ),
                )
                for r in shown
            ],
            order=29,
        )
    ]


@home_card
def activities_card(request, unit):
    """Open registrations and this week's events; for officers, groups that owe a summary."""
    user = request.user
    if not has_permission(user, "activities.view", unit):
        return []
    cards = [_registrations_card(user, unit)]
    if has_permission(user, "activities.manage", unit):
        summaries = _summaries_card(unit)
        if summaries is not None:
            cards.append(summaries)
    return cards


def _registrations_card(user, unit):
    """Activities open for registration now, and how many are held in the coming week."""
    now = timezone.now()
    visible = Activity.objects.visible_to(user, "activities.view").around(unit)
    # One more than is listed tells "3" from "more than 3" without counting every open activity.
    open_now = visible.open_for_registration(now).order_by("starts_at").first_with_counts(OPEN_SHOWN + 1)
    more_open = len(open_now) > OPEN_SHOWN
    open_now = open_now[:OPEN_SHOWN]
    week_end = now + datetime.timedelta(days=7)
    this_week = visible.filter(starts_at__range=(now, week_end)).exclude(
        status__in=[Status.DRAFT, Status.CANCELLED, Status.HELD]
    )
    # Counted up to a cap (a LIMIT inside the count): a province's week is read only as far as the figure shown.
    held_soon = this_week[: HELD_SOON_COUNTED + 1].count()
    # Two different figures, each said in words: activities open for registration now (which may
    # be held later than next week), and activities held in the next seven days.
    return Card(
        title=_("正在报名的活动"),
        value=_("%(n)s 场以上") % {"n": OPEN_SHOWN} if more_open else _("%(n)s 场") % {"n": len(open_now)},
        note=_held_soon_note(held_soon),
        url=reverse("activities:list"),
        todos=[(_open_line(a), reverse("activities:detail", args=[a.pk])) for a in open_now],
        order=30,
    )


def _open_line(activity):
    """One open activity as the card lists it: title, day held, places left."""
    return _("%(title)s（%(date)s举办，%(left)s）") % {
        "title": activity.title,
        "date": dateformat.format(timezone.localtime(activity.starts_at), _("n月j日")),
        # The list's badge says 不限名额 on its own ("No limit"); here it is a clause of a sentence.
        "left": pgettext("places, in a sentence", "不限名额")
        if activity.capacity is None
        else _places_left(activity.places_left(activity.registered_count)),
    }


def _places_left(n):
    return ngettext("剩余 %(n)s 个名额", "剩余 %(n)s 个名额", n) % {"n": n}


def _summaries_card(unit):
    """For officers: summaries submitted to review, and the units directly below that owe one."""
    # The units directly below first, then their activities: a province never reads all of its own.
    children = list(OrgUnit.objects.get_children(unit).values_list("pk", flat=True))
    owing = (
        Activity.objects.filter(unit_id__in=children)
        .held()
        .filter(Q(summary__isnull=True) | Q(summary__status__in=[SummaryStatus.DRAFT, SummaryStatus.RETURNED]))
        .values("unit__short_name", "unit__name")
        .annotate(n=Count("id"))
        .order_by("unit__path")[:5]
    )
    todos = [
        (
            ngettext("%(unit)s有 %(n)s 份活动总结未报送", "%(unit)s有 %(n)s 份活动总结未报送", row["n"])
            % {"unit": row["unit__short_name"] or row["unit__name"], "n": row["n"]},
            reverse("activities:received") + "?state=missing",
        )
        for row in owing
    ]
    waiting = Activity.objects.filter(unit_id__in=children, summary__status=SummaryStatus.SUBMITTED).count()
    if waiting:
        todos.insert(
            0,
            (
                ngettext("%(n)s 份活动总结待审阅", "%(n)s 份活动总结待审阅", waiting) % {"n": waiting},
                reverse("activities:received"),
            ),
        )
    if not todos:
        return None
    # The figure says what it counts, as 入会申请's 3 份待审批 does: a bare number read as summaries in all.
    return Card(title=_("活动总结"), value=_("%(n)s 份待审阅") % {"n": waiting}, todos=todos, order=31)
