"""core.files: the default storage is private too, files an older version left under MEDIA_ROOT move
to private storage, and Pillow refuses images over the lowered pixel limit."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from core import files


def test_the_default_storage_is_private_too(private_files):
    from django.core.files.storage import default_storage

    name = default_storage.save("generated/archive.zip", ContentFile(b"PK"))
    assert (private_files / name).is_file()


def test_a_file_an_older_version_left_under_media_moves_to_private_storage(settings, private_files):
    (settings.MEDIA_ROOT / "activities/summaries/2026/11").mkdir(parents=True)
    (settings.MEDIA_ROOT / "activities/summaries/2026/11/a.jpg").write_bytes(b"jpeg")
    assert files.move_from_public_media("activities/summaries/2026/11/a.jpg")
    assert (private_files / "activities/summaries/2026/11/a.jpg").read_bytes() == b"jpeg"
    assert not (settings.MEDIA_ROOT / "activities/summaries/2026/11/a.jpg").exists()
    assert not files.move_from_public_media("activities/summaries/2026/11/a.jpg")  # already moved


def test_pillow_refuses_images_over_the_lowered_limit(settings):
    assert settings.IMAGE_MAX_PIXELS < 89_478_485  # Pillow's default
    assert Image.MAX_IMAGE_PIXELS * 2 == settings.IMAGE_MAX_PIXELS  # Pillow refuses at twice its limit
    with pytest.raises(Image.DecompressionBombError):  # so Django's ImageField and every library refuse too
        Image.open(io.BytesIO(_png(8000, 7000)))
    with pytest.raises(files.ImageRefused):
        files.open_image(io.BytesIO(_png(8000, 7000)), name="big.png")
    assert files.open_image(io.BytesIO(_png(4000, 3000))).size == (4000, 3000)


def _png(width, height):
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()
