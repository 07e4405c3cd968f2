"""Photos of an activity's summary, as phones take them: a 48-megapixel JPEG is made small without
being decoded whole (bounded memory for a page that takes several at once)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from activities.services import PHOTO_MAX_SIDE, process_photo
from core.limits import run_limited


def _small_side(data):
    photo, size = process_photo(SimpleUploadedFile("../活动现场.jpg", data))
    return photo.name, size


def test_a_48_megapixel_phone_photo_is_made_small_within_a_bounded_memory():
    buffer = io.BytesIO()
    Image.new("RGB", (8000, 6000), (200, 60, 60)).save(buffer, "JPEG", quality=60)
    # Decoded whole, the photo takes about 190 MB, and as much again turned and converted.
    name, size = run_limited(_small_side, buffer.getvalue(), seconds=30, memory_mb=160)
    assert name == "活动现场.jpg" and max(size) == PHOTO_MAX_SIDE
