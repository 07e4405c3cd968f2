"""Reading the roll-ups for pages: one unit's or many units' subtree figures for a year, with the
figures derived from the stored counts (age bands, new members, overdue items, rates)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from core.memo import shared
from members.models import AGE_BANDS, Status
from rollups.models import Figures


@dataclass(frozen=True)
class Overview:
    """What an overview page shows of a unit's whole subtree in a year."""

    unit_id: int
    year: int
    counts: dict = field(default_factory=dict)  # the stored keys of year 0 and of ``year``
    as_of: datetime.datetime | None = None  # when the figures were computed

    def get(self, key) -> int:
        return self.counts.get(key, 0)

    def prefixed(self, prefix) -> dict:
        return {k[len(prefix) :]: v for k, v in self.counts.items() if k.startswith(prefix)}

    @property
    def members(self):
        return self.get("members.in_union")

    @property
    def headcount(self):
        return self.get("orgs.headcount")

    @property
    def women(self):
        return self.get("members.women")

    def by_status(self):
        return {status: self.get(f"members.status.{status}") for status in Status.values}

    def age_bands(self):
        """Members in the union per band of AGE_BANDS, aged by year of birth (the year minus it)."""
        bands = {key: 0 for key, *_rest in AGE_BANDS}
        for born, n in self.prefixed("members.born.").items():
            age = self.year - int(born)
            for key, _label, low, high in AGE_BANDS:
                if low <= age <= high:
                    bands[key] += n
        return bands

    @property
    def joined(self):
        return self.get(f"members.joined.{self.year}")

    @property
    def migrants(self):
        return self.get("members.migrants")

    @property
    def retirees(self):
        return self.get("members.retirees")

    @property
    def unknown_age(self):
        return self.get("members.unknown_age")

    @property
    def entered(self):
        """Members who joined in the year, whatever their status now."""
        return self.get(f"members.entered.{self.year}")

    @property
    def left(self):
        """Members who left the union or died in the year."""
        return self.get(f"members.left.{self.year}")

    def members_at_end(self, year=None) -> int:
        """Members in the union on the last day of a past ``year`` (the overview's own by default), as
        members.models.in_union_q counts them from the roster's dates: today's members less those who
        joined after that day, plus those who left or died after it having joined by then (or on a day
        the roster does not keep). The people who joined and left after it are in neither."""
        return self._at_end(year, "members.in_union", "members.")

    def women_at_end(self, year=None) -> int:
        return self._at_end(year, "members.women", "members.women_")

    def _at_end(self, year, now_key, prefix):
        year = self.year if year is None else year

        def after(kind):
            return sum(n for y, n in self.prefixed(f"{prefix}{kind}.").items() if int(y) > year)

        return self.get(now_key) - after("joined") + after("left") - after("left_both")

    @property
    def held(self):
        return self.get("activities.held")

    @property
    def participant_times(self):
        return self.get("activities.participant_times")

    @property
    def budget(self) -> Decimal:
        return Decimal(self.get("activities.budget_fen")) / 100

    @property
    def spend(self) -> Decimal:
        return Decimal(self.get("activities.spend_fen")) / 100

    def kinds(self) -> dict[str, tuple[int, int]]:
        """{activity type: (held, participant-times)} of the types held in the year."""
        times = self.prefixed("activities.kind_times.")
        return {kind: (n, times.get(kind, 0)) for kind, n in self.prefixed("activities.kind.").items()}

    def months(self) -> list[tuple[int, int, int]]:
        """(month, held, participant-times) for the twelve months of the year."""
        return [(m, self.get(f"activities.month.{m}"), self.get(f"activities.month_times.{m}")) for m in range(1, 13)]

    @property
    def participants(self):
        return self.get("activities.participants")

    @property
    def participation_rate(self) -> Decimal | None:
        if not self.members:
            return None
        return (Decimal(self.participants) * 100 / self.members).quantize(Decimal("0.1"))

    @property
    def items(self):
        return self.get("plans.items")

    @property
    def done(self):
        return self.get("plans.done")

    def in_month(self, month) -> int:
        """Items due in ``month``, of any status (ScheduleItem.objects.in_month's rule)."""
        return self.get(f"plans.in_month.{month}")

    def _months_over(self, today):
        """The months (0: year-round) whose items are due on ``today``: those before this month, the
        whole year once it is over. Read key by key: a unit's figures hold many other keys."""
        if self.year < today.year:
            return range(13)
        if self.year > today.year:
            return range(0)
        return range(1, today.month)

    def overdue(self, today) -> int:
        """Items not done whose due month is over on ``today`` (ScheduleItem.objects.overdue's rule)."""
        return sum(self.get(f"plans.open.{month}") for month in self._months_over(today))

    def due_by(self, today) -> tuple[int, int]:
        """(items due by the end of last month, those done), by the month first scheduled; the
        whole year once it is over (federation.figures' rule)."""
        months = self._months_over(today)
        return sum(self.get(f"plans.month.{m}") for m in months), sum(self.get(f"plans.done.{m}") for m in months)

    def items_done_rate(self, today) -> Decimal | None:
        """Share (%) of the items due that are done, as plans.figures.items_done_rate counts it: by
        the month each item is now due in (a postponed item by the month it was put off to), the
        whole year once it is over, nothing before it begins; None when nothing is due."""
        if self.year > today.year:
            return None
        if self.year < today.year:
            due, done = self.items, self.done
        else:
            months = self._months_over(today)
            done = sum(self.get(f"plans.done.{m}") for m in months)
            due = done + sum(self.get(f"plans.open.{m}") for m in months)
        return Decimal(done * 100) / due if due else None

    # Care (care.rollup): counts and amounts, never a name.
    @property
    def households(self):
        """Hardship files open now (在档困难职工户数)."""
        return self.get("care.households")

    @property
    def songnuan(self):
        """送温暖 payments handed over in the year (人次)."""
        return self.get("care.songnuan")

    @property
    def care_given(self):
        return self.get("care.given")

    @property
    def care_amount(self) -> Decimal:
        """帮扶救助金额 handed over in the year, in yuan with two decimals."""
        return self._yuan("care.amount_fen")

    @property
    def lifted(self):
        """Files lifted out of hardship in the year (当年脱困户数)."""
        return self.get("care.lifted")

    @property
    def rights_cases(self):
        """Requests for help with workers' rights received in the year (受理维权求助件数)."""
        return self.get("care.cases")

    @property
    def recovered(self) -> Decimal:
        """挽回经济损失 of the year's closed requests, in yuan with two decimals."""
        return self._yuan("care.recovered_fen")

    def _yuan(self, key) -> Decimal:
        return (Decimal(self.get(key)) / 100).quantize(Decimal("0.01"))

    # Democratic management (democracy.rollup), in the year submitted.
    @property
    def proposals(self):
        return self.get("democracy.received.proposal")

    @property
    def proposals_answered(self):
        return self.get("democracy.answered.proposal")

    @property
    def proposals_accepted(self):
        """立案: accepted as proposals and routed, whatever became of them since."""
        return self.get("democracy.accepted.proposal")

    @property
    def proposal_satisfaction(self) -> Decimal | None:
        """满意率 of the proposals whose first answer their proposer rated: 满意 and 基本满意 of those rated."""
        rated = self.get("democracy.rated.proposal")
        if not rated:
            return None
        return (Decimal(self.get("democracy.satisfied.proposal")) * 100 / rated).quantize(Decimal("0.1"))

    @property
    def suggestions(self):
        return self.get("democracy.received.suggestion")

    @property
    def suggestions_answered(self):
        return self.get("democracy.answered.suggestion")

    @property
    def suggestions_adopted(self):
        return self.get("democracy.adopted")

    def value(self, key, today):
        """A figure by name, for ranking and tables (FIGURES); a past year's members as it ended."""
        if self.year < today.year and key in ("members", "women"):
            return self.members_at_end() if key == "members" else self.women_at_end()
        if key == "overdue":
            return self.overdue(today)
        if key == "participation_rate":
            return self.participation_rate
        return getattr(self, key)


def for_units(unit_ids, year) -> dict[int, Overview]:
    """The subtree figures of each unit in ``year`` (one query)."""
    unit_ids = list(unit_ids)
    counts = {u: {} for u in unit_ids}
    as_of = {}
    for row in Figures.objects.filter(unit_id__in=unit_ids, year__in=[0, year]).only(
        "unit_id", "year", "subtree", "refreshed_at"
    ):
        counts[row.unit_id].update(row.subtree)
        if row.year == 0 or row.unit_id not in as_of:
            as_of[row.unit_id] = row.refreshed_at
    return {u: Overview(u, year, counts[u], as_of.get(u)) for u in unit_ids}


def for_unit(unit, year=None) -> Overview:
    year = year or timezone.localdate().year
    # Several home-page cards read the unit's figures: once per page (see core.memo).
    return shared(("rollups.for_unit", unit.pk, year), lambda: for_units([unit.pk], year)[unit.pk])


def children_listed(unit, year):
    """The units directly below ``unit`` a page lists beside its total: the active ones, and one no longer
    active while it still has figures of ``year`` (its records count in the total, so its row is shown)."""
    from django.db.models import Exists, OuterRef, Q

    from orgs.models import OrgUnit

    with_figures = Figures.objects.filter(unit_id=OuterRef("pk"), year=year)
    return OrgUnit.objects.get_children(unit).filter(Q(is_active=True) | Exists(with_figures))


def own_of(unit, year) -> Overview:
    """The figures of ``unit``'s own records only (not the units below), in ``year`` (one query)."""
    counts, as_of = {}, None
    for row in Figures.objects.filter(unit_id=unit.pk, year__in=[0, year]).only("year", "own", "refreshed_at"):
        counts.update(row.own)
        if row.year == 0 or as_of is None:
            as_of = row.refreshed_at
    return Overview(unit.pk, year, counts, as_of)
