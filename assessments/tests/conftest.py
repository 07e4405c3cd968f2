import datetime
from decimal import Decimal

import pytest

from assessments import services
from assessments.models import Criterion, Scheme
from conftest import make_person
from orgs.roles import Role

TODAY = datetime.date(2026, 11, 2)


@pytest.fixture
def bangong(units):
    """Chair of demo-office, a sibling of demo-school under the county."""
    return make_person("bangong", "郑海燕", units["office"], Role.CHAIR)


@pytest.fixture
def scheme(units):
    """A small scheme of the county: two criteria a unit scores, one a rule scores (plan published)."""
    scheme = Scheme.objects.create(unit=units["county"], title="模范职工之家考核标准")
    Criterion.objects.create(scheme=scheme, order=1, group="组织建设", title="委员分工明确", points=Decimal(10))
    Criterion.objects.create(scheme=scheme, order=2, group="阵地建设", title="有职工书屋", points=Decimal(20))
    Criterion.objects.create(
        scheme=scheme, order=3, group="组织建设", title="年度计划已发布", points=Decimal(10), rule="plans.published"
    )
    return scheme


def open_round(scheme, units, **given):
    """The county's round of ``scheme`` (services.round_open), ``given`` changing any of its terms."""
    terms = {
        "unit": units["county"],
        "year": 2026,
        "title": "2026年模范职工之家评选",
        "deadline": TODAY + datetime.timedelta(days=20),
        "award_title": "模范职工之家",
        "award_years": 3,
        "award_min_score": Decimal(25),
    }
    return services.round_open(scheme=scheme, **{**terms, **given})


@pytest.fixture
def round_(scheme, units):
    return open_round(scheme, units, invited=[units["school"], units["office"]])


def check_of(round_, unit):
    return round_.checks.get(unit=unit)


def fill(check, value=Decimal(10)):
    """Score every criterion the unit scores itself with ``value`` (capped at its points)."""
    scores = {
        line.criterion.pk: min(value, line.criterion.points) for line in services.lines(check) if not line.by_rule
    }
    return services.selfcheck_save(check=check, scores=scores, notes={}, summary="")


def submitted(round_, unit, value=Decimal(10), by=None):
    check = check_of(round_, unit)
    fill(check, value)
    return services.selfcheck_submit(check=check, by=by)


def agree_all(check, by, **adjust):
    decisions = {line.criterion.pk: services.Decision(agreed=True) for line in services.lines(check)}
    return services.selfcheck_review(check=check, by=by, decisions=decisions)


def closed(round_, by, today=TODAY):
    """The round's result published two weeks before ``today`` (five working days' 公示, no objection)
    and confirmed on ``today``: the titles are conferred on ``today``."""
    services.round_publicize(round=round_, by=by, today=today - datetime.timedelta(days=14))
    return services.round_close(round=round_, by=by, today=today)
