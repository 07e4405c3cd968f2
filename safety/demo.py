"""Demo safety work: the ``anquan`` login (a union safety inspector of demo-school), the school and
two other unions in this year's 安康杯, inspections with hazards open, overdue and closed.

Idempotent: a school that already has inspections is left alone.
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from orgs.models import OrgUnit, RoleAssignment
from orgs.roles import Role
from safety import services
from safety.models import Enrollment, Inspection

DEMO_PASSWORD = "gonghui-demo"

# (days ago, place, failed checks by position, [(hazard, severity, department, days to fix, fixed?)])
INSPECTIONS = [
    (75, "东关完小教学楼", [2], [("三楼电教室插线板串接使用", "general", "总务处", 7, True)]),
    (
        40,
        "中心校食堂",
        [4],
        [("燃气管道软管老化开裂", "serious", "食堂", 5, True), ("后厨灭火毯缺失", "general", "食堂", 10, False)],
    ),
    (12, "西街完小操场", [3], [("篮球架底座螺栓松动", "serious", "体育组", 3, False)]),
    (3, "中心校实验楼", [5, 0], [("化学药品柜未双人双锁", "major", "理化生教研组", 14, False)]),
]


def _photo(text, colour):
    image = Image.new("RGB", (480, 320), colour)
    ImageDraw.Draw(image).rectangle((20, 20, 460, 300), outline=(255, 255, 255), width=6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return ContentFile(buffer.getvalue(), name=f"{text}.jpg")


def populate(*, stdout=None):
    school = OrgUnit.objects.filter(code="demo-school").first()
    chair = get_user_model().objects.filter(username="zhuxi").first()
    if school is None or chair is None or Inspection.objects.filter(unit=school).exists():
        return
    User = get_user_model()
    inspector, created = User.objects.get_or_create(username="anquan", defaults={"full_name": "郑国强"})
    if created:
        inspector.set_password(DEMO_PASSWORD)
        inspector.save()
    RoleAssignment.objects.get_or_create(user=inspector, unit=school, role=Role.SAFETY_INSPECTOR)
    today = timezone.localdate()
    for unit in [school, *OrgUnit.objects.filter(code__in=["demo-jixie", "demo-hospital"])]:
        Enrollment.objects.get_or_create(unit=unit, year=today.year, defaults={"enrolled_by": chair})
    for days_ago, place, failed, hazards in INSPECTIONS:
        on = today - datetime.timedelta(days=days_ago)
        inspection = services.inspection_record(
            unit=school,
            by=inspector,
            place=place,
            inspected_on=on,
            failed=failed,
            hazards=[
                services.HazardInput(
                    text, severity, department, on + datetime.timedelta(days=days), _photo("hazard", (150, 60, 40))
                )
                for text, severity, department, days, _fixed in hazards
            ],
            today=today,
        )
        for hazard, (_t, _s, _d, days, fixed) in zip(inspection.hazards.order_by("pk"), hazards, strict=True):
            if fixed:
                services.hazard_fix(
                    hazard=hazard,
                    by=chair,
                    photo=_photo("fixed", (40, 120, 60)),
                    note="已更换并复查",
                    close=True,
                    now=timezone.now() - datetime.timedelta(days=days_ago - days + 1),
                )
    if stdout:
        stdout.write(
            "safety: anquan inspecting demo-school, hazards open, overdue and closed, three unions in the 安康杯"
        )
