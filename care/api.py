"""Care over the JSON API: the running campaigns and their lists for officers on phones, recording a
visit, and the counts-and-amounts roll-up a federation reads. Hardship files themselves are not
offered here: each reading of one must pass the page that logs it."""

import datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Reply
from pydantic import field_validator

from api.pagination import Pagination
from api.schemas import Error
from care import figures, services
from care import rollup as care_rollup
from care.models import AssistanceKind, Campaign, CampaignEntry
from care.models.campaigns import ENTRY_LIST_FIELDS
from core.audit import log_sensitive_read, log_sensitive_reads
from core.params import Line, RecordId, Text, Year
from orgs.access import has_permission
from orgs.models import OrgUnit, UnitKind
from rollups import read as rollup_read

router = Router(tags=["care"])
CENT = Decimal("0.01")


class CampaignOut(Schema):
    id: int
    title: str
    kind: str
    year: int
    unit_id: int
    starts_on: datetime.date
    ends_on: datetime.date
    running: bool

    @staticmethod
    def resolve_running(obj):
        return obj.is_running


class EntryOut(Schema):
    id: int
    name: str
    unit_id: int
    reason: str
    officer_id: int | None
    done_on: datetime.date | None

    @staticmethod
    def resolve_reason(obj):
        return str(obj.reason_label)


class RecordIn(Schema):
    # Bounded like the columns they fill: PostgreSQL refuses longer text (a 500 otherwise).
    amount: Decimal = Field(max_digits=10, decimal_places=2)
    given_on: datetime.date
    kind: AssistanceKind = AssistanceKind.MONEY
    goods: Line(100) = ""
    note: Text(200) = ""

    @field_validator("kind", mode="before")
    @classmethod
    def known_kind(cls, kind):
        # Said in the user's language, as the service says it (services.assistance_give).
        if kind not in AssistanceKind.values:
            raise ValueError(gettext("发放方式只能是慰问金或慰问品。"))
        return kind

    @field_validator("given_on")
    @classmethod
    def not_after_today(cls, day):
        if day > timezone.localdate():  # as the page's form (care.forms.not_after_today)
            raise ValueError(gettext("不能晚于今天。"))
        return day


class RollupOut(Schema):
    """Counts and amounts of a unit's subtree in the year. A federation's come from the roll-ups (care.rollup)
    as of ``as_of``; a union's are counted live (``as_of`` null). ``people_helped`` counts the people each
    paying unit helped, distinct within that unit, added up (care.rollup says why)."""

    unit_id: int
    year: int
    households: int
    by_level: dict[str, int]
    lifted: int
    given: int
    songnuan: int
    amount: Decimal
    people_helped: int
    cases: int
    cases_closed: int
    recovered: Decimal
    as_of: datetime.datetime | None = None


@router.get("/campaigns", response=list[CampaignOut])
@paginate(Pagination)
def list_campaigns(request, running: bool = False):
    campaigns = Campaign.objects.visible_to(request.user, "care.view").order_by("-starts_on", "-id")
    return campaigns.running() if running else campaigns


class EntryPages(Pagination):
    """The API's pages of a campaign's list: each name shown beside why the person is on it is a read of
    care data, logged for the page in one INSERT, as the campaign's page logs its list."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = shown = list(page[self.items_attribute])
        log_sensitive_reads(request, shown, ENTRY_LIST_FIELDS)
        return page


@router.get("/campaigns/{campaign_id}/entries", response=list[EntryOut])
@paginate(EntryPages)
def campaign_entries(request, campaign_id: RecordId, mine: bool = False):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user, "care.view"), pk=campaign_id)
    entries = campaign.entries.order_by("unit__path", "name_pinyin", "id")
    return entries.filter(officer=request.user) if mine else entries


@router.post("/entries/{entry_id}/record", response={200: EntryOut, 409: Error})
def record_entry(request, entry_id: RecordId, data: RecordIn):
    """Record the visit or payment of one person on a campaign's list (caps and approval apply)."""
    entry = get_object_or_404(CampaignEntry.objects.visible_to(request.user, "care.manage"), pk=entry_id)
    try:
        recorded = services.campaign_record(entry=entry, by=request.user, **data.dict())
    except services.CareError as error:
        return Reply(409, {"message": error.message})
    log_sensitive_read(request, recorded, ENTRY_LIST_FIELDS)  # the reply names the person and why they are listed
    return Reply(200, recorded)


def _rollup_readable(user, unit):
    if unit.kind == UnitKind.FEDERATION or has_permission(user, "care.view", unit):
        return True
    parent = OrgUnit.objects.get_parent(unit)
    return parent is not None and parent.kind == UnitKind.FEDERATION and has_permission(user, "reports.view", parent)


@router.get("/rollup/{unit_id}", response=RollupOut)
def rollup(request, unit_id: RecordId, year: Year | None = None):
    """Counts and amounts of a unit's subtree, never names: a federation's, and each unit's directly below
    it (the rows of its 帮扶统计 page); deeper, where a small group's counts could point at a person, for
    care roles only."""
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user, "reports.view"), pk=unit_id)
    if not _rollup_readable(request.user, unit):
        raise Http404
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    as_of = None
    if unit.kind == UnitKind.FEDERATION:
        kept = rollup_read.for_unit(unit, year)
        found, as_of = care_rollup.as_rollup(kept), kept.as_of
    else:
        found = figures.rollup(unit, year)
    return {
        "unit_id": unit.pk,
        "year": year,
        "households": found.households,
        "by_level": {str(k): v for k, v in found.by_level.items()},
        "lifted": found.lifted,
        "given": found.given,
        "songnuan": found.songnuan,
        "amount": found.amount.quantize(CENT),  # as money, on either database
        "people_helped": found.people_helped,
        "cases": found.cases,
        "cases_closed": found.cases_closed,
        "recovered": found.recovered.quantize(CENT),
        "as_of": as_of,
    }
