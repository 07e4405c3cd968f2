"""Demo rosters: about 150 members in demo-school, plausible rosters for the county's other
unions, the demo logins' own member records, and the self-service login ``huiyuan``.

Deterministic (one seeded random source) and idempotent (a unit that has members is left alone).
"""

import datetime
import random

from django.contrib.auth import get_user_model
from faker import Faker
from simple_history.utils import bulk_create_with_history

from core import idnumber
from members.models import Category, Education, Member, PoliticalStatus, Status, Transfer
from orgs.models import OrgUnit, RoleAssignment
from orgs.roles import Role

DEMO_PASSWORD = "gonghui-demo"
REGION = "130534"  # the county's area code, the first six digits of its people's ID numbers
TODAY = datetime.date(2026, 9, 1)  # fixed, so the demo is the same whenever it is built

# (username, full name, gender, birth date, unit code, job title)
LINKED = [
    ("zhuxi", "王建国", "M", datetime.date(1972, 5, 14), "demo-school", "工会主席"),
    ("bangfu", "赵丽", "F", datetime.date(1983, 11, 2), "demo-school", "工会委员、帮扶专干"),
    ("xiaozu", "李秀英", "F", datetime.date(1979, 3, 8), "demo-school-g2", "工会小组长、语文教师"),
    ("huiyuan", "周小红", "F", datetime.date(1994, 9, 21), "demo-school-g2", "数学教师"),
]

# Share of women and the usual staff category, by the kind of workplace a union code names.
PROFILES = {
    "school": (0.66, [(Category.TEACHER, 85), (Category.WORKER, 8), (Category.CADRE, 7)]),
    "hospital": (0.72, [(Category.OTHER, 80), (Category.WORKER, 12), (Category.CADRE, 8)]),
    "office": (0.45, [(Category.CADRE, 85), (Category.WORKER, 15)]),
    "company": (0.3, [(Category.WORKER, 85), (Category.CADRE, 10), (Category.OTHER, 5)]),
}
PROFILE_OF = {
    "demo-hospital": "hospital",
    "demo-zhongyi": "hospital",
    "demo-jiaoyuju": "office",
    "demo-caizheng": "office",
    "demo-shichang": "office",
    "demo-jiaotong": "office",
    "demo-jixie": "company",
    "demo-gongdian": "company",
    "demo-zilaishui": "company",
    "demo-nongshang": "company",
    "demo-youzheng": "company",
    "demo-gongjiao": "company",
}
JOBS = {
    Category.TEACHER: [
        "语文教师",
        "数学教师",
        "英语教师",
        "科学教师",
        "音乐教师",
        "体育教师",
        "美术教师",
        "班主任",
        "教研组长",
    ],
    Category.WORKER: ["后勤", "门卫", "食堂", "电工", "司机", "车间操作工", "检修工", "营业员"],
    Category.CADRE: ["办公室主任", "科员", "副科长", "会计", "人事专员"],
    Category.OTHER: ["护士", "医师", "药剂师", "检验师"],
}
POLITICAL = [(PoliticalStatus.PARTY_MEMBER, 35), (PoliticalStatus.MASSES, 50), (PoliticalStatus.LEAGUE, 10)]
POLITICAL += [(PoliticalStatus.DEMOCRATIC_PARTY, 5)]
EDUCATION = [(Education.BACHELOR, 60), (Education.COLLEGE, 22), (Education.MASTER, 10), (Education.SECONDARY, 8)]


def _pick(rng, weighted):
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _birth(rng, low, high):
    age = rng.randint(low, high)
    return TODAY - datetime.timedelta(days=age * 365 + rng.randint(0, 364))


# Given names that read as one gender to a Chinese reader. Faker's zh_CN names are not reliable
# here: name_female() and name_male() mix their lists, and its male list holds 红霞 and 楠.
GIVEN_NAMES = {
    "F": "芳 娜 敏 静 秀英 丽 艳 娟 霞 秀兰 燕 玲 桂英 丹 萍 红梅 玉兰 桂兰 婷 慧 淑华 晓燕 雪梅 春花 美玲 丽华 倩 琳 颖 雯 "
    "佳怡 欣怡 梦瑶 思琪 雅静 晓红 海燕 凤英 玉珍 秀珍",
    "M": "伟 强 磊 勇 军 杰 涛 超 明 刚 平 辉 鹏 飞 鑫 波 斌 浩 凯 健 俊 帅 旭 龙 亮 成 峰 建国 建军 志强 兵 雷 东 博 彬 "
    "坤 岩 国庆 振华 卫东 海军 志刚 永胜",
}


def demo_name(rng, faker, gender):
    """A surname and a given name of the member's gender."""
    return faker.last_name() + rng.choice(GIVEN_NAMES[gender].split())


def _member(rng, faker, unit, profile, *, used_ids):
    women_share, categories = PROFILES[profile]
    gender = "F" if rng.random() < women_share else "M"
    roll = rng.random()
    status, retired = Status.ACTIVE, False
    birth = _birth(rng, 23, 59)
    if roll < 0.04:
        status, retired, birth = Status.RETIRED, True, _birth(rng, 60, 72)
    elif roll < 0.06:
        status = Status.LEFT
    elif roll < 0.08:
        status = Status.TRANSFERRED_IN
    number = idnumber.make(birth, gender, region=REGION, rng=rng)
    while number in used_ids:
        number = idnumber.make(birth, gender, region=REGION, rng=rng)
    used_ids.add(number)
    category = _pick(rng, categories)
    joined_from = max(birth.year + 21, 1995)
    joined = datetime.date(rng.randint(joined_from, TODAY.year), rng.choice((3, 7, 9, 12)), 1)
    return Member(
        unit=unit,
        name=demo_name(rng, faker, gender),
        gender=gender,
        birth_date=birth,
        id_number=number,
        phone="1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9)),
        category=category,
        job_title=rng.choice(JOBS[category]),
        political_status=_pick(rng, POLITICAL),
        education=_pick(rng, EDUCATION),
        joined_on=joined,
        card_number=f"{unit.pk:04d}{rng.randint(0, 99999):05d}",
        is_migrant_worker=profile == "company" and category == Category.WORKER and rng.random() < 0.3,
        is_retiree=retired,
        status=status,
        status_changed_on=TODAY - datetime.timedelta(days=rng.randint(10, 300)) if status != Status.ACTIVE else None,
    )


def _fill(unit, count, profile, rng, faker, used_ids):
    if unit.members.exists():
        return 0
    members = [_member(rng, faker, unit, profile, used_ids=used_ids) for _ in range(count)]
    for member in members:
        member.fill_derived()
    bulk_create_with_history(members, Member, batch_size=500, default_change_reason="status:joined")
    return len(members)


def populate(*, stdout=None):
    rng = random.Random(20260901)
    faker = Faker("zh_CN")
    faker.seed_instance(20260901)
    used_ids = set(Member.objects.values_list("id_number", flat=True))
    _member_login()
    # In this order: the generator's draws, and so the demo's people, stay the same from run to run.
    created_count = _fill_school(rng, faker, used_ids)
    created_count += _fill_county(rng, faker, used_ids)
    created_count += _link_logins(rng, used_ids)
    _details_to_complete()
    _pending_transfer(rng)
    if stdout:
        county = OrgUnit.objects.get(code="demo-county")
        total = Member.objects.in_subtree(county).count()
        stdout.write(f"members: {created_count} added, {total} in {county.name}")


def _member_login():
    """huiyuan, the demo's plain member, in the school's second group."""
    huiyuan, created = get_user_model().objects.get_or_create(username="huiyuan", defaults={"full_name": "周小红"})
    if created:
        huiyuan.set_password(DEMO_PASSWORD)
        huiyuan.save()
    RoleAssignment.objects.get_or_create(
        user=huiyuan, unit=OrgUnit.objects.get(code="demo-school-g2"), role=Role.MEMBER
    )


def _fill_school(rng, faker, used_ids):
    created_count = 0
    school = OrgUnit.objects.get(code="demo-school")
    # Each unit's roster is a little short of its staff: membership rates of 85-100 %.
    for unit in [school, *OrgUnit.objects.get_children(school)]:
        linked = sum(1 for *_rest, code, _job in LINKED if code == unit.code)
        count = max(0, round(unit.headcount * rng.uniform(0.88, 1.0)) - linked)
        created_count += _fill(unit, count, "school", rng, faker, used_ids)
    return created_count


def _fill_county(rng, faker, used_ids):
    """The county's other unions and their teams, each with its trade's profile."""
    created_count = 0
    county = OrgUnit.objects.get(code="demo-county")
    for unit in OrgUnit.objects.get_children(county):
        if unit.code == "demo-school":
            continue
        profile = PROFILE_OF.get(unit.code, "school")
        teams = list(OrgUnit.objects.get_children(unit))
        for each in [unit, *teams]:
            count = round(each.headcount * rng.uniform(0.8, 0.98)) if each.headcount else 0
            if each is unit and teams:
                count = round(count * 0.3)  # most of a plant's staff sit in its teams
            created_count += _fill(each, count, profile, rng, faker, used_ids)
    return created_count


def _link_logins(rng, used_ids):
    """The roster records of the demo's officers, linked to their logins."""
    created_count = 0
    for username, full_name, gender, birth, code, job in LINKED:
        user = get_user_model().objects.filter(username=username).first()
        if user is None or Member.objects.filter(user=user).exists():
            continue
        number = idnumber.make(birth, gender, region=REGION, rng=rng)
        while number in used_ids:
            number = idnumber.make(birth, gender, region=REGION, rng=rng)
        used_ids.add(number)
        member = Member(
            unit=OrgUnit.objects.get(code=code),
            user=user,
            name=full_name,
            gender=gender,
            birth_date=birth,
            id_number=number,
            phone="139" + "".join(rng.choice("0123456789") for _ in range(8)),
            category=Category.TEACHER,
            job_title=job,
            political_status=PoliticalStatus.PARTY_MEMBER if username == "zhuxi" else PoliticalStatus.MASSES,
            education=Education.BACHELOR,
            joined_on=datetime.date(max(birth.year + 22, 2000), 9, 1),
        )
        member._change_reason = "status:joined"
        member.save()
        created_count += 1
    return created_count


def _details_to_complete():
    """A real roster is never complete: the school's three newest members have not yet handed in an ID
    number (two) or a mobile number (one), so that 缺身份证号 and 缺手机号 find someone to chase up. Their
    records (and the history rows of their 建档) are written as if entered so, not edited afterwards."""
    school = OrgUnit.objects.get(code="demo-school")
    if Member.objects.in_subtree(school).missing_id_number().exists():
        return
    newest = list(
        Member.objects.in_subtree(school)
        .filter(status=Status.ACTIVE, user__isnull=True)
        .order_by("-joined_on", "-pk")
        .values_list("pk", flat=True)[:3]
    )
    without_id, without_phone = newest[:2], newest[2:]
    Member.objects.filter(pk__in=without_id).update(id_number="", id_number_index=None)
    Member.history.filter(id__in=without_id).update(id_number="")
    Member.objects.filter(pk__in=without_phone).update(phone="", phone_last4="")
    Member.history.filter(id__in=without_phone).update(phone="")


def _pending_transfer(rng):
    """One teacher moving from the county's first middle school to demo-school: a to-do on zhuxi's home page."""
    if Transfer.objects.exists():
        return
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    member = Member.objects.filter(unit__code="demo-yizhong", status=Status.ACTIVE).order_by("pk").first()
    if admin is None or member is None:
        return
    from members.services import member_transfer_start

    member_transfer_start(
        member=member, to_unit=OrgUnit.objects.get(code="demo-school"), reason="调入城关镇中心学校任教", by=admin
    )
