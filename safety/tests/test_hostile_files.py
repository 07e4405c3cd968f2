"""A hazard's fix photo that is not a whole picture, sent on the hazard's page: the page comes back with
words for the safety officer and nothing is stored (a truncated photo was a 500: the form's photo field
closed the upload under it)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (180, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("../整改照片.png", lambda: _png()[:60]),  # cut off after its header: it opens, then fails Django's check
        ("整改照片.svg", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
)
def test_a_broken_or_scripted_fix_photo_is_refused_on_the_page_and_nothing_stored(
    client_for, hazard, anquan, name, data
):
    answer = client_for(anquan).post(
        reverse("safety:hazard", args=[hazard.pk]), {"fix_photo": SimpleUploadedFile(name, data())}
    )
    assert answer.status_code == 200
    assert "有效的图片" in answer.content.decode()
    hazard.refresh_from_db()
    assert not hazard.fix_photo and hazard.fixed_at is None
