"""Demo applications: three waiting at demo-school (one from a migrant worker), one at the county
federation from a delivery rider whose employer has no union, and a recruitment drive."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from core import idnumber
from members.demo import REGION
from orgs.models import OrgUnit
from portal import consent
from portal.models import Application, Campaign, CampaignTarget, TargetGroup, code_index

# (unit code, name, gender, birth date, phone, employer, post, migrant, new form)
APPLICANTS = [
    (
        "demo-school",
        "马春燕",
        "F",
        datetime.date(1986, 4, 12),
        "13831500101",
        "城关镇中心学校",
        "食堂厨师",
        True,
        False,
    ),
    (
        "demo-school",
        "高志远",
        "M",
        datetime.date(1998, 10, 3),
        "13831500102",
        "城关镇中心学校",
        "数学教师",
        False,
        False,
    ),
    ("demo-school", "杜小梅", "F", datetime.date(1991, 6, 27), "13831500103", "城关镇中心学校", "保育员", False, False),
    (
        "demo-county",
        "韩磊",
        "M",
        datetime.date(1995, 2, 18),
        "13831500104",
        "清河县某外卖配送站",
        "外卖骑手",
        True,
        True,
    ),
]


def populate(*, stdout=None):
    if Application.objects.exists():
        return
    rng = random.Random(16)
    now = timezone.now()
    for days_ago, (code, name, gender, birth, phone, employer, post, migrant, new_form) in enumerate(APPLICANTS, 1):
        Application.objects.create(
            unit=OrgUnit.objects.get(code=code),
            name=name,
            id_number=idnumber.make(birth, gender, region=REGION, rng=rng),
            phone=phone,
            employer=employer,
            post=post,
            is_migrant_worker=migrant,
            is_new_form_worker=new_form,
            consent_version=consent.STATEMENT_VERSION,
            consent_text=str(consent.STATEMENT),
            consented_at=now - datetime.timedelta(days=days_ago),
            created_at=now - datetime.timedelta(days=days_ago),
            # Demo codes are known so that the status page can be tried: DEMO0001 ...
            code_index=code_index(f"DEMO{days_ago:04d}"),
        )
    county = OrgUnit.objects.get(code="demo-county")
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if admin is not None:
        year = timezone.localdate().year
        campaign = Campaign.objects.create(
            unit=county,
            title=f"{year}年农民工入会集中行动",
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            group=TargetGroup.MIGRANT,
            note="新增农民工会员100%：各基层工会张贴入会海报，县总工会受理未建会单位职工的申请。",
            created_by=admin,
        )
        for unit_code, target in [("demo-school", 2), ("demo-jixie", 30), ("demo-gongjiao", 10)]:
            unit = OrgUnit.objects.filter(code=unit_code).first()
            if unit is not None:
                CampaignTarget.objects.create(campaign=campaign, unit=unit, target=target)
    if stdout:
        stdout.write(f"portal: {len(APPLICANTS)} join applications waiting (status codes DEMO0001-DEMO0004)")
