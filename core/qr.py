"""QR codes as the product hands them out: an activity's check-in, a representative's code, a union's join page."""

import io

import segno
from django.http import HttpResponse


def svg_qr(payload, *, cache="private"):
    """An SVG response of a QR code of ``payload``. ``cache``: "private" for a code that belongs to the reader
    (a check-in, a representative's own), "public" for one that only says where a public page is."""
    out = io.BytesIO()
    # A standalone file: it needs the namespace that an inline SVG leaves out.
    segno.make(payload, error="m").save(out, kind="svg", scale=6, border=2, light="#fff", xmldecl=False, svgns=True)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = f"{cache}, max-age=3600"
    return response
