"""Safety personas: anquan, a union safety inspector of demo-school."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import make_person
from orgs.roles import Role
from safety import services


@pytest.fixture
def anquan(units):
    return make_person("anquan", "郑国强", units["school"], Role.SAFETY_INSPECTOR)


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def jpeg(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (180, 40, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def hazard(units, anquan):
    """An open hazard of demo-school found on 2026-03-02, to be fixed by 2026-03-09."""
    inspection = services.inspection_record(
        unit=units["school"],
        by=anquan,
        place="中心校食堂",
        inspected_on=datetime.date(2026, 3, 2),
        failed=[],
        hazards=[services.HazardInput("燃气软管老化", "serious", "食堂", datetime.date(2026, 3, 9), jpeg())],
        today=datetime.date(2026, 3, 2),
    )
    return inspection.hazards.get()
