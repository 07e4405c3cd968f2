"""The site's language (settings.LANGUAGE_CODE, Chinese), beside the one a person switched their own
pages to.

What one person writes for others is written in the site's language: notifications (whose readers'
choice belongs to their browsers, unknown here, and which SMS and e-mail send on as written), titles
of filings read up the tree, the standard lines of a budget. Compose such text inside
``with site_language():``; what a person reads on their own page stays in theirs.
"""

from django.conf import settings
from django.utils import translation


def site_language():
    return translation.override(settings.LANGUAGE_CODE)


def each_language():
    """Each language the product speaks, the site's first, active in turn for the loop's body: for what
    must be recognised whichever language wrote it (a sheet's headers and choices)."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            yield code
