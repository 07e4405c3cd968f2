"""Uploaded and generated files: stored privately, served only through views that apply the access rule.

Nothing a user uploads (rosters, photos, receipts, vouchers, certificates) or the product generates
(documents, archives, failed rows) lies under a web root. Models store such files with
``storage=private_storage`` (the default storage is private too, for a field that forgets); a view
first finds the record through ``visible_to`` (so a file of a record the user may not see answers 404)
and then returns ``serve(fieldfile)``.

Behind Nginx, ``PRIVATE_FILES_ACCEL_PREFIX`` lets Nginx send the bytes once Django has decided who may
read them: the view answers with an empty body and ``X-Accel-Redirect: <prefix>/<file name>``, and
Nginx serves that from an ``internal`` location no browser can request itself::

    location /_private/ {
        internal;
        alias /srv/gonghui/var/private/;   # PRIVATE_MEDIA_ROOT, with the trailing slash
    }

(Apache's mod_xsendfile does the same with ``X-Sendfile``; set the prefix to the folder's path and
``XSendFilePath`` to PRIVATE_MEDIA_ROOT.) Never alias ``/media/`` or PRIVATE_MEDIA_ROOT in a public
location.

Files a job keeps only while it runs (an uploaded roster, its failed rows) are deleted when the job
ends, or at the latest ``PRIVATE_FILES_RETENTION_DAYS`` after: ``discard`` and ``purge_expired``.
"""

import io
import mimetypes
import os
import shutil
import warnings
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image


@deconstructible(path="core.files.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read from settings on every use (tests point it elsewhere)."""

    def __init__(self):
        # No base_url: a private file has no public URL, and asking for one is a bug.
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no URL: serve them through a view with core.files.serve")

    def get_valid_name(self, name):
        """Django's cleaning (no path, no control or direction-override characters), then short enough
        in bytes for the disk: a file system takes 255 bytes a name, and 90 Chinese characters of an
        officer's file name were more (an OSError, a 500, on saving a receipt)."""
        return fitted_name(super().get_valid_name(name))


# Bytes of a stored file's name: the file system's 255, less room for the "_" and 7 characters
# Django adds when the name is taken and for a side file's longer suffix (an import's .progress-tmp).
MAX_NAME_BYTES = 200


def fitted_name(name: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``name`` cut at the end of its stem (never inside a character) to at most ``max_bytes`` bytes
    of UTF-8, its extension kept."""
    if len(name.encode()) <= max_bytes:
        return name
    stem, extension = os.path.splitext(name)
    if len(extension.encode()) > 16:  # not an extension a reader goes by
        stem, extension = name, ""
    room = max_bytes - len(extension.encode())
    return stem.encode()[:room].decode(errors="ignore") + extension


private_storage = PrivateStorage()


# What an uploaded file may be served as. A browser shows these without running anything; office
# documents and sheets are downloaded. Anything else (an .html, .svg or .js someone uploaded) goes out as
# bytes to save: served as what its name says, from the site's own address, it could run as a page or
# as a script of another page, with the rights of whoever opened it.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"})
DOWNLOAD_TYPES = frozenset(
    {
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/csv",
        "application/zip",
    }
)


def serve(fieldfile, *, filename=None, as_attachment=False):
    """The response that sends ``fieldfile`` to a reader the calling view has already let through."""
    if not fieldfile:
        raise Http404
    name = filename or PurePosixPath(fieldfile.name).name
    content_type = mimetypes.guess_type(name)[0]
    if content_type not in INLINE_TYPES:
        as_attachment = True
        if content_type not in DOWNLOAD_TYPES:
            content_type = "application/octet-stream"
    disposition = "attachment" if as_attachment else "inline"
    prefix = getattr(settings, "PRIVATE_FILES_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(f"{prefix.rstrip('/')}/{fieldfile.name}")
    else:
        try:
            handle = fieldfile.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- uploads


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc and .xls of Office 97-2003, and encrypted Office files


def password_protected(data: bytes) -> bool:
    """Is this an Office 2007+ file saved with a password to open? Excel, Word and WPS then write an OLE
    compound file (the .doc/.xls container) holding an "EncryptedPackage" stream instead of the zip."""
    return data.startswith(OLE_SIGNATURE) and "EncryptedPackage".encode("utf-16-le") in data


# A file by how its bytes begin: a name is what the uploader says, the bytes what it is. Each kind
# has one or more (offset, bytes) its file starts with.
_OLE = ((0, OLE_SIGNATURE),)
_ZIP = ((0, b"PK\x03\x04"),)  # .docx and .xlsx
SIGNATURES = {
    ".jpg": ((0, b"\xff\xd8\xff"),),
    ".jpeg": ((0, b"\xff\xd8\xff"),),
    ".png": ((0, b"\x89PNG\r\n\x1a\n"),),
    ".webp": ((8, b"WEBP"),),  # after RIFF and the size
    ".heic": ((4, b"ftyp"),),  # after the first box's size
    ".pdf": ((0, b"%PDF-"),),
    ".doc": _OLE,
    ".xls": _OLE,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
}
SCANS = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".pdf")


def check_signature(upload):
    """Refuse (forms.ValidationError) an upload whose first bytes are not those of the kind its name
    says, among SIGNATURES: a page or a program renamed to .jpg, .pdf or .docx."""
    signatures = SIGNATURES.get(PurePosixPath(upload.name.lower()).suffix)
    if signatures is None:
        return upload
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head[offset : offset + len(magic)] == magic for offset, magic in signatures):
        raise forms.ValidationError(
            _("“%(name)s”不是它的文件名所说的文件，可能已损坏或被改了扩展名。") % {"name": upload.name}
        )
    return upload


def check_scan(upload, *, max_bytes, kinds=SCANS, refused=None):
    """An uploaded photo (jpg, png, webp, heic) or PDF scan, or a file of another of ``kinds`` (suffixes),
    of at most ``max_bytes``, by its name and its first bytes; anything else is refused with a message
    for the uploader (forms.ValidationError), ``refused`` for a kind not taken."""
    if not upload:  # none chosen (or a file cleared)
        return upload
    if upload.size > max_bytes:
        raise forms.ValidationError(_("文件不能超过%(mb)sMB。") % {"mb": max_bytes // (1024 * 1024)})
    if not upload.name.lower().endswith(kinds):
        raise forms.ValidationError(refused or _("请上传照片（jpg、png）或 PDF 扫描件。"))
    return check_signature(upload)


# --- retention


def discard(fieldfile, *, save: bool = False) -> None:
    """Delete the stored file of ``fieldfile`` (a missing file is no error) and empty the field."""
    if fieldfile:
        fieldfile.delete(save=save)


def retention_cutoff(*, now: datetime, days: int | None = None) -> datetime:
    """Records that ended before this moment have outlived the retention period."""
    return now - timedelta(days=settings.PRIVATE_FILES_RETENTION_DAYS if days is None else days)


def purge_expired(queryset, *, fields, ended_field: str, now: datetime, days: int | None = None) -> int:
    """Delete the files in ``fields`` of every record of ``queryset`` that ended before the cutoff.

    ``ended_field`` names the record's end time (a job's ``finished_at``); records still running
    (a null end) are kept. Returns how many records lost a file.
    """
    cutoff = retention_cutoff(now=now, days=days)
    purged = 0
    # Read first, then write: on SQLite a write while this connection still reads fails ("database is
    # locked") once anyone else has written meanwhile. The records past retention are few.
    for record in list(queryset.filter(**{f"{ended_field}__lt": cutoff})):
        stored = [getattr(record, name) for name in fields if getattr(record, name)]
        for fieldfile in stored:
            discard(fieldfile)
        if stored:
            record.save(update_fields=list(fields))
            purged += 1
    return purged


def move_from_public_media(name: str) -> bool:
    """For data migrations: move a file an older version stored under MEDIA_ROOT to private storage,
    keeping its name (so the field's value stays right). False when it is not there (already moved)."""
    source = Path(settings.MEDIA_ROOT) / name
    target = Path(settings.PRIVATE_MEDIA_ROOT) / name
    if not name or not source.is_file():
        return False
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.move(source, target)
    target.chmod(0o600)
    return True


# --- images


class ImageRefused(ValueError):
    """An uploaded image Pillow must not decode; ``str()`` is the Chinese message for the uploader."""


def open_image(file, *, name: str = ""):
    """``Image.open`` that refuses an image of more than IMAGE_MAX_PIXELS pixels with a Chinese message.

    A few KB of PNG can claim 13000×13000 pixels and take half a gigabyte once decoded. Pillow's own
    limit (set in core.apps) refuses it everywhere; this turns the refusal into words for the uploader.
    """
    with warnings.catch_warnings():
        # Between half the limit and the limit Pillow only warns; such an image is allowed.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return Image.open(file)
        except Image.DecompressionBombError:
            raise ImageRefused(
                _("图片“%(name)s”的像素过多（超过 %(limit)s 万像素），系统不予处理。请缩小后再上传。")
                % {"name": name or getattr(file, "name", ""), "limit": settings.IMAGE_MAX_PIXELS // 10_000}
            ) from None


class PhotoField(forms.ImageField):
    """Django's ImageField, saying of a photo with too many pixels what open_image says (a 63-megapixel
    phone photo was told it was no picture at all, or a damaged one)."""

    def to_python(self, data):
        try:
            return super().to_python(data)
        except forms.ValidationError:
            if hasattr(data, "seek"):
                try:
                    # A copy, as Django's own check opens: Pillow closes the file it was given when the image
                    # is closed, and a truncated photo (that opens, then fails Django's check) closed the
                    # upload under the form (a ValueError, a 500, instead of Django's words).
                    with _copy_of(data) as copy:
                        open_image(copy, name=getattr(data, "name", "")).close()
                except ImageRefused as refused:
                    raise forms.ValidationError(str(refused), code="too_many_pixels") from None
                except Exception:  # not an image at all: Django's words are the right ones
                    pass
            raise


def _copy_of(upload):
    """A file of the upload's bytes to open, leaving the upload itself open and at its start."""
    if hasattr(upload, "temporary_file_path"):
        return open(upload.temporary_file_path(), "rb")
    upload.seek(0)
    try:
        return io.BytesIO(upload.read())
    finally:
        upload.seek(0)
