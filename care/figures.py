"""What care contributes elsewhere: the care officer's home cards and to-dos, plan-target metrics,
the year-end summary section, and the roll-up a federation sees (counts and amounts, never names)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from care import reminders
from care.models import Assistance, Campaign, CaseStatus, Household, Level, Pairing, RightsCase, settings_for
from care.models.assistance import AssistanceStatus, Purpose
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
from core.todo import Todo, todo_source
from orgs.access import has_permission
from orgs.models import UnitKind

REVIEW_AHEAD_DAYS = 30


def _year_range(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@metric("care.households", gettext_lazy("在档困难职工户数"), "户")
def households_in_hardship(unit, year):
    return Household.objects.in_subtree(unit).in_hardship().count()


@metric("care.assistance_amount", gettext_lazy("帮扶救助金额"), "元")
def assistance_amount(unit, year):
    total = (
        Assistance.objects.in_subtree(unit).given().filter(given_on__range=_year_range(year)).aggregate(s=Sum("amount"))
    )
    return total["s"] or Decimal(0)


@metric("care.songnuan_people", gettext_lazy("送温暖慰问人次"), "人次")
def songnuan_people(unit, year):
    return (
        Assistance.objects.in_subtree(unit)
        .given()
        .filter(given_on__range=_year_range(year), purpose=Purpose.SONGNUAN)
        .count()
    )


@metric("care.lifted", gettext_lazy("当年脱困户数"), "户")
def lifted(unit, year):
    return (
        Household.objects.in_subtree(unit)
        .filter(events__kind="lifted", events__on__range=_year_range(year))
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class Rollup:
    """The figures a federation sees of a subtree: counts and amounts only."""

    by_level: dict
    households: int
    lifted: int
    amount: Decimal
    people_helped: int
    by_purpose: dict
    cases: int
    cases_closed: int
    recovered: Decimal
    given: int = 0  # payments handed over (人次)
    songnuan: int = 0  # 送温暖 of them


def rollup(unit, year) -> Rollup:
    """The figures of ``unit``'s whole subtree."""
    return rollups(unit, year, by_child=False).get(unit.path) or empty_rollup()


def rollups(unit, year, *, by_child=True) -> dict[str, Rollup]:
    """Figures per child of ``unit`` (keyed by the child's path), or for the whole subtree (``by_child=False``).

    Each figure is one grouped query over the subtree, whatever the number of children: a unit's
    rows are grouped by the first characters of their path, which are their child's path.
    """
    length = len(unit.path) + (type(unit).steplen if by_child else 0)
    key = Substr("unit__path", 1, length)
    dates = _year_range(year)
    households = Household.objects.in_subtree(unit).in_hardship().annotate(key=key)
    levels = households.values("key", "level").annotate(n=Count("id")).order_by()
    lifted_rows = (
        Household.objects.in_subtree(unit)
        .filter(events__kind="lifted", events__on__range=dates)
        .annotate(key=key)
        .values("key")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    given = Assistance.objects.in_subtree(unit).given().filter(given_on__range=dates).annotate(key=key)
    totals = given.values("key").annotate(s=Sum("amount"), n=Count("id")).order_by()
    # The people each paying unit helped, distinct within that unit and added up, as care.rollup keeps them
    # for a federation (see there why): a union's row on the county's page is its own page's total.
    people = given.values("key", "unit_id").annotate(n=Count("recipient", distinct=True)).order_by()
    purposes = given.values("key", "purpose").annotate(s=Sum("amount"), n=Count("id")).order_by()
    cases = (
        RightsCase.objects.in_subtree(unit)
        .filter(created_at__year=year)
        .annotate(key=key)
        .values("key")
        .annotate(n=Count("id"), closed=Count("id", filter=Q(status=CaseStatus.CLOSED)), recovered=Sum("recovered"))
        .order_by()
    )
    found: dict[str, dict] = {}

    def entry(path):
        return found.setdefault(
            path,
            {"levels": {}, "lifted": 0, "amount": Decimal(0), "people": 0, "given": 0, "purposes": {}, "cases": {}},
        )

    for row in levels:
        entry(row["key"])["levels"][row["level"]] = row["n"]
    for row in lifted_rows:
        entry(row["key"])["lifted"] = row["n"]
    for row in totals:
        entry(row["key"]).update(amount=row["s"] or Decimal(0), given=row["n"])
    for row in people:
        entry(row["key"])["people"] += row["n"]
    for row in purposes:
        entry(row["key"])["purposes"][row["purpose"]] = (row["s"] or Decimal(0), row["n"])
    for row in cases:
        entry(row["key"])["cases"] = row
    return {path: _as_rollup(parts) for path, parts in found.items()}


def _as_rollup(parts) -> Rollup:
    levels, cases, purposes = parts["levels"], parts["cases"], parts["purposes"]
    return Rollup(
        by_level={label: levels.get(value, 0) for value, label in Level.choices},
        households=sum(levels.values()),
        lifted=parts["lifted"],
        amount=parts["amount"],
        people_helped=parts["people"],
        by_purpose={label: purposes.get(value, (Decimal(0), 0))[0] for value, label in Purpose.choices},
        cases=cases.get("n", 0),
        cases_closed=cases.get("closed", 0),
        recovered=cases.get("recovered") or Decimal(0),
        given=parts["given"],
        songnuan=purposes.get(Purpose.SONGNUAN, (0, 0))[1],
    )


def empty_rollup() -> Rollup:
    return _as_rollup(
        {"levels": {}, "lifted": 0, "amount": Decimal(0), "people": 0, "given": 0, "purposes": {}, "cases": {}}
    )


@summary_section
def care_summary(unit, year):
    figures = rollup(unit, year)
    if not (figures.households or figures.amount or figures.cases):
        return None
    paragraphs = [
        _(
            "全年在档困难职工%(households)s户，其中深度困难%(deep)s户、相对困难%(relative)s户、意外致困%(accident)s户；"
            "当年脱困%(lifted)s户。发放各类帮扶救助金%(amount)s元，惠及%(people)s人。"
        )
        % {
            "households": figures.households,
            "deep": figures.by_level[Level.DEEP.label],
            "relative": figures.by_level[Level.RELATIVE.label],
            "accident": figures.by_level[Level.ACCIDENT.label],
            "lifted": figures.lifted,
            "amount": yuan_figure(figures.amount),  # 110,100.00, as the other sections write yuan
            "people": figures.people_helped,
        }
    ]
    if figures.cases:
        paragraphs.append(
            _("受理职工维权求助%(n)s件，办结%(closed)s件，挽回经济损失%(recovered)s元。")
            % {"n": figures.cases, "closed": figures.cases_closed, "recovered": yuan_figure(figures.recovered)}
        )
    return SummarySection(
        heading=_("关爱帮扶和维权"),
        paragraphs=paragraphs,
        figures=[(_("帮扶救助金额（元）"), str(figures.amount)), (_("在档困难职工（户）"), str(figures.households))],
        order=60,
    )


def _running_campaign(unit, user):
    return (
        Campaign.objects.visible_to(user, "care.view")
        .in_subtree(unit)
        .running()
        .annotate(total=Count("entries"), done=Count("entries", filter=Q(entries__done_on__isnull=False)))
        .order_by("ends_on")
        .first()
    )


@home_card
def care_cards(request, unit):
    """The care officer's own work on her home page: reviews due, the running campaign, visits due."""
    if not has_permission(request.user, "care.view", unit):
        return []
    from django.utils import timezone

    today = timezone.localdate()
    # For the care officer these cards are her work, so they come first; the chair keeps her own order.
    first = 0 if not has_permission(request.user, "orgs.assign_roles", unit) else 20
    # Both figures from one statement: those due are the households in hardship with a review soon.
    counts = (
        Household.objects.visible_to(request.user, "care.view")
        .in_subtree(unit)
        .in_hardship()
        .aggregate(
            hardship=Count("pk"),
            due=Count("pk", filter=Q(next_review_on__lte=today + datetime.timedelta(days=REVIEW_AHEAD_DAYS))),
        )
    )
    due = counts["due"]
    cards = [
        Card(
            title=_("困难职工档案"),
            value=ngettext("%(n)s 户", "%(n)s 户", counts["hardship"]) % {"n": counts["hardship"]},
            note=_("30天内到期复核 %(n)s 户") % {"n": due},
            url=reverse("care:households"),
            todos=[
                (
                    ngettext("复核到期档案（%(n)s户）", "复核到期档案（%(n)s户）", due) % {"n": due},
                    reverse("care:households") + "?list=due",
                )
            ]
            if due
            else [],
            order=first,
        )
    ]
    campaign = _running_campaign(unit, request.user)
    if campaign is not None:
        cards.append(
            Card(
                title=campaign.title,
                value=f"{campaign.done}/{campaign.total}",
                note=_("截止 %(date)s") % {"date": date_format(campaign.ends_on)},
                url=reverse("care:campaign_detail", args=[campaign.pk]) + "?mine=1",
                todos=[(_("我负责的慰问名单"), reverse("care:campaign_detail", args=[campaign.pk]) + "?mine=1")],
                order=first + 1,
            )
        )
    if unit.kind != UnitKind.FEDERATION:
        cards.append(_visits_card(unit, today, order=first + 2))
    return cards


def _visits_card(unit, today, *, order):
    """Members to visit soon. A union's card only: a federation's members are visited by their own
    unions, and a province's reminders would read the birthdays of millions on every home page."""
    visits = (
        reminders.sick_leave(unit, today=today)
        + reminders.birthdays(unit, today=today)
        + reminders.retirements(unit, today=today)
    )
    return Card(
        title=_("走访提醒"),
        value=ngettext("%(n)s 人", "%(n)s 人", len(visits)) % {"n": len(visits)},
        note=_("长期病休、近期生日、即将退休的会员"),
        url=reverse("care:visits"),
        todos=[(f"{r.name} · {r.occasion()}", reverse("care:visits")) for r in visits[:3]],
        order=order,
    )


@todo_source
def care_todos(user, *, today):
    """Reviews due, approvals waiting for someone else's signature, campaign entries, cases past deadline, silent pairs."""
    if not has_permission(user, "care.manage"):
        return []
    return [
        *_reviews_due(user, today),
        *_approvals_waiting(user),
        *_campaign_visits_open(user, today),
        *_cases_near_deadline(user, today),
        *_silent_pairs(user, today),
    ]


def _reviews_due(user, today):
    """One to-do for all files due for review within the look-ahead, dated by the earliest."""
    households = Household.objects.visible_to(user, "care.manage")
    due = households.due_for_review(today + datetime.timedelta(days=REVIEW_AHEAD_DAYS))
    due_count = due.count()
    if not due_count:
        return []
    first = due.order_by("next_review_on").values_list("next_review_on", flat=True).first()
    return [
        Todo(
            kind="care.review_due",
            title=ngettext("复核困难职工档案（%(n)s户）", "复核困难职工档案（%(n)s户）", due_count) % {"n": due_count},
            url=reverse("care:households") + "?list=due",
            due=first,
            urgent=first is not None and first < today,
        )
    ]


def _approvals_waiting(user):
    """Payments above the threshold that someone else entered: the user may sign them."""
    pending = (
        Assistance.objects.visible_to(user, "care.manage")
        .filter(status=AssistanceStatus.PENDING)
        .exclude(entered_by=user)
        .order_by("given_on")[:5]
    )
    return [
        Todo(
            kind="care.approve",
            title=_("审批帮扶发放：%(amount)s元") % {"amount": payment.amount},
            url=reverse("care:assistance_detail", args=[payment.pk]),
            due=payment.given_on,
        )
        for payment in pending
    ]


def _campaign_visits_open(user, today):
    """Running campaigns where the user still has people to visit, with how many."""
    campaigns = (
        Campaign.objects.visible_to(user, "care.manage")
        .running()
        .filter(entries__officer=user, entries__done_on__isnull=True)
        .annotate(open=Count("entries", filter=Q(entries__officer=user, entries__done_on__isnull=True)))
        .order_by("ends_on")[:5]
    )
    return [
        Todo(
            kind="care.campaign",
            title=ngettext("%(title)s：还有%(n)s人待慰问", "%(title)s：还有%(n)s人待慰问", campaign.open)
            % {"title": campaign.title, "n": campaign.open},
            url=reverse("care:campaign_detail", args=[campaign.pk]) + "?mine=1",
            due=campaign.ends_on,
            urgent=campaign.ends_on < today,
        )
        for campaign in campaigns
    ]


def _cases_near_deadline(user, today):
    """Open rights cases, the user's or nobody's, due within three days or overdue."""
    cases = (
        RightsCase.objects.visible_to(user, "care.manage")
        .open()
        .filter(Q(assigned_to=user) | Q(assigned_to__isnull=True), deadline__lte=today + datetime.timedelta(days=3))
    )
    return [
        Todo(
            kind="care.case_deadline",
            title=_("办理维权案件 %(pk)s（%(category)s）") % {"pk": case.pk, "category": case.get_category_display()},
            url=reverse("care:case_detail", args=[case.pk]),
            due=case.deadline,
            urgent=case.deadline < today,
        )
        for case in cases.order_by("deadline")[:5]
    ]


def _silent_pairs(user, today):
    pairs = Pairing.objects.visible_to(user, "care.manage").active().with_last_contact().select_related("unit")
    silent = []
    silence = {}  # per unit: a few settings reads, not one per pair
    for pair in pairs.order_by("last_contact")[:50]:
        if pair.unit_id not in silence:
            silence[pair.unit_id] = settings_for(pair.unit).pairing_silence_days
        limit = today - datetime.timedelta(days=silence[pair.unit_id])
        last = pair.last_contact or pair.started_on
        if last < limit:
            silent.append(pair)
    if not silent:
        return []
    return [
        Todo(
            kind="care.pairing_silent",
            title=ngettext("%(n)s 对帮扶结对长时间未联系", "%(n)s 对帮扶结对长时间未联系", len(silent))
            % {"n": len(silent)},
            url=reverse("care:pairings"),
        )
    ]


@home_card
def federation_card(request, unit):
    """A federation viewer sees the care figures of the units below, as counts and amounts."""
    from django.utils import timezone

    if unit.kind != UnitKind.FEDERATION or has_permission(request.user, "care.view", unit):
        return []
    if not has_permission(request.user, "reports.view", unit):
        return []
    from rollups import read

    year = timezone.localdate().year
    # From the roll-ups (care.rollup), as the statistics page reads them: a county's or a province's home page
    # reads one stored row instead of counting every file and payment below it.
    figures = read.for_unit(unit, year)
    return [
        Card(
            title=_("帮扶统计"),
            value=ngettext("%(n)s 户", "%(n)s 户", figures.households) % {"n": figures.households},
            note=_("%(year)s年帮扶救助 %(amount)s 元") % {"year": year, "amount": f"{figures.care_amount:,.2f}"},
            url=reverse("care:rollup"),
            order=60,
        )
    ]


@evidence
def campaign_evidence(item_ids):
    """A campaign linked to a plan item is its evidence (the title only: the list stays with care roles)."""
    found = {}
    for campaign in Campaign.objects.filter(schedule_item_id__in=item_ids).order_by("starts_on", "id"):
        found.setdefault(campaign.schedule_item_id, []).append(
            Evidence(
                label=campaign.title, url=reverse("care:campaign_detail", args=[campaign.pk]), permission="care.view"
            )
        )
    return found


@calendar_source
def campaign_calendar(user, unit, start, end):
    """Campaign start and end days, for those who work them."""
    if not has_permission(user, "care.view", unit):
        return []
    campaigns = (
        Campaign.objects.visible_to(user, "care.view")
        .in_subtree(unit)
        .filter(starts_on__lte=end, ends_on__gte=start)
        .order_by("starts_on")[:50]
    )
    entries = []
    for campaign in campaigns:
        url = reverse("care:campaign_detail", args=[campaign.pk])
        for day, text in ((campaign.starts_on, _("开始")), (campaign.ends_on, _("截止"))):
            if start <= day <= end:
                entries.append(CalendarEntry(date=day, title=f"{campaign.title} {text}", url=url, kind="care"))
    return entries
