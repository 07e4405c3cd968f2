"""Personas of democratic management beside the root ones: daibiao, a representative of
demo-school's congress (with five fellow representatives), and chuzhang, a department head
(handler) who answers proposals. A term of demo-school's congress, its fifth session, in the
proposal window of September 2025 (across 国庆 for deadlines)."""

import datetime

import pytest

from conftest import make_person
from democracy.models import Congress, Representative, Session
from democracy.services import proposals as svc
from members.models import Member
from orgs.roles import Role

WINDOW_DAY = datetime.date(2025, 9, 10)
ROUTE_DAY = datetime.date(2025, 9, 26)  # a Friday before 国庆 (Oct 1-8 2025 off, Sat Oct 11 a workday)


def add_member(unit, name, *, user=None, gender="F", birth_date=datetime.date(1985, 3, 2)):
    return Member.objects.create(unit=unit, name=name, gender=gender, birth_date=birth_date, user=user)


@pytest.fixture
def congress(units):
    return Congress.objects.create(unit=units["school"], number=3, starts_on=datetime.date(2023, 9, 1))


@pytest.fixture
def session(congress, units):
    return Session.objects.create(
        congress=congress,
        unit=units["school"],
        number=5,
        held_on=datetime.date(2025, 10, 20),
        proposals_open_on=datetime.date(2025, 9, 1),
        proposals_close_on=datetime.date(2025, 9, 30),
        agenda="听取校长工作报告\n审议绩效工资分配方案",
    )


@pytest.fixture
def daibiao(units, congress):
    user = make_person("daibiao", "吴晓梅", units["g1"], Role.MEMBER)
    Representative.objects.create(
        congress=congress, unit=units["school"], member=add_member(units["g1"], "吴晓梅", user=user)
    )
    return user


@pytest.fixture
def fellows(units, congress):
    """Five more representatives with logins, the first two men."""
    people = []
    for number, name in enumerate(["郑强", "冯刚", "何丽", "许静", "曹敏"], start=1):
        user = make_person(f"rep{number}", name, units["g2"], Role.MEMBER)
        member = add_member(units["g2"], name, user=user, gender="M" if number <= 2 else "F")
        Representative.objects.create(congress=congress, unit=units["school"], member=member)
        people.append(user)
    return people


@pytest.fixture
def chuzhang(units):
    return make_person("chuzhang", "钱立新", units["school"], Role.HANDLER)


@pytest.fixture
def cohandler(units):
    return make_person("zongwu", "孔德明", units["school"], Role.HANDLER)


@pytest.fixture
def proposal(session, daibiao):
    return svc.proposal_submit(
        session=session, author=daibiao, title="改善食堂", reasons="理由", measures="措施", today=WINDOW_DAY
    )


@pytest.fixture
def routed(proposal, fellows, chuzhang):
    """Accepted with two co-signers and routed to 总务处 on ROUTE_DAY, before 国庆 2025: its deadline is long past."""
    for fellow in fellows[:2]:
        svc.proposal_cosign(proposal=proposal, user=fellow, today=WINDOW_DAY)
    return svc.proposal_vet(
        proposal=proposal,
        decision=svc.Decision.ACCEPT,
        by=None,
        today=ROUTE_DAY,
        routing={"category": "logistics", "handler": chuzhang, "department": "总务处"},
    )


FRIDAY_BEFORE_NATIONAL_DAY = datetime.date(2025, 9, 26)


@pytest.fixture
def notice(units, zhuxi):
    """A 公示 published the Friday before National Day: its five working days run across the holiday."""
    from democracy.services import notices

    return notices.notice_publish(
        unit=units["school"],
        title="师德标兵评选结果公示",
        body="张慧敏当选。",
        by=zhuxi,
        today=FRIDAY_BEFORE_NATIONAL_DAY,
    )
