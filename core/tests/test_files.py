"""core.files: the default storage is private too, files an older version left under MEDIA_ROOT move
to private storage, Pillow refuses images over the lowered pixel limit, an uploaded file is served as
something that runs only when it is a photo, a PDF or an office document, and a photo or scan is
known by its bytes, not only its name."""

import io

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import files


def test_the_default_storage_is_private_too(private_files):
    from django.core.files.storage import default_storage

    name = default_storage.save("generated/archive.zip", ContentFile(b"PK"))
    assert (private_files / name).is_file()


def test_a_long_chinese_file_name_is_cut_to_what_the_disk_takes_keeping_its_extension(private_files):
    """A file system takes 255 bytes a name: 90 Chinese characters (3 bytes each) of what an officer
    named a scan were an OSError, a 500, as the upload was saved."""
    from pathlib import PurePosixPath

    name = files.private_storage.generate_filename(
        "care/receipts/1/20261207103000-" + "困难职工慰问金签收单" * 12 + ".pdf"
    )
    first = files.private_storage.save(name, ContentFile(b"%PDF-1.4"), max_length=300)
    second = files.private_storage.save(name, ContentFile(b"%PDF-1.5"), max_length=300)  # the name taken
    assert first != second
    for saved, data in ((first, b"%PDF-1.4"), (second, b"%PDF-1.5")):
        assert (private_files / saved).read_bytes() == data
        assert saved.startswith("care/receipts/1/20261207103000-困难职工") and saved.endswith(".pdf")
        assert len(PurePosixPath(saved).name.encode()) <= 255
    assert files.fitted_name("王" * 100 + ".jpg", 20) == "王" * 5 + ".jpg"  # never half a character
    assert files.fitted_name("签收单.jpg", 20) == "签收单.jpg"


def test_a_name_with_a_path_a_nul_or_a_direction_override_is_stored_plain(private_files):
    """签收单<RLO>gpj.exe shows as 签收单exe.jpg: stored (and later offered for download) as what it is."""
    upload = SimpleUploadedFile("../../签收\x00单\u202egpj.exe", b"MZ")
    assert upload.name == "签收\x00单\u202egpj.exe"  # Django keeps the last part of a path only
    saved = files.private_storage.save(
        files.private_storage.generate_filename(f"care/receipts/1/{upload.name}"), upload
    )
    assert saved == "care/receipts/1/签收单gpj.exe"
    assert (private_files / saved).read_bytes() == b"MZ"


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


@pytest.mark.parametrize(
    ("name", "content_type", "disposition"),
    [
        ("发票.jpg", "image/jpeg", "inline"),
        ("scan.pdf", "application/pdf", "inline"),
        ("plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "attachment"),
        # Stored before uploads were checked by their bytes, or through a field that takes any file: served
        # as bytes to save, they run neither as a page of the site nor as another page's script.
        ("voucher.html", "application/octet-stream", "attachment"),
        ("voucher.svg", "application/octet-stream", "attachment"),
        ("voucher.js", "application/octet-stream", "attachment"),
        ("no-suffix", "application/octet-stream", "attachment"),
    ],
)
def test_a_file_is_served_inline_only_as_a_photo_or_pdf(private_files, name, content_type, disposition):
    from django.core.files.storage import default_storage

    stored = default_storage.save(f"uploads/{name}", ContentFile(b"<script>alert(1)</script>"))

    class Field:  # what a FileField gives a view
        def __init__(self, stored_name):
            self.name = stored_name

        def __bool__(self):
            return True

        def open(self, mode):
            return default_storage.open(self.name, mode)

    response = files.serve(Field(stored))
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    response.file_to_stream.close()  # not response.close(), which signals the end of a request


@pytest.mark.parametrize(
    ("name", "data", "taken"),
    [
        ("发票.jpg", b"\xff\xd8\xff\xe0 a jpeg", True),
        ("发票.PNG", b"\x89PNG\r\n\x1a\n a png", True),
        ("签收单.heic", b"\x00\x00\x00\x18ftypheic", True),
        ("签收单.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ", True),
        ("签收单.webp", b"RIFF\x10\x00\x00\x00WAVEfmt ", False),  # a sound, in the same RIFF wrapping
        ("合同.pdf", b"%PDF-1.7 a scan", True),
        ("发票.jpg", b"<html><script>alert(1)</script>", False),  # a page named as a photo
        ("合同.pdf", b"MZ\x90\x00", False),  # a program named as a scan
        ("发票.html", b"<html>", False),
        ("发票", b"\xff\xd8\xff", False),
    ],
)
def test_a_photo_or_scan_is_known_by_its_bytes(name, data, taken):
    upload = SimpleUploadedFile(name, data)
    if taken:
        assert files.check_scan(upload, max_bytes=1024) is upload
        assert upload.read() == data  # read from the start by whoever stores it
    else:
        with pytest.raises(forms.ValidationError):
            files.check_scan(upload, max_bytes=1024)


def test_an_office_file_is_known_by_its_bytes_too():
    assert files.check_signature(SimpleUploadedFile("台账.xlsx", b"PK\x03\x04 a sheet"))
    assert files.check_signature(SimpleUploadedFile("台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 a sheet"))
    with pytest.raises(forms.ValidationError, match="不是它的文件名所说的文件"):
        files.check_signature(SimpleUploadedFile("台账.docx", b"<html><script>alert(1)</script>"))


def test_a_scan_over_the_size_says_the_limit():
    with pytest.raises(forms.ValidationError, match="文件不能超过2MB"):
        files.check_scan(SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024)), max_bytes=2 * 1024 * 1024)
