"""Demo collective contracts: the machinery company's comprehensive contract, expiring within 60 days,
and its wage contract signed this spring; the power supply company bargaining its first one.

Idempotent: a county that already has contracts is left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from contracts import services
from contracts.models import Contract, Kind, StepKind
from orgs.models import OrgUnit


def populate(*, stdout=None):
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["demo-county", "demo-jixie", "demo-gongdian"])}
    user = (
        get_user_model().objects.filter(username="xianzong").first()
        or get_user_model().objects.filter(is_superuser=True).first()
    )
    if len(units) < 3 or user is None or Contract.objects.in_subtree(units["demo-county"]).exists():
        return
    today = timezone.localdate()
    _expiring_contract(units["demo-jixie"], user, today)
    _wages_contract(units["demo-jixie"], user, today)
    power = units["demo-gongdian"]
    services.contract_open(
        unit=power,
        by=user,
        kind=Kind.COMPREHENSIVE,
        title="县供电公司集体合同",
        employer="国网清河县供电公司",
        starts_on=datetime.date(today.year + 1, 1, 1),
        ends_on=datetime.date(today.year + 3, 12, 31),
        workers_covered=power.subtree_headcount(),
        requested_on=today - datetime.timedelta(days=20),
    )
    if stdout:
        stdout.write("contracts: two at the machinery company (one expiring within 60 days), one being bargained")


def _expiring_contract(machinery, user, today):
    """The machinery company's three-year contract, signed and filed, running out in 45 days."""
    old = services.contract_open(
        unit=machinery,
        by=user,
        kind=Kind.COMPREHENSIVE,
        title="清河县机械厂集体合同（2024—2026）",
        employer="清河县机械制造有限公司",
        starts_on=today - datetime.timedelta(days=3 * 365 - 45),
        ends_on=today + datetime.timedelta(days=45),
        workers_covered=machinery.subtree_headcount(),
        requested_on=today - datetime.timedelta(days=3 * 365),
    )
    services.step_add(
        contract=old,
        by=user,
        kind=StepKind.ROUND,
        on=old.starts_on - datetime.timedelta(days=40),
        note="第一轮协商：工资增长幅度、工时和休息休假",
    )
    services.contract_sign(
        contract=old,
        by=user,
        signed_on=old.starts_on - datetime.timedelta(days=10),
        congress_approval="第五届职代会第三次会议",
    )
    services.contract_file(
        contract=old,
        by=user,
        filed_on=old.starts_on - datetime.timedelta(days=3),
        filed_with="清河县人力资源和社会保障局",
    )


def _wages_contract(machinery, user, today):
    """This year's wages contract: bargained, passed by the congress, signed."""
    wages = services.contract_open(
        unit=machinery,
        by=user,
        kind=Kind.WAGES,
        title=f"清河县机械厂{today.year}年工资专项集体合同",
        employer="清河县机械制造有限公司",
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
        workers_covered=machinery.subtree_headcount(),
        requested_on=datetime.date(today.year - 1, 11, 20),
    )
    services.step_add(
        contract=wages,
        by=user,
        kind=StepKind.ROUND,
        on=datetime.date(today.year - 1, 12, 5),
        note="一线职工工资增幅不低于 5%",
    )
    services.step_add(
        contract=wages,
        by=user,
        kind=StepKind.CONGRESS,
        on=datetime.date(today.year - 1, 12, 20),
        note="第五届职代会第四次会议",
    )
    services.contract_sign(
        contract=wages, by=user, signed_on=datetime.date(today.year - 1, 12, 25), congress_approval=""
    )
