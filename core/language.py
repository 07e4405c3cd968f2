"""The site's language (settings.LANGUAGE_CODE, Chinese), beside the one a person chose for themselves.

What one person writes for many to read is written in the site's language: titles of filings read up the
tree, the standard lines of a budget, the rule findings frozen in a self-check, and the documents officers
hand in (the plan, the summary, a congress's notice, the statistics, the accounts: Chinese official
documents, whichever language their officer's pages are in; see ``in_site_language``). Compose such text
inside ``with site_language():``.

What the product tells one person (a notification, in the app and by SMS or e-mail) is written in that
person's language (``language_of``): the one they chose with the switch in the page, kept on their login
(accounts.User.language), or the site's. core.notifications.notify composes each message so.
What a person reads on their own page is in theirs (core.middleware.LanguageMiddleware).
"""

import functools

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import pgettext


def site_language():
    return translation.override(settings.LANGUAGE_CODE)


def language_of(user):
    """The language ``user`` reads: their choice with the switch in the page, or the site's."""
    chosen = getattr(user, "language", "")
    return translation.override(chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE)


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


def _written_date(day):
    return date_format(day)


def _written_time(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# A day, or a moment, as the reader writes it, in the locale's format as the pages write it (2026年12月18日,
# 2026年12月18日 14:30; Dec. 18, 2026 in English). Lazy: put in a message, it is written out in the
# language of whoever reads it (notify); put in a refusal, in the language of the page.
written_date = lazy(_written_date, str)
written_time = lazy(_written_time, str)


def quoted_names(names) -> str:
    """Names to stand between the quotes of a message ("没有找到“%(fields)s”列"): “姓名”“身份证号” in
    Chinese, “Name”, “ID number” in English (the joiner is translated)."""
    return pgettext("between names in quotes", "”“").join(str(name) for name in names)
