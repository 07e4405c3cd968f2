"""Demo care data for demo-school: believable households at every level, their life and help,
a 送温暖 campaign in progress, a pairing, an insurance product, a rights case.

Idempotent: a school that already has hardship files is left alone. Dates are relative to today,
so that the worklists and the running campaign look alive whenever the demo is built.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from care import services
from care.models import (
    AssistanceCap,
    CareSettings,
    CareTag,
    FamilyMember,
    Household,
    InsuranceEnrollment,
    InsuranceProduct,
    Pairing,
    PairingContact,
    TagKind,
)
from care.models.archive import add_months
from members.models import IN_UNION, Member
from orgs.models import OrgUnit

# (level, categories, situation, monthly income, months since entry, family [(name, relation, birth year, occupation, health, income, university)])
HOUSEHOLDS = [
    (
        "deep",
        ["illness"],
        "本人2024年确诊乳腺癌，手术后仍在化疗，每月自付医药费约3000元；丈夫务农，收入不稳定。",
        "2600",
        13,
        [("刘强", "配偶", 1980, "务农", "健康", "800", None), ("刘子涵", "子女", 2012, "初中", "健康", "0", None)],
    ),
    (
        "deep",
        ["disability", "low_income"],
        "丈夫因车祸致二级肢体残疾，常年卧床需人照料；家中两个孩子上学，仅靠本人工资维持。",
        "3100",
        11,
        [
            ("马建军", "配偶", 1976, "无业", "二级肢体残疾", "0", None),
            ("马欣怡", "子女", 2008, "高三", "健康", "0", "this"),
        ],
    ),
    (
        "relative",
        ["single_parent"],
        "离异后独自抚养两个孩子，租房居住，房租占收入三分之一。",
        "3800",
        7,
        [("高雨桐", "子女", 2015, "小学", "健康", "0", None), ("高宇航", "子女", 2018, "小学", "健康", "0", None)],
    ),
    (
        "relative",
        ["illness", "other"],
        "母亲患阿尔茨海默病，需长期护理，本人为独生子女，护工费用每月约2500元。",
        "4200",
        2,
        [("孙桂兰", "母亲", 1948, "退休", "阿尔茨海默病", "1600", None)],
    ),
    (
        "accident",
        ["disaster"],
        "2026年7月暴雨致自建房倒塌，家庭财产损失严重，暂借住亲戚家。",
        "4500",
        1,
        [("周海", "配偶", 1985, "个体经营", "健康", "2000", None)],
    ),
    (
        "accident",
        ["illness"],
        "儿子突发白血病，正在省儿童医院治疗，前期费用已超过15万元。",
        "5200",
        4,
        [
            ("吴一鸣", "子女", 2016, "小学", "白血病", "0", None),
            ("吴昊", "配偶", 1987, "公司职员", "健康", "3500", None),
        ],
    ),
    (
        "deep",
        ["low_income", "other"],
        "父母均年过八旬且多病，本人为唯一赡养人；爱人下岗后打零工。",
        "2900",
        12,
        [
            ("郑秀英", "母亲", 1942, "无", "糖尿病、高血压", "0", None),
            ("郑国庆", "父亲", 1940, "无", "脑梗后遗症", "0", None),
        ],
    ),
    (
        "relative",
        ["illness"],
        "本人患强直性脊柱炎，需长期服药，每年自付药费约2万元；孩子今年考上大学。",
        "4100",
        10,
        [("何佳琪", "子女", 2008, "高三", "健康", "0", "this")],
    ),
    (
        "relative",
        ["single_parent", "low_income"],
        "丧偶后独自抚养孩子，2025年经帮扶和转岗后收入稳定，已于今年脱困。",
        "5600",
        20,
        [("冯思远", "子女", 2011, "初中", "健康", "0", None)],
    ),
]


def populate(*, stdout=None):
    school = OrgUnit.objects.filter(code="demo-school").first()
    if school is None or Household.objects.in_subtree(school).exists():
        return
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["bangfu", "zhuxi"])}
    officer, chair = users.get("bangfu"), users.get("zhuxi")
    if officer is None or chair is None:
        return
    today = timezone.localdate()
    CareSettings.objects.get_or_create(unit=school, defaults={"approval_threshold": Decimal("1000")})
    AssistanceCap.objects.get_or_create(
        unit=school, purpose="medical", defaults={"per": AssistanceCap.Per.SUBJECT, "max_times": 1}
    )
    AssistanceCap.objects.get_or_create(unit=school, purpose="school", defaults={"max_amount": Decimal("2000")})
    # Staff who are neither officers nor the demo logins, as the families in hardship.
    people = list(
        Member.objects.in_subtree(school)
        .filter(status__in=IN_UNION, user__isnull=True, birth_date__year__range=(1970, 1990))
        .exclude(id_number="")
        .order_by("pk")[: len(HOUSEHOLDS)]
    )
    households = [
        _household(person, spec, officer=officer, today=today) for person, spec in zip(people, HOUSEHOLDS, strict=False)
    ]
    _life(households, officer=officer, chair=chair, today=today)
    _campaign(school, households, officer=officer, chair=chair, today=today)
    _other(school, households, officer=officer, today=today)
    if stdout:
        stdout.write(f"care: {len(households)} hardship files, a 送温暖 campaign in progress")


def _household(person, spec, *, officer, today):
    level, categories, situation, income, months_ago, family = spec
    entered = add_months(today, -months_ago)
    household = services.household_create(
        unit=person.unit,
        by=officer,
        name=person.name,
        id_number=person.id_number,
        level=level,
        categories=categories,
        situation=situation,
        today=today,
        entered_on=entered,
        monthly_income=Decimal(income),
        phone=person.phone,
        address="城关镇" + ("东关村" if person.pk % 2 else "西街社区"),
    )
    FamilyMember.objects.bulk_create(
        FamilyMember(
            household=household,
            name=name,
            relation=relation,
            birth_year=year,
            occupation=occupation,
            health=health,
            monthly_income=Decimal(money),
            university_year=today.year if university else None,
        )
        for name, relation, year, occupation, health, money, university in family
    )
    return household


def _life(households, *, officer, chair, today):
    if len(households) < 9:
        return
    # A file reviewed on time, one lifted out of hardship, and earlier help on most.
    services.household_review(
        household=households[2], by=officer, on=add_months(today, -1), reason="入户核实，情况未变", today=today
    )
    services.household_lift(
        household=households[8],
        by=officer,
        on=add_months(today, -2),
        reason="转岗后收入稳定，家庭人均收入超过当地标准",
        today=today,
    )
    for household, purpose, amount, subject, months in [
        (households[0], "medical", "3000", "乳腺癌", 6),
        (households[1], "songnuan", "1000", "", 8),
        (households[5], "emergency", "5000", "白血病", 3),
        (households[6], "songnuan", "800", "", 8),
    ]:
        payment = services.assistance_give(
            unit=household.unit,
            by=officer,
            household=household,
            recipient="",
            amount=Decimal(amount),
            purpose=purpose,
            subject=subject,
            given_on=add_months(today, -months),
            budget_line="职工活动支出—困难职工帮扶",
        )
        if payment.is_pending:
            services.assistance_approve(assistance=payment, by=chair)


def _campaign(school, households, *, officer, chair, today):
    for person in Member.objects.in_subtree(school).filter(status__in=IN_UNION, user__isnull=True).order_by("-pk")[:2]:
        CareTag.objects.create(
            unit=person.unit, member=person, kind=TagKind.SICK_LEAVE, since=add_months(today, -4), note="腰椎手术后休养"
        )
    campaign = services.campaign_create(
        unit=school,
        by=officer,
        today=today,
        kind="spring",
        title=f"{today.year}年送温暖活动",
        year=today.year,
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=21),
        standard_amount=Decimal("500"),
        budget_line="职工活动支出—送温暖",
        levels=["deep", "relative", "accident"],
        include_retirees=True,
        include_sick_leave=True,
    )
    services.campaign_split(campaign=campaign, officers=[officer, chair])
    for entry in campaign.entries.filter(household__isnull=False).order_by("pk")[:3]:
        services.campaign_record(
            entry=entry, by=entry.officer or officer, amount=Decimal("500"), given_on=today - datetime.timedelta(days=2)
        )


def _other(school, households, *, officer, today):
    if households:
        pairing = Pairing.objects.create(
            unit=households[1].unit,
            helper="王建国",
            household=households[1],
            helped=households[1].name,
            started_on=add_months(today, -10),
            goal="每月走访一次，孩子学业辅导",
        )
        PairingContact.objects.create(
            pairing=pairing, on=add_months(today, -5), how="visit", note="送去米面油，了解康复情况", by=officer
        )
    product = InsuranceProduct.objects.create(
        unit=school,
        name="女职工安康互助保险",
        insurer="省职工保险互助会",
        premium=Decimal("30"),
        women_only=True,
        max_age=60,
    )
    women = list(
        Member.objects.in_subtree(school)
        .filter(status__in=IN_UNION, gender="F")
        .exclude(status="retired")
        .order_by("pk")[:40]
    )
    InsuranceEnrollment.objects.bulk_create(
        InsuranceEnrollment(
            product=product,
            unit_id=m.unit_id,
            member=m,
            year=today.year - 1,
            premium=product.premium,
            enrolled_on=datetime.date(today.year - 1, 3, 1),
        )
        for m in women[:30]
    )
    services.case_submit(
        unit=school,
        name="贾师傅",
        phone="13803190000",
        employer="城关镇某装修公司",
        category="wages",
        account="为学校食堂装修后，公司拖欠三个月工资共1.2万元。",
        amount_claimed=Decimal("12000"),
        now=timezone.now(),
        from_public_form=True,
        consent=True,
    )
