"""Personas and records of the federation's year, beside the root conftest's.

demo-county   xianzong (federation officer: reviews, issues calls, hands down targets)
├── demo-school   zhuxi (chair, files with the county, reviews its groups)
│   ├── demo-school-g1   xiaozu (group leader)
│   └── demo-school-g2
└── demo-office   jiguan (chair of the education bureau's union)
"""

import datetime

import pytest
from django.utils import timezone

from conftest import make_person
from federation import services
from federation.models import CallKind
from orgs.roles import Role

TODAY = timezone.localdate()  # pages read the clock; services are given the day
YEAR = TODAY.year
PLAN_DUE = TODAY + datetime.timedelta(days=30)
REPORT_DUE = TODAY + datetime.timedelta(days=20)


@pytest.fixture
def jiguan(units):
    return make_person("jiguan", "吴敏", units["office"], Role.CHAIR)


@pytest.fixture
def plan_call(units, xianzong, zhuxi, jiguan):
    """The county asks every union below it for its plan (their chairs exist first, so they are told)."""
    return services.call_issue(
        unit=units["county"],
        kind=CallKind.PLAN,
        year=YEAR,
        title="年度工作计划报备",
        due=PLAN_DUE,
        by=xianzong,
        today=TODAY,
    )


@pytest.fixture
def report_call(units, xianzong, zhuxi, jiguan):
    """A report call: members counted from each union's roster, women staff typed."""
    return services.call_issue(
        unit=units["county"],
        kind=CallKind.REPORT,
        year=YEAR,
        title="基层工会统计年报",
        due=REPORT_DUE,
        by=xianzong,
        today=TODAY,
        fields=[
            services.FieldSpec("会员人数", "members.count", "人"),
            services.FieldSpec("女职工人数", "", "人"),
        ],
    )


@pytest.fixture
def make_plan(units, zhuxi):
    def make(unit="school", year=YEAR, title="年度工会工作计划", **fields):
        from plans.models import Plan

        return Plan.objects.create(
            unit=units[unit] if isinstance(unit, str) else unit, year=year, title=title, created_by=zhuxi, **fields
        )

    return make
