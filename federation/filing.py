"""Filing and review: the one machine for everything a unit hands to the unit above it.

An app registers what it files once, from its AppConfig.ready()::

    register_kind(FilingKind(key="activities.summary", label=_("活动总结"), url=lambda f: ...,
                             on_change=sync_summary))

and then calls the workflow, each step one transaction:

    filing = filing_for(kind="activities.summary", unit=group, subject=summary, title=...)
    filing_file(filing=filing, by=user, data={"text": ...})        # snapshot kept as a FilingVersion
    filing_return(filing=filing, by=chair, comment="补充照片说明")    # the filer is told, it is their to-do
    filing_refile(filing=filing, by=user, data={...})              # a returned filing, filed again
    filing_accept(filing=filing, by=chair)

A parent's view of one call, unit by unit (not started, draft, filed, returned, accepted, late):
``call_states(call, today=)``. Reviewers: anyone with ``federation.review`` on the parent unit
(or the permission the kind names, e.g. activities.manage); who may open a filing is
``Filing.objects.visible_to`` / ``reviewed_or_filed_by``. ``FilingError`` carries a translated
message for the page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Refusal
from core.notifications import notify
from federation.models import Filing, FilingCall, FilingStatus, FilingVersion, UnitState
from orgs.models import OrgUnit


class FilingError(Refusal):
    """A step that cannot be taken now; ``str(error)`` is the translated reason."""


@dataclass(frozen=True)
class FilingKind:
    key: str  # "<app>.<what>", the Filing.kind
    label: str  # lazy translation: "年度工作计划"
    url: Callable  # (filing) -> where the filer edits and (re)files it
    review_url: Callable | None = None  # (filing) -> where the parent reads and reviews it; default url
    on_change: Callable | None = None  # (filing) -> None, after each step, inside its transaction
    review_permission: str = "federation.review"
    file_permission: str = "federation.file"


_kinds: dict[str, FilingKind] = {}


def register_kind(kind: FilingKind) -> FilingKind:
    _kinds[kind.key] = kind
    return kind


def kind_of(filing_or_key) -> FilingKind:
    key = filing_or_key if isinstance(filing_or_key, str) else filing_or_key.kind
    return _kinds[key]


def kinds_by_review_permission() -> dict[str, list[str]]:
    """{permission: [kind keys]}: who reviews what, for the to-do list."""
    found: dict[str, list[str]] = {}
    for kind in _kinds.values():
        found.setdefault(kind.review_permission, []).append(kind.key)
    return found


def kinds_by_file_permission() -> dict[str, list[str]]:
    """{permission: [kind keys]}: who files what (Filing.objects.visible_to)."""
    found: dict[str, list[str]] = {}
    for kind in _kinds.values():
        found.setdefault(kind.file_permission, []).append(kind.key)
    return found


def filing_url(filing) -> str:
    return kind_of(filing).url(filing)


def review_url(filing) -> str:
    kind = kind_of(filing)
    return (kind.review_url or kind.url)(filing)


# --- the workflow ---------------------------------------------------------------------------


def filing_for(
    *, kind: str, unit, title: str, year: int | None = None, subject=None, call: FilingCall | None = None
) -> Filing:
    """The unit's filing of ``subject`` (or for ``call``), created as a draft the first time."""
    if kind not in _kinds:
        raise KeyError(f"unknown filing kind {kind!r}; register it with federation.filing.register_kind")
    parent = OrgUnit.objects.get_parent(unit)
    if parent is None:
        raise FilingError(_("最上级单位没有可以报送的上级。"))
    lookup = {"call": call, "unit": unit} if call is not None else {}
    if subject is not None:
        lookup = {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}
    if not lookup:
        raise ValueError("a filing needs a subject or a call")
    with transaction.atomic():
        if call is not None and not _call_still_there(call):
            raise FilingError(_("上级已撤回这项任务，无需再报送。"))
        filing, _created = Filing.objects.get_or_create(
            **lookup,
            defaults={
                "unit": unit,
                "parent": call.unit if call is not None else parent,
                "kind": kind,
                "year": year if year is not None else (call.year if call else None),
                "title": title[:200],
                "call": call,
                "due": call.due if call else None,
                "subject_type": ContentType.objects.get_for_model(subject) if subject is not None else None,
                "subject_id": subject.pk if subject is not None else None,
            },
        )
        return filing


def _call_still_there(call) -> bool:
    """Whether ``call`` is still there, its row then locked until the filing is written: a withdrawal
    (services.call_withdraw, under the same row's lock) either sees the filing and refuses, or has
    taken the call away before, and is seen here. Without the lock PostgreSQL failed the new filing's
    foreign key at commit, a server error for the union filing."""
    return FilingCall.objects.select_for_update(no_key=True).filter(pk=call.pk).first() is not None


def _locked(filing) -> Filing:
    return Filing.objects.select_for_update().get(pk=filing.pk)


def _changed(filing):
    kind = kind_of(filing)
    if kind.on_change:
        kind.on_change(filing)


def filing_save(*, filing, data: dict, title: str | None = None) -> Filing:
    """Keep a draft (or a returned filing being revised) without filing it."""
    with transaction.atomic():
        filing = _locked(filing)
        if not filing.is_editable:
            raise FilingError(_("已报送，上级审阅前不能修改。"))
        filing.data = data
        if title:
            filing.title = title[:200]
        filing.save()
        return filing


def filing_file(*, filing, by, data: dict | None = None, title: str | None = None, now=None) -> Filing:
    """Hand the filing to the parent: what is filed is kept unchanged as a new version."""
    return _file(filing, by=by, data=data, title=title, now=now, only_returned=False)


def filing_refile(*, filing, by, data: dict | None = None, title: str | None = None, now=None) -> Filing:
    """File again what the parent returned (a new version; the returned one stays as it was)."""
    return _file(filing, by=by, data=data, title=title, now=now, only_returned=True)


def _file(filing, *, by, data, title, now, only_returned):
    now = now or timezone.now()
    with transaction.atomic():
        filing = _locked(filing)
        if only_returned and filing.status != FilingStatus.RETURNED:
            raise FilingError(_("只有被退回的报备才能重新报送。"))
        if not filing.is_editable:
            raise FilingError(_("已报送，上级审阅前不能修改。"))
        if data is not None:
            filing.data = data
        if title:
            filing.title = title[:200]
        filing.status = FilingStatus.FILED
        filing.filed_at = now
        filing.filed_by = by
        filing.comment = ""
        filing.save()
        FilingVersion.objects.create(
            filing=filing,
            number=filing.versions.count() + 1,
            title=filing.title,
            data=filing.data,
            filed_at=now,
            filed_by=by,
        )
        _changed(filing)
        _tell_reviewers(filing)
    return filing


def _tell_reviewers(filing):
    """Those who review for the parent unit itself (not every officer above it) hear of what came in."""
    from orgs.models import RoleAssignment
    from orgs.roles import roles_with

    reviewers = RoleAssignment.objects.filter(
        unit=filing.parent, role__in=roles_with(kind_of(filing).review_permission), user__is_active=True
    ).select_related("user")
    text = gettext_lazy("%(unit)s报送了“%(title)s”，请审阅。")
    params = {"unit": filing.unit.name, "title": filing.title}
    for user in {a.user for a in reviewers}:
        notify(user, text=text, params=params, url=review_url(filing), kind=f"{filing.kind}.filed")


def _review(filing, *, by, status, comment, now, version):
    with transaction.atomic():
        filing = _locked(filing)
        if filing.status != FilingStatus.FILED:
            raise FilingError(_("只能审阅已报送的内容。"))
        latest_number = filing.versions.order_by("-number").values_list("number", flat=True).first()
        if version is not None and version != latest_number:
            # A page opened before a return and a new filing would decide on figures the reviewer never saw.
            raise FilingError(
                _("您打开页面后，下级又重新报送了（现在是第%(number)s版）。请查看新的内容后再审阅。")
                % {"number": latest_number}
            )
        filing.status = status
        filing.reviewed_at = now or timezone.now()
        filing.reviewed_by = by
        filing.comment = comment.strip()[:300]
        filing.save()
        # Recorded on the version read too: the filing's comment gives way to the next one, this stays.
        latest = filing.versions.order_by("-number").first()
        if latest is not None:
            latest.decision = status
            latest.reviewed_at, latest.reviewed_by, latest.comment = filing.reviewed_at, by, filing.comment
            latest.save(update_fields=["decision", "reviewed_at", "reviewed_by", "comment"])
        _changed(filing)
        return filing


def filing_return(*, filing, by, comment: str, now=None, version: int | None = None) -> Filing:
    """The parent sends it back with a comment saying what to change; the filer is told. ``version``: the
    version the reviewer read (refused when another was filed since)."""
    if not comment.strip():
        raise FilingError(_("退回时请写明需要下级修改的地方。"), field="comment")
    filing = _review(filing, by=by, status=FilingStatus.RETURNED, comment=comment, now=now, version=version)
    if filing.filed_by_id:
        notify(
            filing.filed_by,
            text=gettext_lazy("“%(title)s”被退回：%(comment)s"),
            params={"title": filing.title, "comment": filing.comment},
            url=filing_url(filing),
            kind=f"{filing.kind}.returned",
        )
    return filing


def filing_accept(*, filing, by, comment: str = "", now=None, version: int | None = None) -> Filing:
    """The parent accepts what was filed; the filer is told."""
    filing = _review(filing, by=by, status=FilingStatus.ACCEPTED, comment=comment, now=now, version=version)
    if filing.filed_by_id:
        notify(
            filing.filed_by,
            text=gettext_lazy("“%(title)s”已被上级采纳。"),
            params={"title": filing.title},
            url=filing_url(filing),
            kind=f"{filing.kind}.accepted",
        )
    return filing


# --- what the parent sees --------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFilingState:
    unit: OrgUnit
    state: str  # a UnitState value
    filing: Filing | None

    @property
    def label(self):
        return UnitState(self.state).label

    @property
    def filed_late(self):
        return bool(self.filing and self.filing.filed_late())


def units_called(call) -> list[OrgUnit]:
    """The active units directly below the unit that issued ``call`` that it asks (FilingCall.asks), in
    tree order."""
    return list(
        OrgUnit.objects.filter(is_active=True, depth=call.unit.depth + 1)
        .in_subtree(call.unit)
        .exclude(call.added_too_late())
        .order_by("path")
        .only("id", "code", "name", "short_name", "path", "depth", "kind")
    )


def call_states(call, *, today, units=None) -> list[UnitFilingState]:
    """Every unit ``call`` asked, with its state; two queries however many units."""
    units = units_called(call) if units is None else units
    filings = {f.unit_id: f for f in Filing.objects.filter(call=call).select_related("filed_by")}
    states = []
    for unit in units:
        filing = filings.get(unit.pk)
        if filing is None:
            state = UnitState.LATE if today > call.due else UnitState.NOT_STARTED
        else:
            state = filing.unit_state(today)
        states.append(UnitFilingState(unit=unit, state=state, filing=filing))
    return states


def count_states(states) -> dict[str, int]:
    counts = dict.fromkeys(UnitState.values, 0)
    for entry in states:
        counts[entry.state] += 1
    return counts
