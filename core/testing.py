"""Helpers for tests of every app (fixtures live in the root conftest.py)."""

import re

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]+")


def untranslated(html):
    """CJK text left in a page rendered in English, with a little context for the failure message.

    Render pages for this check with ASCII-named records: any Chinese left is then a
    string that was not marked for translation or has no English in the catalogue.
    The language switch itself (简体中文) is the one Chinese word an English page shows.
    """
    text = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    found = []
    for match in CJK.finditer(text):
        if match.group() == "简体中文":
            continue
        found.append(text[max(0, match.start() - 40) : match.end() + 20].replace("\n", " "))
    return found


def in_english(client):
    """Switch the test client's pages to English, as the switch in the page does."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
