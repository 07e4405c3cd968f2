"""Demo assessments in demo-county: a 模范职工之家 scheme and this year's round in progress, with
县一中 reviewed, the central school (demo-school) submitted and awaiting xianzong's review, and
实验小学 still drafting. Idempotent (skipped once the round exists)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessments import services
from assessments.models import Round, Scheme
from orgs.models import OrgUnit

REVIEWED, AWAITING, DRAFT = "demo-yizhong", "demo-school", "demo-shiyan"


@transaction.atomic
def populate(*, stdout=None):
    county = OrgUnit.objects.filter(code="demo-county").first()
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[REVIEWED, AWAITING, DRAFT])}
    if county is None or len(units) < 3:
        return
    today = timezone.localdate()
    title = f"{today.year}年模范职工之家评选"
    if Round.objects.filter(unit=county, title=title).exists():
        return
    User = get_user_model()
    reviewer = User.objects.filter(username="xianzong").first()
    chair = User.objects.filter(username="zhuxi").first()
    scheme = Scheme.objects.filter(unit=county, template_key="staff_home").first() or services.scheme_from_template(
        unit=county, key="staff_home"
    )
    round_ = services.round_open(
        scheme=scheme,
        unit=county,
        year=today.year,
        title=title,
        deadline=today + datetime.timedelta(days=20),
        award_title="模范职工之家",
        award_years=3,
        # The central school scores 82: it has no collective contract, which the record now says (0 of 5).
        award_min_score=Decimal(80),
        invited=[units[REVIEWED], units[AWAITING], units[DRAFT]],
    )
    checks = {c.unit.code: c for c in round_.checks.select_related("unit")}
    for code, shortfall in ((REVIEWED, 0), (AWAITING, 1), (DRAFT, 2)):
        _fill(checks[code], shortfall=shortfall, by=chair)
    for code in (REVIEWED, AWAITING):
        checks[code] = services.selfcheck_submit(check=checks[code], by=chair if code == AWAITING else None)
    _review(checks[REVIEWED], reviewer=reviewer, today=today)
    if stdout:
        stdout.write(f"  assessments: {title}, 3 self-checks (reviewed, awaiting review, draft)\n")


def _fill(check, *, shortfall, by):
    """The unit's own scores where no rule applies: full marks less ``shortfall`` on a few lines."""
    lines = services.lines(check)
    scores, notes = {}, {}
    for number, line in enumerate(lines):
        if line.by_rule:
            continue
        cid = line.criterion.pk
        scores[cid] = max(Decimal(0), line.criterion.points - (shortfall if number % 3 == 0 else 0))
        notes[cid] = f"已按要求落实，佐证见“{line.criterion.evidence}”。" if line.criterion.evidence else ""
    services.selfcheck_save(check=check, scores=scores, notes=notes, summary="对照标准逐项自查，材料齐全。")
    first = next(line.criterion for line in lines if not line.by_rule)
    services.evidence_add(
        check=check, by=by, criterion=first, text="工会委员会分工文件及换届选举批复（复印件存档于工会办公室）。"
    )


def _review(check, *, reviewer, today):
    lines = services.lines(check)
    decisions = {line.criterion.pk: services.Decision(agreed=True) for line in lines}
    adjusted = next(line for line in lines if not line.by_rule and line.claimed)
    decisions[adjusted.criterion.pk] = services.Decision(
        agreed=False, score=adjusted.claimed - 2, reason="实地查看，委员分工文件未上墙公示。"
    )
    services.visit_add(
        check=check,
        visited_on=today - datetime.timedelta(days=3),
        visitors="县总工会 陈志强、刘敏",
        notes="查看职工之家活动室、职工书屋和工会档案，听取工会主席汇报。",
    )
    services.selfcheck_review(check=check, by=reviewer, decisions=decisions)
