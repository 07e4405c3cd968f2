"""Uploaded and generated files: stored privately, served only through views that apply the access rule.

Nothing a user uploads (rosters, photos, receipts, vouchers, certificates) or the product generates
(documents, archives, failed rows) lies under a web root. Models store such files with
``storage=private_storage``; a view first finds the record through ``visible_to`` (so a file of a
record the user may not see answers 404) and then returns ``serve(fieldfile)``. Behind Nginx,
``PRIVATE_FILES_ACCEL_PREFIX`` lets Nginx send the bytes (X-Accel-Redirect to an ``internal``
location) once Django has decided who may read them.
"""

import mimetypes
import os
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.deconstruct import deconstructible


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


private_storage = PrivateStorage()


def serve(fieldfile, *, filename=None, as_attachment=False):
    """The response that sends ``fieldfile`` to a reader the calling view has already let through."""
    if not fieldfile:
        raise Http404
    name = filename or PurePosixPath(fieldfile.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
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
