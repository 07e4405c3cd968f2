"""The site's language (settings.LANGUAGE_CODE, Chinese), beside the one a person switched their own
pages to.

What one person writes for others is written in the site's language: notifications (whose readers'
choice belongs to their browsers, unknown here, and which SMS and e-mail send on as written), titles
of filings read up the tree, the standard lines of a budget, and the documents officers hand in (the
plan, the summary, a congress's notice, the statistics, the accounts: Chinese official documents,
whichever language their officer's pages are in; see ``in_site_language``). Compose such text inside
``with site_language():``; what a person reads on their own page stays in theirs.
"""

import functools

from django.conf import settings
from django.utils import translation


def site_language():
    return translation.override(settings.LANGUAGE_CODE)


def in_site_language(view):
    """A download view whose document is handed in or posted up: its fixed words (headings, column
    headers, the file's name) in the site's language, not a mix of the officer's UI language and the
    Chinese they typed. An error it raises still reaches its reader in theirs: the error page is
    rendered after the exception has left the block. A fresh override per call (one shared instance
    would keep one thread's previous language for another)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with site_language():
            return view(*args, **kwargs)

    return wrapper


def each_language():
    """Each language the product speaks, the site's first, active in turn for the loop's body: for what
    must be recognised whichever language wrote it (a sheet's headers and choices)."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            yield code
