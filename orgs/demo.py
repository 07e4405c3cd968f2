"""The demo tree: a county federation with about 20 unions, one of them a central school
union (demo-school) with a union group per branch school, and the four demo logins."""

from django.contrib.auth import get_user_model

from orgs.models import OrgUnit, RoleAssignment, UnitKind
from orgs.roles import Role

DEMO_PASSWORD = "gonghui-demo"

SCHOOL_GROUPS = [
    ("城关镇中心小学工会小组", "中心小学", 38),
    ("东关完小工会小组", "东关完小", 24),
    ("西街完小工会小组", "西街完小", 22),
    ("南湖完小工会小组", "南湖完小", 20),
    ("北岗完小工会小组", "北岗完小", 21),
    ("柳树屯完小工会小组", "柳树屯完小", 19),
]

OTHER_UNIONS = [
    ("清河县第一中学工会", "县一中", "demo-yizhong", 210),
    ("清河县城南中学工会", "城南中学", "demo-chengnan", 160),
    ("清河县实验小学工会", "实验小学", "demo-shiyan", 120),
    ("清河县职业中学工会", "职业中学", "demo-zhizhong", 95),
    ("清河县幼儿园工会", "县幼儿园", "demo-youeryuan", 60),
    ("清河县人民医院工会", "人民医院", "demo-hospital", 480),
    ("清河县中医院工会", "中医院", "demo-zhongyi", 230),
    ("清河县教育局机关工会", "教育局", "demo-jiaoyuju", 45),
    ("清河县财政局机关工会", "财政局", "demo-caizheng", 52),
    ("清河县市场监督管理局机关工会", "市场监管局", "demo-shichang", 68),
    ("清河县交通运输局机关工会", "交通局", "demo-jiaotong", 57),
    ("东方机械有限公司工会", "东方机械", "demo-jixie", 320),
    ("清河县供电公司工会", "供电公司", "demo-gongdian", 180),
    ("清河县自来水公司工会", "自来水公司", "demo-zilaishui", 75),
    ("清河县农村商业银行工会", "农商银行", "demo-nongshang", 140),
    ("清河县邮政分公司工会", "邮政分公司", "demo-youzheng", 66),
    ("清河县公共交通有限公司工会", "公交公司", "demo-gongjiao", 130),
    ("清河县第二中学工会", "县二中", "demo-erzhong", 150),
]

PLANT_TEAMS = [
    ("金工车间班组", "demo-jixie-t1", 60),
    ("焊接车间班组", "demo-jixie-t2", 48),
    ("装配车间班组", "demo-jixie-t3", 72),
]

USERS = [
    # username, full name, unit code, role
    ("zhuxi", "王建国", "demo-school", Role.CHAIR),
    ("xiaozu", "李秀英", "demo-school-g2", Role.GROUP_LEADER),
    ("bangfu", "赵丽", "demo-school", Role.CARE_OFFICER),
    ("xianzong", "陈志强", "demo-county", Role.FEDERATION_VIEWER),
]


def _child(parent, *, code, **fields):
    existing = OrgUnit.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return OrgUnit.objects.add_child(OrgUnit.objects.get(pk=parent.pk), {"code": code, **fields})


def populate(*, stdout=None):
    county = OrgUnit.objects.filter(code="demo-county").first() or OrgUnit.objects.add_root(
        {
            "code": "demo-county",
            "name": "清河县总工会",
            "short_name": "县总工会",
            "kind": UnitKind.FEDERATION,
            "headcount": 18,
        }
    )
    school = _child(
        county,
        code="demo-school",
        name="清河县城关镇中心学校工会",
        short_name="城关中心校",
        kind=UnitKind.UNION,
        headcount=12,
    )
    for number, (name, short, headcount) in enumerate(SCHOOL_GROUPS, start=1):
        _child(
            school, code=f"demo-school-g{number}", name=name, short_name=short, kind=UnitKind.GROUP, headcount=headcount
        )
    for name, short, code, headcount in OTHER_UNIONS:
        _child(county, code=code, name=name, short_name=short, kind=UnitKind.UNION, headcount=headcount)
    plant = OrgUnit.objects.get(code="demo-jixie")
    for name, code, headcount in PLANT_TEAMS:
        _child(plant, code=code, name=name, kind=UnitKind.TEAM, headcount=headcount)

    User = get_user_model()
    for username, full_name, code, role in USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        RoleAssignment.objects.get_or_create(user=user, unit=OrgUnit.objects.get(code=code), role=role)
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"full_name": "系统管理员", "is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    if stdout:
        stdout.write(f"orgs: {OrgUnit.objects.filter(path__startswith=county.path).count()} units under {county.name}")
