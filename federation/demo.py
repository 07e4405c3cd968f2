"""Demo of the federation's year in demo-county: this year's plan call with 4 of the 19 unions filed
(2 accepted, 2 waiting for review), one returned and one draft; the year-end summary call with one
draft; a report call with two submissions; two targets of the county's plan handed down."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from core import calendar
from federation import filing as machine
from federation import services
from federation.kinds import plan_snapshot
from federation.models import CallKind, FilingCall, FilingStatus, HandedDownTarget
from orgs.models import OrgUnit

FILED_PLANS = {  # unit code: what the county did with the plan
    "demo-school": FilingStatus.ACCEPTED,
    "demo-yizhong": FilingStatus.ACCEPTED,
    "demo-jixie": FilingStatus.FILED,
    "demo-hospital": FilingStatus.FILED,
    "demo-jiaoyuju": FilingStatus.RETURNED,
}
REPORT_FIELDS = [
    services.FieldSpec("会员人数", "members.count", "人"),
    services.FieldSpec("当年新入会人数", "members.joined", "人"),
    services.FieldSpec("举办活动次数", "activities.held", "次"),
    services.FieldSpec("女职工人数", "", "人"),
]
# Women on the staff who are not (yet) union members, beside the women members on the roster: a union's
# 女职工人数 is never below its women members.
WOMEN_NOT_MEMBERS = {"demo-school": 4, "demo-yizhong": 6}


def _call(county, kind, year, title, due, by, *, issued_on, fields=()):
    found = FilingCall.objects.filter(unit=county, kind=kind, year=year).first()
    return found or services.call_issue(
        unit=county, kind=kind, year=year, title=title, due=due, by=by, today=issued_on, fields=fields
    )


def _plan_filings(call, county, *, year, officer, now):
    from plans import services as plan_services
    from plans.models import Plan

    for code, status in FILED_PLANS.items():
        unit = OrgUnit.objects.get(code=code)
        plan = Plan.objects.filter(unit=unit, year=year).first()
        if plan is None:
            plan = plan_services.plan_from_template(unit=unit, year=year, template_key="office")
        filing = machine.filing_for(kind=CallKind.PLAN, unit=unit, title=plan.title, call=call)
        if filing.status != FilingStatus.DRAFT:
            continue
        filed_at = timezone.make_aware(
            datetime.datetime.combine(call.due - datetime.timedelta(days=10), datetime.time(10))
        )
        filing = machine.filing_file(filing=filing, by=None, data=plan_snapshot(plan), now=filed_at)
        if status == FilingStatus.ACCEPTED:
            machine.filing_accept(filing=filing, by=officer, now=filed_at + datetime.timedelta(days=3))
        elif status == FilingStatus.RETURNED:
            machine.filing_return(
                filing=filing,
                by=officer,
                comment="月度安排缺少女职工工作，请补充后重新报送。",
                now=filed_at + datetime.timedelta(days=3),
            )
    draft_unit = OrgUnit.objects.get(code="demo-shiyan")
    machine.filing_for(kind=CallKind.PLAN, unit=draft_unit, title="清河县实验小学工会年度工作计划", call=call)


def _report(call, *, officer):
    from members.models import Member

    for code, others in WOMEN_NOT_MEMBERS.items():
        unit = OrgUnit.objects.get(code=code)
        women = str(Member.objects.in_subtree(unit).in_union().women().count() + others)
        values, filing = services.report_values(call, unit)
        if filing is not None and filing.status != FilingStatus.DRAFT:
            continue
        women_key = call.fields.get(label="女职工人数").key
        services.report_submit(call=call, unit=unit, values={**values, women_key: women}, by=None)


def _targets(county, *, year):
    from plans.models import Plan

    plan = Plan.objects.filter(unit=county, year=year).first()
    if plan is None:
        return 0
    school = OrgUnit.objects.get(code="demo-school")
    count = 0
    for target in plan.targets.filter(metric__in=["members.joined", "members.membership_rate"]):
        if HandedDownTarget.objects.filter(target=target).exists():
            continue
        if target.metric == "members.joined":
            services.target_hand_down(target=target, default_value=Decimal(100), shares={school.pk: Decimal(20)})
        else:
            services.target_hand_down(target=target, default_value=target.value)
        count += 1
    return count


def populate(*, stdout=None):
    county = OrgUnit.objects.get(code="demo-county")
    officer = get_user_model().objects.get(username="xianzong")
    today = timezone.localdate()
    year = today.year
    # The plan call went out at the start of the year (its deadline may be past when the demo is built).
    plan_call = _call(
        county,
        CallKind.PLAN,
        year,
        f"{year}年度工作计划报备",
        datetime.date(year, 3, 31),
        officer,
        issued_on=datetime.date(year, 1, 1),
    )
    _plan_filings(plan_call, county, year=year, officer=officer, now=timezone.now())
    summary_call = _call(
        county,
        CallKind.SUMMARY,
        year,
        f"{year}年度工作总结报备",
        datetime.date(year + 1, 1, 15),
        officer,
        issued_on=today,
    )
    machine.filing_for(
        kind=CallKind.SUMMARY,
        unit=OrgUnit.objects.get(code="demo-yizhong"),
        title=f"清河县第一中学工会{year}年度工作总结",
        call=summary_call,
    )
    report_call = _call(
        county,
        CallKind.REPORT,
        year,
        f"{year}年基层工会组织和会员情况统计",
        calendar.add_workdays(today, 10),
        officer,
        issued_on=today,
        fields=REPORT_FIELDS,
    )
    _report(report_call, officer=officer)
    handed = _targets(county, year=year)
    if stdout:
        filed = plan_call.filings.filter(status__in=[FilingStatus.FILED, FilingStatus.ACCEPTED]).count()
        stdout.write(
            f"federation: {filed} of {len(machine.units_called(plan_call))} unions filed a {year} plan; "
            f"report call with {report_call.filings.count()} submissions; {handed} targets handed down"
        )
