"""Demo money for demo-school: this year's budget approved by the committee, payments linked to the
activities it held and to the care payments already given, income and dues, spending standards,
and the audit committee (the ``jingshen`` login) half-way through its review.

Idempotent: a school that already has this year's budget is left alone.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from activities.models import Activity
from finance import services
from finance.models import Budget, BudgetLine, Direction, IncomeKind, Payment, Purpose, Settings, Standard, StandardKind
from members.models import Member
from orgs.models import OrgUnit, RoleAssignment
from orgs.roles import Role

DEMO_PASSWORD = "gonghui-demo"

# Line name -> yuan budgeted for the year (a school union of about 150 members).
AMOUNTS = {
    "会费收入": "9000",
    "拨缴经费收入": "72000",
    "上级补助收入": "5000",
    "行政补助收入": "10000",
    "职工教育": "6000",
    "文体活动": "38000",
    "宣传活动": "3000",
    "其他活动": "30000",
    "劳动保护": "2000",
    "困难职工帮扶": "20000",
    "其他维权支出": "1000",
    "培训": "4000",
    "会议": "2000",
    "其他业务支出": "3000",
    "资本性支出": "15000",
    "其他支出": "1000",
}

# (month, line, payee, what, yuan, purpose, people)
OTHER_PAYMENTS = [
    (1, "其他活动", "城关镇百货商店", "元旦教职工慰问品", "7500.00", Purpose.FESTIVAL, 150),
    (3, "职工教育", "县教师进修学校", "工会干部业务培训费", "1200.00", Purpose.TRAINING, 6),
    (4, "宣传活动", "城关镇图文快印", "师德师风宣传展板", "860.00", Purpose.OTHER, None),
    (6, "其他业务支出", "城关镇文具店", "工会办公用品", "426.50", Purpose.OFFICE, None),
    (9, "其他活动", "城关镇百货商店", "中秋节教职工慰问品", "7350.00", Purpose.FESTIVAL, 147),
]


def _user(username, full_name):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def populate(*, stdout=None):
    school = OrgUnit.objects.filter(code="demo-school").first()
    chair = get_user_model().objects.filter(username="zhuxi").first()
    year = timezone.localdate().year
    if school is None or chair is None or Budget.objects.filter(unit=school, year=year).exists():
        return
    auditor = _user("jingshen", "吴桂兰")
    RoleAssignment.objects.get_or_create(user=auditor, unit=school, role=Role.AUDITOR)
    # The school's committee approves single payments from 10,000 yuan; below that the chair's entry counts.
    Settings.objects.get_or_create(unit=school, defaults={"approval_threshold": Decimal("10000")})
    budget = _budget(school, year, chair)
    Standard.objects.create(
        unit=school, name="节日慰问每人每年", purpose=Purpose.FESTIVAL, kind=StandardKind.PER_MEMBER_YEAR, amount=500
    )
    Standard.objects.create(
        unit=school, name="文体活动人均", purpose=Purpose.ACTIVITY, kind=StandardKind.PER_PARTICIPANT, amount=150
    )
    booked = _payments(school, budget, year, chair)
    _income(school, year, chair)
    _audit(school, year, auditor, chair)
    if stdout:
        stdout.write(f"finance: {year} budget approved, {booked} payments, jingshen reviewing the year")


def _budget(school, year, chair):
    budget = services.budget_create(unit=school, year=year, by=chair)
    lines = {line.name: line for line in budget.lines.all()}  # written in Chinese, as AMOUNTS
    services.budget_update_lines(
        budget=budget, amounts={lines[name].pk: Decimal(amount) for name, amount in AMOUNTS.items() if name in lines}
    )
    return services.budget_approve(
        budget=budget, meeting="第三届工会委员会第六次会议", on=datetime.date(year, 1, 12), by=chair
    )


def _payments(school, budget, year, chair):
    lines = {line.name: line for line in BudgetLine.objects.filter(budget=budget, direction=Direction.SPENDING)}
    # The care payments bangfu already gave were booked the moment they were approved; the budget
    # did not exist then, so they wait for a line.
    unlined = Payment.objects.in_subtree(school).filter(line__isnull=True, purpose=Purpose.CARE, paid_on__year=year)
    for payment in unlined.select_related("unit"):
        services.payment_assign_line(payment=payment, line=lines["困难职工帮扶"])
    count = 0
    held = Activity.objects.filter(unit=school, status="held", starts_at__year=year, spend__gt=0)
    for activity in held.order_by("starts_at"):
        services.payment_record(
            unit=school,
            by=chair,
            line=lines["文体活动"],
            amount=activity.spend,
            paid_on=timezone.localdate(activity.starts_at),
            payee="城关镇体育用品商店" if activity.kind == "sports" else "城关镇百货商店",
            description=activity.title,
            purpose=Purpose.OTHER,
            activity=activity,
            confirm_overspend=True,
        )
        count += 1
    today = timezone.localdate()
    for month, line, payee, what, amount, purpose, people in OTHER_PAYMENTS:
        if datetime.date(year, month, 20) > today:
            continue
        services.payment_record(
            unit=school,
            by=chair,
            line=lines[line],
            amount=Decimal(amount),
            paid_on=datetime.date(year, month, 20),
            payee=payee,
            description=what,
            purpose=purpose,
            people=people,
            confirm_overspend=True,
        )
        count += 1
    # A purchase above the approval threshold, waiting for a second officer.
    services.payment_record(
        unit=school,
        by=chair,
        line=lines["资本性支出"],
        amount=Decimal("12800.00"),
        paid_on=min(today, datetime.date(year, 11, 15)),
        payee="县电器商场",
        description="职工之家空调两台",
        purpose=Purpose.CAPITAL,
    )
    return count + 1


def _income(school, year, chair):
    today = timezone.localdate()
    for quarter_month in (1, 4, 7, 10):
        received = datetime.date(year, quarter_month, 15)
        if received <= today:
            services.income_record(
                unit=school,
                by=chair,
                kind=IncomeKind.ALLOCATION,
                amount=Decimal("18000"),
                received_on=received,
                payer="城关镇中心学校",
            )
    groups = list(OrgUnit.objects.get_children(school))
    rng = random.Random(2026)
    for month in range(1, min(today.month, 12) + 1):
        for group in groups:
            if month == today.month and rng.random() < 0.5:
                continue  # this month's dues of some groups are still to come: the page lists who
            members = Member.objects.in_subtree(group).in_union().count()
            if members:
                services.income_record(
                    unit=group,
                    by=chair,
                    kind=IncomeKind.DUES,
                    amount=Decimal(members * 25),
                    received_on=datetime.date(year, month, 10),
                    dues_year=year,
                    dues_month=month,
                    headcount=members,
                    payer=group.name,
                )


def _audit(school, year, auditor, chair):
    audit = services.audit_open(
        unit=school, year=year, title=f"{year}年度经费收支审查", by=auditor, sample_size=6, rng=random.Random(7)
    )
    sampled = list(audit.sampled.order_by("paid_on"))
    if sampled:
        finding = services.finding_add(
            audit=audit, by=auditor, payment=sampled[0], text="凭证只有收据，缺少购物清单，请补齐。"
        )
        services.finding_respond(finding=finding, by=chair, response="已向商家补开清单并附在凭证后。")
    if len(sampled) > 1:
        services.finding_add(audit=audit, by=auditor, payment=sampled[-1], text="请说明本笔支出的审批经过。")
