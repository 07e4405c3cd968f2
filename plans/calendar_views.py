"""The work calendar: month and year views of schedule items and dated records of other
apps, on China's official calendar, and a private iCalendar feed a phone can subscribe to."""

import calendar as month_calendar
import datetime
import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Case, Count, F, IntegerField, When
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core import calendar, figures
from core.keyset import merged_page
from orgs.access import current_unit_or_404, has_permission
from orgs.models import OrgUnit
from plans.models import ItemStatus, PlanStatus, ScheduleItem

# A month grid shows days of the neighbouring months too; the lunar tables end with 2099.
FIRST_YEAR, LAST_YEAR = 2000, calendar.MAX_YEAR - 1
DATED_SHOWN = 200  # dated items drawn in one month's grid (a day shows three); a federation sees the rest in lists
PER_DAY = 3  # items written in a day's cell before "+N"
FEED_SALT = "plans.calendar-feed"
FEED_EVENTS = 3000


def _items(user, unit):
    """Schedule items of published plans the user may see, assigned anywhere in ``unit``'s subtree.

    A draft is not yet the unit's work: like the assigned items and the overdue counts, the calendar
    and the feed on people's phones leave its items out until the plan is published."""
    return (
        ScheduleItem.objects.visible_to(user, "plans.view").in_subtree(unit).filter(plan__status=PlanStatus.PUBLISHED)
    )


def _check_year(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


def _crumbs(*trail):
    return [
        {"label": _("工作计划"), "url": reverse("plans:index")},
        {"label": _("工作日历"), "url": reverse("plans:calendar")},
        *trail,
    ]


# --- Month ------------------------------------------------------------------------------------


@login_required
def month_view(request, year=None, month=None):
    unit = current_unit_or_404(request, "plans.view")
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    _check_year(year)
    if not 1 <= month <= 12:
        raise Http404
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, month_calendar.monthrange(year, month)[1])

    # What the month's grid and lists show of an item: its text, state, date and unit (not its plan).
    shown = ["id", "plan_id", "order", "month", "date", "text", "owner", "status", "unit__name", "unit__short_name"]
    scheduled, postponed = _items(request.user, unit).select_related("unit").only(*shown).in_month_parts(year, month)
    dated = list(scheduled.filter(date__range=(first, last)).order_by("date", "pk")[:DATED_SHOWN])
    # The month's other items, a plan's together in its order, by keyset: a province's month holds
    # thousands, and a page of them is read in two index walks without counting or sorting them all.
    # (A scheduled item's date lies in its month: ScheduleItem.clean, and the plan services' copies.)
    others = merged_page(
        [scheduled.filter(date__isnull=True), postponed],
        order=[("plan_id", False), ("order", False), ("id", False)],
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=settings.PAGE_SIZE,
        count=False,  # a city's share of a province's month would be counted across the province
    )
    entries = figures.calendar_entries(request.user, unit, first, last)

    weeks = _weeks(year, month, today, dated, entries)
    agenda = [
        day
        for week in weeks
        for day in week
        if day["in_month"] and (day["items"] or day["entries"] or _marked(day["info"]))
    ]
    previous = first - datetime.timedelta(days=1)
    following = last + datetime.timedelta(days=1)
    context = {
        "unit": unit,
        "year": year,
        "month": month,
        "weeks": weeks,
        "agenda": agenda,
        "page": others,
        "dated_truncated": len(dated) == DATED_SHOWN,
        "dated_shown": DATED_SHOWN,
        "previous": previous if previous.year >= FIRST_YEAR else None,
        "following": following if following.year <= LAST_YEAR else None,
        "today": today,
        "provisional": any(day["info"].provisional for week in weeks for day in week if day["in_month"]),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "plans/calendar_month.html", context)


def _weeks(year, month, today, items, entries):
    """The month's grid, Monday first: each day with its marks and what happens on it."""
    by_day = {}
    for item in items:
        by_day.setdefault(item.date, {"items": [], "entries": []})["items"].append(item)
    for entry in entries:
        by_day.setdefault(entry.date, {"items": [], "entries": []})["entries"].append(entry)
    weeks = []
    for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        days = []
        for day in week:
            found = by_day.get(day, {"items": [], "entries": []})
            things = [*found["entries"], *found["items"]]
            days.append(
                {
                    "date": day,
                    "in_month": day.month == month,
                    "today": day == today,
                    "info": calendar.day_info(day),
                    "items": found["items"],
                    "entries": found["entries"],
                    "shown": things[:PER_DAY],
                    "more": max(0, len(things) - PER_DAY),
                }
            )
        weeks.append(days)
    return weeks


def _marked(info):
    return bool(info.holiday or info.festivals)


# --- Year -------------------------------------------------------------------------------------


@login_required
def year_view(request, year):
    unit = current_unit_or_404(request, "plans.view")
    _check_year(year)
    counts = _items_by_due_month(request.user, unit, year)
    holidays = _holiday_spans(year)
    context = {
        "unit": unit,
        "year": year,
        "months": _month_grids(year, counts),
        "year_round": counts.get(0, 0),
        "holidays": holidays,
        "swapped": calendar.swapped_workdays(year),
        "festivals": [
            {"name": calendar.FESTIVAL_NAMES[key], "date": day} for key, day in calendar.festivals(year).items()
        ],
        "provisional": any(h["provisional"] for h in holidays),
        "previous": year - 1 if year > FIRST_YEAR else None,
        "following": year + 1 if year < LAST_YEAR else None,
        "today": timezone.localdate(),
        "breadcrumbs": _crumbs({"label": _("%(year)s年") % {"year": year}, "url": ""}),
    }
    return render(request, "plans/calendar_year.html", context)


def _items_by_due_month(user, unit, year):
    """{month: items due in it} of the year's plans (0: year-round); a postponed item counts where it went."""
    due_month = Case(
        When(status=ItemStatus.POSTPONED, postponed_to__isnull=False, then=F("postponed_to")),
        default=F("month"),
        output_field=IntegerField(),
    )
    return dict(
        _items(user, unit)
        .filter(plan__year=year)
        .annotate(due=due_month)
        .values("due")
        .annotate(n=Count("pk"))
        .values_list("due", "n")
    )


def _month_grids(year, counts):
    """Twelve months as weeks of days (Monday first), each day with its holiday or festival."""
    weeks_of = month_calendar.Calendar(firstweekday=0).monthdatescalendar
    return [
        {
            "month": month,
            "weeks": [
                [{"date": day, "in_month": day.month == month, "info": calendar.day_info(day)} for day in week]
                for week in weeks_of(year, month)
            ],
            "count": counts.get(month, 0),
        }
        for month in range(1, 13)
    ]


def _holiday_spans(year):
    """The year's days off as spans: consecutive days of one holiday become one entry."""
    spans = []
    for holiday in calendar.holidays(year):
        if spans and spans[-1]["key"] == holiday.key and (holiday.date - spans[-1]["end"]).days == 1:
            spans[-1]["end"] = holiday.date
        else:
            spans.append(
                {
                    "key": holiday.key,
                    "name": holiday.name,
                    "start": holiday.date,
                    "end": holiday.date,
                    "provisional": holiday.provisional,
                }
            )
    return spans


# --- Feed -------------------------------------------------------------------------------------


def _password_key(user):
    return salted_hmac(FEED_SALT, user.password).hexdigest()[:16]


def feed_token(user, unit):
    """The private part of a feed's address: who subscribes to which unit, signed.

    The feed checks on every request that the person is still active and may still see
    the unit's plans, so taking away the role or the account closes the feed. The token
    also carries a key derived from the password hash, as Django's password-reset tokens
    do: changing the password is how a person retires an address that got out.
    """
    return signing.Signer(salt=FEED_SALT).sign_object({"u": unit.pk, "p": user.pk, "k": _password_key(user)})


def _feed_owner(token):
    try:
        data = signing.Signer(salt=FEED_SALT).unsign_object(token)
        user = get_user_model().objects.get(pk=data["p"], is_active=True)
        unit = OrgUnit.objects.get(pk=data["u"], is_active=True)
        key = str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, get_user_model().DoesNotExist, OrgUnit.DoesNotExist):
        raise Http404 from None
    if not constant_time_compare(key, _password_key(user)) or not has_permission(user, "plans.view", unit):
        raise Http404
    return user, unit


@login_required
def subscribe(request):
    unit = current_unit_or_404(request, "plans.view")
    path = reverse("plans:calendar_feed", args=[feed_token(request.user, unit)])
    url = request.build_absolute_uri(path)
    context = {
        "unit": unit,
        "feed_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
        "breadcrumbs": _crumbs({"label": _("订阅到手机日历"), "url": ""}),
    }
    return render(request, "plans/calendar_subscribe.html", context)


def feed(request, token):
    user, unit = _feed_owner(token)
    today = timezone.localdate()
    start = datetime.date(max(today.year - 1, FIRST_YEAR), 1, 1)
    end = datetime.date(min(today.year + 1, LAST_YEAR), 12, 31)
    ical = _feed_calendar(unit)
    stamp = timezone.now()
    items = (
        _items(user, unit)
        .filter(plan__year__range=(start.year, end.year))
        .exclude(status=ItemStatus.CANCELLED)
        .exclude(month=0)
        .select_related("plan", "unit")
        .order_by("plan__year", "month", "order", "pk")[:FEED_EVENTS]
    )
    for item in items:
        ical.add_component(_item_event(request, item, stamp))
    for entry in figures.calendar_entries(user, unit, start, end):
        ical.add_component(_entry_event(request, entry, stamp))
    response = HttpResponse(ical.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="gonghui.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


def _feed_calendar(unit):
    """The feed's calendar, named for the unit, before any event."""
    ical = Calendar()
    ical.add("prodid", "-//Gonghui//Work calendar//ZH")
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("x-wr-calname", _("%(unit)s工作日历") % {"unit": unit.display_name})
    ical.add("x-wr-timezone", "Asia/Shanghai")
    ical.add("x-published-ttl", "PT6H")
    return ical


def _all_day_event(uid, stamp, summary, day):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    return event


def _item_event(request, item, stamp):
    """A plan item on its day; a month's work without a day on the month's first working day."""
    if item.date and item.status != ItemStatus.POSTPONED:
        day, summary = item.date, item.text
    else:
        day = calendar.add_workdays(datetime.date(item.plan.year, item.due_month, 1) - datetime.timedelta(days=1), 1)
        summary = _("【本月】%(text)s") % {"text": item.text}
    event = _all_day_event(f"plan-item-{item.pk}@gonghui", stamp, summary, day)
    event.add("description", f"{item.plan.title} · {item.unit.display_name} · {item.get_status_display()}")
    event.add("url", request.build_absolute_uri(reverse("plans:item", args=[item.pk])))
    return event


def _entry_event(request, entry, stamp):
    """Another app's dated work (figures.calendar_entries)."""
    # Stable across refreshes, so a phone updates the event rather than duplicating it.
    key = hashlib.sha1(f"{entry.kind}|{entry.date}|{entry.url or entry.title}".encode()).hexdigest()[:16]
    event = _all_day_event(f"{entry.kind or 'entry'}-{key}@gonghui", stamp, entry.title, entry.date)
    if entry.url:
        event.add("url", request.build_absolute_uri(entry.url))
    return event
