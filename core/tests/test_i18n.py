"""The English translation is complete: every catalogue entry has English and none is fuzzy."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR).glob("*/locale/en/LC_MESSAGES/django.po"))


def _entries(path):
    """(msgid, msgstr, flags) of each entry, enough of the .po grammar for this check."""
    entries, flags, current, key = [], "", {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith(("msgid ", "msgid_plural ", "msgstr")):
            key = line.split(" ", 1)[0]
            current[key] = current.get(key, "") + line.split(" ", 1)[1].strip('"')
        elif line.startswith('"') and key:
            current[key] += line.strip('"')
        elif not line.strip() and current:
            msgstrs = [v for k, v in current.items() if k.startswith("msgstr")]
            entries.append((current.get("msgid", ""), msgstrs, flags))
            current, flags, key = {}, "", None
    return [e for e in entries if e[0]]  # the header entry has an empty msgid


def test_there_are_catalogues():
    assert CATALOGUES, "no */locale/en/LC_MESSAGES/django.po found"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_entry_is_translated(path):
    missing = [msgid for msgid, msgstrs, _flags in _entries(path) if not all(msgstrs)]
    fuzzy = [msgid for msgid, _msgstrs, flags in _entries(path) if "fuzzy" in flags]
    assert not missing, f"{path}: no English for {missing[:10]}"
    assert not fuzzy, f"{path}: fuzzy entries {fuzzy[:10]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_compiled_catalogue_is_not_older_than_its_source(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} missing: run compilemessages and commit it"


def test_no_app_s_english_is_hidden_by_another_s():
    """Django merges every app's catalogue into one, and for a msgid two apps translate differently
    the app listed first in INSTALLED_APPS wins everywhere: the budget's 会议 read “Session” (the
    congress's word), a proposal adopted read “Accept”. A word that means different things in two
    places gets a context (pgettext, {% translate … context … %}); otherwise every app says it alike."""
    import polib

    said = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and not entry.msgid_plural:
                said.setdefault((entry.msgctxt, entry.msgid), {})[path.parts[-5]] = entry.msgstr
    differing = {key: by_app for key, by_app in said.items() if len(set(by_app.values())) > 1}
    assert not differing, f"{len(differing)} msgids translated differently, e.g. {list(differing.items())[:5]}"


def test_a_word_with_two_meanings_reads_right_in_each_place():
    from django.utils import translation

    from democracy.models import Outcome
    from finance.categories import BY_KEY
    from rollups.statistics import FIGURES

    with translation.override("en"):
        assert str(BY_KEY["meetings"].name) == "Meetings"
        assert str(Outcome.ADOPTED.label) == "Adopted"
        # A count's heading, not one schedule item (plans' word).
        assert str({key: label for key, label, _m in FIGURES}["items"]) == "Plan items"
        # A count's heading on the statistics page, not the one suggestion a form files (democracy's word).
        assert str({key: label for key, label, _m in FIGURES}["suggestions"]) == "Rationalization suggestions"


def test_english_says_one_or_many_not_unit_s():
    """Chinese has no plural, English does: a count says "1 unit" or "2 units" (ngettext, blocktranslate
    count), never "unit(s)", and a plural entry's singular is singular."""
    from django.utils import translation
    from django.utils.translation import ngettext

    hedged = [
        (path.parts[-5], msgid)
        for path in CATALOGUES
        for msgid, msgstrs, _flags in _entries(path)
        if any(re.search(r"[a-z]\(s\)", msgstr) for msgstr in msgstrs)
    ]
    assert not hedged, hedged
    with translation.override("en"):
        met = "%(counter)s 个单位已达成"
        assert ngettext(met, met, 1) % {"counter": 1} == "1 unit has met it"
        assert ngettext(met, met, 3) % {"counter": 3} == "3 units have met it"
        criteria = "%(n)s条细则"
        assert ngettext(criteria, criteria, 1) % {"n": 1} == "1 criterion"


def test_care_visits_are_care_not_condolences():
    """慰问 is the union's visit with care and money (at festivals, in illness, in hardship); in English
    “condolence” is sympathy after a death, which 慰问 means only beside 吊唁 or 丧. Every app says
    “care” (Care campaign, Festival care, Care money), finance as care does."""
    said = [
        (path.parts[-5], msgid)
        for path in CATALOGUES
        for msgid, msgstrs, _flags in _entries(path)
        if "慰问" in msgid
        and not re.search("吊唁|丧", msgid)
        and any("condolence" in msgstr.lower() for msgstr in msgstrs)
    ]
    assert not said, said
